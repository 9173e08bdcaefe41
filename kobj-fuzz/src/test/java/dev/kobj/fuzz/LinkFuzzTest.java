package dev.kobj.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.kobj.elf.ElfConstants;
import dev.kobj.elf.ElfFile;
import dev.kobj.elf.ElfSymbol;
import dev.kobj.elf.SymbolTable;
import dev.kobj.link.Checks;
import dev.kobj.link.FaultyMemory;
import dev.kobj.link.LinkRequest;
import dev.kobj.link.Linker;
import dev.kobj.link.LoadPolicy;
import dev.kobj.link.LoadedImage;
import dev.kobj.symtab.KernelSymbol;
import dev.kobj.symtab.KernelSymbolTable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The linker on the fuzzed object, one target per architecture (each seeded with that
 * architecture's testdata objects): the load checks against a kernel table
 * ({@link Checks#run}), then {@link Linker#link} into heap memory at the testdata address
 * plan (testdata/README.md, "Undefined symbols"), every undefined symbol given an address so
 * that the link reaches relocation. Besides {@link Bounded}'s contract: every allocation made
 * in the memory is closed again, whether the link succeeded (and the image was closed) or failed.
 */
class LinkFuzzTest {
    static final String NAME = "fuzz-input.o";
    /** The link base of the plan (-Ttext=0x100000). */
    static final long BASE = 0x100000L;
    /** The largest allocation the fuzzing memory grants (a link of a small file needing more is refused). */
    static final long CAP = 64L << 20;

    static final Map<String, Long> FIXED = Map.ofEntries(Map.entry("kobj_ext_data", 0x200000L),
            Map.entry("kobj_ext_fn", 0x181000L), Map.entry("printk", 0x182000L), Map.entry("kobj_abs_small", 0x40L),
            Map.entry("kobj_ext_array", 0x180000L), Map.entry("kobj_ext_value", 0x181000L),
            Map.entry("kmalloc", 0x182100L), Map.entry("kfree", 0x182200L), Map.entry("memcpy", 0x182300L),
            Map.entry("memset", 0x182400L), Map.entry("kobj_shared_counter", 0x183000L),
            Map.entry("kobj_shared_add", 0x183100L));

    @FuzzTest(maxDuration = "10m")
    void x86_64(byte[] data) {
        link(data);
    }

    @FuzzTest(maxDuration = "10m")
    void aarch64(byte[] data) {
        link(data);
    }

    @FuzzTest(maxDuration = "10m")
    void riscv(byte[] data) {
        link(data);
    }

    static void link(byte[] data) {
        FaultyMemory memory = new FaultyMemory(BASE, CAP);
        long[] image = {0};
        boolean[] inflates = {ElfFuzzTest.compressedFile(data)};
        Bounded.check(NAME, () -> ElfFuzzTest.limit(data.length, image[0], inflates[0]) + 3 * memory.bytesAllocated.get(),
                () -> {
                    ElfFile f = ElfFile.of(NAME, data);
                    image[0] = f.bytes().byteSize();
                    inflates[0] |= f.sections().stream().anyMatch(s -> s.isCompressed());
                    KernelSymbolTable kernel = kernel(f);
                    Checks.run(f, LoadPolicy.defaults(), kernel);
                    try (LoadedImage img = Linker.link(f,
                            LinkRequest.builder(memory).symbols(kernel).base(BASE).policy(LoadPolicy.permissive())
                                    .build())) {
                        img.close();
                    }
                });
        if (!memory.live.isEmpty()) {
            throw new AssertionError(memory.live.size() + " allocations left behind");
        }
    }

    /** {@return a kernel table: the plan's fixed addresses, and every other undefined non-weak symbol from 0x190000} */
    static KernelSymbolTable kernel(ElfFile f) throws Exception {
        Map<String, Long> plan = new LinkedHashMap<>(FIXED);
        long next = 0x190000L;
        Optional<SymbolTable> st = f.symbolTable();
        if (st.isPresent()) {
            for (ElfSymbol s : st.get().all()) {
                if (s.index() != 0 && s.isUndefined() && s.bind() != ElfConstants.STB_WEAK && !s.name().isEmpty()
                        && !plan.containsKey(s.name()) && plan.size() < 10_000) {
                    plan.put(s.name(), next);
                    next += 0x100;
                }
            }
        }
        List<KernelSymbol> syms = new ArrayList<>();
        plan.forEach((n, a) -> syms.add(new KernelSymbol(n, a, -1, KernelSymbol.VMLINUX, "EXPORT_SYMBOL", "")));
        return KernelSymbolTable.of("fuzz kernel", syms, true);
    }
}
