package dev.kobj.link;

import dev.kobj.elf.ElfFile;
import dev.kobj.symtab.SymbolLookup;
import java.util.List;

/**
 * The kernel's load checks (Linux 6.1, kernel/module/*, as facts), each a {@link LinkException.Kind}:
 * unknown symbols, CRC mismatch, vermagic, GPL-only symbols used by a non-GPL module,
 * namespaces not imported, SHN_COMMON, no {@code .gnu.linkonce.this_module}, W+X sections,
 * wrong ELF type or machine. {@link Linker#link} runs them first; {@code kobjdump check} runs
 * them alone.
 */
public final class Checks {
    private Checks() {
    }

    /**
     * {@return every problem of {@code object} under {@code policy} against {@code symbols}, in
     * a stable order (file-level problems first, then symbols in table order); empty when the
     * module would load}. Undefined symbols are looked up in {@code symbols} only: a caller
     * with extra bindings passes a lookup that includes them, or uses {@link #run(ElfFile,
     * LoadPolicy, SymbolLookup, java.util.Map)}.
     *
     * @param object the module
     * @param policy what to check
     * @param symbols the kernel (and loaded modules) it would link against
     */
    public static List<LinkException.Problem> run(ElfFile object, LoadPolicy policy, SymbolLookup symbols) {
        return run(object, policy, symbols, java.util.Map.of());
    }

    /**
     * As {@link #run(ElfFile, LoadPolicy, SymbolLookup)}, with bindings searched after {@code symbols}.
     *
     * @param object   the module
     * @param policy   what to check
     * @param symbols  the kernel (and loaded modules) it would link against
     * @param bindings symbols bound by the caller, which need no export
     * @return every problem found, empty when the module would load
     */
    public static List<LinkException.Problem> run(ElfFile object, LoadPolicy policy, SymbolLookup symbols,
            java.util.Map<String, Long> bindings) {
        return new CheckRun(object, policy, symbols, bindings).run();
    }
}
