package dev.kobj.link;

import dev.kobj.elf.ElfFile;
import dev.kobj.symtab.KernelSymbol;
import dev.kobj.symtab.SymbolLookup;
import dev.kobj.testkit.AddressPlan;
import dev.kobj.testkit.Testdata;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** The fixtures linked against a kernel table of the address plan testdata/README.md gives for undefined symbols. */
final class TestObjects {
    private TestObjects() {
    }

    static ElfFile open(String path) throws Exception {
        return ElfFile.open(Testdata.path(path));
    }

    /** The link base of the plan (testdata/README.md: -Ttext=0x100000). */
    static final long BASE = AddressPlan.low().base();

    /** {@return the object's non-weak undefined symbols at the low plan's addresses (testdata/README.md)} */
    static Map<String, Long> plan(ElfFile elf) throws Exception {
        return AddressPlan.low().addresses(elf);
    }

    /** A kernel table of the given symbols: EXPORT_SYMBOL, no CRC, no namespace, owner vmlinux. */
    static MapLookup kernel(Map<String, Long> symbols) {
        MapLookup m = new MapLookup();
        symbols.forEach((n, a) -> m.put(new KernelSymbol(n, a, -1, "vmlinux", "EXPORT_SYMBOL", "")));
        return m;
    }

    /** A SymbolLookup over a map, for tests. */
    static final class MapLookup implements SymbolLookup {
        final Map<String, KernelSymbol> byName = new LinkedHashMap<>();
        final TreeMap<Long, KernelSymbol> byAddress = new TreeMap<>(Long::compareUnsigned);

        MapLookup put(KernelSymbol s) {
            byName.put(s.name(), s);
            byAddress.put(s.address(), s);
            return this;
        }

        @Override
        public Optional<KernelSymbol> lookup(String name) {
            return Optional.ofNullable(byName.get(name));
        }

        @Override
        public Optional<KernelSymbol> nearest(long address) {
            var e = byAddress.floorEntry(address);
            return e == null ? Optional.empty() : Optional.of(e.getValue());
        }

        @Override
        public int size() {
            return byName.size();
        }
    }
}
