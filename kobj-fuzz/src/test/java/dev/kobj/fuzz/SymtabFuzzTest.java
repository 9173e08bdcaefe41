package dev.kobj.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.kobj.elf.Arch;
import dev.kobj.symtab.KernelSymbol;
import dev.kobj.symtab.KernelSymbolTable;
import java.nio.charset.StandardCharsets;

/**
 * The kernel symbol-table readers (System.map, /proc/kallsyms, Module.symvers) on fuzzed text,
 * then every query of the table: look-ups by name and address, the module exports, the
 * exports-only view, and for Module.symvers the synthesis of addresses for each architecture.
 * Seeds: symtab's sample System.map and kallsyms, and a Module.symvers of testdata's exporter.
 */
class SymtabFuzzTest {
    static final String NAME = "fuzz-input.symbols";

    @FuzzTest(maxDuration = "10m")
    void systemMap(byte[] data) {
        read(data, KernelSymbolTable.Format.SYSTEM_MAP);
    }

    @FuzzTest(maxDuration = "10m")
    void kallsyms(byte[] data) {
        read(data, KernelSymbolTable.Format.KALLSYMS);
    }

    @FuzzTest(maxDuration = "10m")
    void symvers(byte[] data) {
        read(data, KernelSymbolTable.Format.MODULE_SYMVERS);
    }

    static void read(byte[] data, KernelSymbolTable.Format format) {
        String text = new String(data, StandardCharsets.ISO_8859_1);
        // A String of n Latin-1 bytes is n bytes in the heap, plus the copy the decoder makes.
        Bounded.check(NAME, 2L * data.length, () -> {
            KernelSymbolTable t = KernelSymbolTable.parse(NAME, text, format);
            long sum = t.size() + t.moduleExports().size() + t.exportsOnly().size();
            for (KernelSymbol s : t.symbols()) {
                sum += t.lookup(s.name()).map(KernelSymbol::address).orElse(0L);
                sum += t.nearest(s.address()).map(x -> x.name().length()).orElse(0);
                sum += t.nmType(s.name()) + (t.hasAddress(s.name()) ? 1 : 0) + s.ownerModuleName().length();
                if (sum == 42) {
                    break;
                }
            }
            if (format == KernelSymbolTable.Format.MODULE_SYMVERS) {
                for (Arch arch : Arch.values()) {
                    sum += KernelSymbolTable.synthesize(t, arch, true).size();
                }
            }
            KernelSymbolTable.merge(t, t).size();
        });
    }
}
