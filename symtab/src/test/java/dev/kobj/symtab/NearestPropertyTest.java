package dev.kobj.symtab;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** {@code nearest} against the obvious linear scan, on random tables and random addresses. */
class NearestPropertyTest {

    /** The definition: of the symbols at or below {@code address} (unsigned), the highest; of equals, the first. */
    static Optional<KernelSymbol> linearScan(List<KernelSymbol> symbols, long address) {
        KernelSymbol best = null;
        for (KernelSymbol s : symbols) {
            if (Long.compareUnsigned(s.address(), address) <= 0
                    && (best == null || Long.compareUnsigned(s.address(), best.address()) > 0)) {
                best = s;
            }
        }
        return Optional.ofNullable(best);
    }

    /** Addresses both small (many collisions) and anywhere in 64 bits (the kernel's have the top bit set). */
    static Arbitrary<Long> addresses() {
        return Arbitraries.oneOf(Arbitraries.longs().between(0, 64), Arbitraries.longs(),
                Arbitraries.longs().between(0xffffffff81000000L, 0xffffffff81000400L));
    }

    @Provide
    Arbitrary<List<KernelSymbol>> tables() {
        return addresses().list().ofMaxSize(200).map(as -> {
            List<KernelSymbol> out = new ArrayList<>();
            for (int i = 0; i < as.size(); i++) {
                out.add(new KernelSymbol("s" + i, as.get(i), -1, "vmlinux", "", ""));
            }
            return out;
        });
    }

    @Provide
    Arbitrary<List<Long>> probes() {
        return addresses().list().ofMinSize(1).ofMaxSize(50);
    }

    @Property(tries = 500)
    void kernelTableAgreesWithLinearScan(@ForAll("tables") List<KernelSymbol> symbols, @ForAll("probes") List<Long> probes) {
        KernelSymbolTable t = KernelSymbolTable.of("random", symbols, true);
        for (long a : probes) {
            assertThat(t.nearest(a)).isEqualTo(linearScan(symbols, a));
        }
        for (KernelSymbol s : symbols) { // at a symbol's own address, and just below it
            assertThat(t.nearest(s.address())).isEqualTo(linearScan(symbols, s.address()));
            assertThat(t.nearest(s.address() - 1)).isEqualTo(linearScan(symbols, s.address() - 1));
        }
    }

    @Provide
    Arbitrary<List<List<KernelSymbol>>> modules() {
        // Up to 5 modules with distinct names per symbol; addresses may collide across modules.
        return Combinators.combine(addresses().list().ofMaxSize(40), Arbitraries.integers().between(1, 5))
                .as((as, n) -> {
                    List<List<KernelSymbol>> mods = new ArrayList<>();
                    for (int m = 0; m < n; m++) {
                        mods.add(new ArrayList<>());
                    }
                    for (int i = 0; i < as.size(); i++) {
                        int m = i % n;
                        mods.get(m).add(new KernelSymbol("s" + i, as.get(i), -1, "m" + m, "EXPORT_SYMBOL", ""));
                    }
                    return mods;
                });
    }

    @Property(tries = 300)
    void moduleExportsAgreeWithLinearScan(@ForAll("modules") List<List<KernelSymbol>> mods, @ForAll("probes") List<Long> probes)
            throws Exception {
        ModuleExports exports = new ModuleExports();
        List<KernelSymbol> all = new ArrayList<>();
        for (int m = 0; m < mods.size(); m++) {
            exports.add("m" + m, mods.get(m));
            all.addAll(mods.get(m));
        }
        for (long a : probes) {
            // Ties between modules: any symbol at the right address is a right answer.
            assertThat(exports.nearest(a).map(KernelSymbol::address)).isEqualTo(linearScan(all, a).map(KernelSymbol::address));
        }
        exports.remove("m0");
        all.removeAll(mods.get(0));
        for (long a : probes) {
            assertThat(exports.nearest(a).map(KernelSymbol::address)).isEqualTo(linearScan(all, a).map(KernelSymbol::address));
        }
        assertThat(exports.size()).isEqualTo(all.size());
    }

    @Property(tries = 300)
    void chainAgreesWithLinearScanOverAllItsTables(@ForAll("tables") List<KernelSymbol> kernel,
            @ForAll("modules") List<List<KernelSymbol>> mods, @ForAll("probes") List<Long> probes) throws Exception {
        ModuleExports exports = new ModuleExports();
        List<KernelSymbol> all = new ArrayList<>();
        for (int m = 0; m < mods.size(); m++) {
            exports.add("m" + m, mods.get(m));
            all.addAll(mods.get(m));
        }
        List<KernelSymbol> renamed = kernel.stream().map(s -> new KernelSymbol("k" + s.name(), s.address(), -1,
                "vmlinux", "", "")).toList();
        all.addAll(renamed);
        SymbolLookup chain = new ChainedLookup(exports, KernelSymbolTable.of("k", renamed, true));
        for (long a : probes) {
            assertThat(chain.nearest(a).map(KernelSymbol::address)).isEqualTo(linearScan(all, a).map(KernelSymbol::address));
        }
        assertThat(chain.size()).isEqualTo(all.size());
    }
}
