package dev.kobj.link;

import dev.kobj.elf.ElfFile;
import dev.kobj.elf.ElfSymbol;
import dev.kobj.symtab.KernelSymbol;
import dev.kobj.symtab.SymbolLookup;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** testdata/objects.tsv and the address plan testdata/README.md gives for undefined symbols. */
final class TestObjects {
    private TestObjects() {
    }

    /** One line of objects.tsv. */
    record Fixture(String path, String arch, String description) {
        Path file() {
            return root().resolve(path);
        }

        boolean tls() {
            return path.contains("-tls.");
        }

        @Override
        public String toString() {
            return path;
        }
    }

    static Path root() {
        String p = System.getProperty("kobj.testdata");
        Path dir = p != null && !p.isBlank() && !p.startsWith("$") ? Paths.get(p) : Paths.get("..", "testdata");
        if (!Files.isDirectory(dir)) {
            dir = Paths.get("..", "testdata");
        }
        return dir;
    }

    static List<Fixture> all() {
        List<Fixture> out = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(root().resolve("objects.tsv"))) {
                if (!line.isBlank()) {
                    String[] f = line.split("\t", 4);
                    out.add(new Fixture(f[0], f[2], f.length > 3 ? f[3] : ""));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    static ElfFile open(String path) throws Exception {
        return ElfFile.open(root().resolve(path));
    }

    /** The link base of the plan (testdata/README.md: -Ttext=0x100000). */
    static final long BASE = 0x100000L;

    /** Fixed addresses of testdata/README.md's undefined symbols (as the ld oracle's AddressPlan.low). */
    static final Map<String, Long> FIXED = Map.ofEntries(Map.entry("kobj_ext_data", 0x200000L),
            Map.entry("kobj_ext_fn", 0x181000L), Map.entry("printk", 0x182000L), Map.entry("kobj_abs_small", 0x40L),
            Map.entry("kobj_ext_array", 0x180000L), Map.entry("kobj_ext_value", 0x181000L),
            Map.entry("kmalloc", 0x182100L), Map.entry("kfree", 0x182200L), Map.entry("memcpy", 0x182300L),
            Map.entry("memset", 0x182400L), Map.entry("kobj_shared_counter", 0x183000L),
            Map.entry("kobj_shared_add", 0x183100L));

    /** {@return the object's non-weak undefined symbols at the plan's addresses (others from 0x190000, +0x100)} */
    static Map<String, Long> plan(ElfFile elf) throws Exception {
        Map<String, Long> out = new LinkedHashMap<>();
        long next = 0x190000L;
        var st = elf.symbolTable();
        if (st.isEmpty()) {
            return out;
        }
        for (ElfSymbol s : st.get().all()) {
            if (s.index() == 0 || !s.isUndefined() || s.bind() == dev.kobj.elf.ElfConstants.STB_WEAK
                    || s.name().isEmpty() || s.name().equals("_GLOBAL_OFFSET_TABLE_") || out.containsKey(s.name())) {
                continue;
            }
            Long a = FIXED.get(s.name());
            if (a == null) {
                a = next;
                next += 0x100;
            }
            out.put(s.name(), a);
        }
        return out;
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
