package dev.kobj.cli.kernel;

import dev.kobj.elf.ElfFile;
import dev.kobj.elf.ElfSymbol;
import dev.kobj.elf.SectionHeader;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Where the kernel put a module's per-CPU section, learnt from the kernel alone: Linux allocates
 * {@code .data..percpu} in its per-CPU area ({@code percpu_modalloc}, kernel/module/main.c; the
 * section loses SHF_ALLOC, so sysfs does not list it) and {@code simplify_symbols} gives every
 * symbol of that section the per-CPU address plus st_value; /proc/kallsyms shows those
 * addresses. So the base is a kallsyms address of a symbol of the section minus its st_value,
 * when every such symbol (of a unique name) gives the same base.
 */
public final class PerCpuBase {
    private PerCpuBase() {
    }

    /** {@return the per-CPU base the kernel chose for the module {@code elf}, if kallsyms tells it} */
    public static OptionalLong of(ElfFile elf, List<GuestReport.Kallsym> kallsyms) throws Exception {
        SectionHeader pcpu = elf.section(".data..percpu").orElse(null);
        var table = elf.symbolTable();
        if (pcpu == null || pcpu.size() == 0 || table.isEmpty()) {
            return OptionalLong.empty();
        }
        Map<String, Long> values = new HashMap<>();
        Map<String, Integer> count = new HashMap<>();
        for (ElfSymbol s : table.get().all()) {
            if (!s.name().isEmpty()) {
                count.merge(s.name(), 1, Integer::sum);
                if (s.shndx() == pcpu.index()) {
                    values.put(s.name(), s.value());
                }
            }
        }
        Long base = null;
        for (GuestReport.Kallsym k : kallsyms) {
            Long v = values.get(k.name());
            if (v == null || count.get(k.name()) != 1) {
                continue;
            }
            long b = k.address() - v;
            if (base == null) {
                base = b;
            } else if (base != b) {
                return OptionalLong.empty();
            }
        }
        return base == null ? OptionalLong.empty() : OptionalLong.of(base);
    }
}
