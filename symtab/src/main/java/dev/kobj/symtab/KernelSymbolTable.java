package dev.kobj.symtab;

import dev.kobj.elf.Arch;
import dev.kobj.symtab.SymbolFiles.Entry;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A kernel symbol table, immutable once built: from System.map, /proc/kallsyms or
 * Module.symvers ({@link #read}), several of them combined by name ({@link #merge}), or
 * synthesized from Module.symvers when the kernel's real addresses are not at hand
 * ({@link #synthesize}).
 *
 * <p>Name → symbol is one {@link HashMap} look-up. When a name is listed more than once
 * (System.map and kallsyms list every static function, and several files may have one of
 * the same name) {@link #lookup} answers with the first global one (upper-case nm type),
 * else the first; {@link #nearest} and {@link #symbols} see every entry. Address → symbol is
 * a binary search over a sorted {@code long[]} (see {@link AddressIndex}); only symbols whose
 * source gave an address ({@link #hasAddress}) are in it, so a table read from Module.symvers
 * alone answers {@code nearest} with nothing until it is merged with a System.map or synthesized.
 *
 * <p>Thread-safety: immutable, so safe to share.
 */
public final class KernelSymbolTable implements SymbolLookup {
    private final String description;
    private final List<KernelSymbol> symbols;
    private final char[] types;
    private final boolean[] addressed;
    private final Map<String, Integer> byName;
    private final AddressIndex byAddress;

    private KernelSymbolTable(String description, List<Entry> entries) {
        this.description = description;
        int n = entries.size();
        List<KernelSymbol> list = new ArrayList<>(n);
        this.types = new char[n];
        this.addressed = new boolean[n];
        this.byName = new HashMap<>(Math.max(16, n * 4 / 3 + 1));
        List<KernelSymbol> withAddress = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Entry e = entries.get(i);
            list.add(e.symbol());
            types[i] = e.type();
            addressed[i] = e.addressed();
            if (e.addressed()) {
                withAddress.add(e.symbol());
            }
            Integer prev = byName.putIfAbsent(e.symbol().name(), i);
            if (prev != null && isLocal(types[prev]) && !isLocal(e.type())) {
                byName.put(e.symbol().name(), i);
            }
        }
        this.symbols = Collections.unmodifiableList(list);
        this.byAddress = new AddressIndex(withAddress);
    }

    private static boolean isLocal(char nmType) {
        return nmType >= 'a' && nmType <= 'z';
    }

    // ---------------------------------------------------------------- sources

    /** The text formats {@link #read} knows. */
    public enum Format {
        /** {@code ADDRESS TYPE NAME} ({@code nm -n vmlinux}). */
        SYSTEM_MAP,
        /** /proc/kallsyms: System.map's format plus an optional {@code [module]} column. */
        KALLSYMS,
        /** Module.symvers: {@code 0xCRC\tNAME\tMODULE\tEXPORT_TYPE\tNAMESPACE}. */
        MODULE_SYMVERS;

        /** {@return the format of a file whose first non-blank line is {@code firstLine}}: symvers lines start "0x" and have tabs */
        static Format guess(String firstLine) {
            if (firstLine.startsWith("0x") && firstLine.indexOf('\t') > 0) {
                return MODULE_SYMVERS;
            }
            return KALLSYMS; // a superset of System.map
        }
    }

    /**
     * {@return the table in {@code file}}, its format told by its first line (Module.symvers
     * lines start with "0x" and are tab-separated; anything else is read as kallsyms, which
     * accepts System.map too).
     *
     * @param file the file
     * @throws IOException           if the file cannot be read
     * @throws SymtabFormatException on the first malformed line, or when every address of a
     *         kallsyms file is 0 (kptr_restrict)
     */
    public static KernelSymbolTable read(Path file) throws IOException, SymtabFormatException {
        String first = "";
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.ISO_8859_1)) {
            String l;
            while ((l = in.readLine()) != null && l.isBlank()) {
                // skip
            }
            first = l == null ? "" : l;
        }
        return read(file, Format.guess(first));
    }

    /**
     * {@return the table in {@code file}, read as {@code format}}
     * @param file the file
     * @param format how to read it
     * @throws IOException if the file cannot be read
     * @throws SymtabFormatException on the first malformed line, or when every address of a
     *         kallsyms file is 0 (kptr_restrict)
     */
    public static KernelSymbolTable read(Path file, Format format) throws IOException, SymtabFormatException {
        if (format == Format.MODULE_SYMVERS) {
            // The usual Module.symvers from its bytes (SymversBytes); anything it does not take,
            // and a name listed twice, by the general parser, which words the errors.
            byte[] data = Files.readAllBytes(file);
            List<Entry> entries = SymversBytes.parse(data, data.length);
            if (entries != null) {
                KernelSymbolTable t = new KernelSymbolTable(file.toString(), entries);
                if (t.byName.size() == entries.size()) {
                    return t;
                }
            }
            return parse(file.toString(), new BufferedReader(new java.io.InputStreamReader(
                    new java.io.ByteArrayInputStream(data), StandardCharsets.ISO_8859_1)), format, false);
        }
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.ISO_8859_1)) {
            return parse(file.toString(), in, format, false);
        }
    }

    /**
     * {@return the table in {@code text}, read as {@code format}; {@code name} names it in messages}
     * @param name the source's name, used in messages
     * @param text the whole source
     * @param format how to read it
     * @throws SymtabFormatException on the first malformed line, or when every address of a
     *         kallsyms file is 0 (kptr_restrict)
     */
    public static KernelSymbolTable parse(String name, String text, Format format) throws SymtabFormatException {
        try {
            return parse(name, new BufferedReader(new StringReader(text)), format, false);
        } catch (IOException e) {
            throw new AssertionError("a StringReader does not fail", e);
        }
    }

    /**
     * {@return the table read from {@code in}}.
     *
     * @param name   the source's name, used in messages
     * @param in     the source, read to its end
     * @param format how to read it
     * @param allowHiddenAddresses for kallsyms: accept a file whose addresses are all 0 (what a
     *        reader without CAP_SYSLOG sees under kptr_restrict); the table then has names and
     *        owners but {@link #hasAddresses()} is false. Without it such a file is refused.
     * @throws IOException           if {@code in} cannot be read
     * @throws SymtabFormatException on the first malformed line, or when every address of a
     *         kallsyms file is 0 and hidden addresses are not allowed
     */
    public static KernelSymbolTable parse(String name, BufferedReader in, Format format, boolean allowHiddenAddresses)
            throws IOException, SymtabFormatException {
        List<Entry> entries = switch (format) {
            case SYSTEM_MAP -> SymbolFiles.parseNm(name, in, false);
            case KALLSYMS -> SymbolFiles.parseNm(name, in, true);
            case MODULE_SYMVERS -> SymbolFiles.parseSymvers(name, in);
        };
        if (format != Format.MODULE_SYMVERS && !entries.isEmpty()
                && entries.stream().allMatch(e -> e.symbol().address() == 0)) {
            if (!allowHiddenAddresses) {
                throw new SymtabFormatException(name, "every line", entries.size() + " symbols",
                        "every address is 0: the kernel hides them (kernel.kptr_restrict, or a reader without "
                                + "CAP_SYSLOG); read it as root or set kernel.kptr_restrict=0");
            }
            List<Entry> hidden = new ArrayList<>(entries.size());
            for (Entry e : entries) {
                hidden.add(new Entry(e.symbol(), e.type(), false));
            }
            entries = hidden;
        }
        return new KernelSymbolTable(name, entries);
    }

    /**
     * {@return a table of {@code symbols}} (tests, and kernel tables made up by a program,
     * such as a host binary's own symbols). With {@code withAddresses} false the addresses are
     * not indexed.
     *
     * @param description what the table is, used in messages
     * @param symbols the symbols
     * @param withAddresses whether the symbols' addresses are to be indexed (false: the source gave none)
     */
    public static KernelSymbolTable of(String description, Collection<KernelSymbol> symbols, boolean withAddresses) {
        List<Entry> entries = new ArrayList<>(symbols.size());
        for (KernelSymbol s : symbols) {
            entries.add(new Entry(s, SymbolFiles.NO_TYPE, withAddresses));
        }
        return new KernelSymbolTable(description, entries);
    }

    // ---------------------------------------------------------------- combining

    /**
     * {@return the tables combined by name}: for each name, every field is taken from the
     * first table that knows it: the address from the first with an address, the CRC from the
     * first with one, export type, namespace and owner from the first with an export type
     * (Module.symvers), else the owner of the first. So {@code merge(systemMap, symvers)}
     * gives System.map's addresses with Module.symvers' CRCs, owners, GPL flags and
     * namespaces. Entries that {@link #lookup} does not answer with (locals shadowed by a
     * global of the same name) are kept as they are.
     *
     * @param tables the tables, first first
     */
    public static KernelSymbolTable merge(KernelSymbolTable... tables) {
        final class Acc {
            KernelSymbol s;
            char type;
            boolean addressed;
            boolean exported;

            Acc(KernelSymbol s, char type, boolean addressed) {
                this.s = s;
                this.type = type;
                this.addressed = addressed;
                this.exported = !s.exportType().isEmpty();
            }

            void add(KernelSymbol o, char otype, boolean oaddr) {
                long address = s.address();
                if (!addressed && oaddr) {
                    address = o.address();
                    addressed = true;
                }
                long crc = s.crc() == -1 ? o.crc() : s.crc();
                String owner = s.owner();
                String exportType = s.exportType();
                String namespace = s.namespace();
                if (!exported && !o.exportType().isEmpty()) {
                    owner = o.owner();
                    exportType = o.exportType();
                    namespace = o.namespace();
                    exported = true;
                }
                if (type == SymbolFiles.NO_TYPE) {
                    type = otype;
                }
                s = new KernelSymbol(s.name(), address, crc, owner, exportType, namespace);
            }
        }
        List<Acc> order = new ArrayList<>();
        Map<String, Acc> byName = new HashMap<>();
        StringBuilder description = new StringBuilder();
        for (KernelSymbolTable t : tables) {
            description.append(description.isEmpty() ? "" : " + ").append(t.description);
            for (int i = 0; i < t.symbols.size(); i++) {
                KernelSymbol s = t.symbols.get(i);
                if (t.byName.get(s.name()) != i) {
                    order.add(new Acc(s, t.types[i], t.addressed[i])); // a shadowed local: kept apart
                    continue;
                }
                Acc acc = byName.get(s.name());
                if (acc == null) {
                    acc = new Acc(s, t.types[i], t.addressed[i]);
                    byName.put(s.name(), acc);
                    order.add(acc);
                } else {
                    acc.add(s, t.types[i], t.addressed[i]);
                }
            }
        }
        List<Entry> entries = new ArrayList<>(order.size());
        for (Acc a : order) {
            entries.add(new Entry(a.s, a.type, a.addressed));
        }
        return new KernelSymbolTable(description.toString(), entries);
    }

    /**
     * {@return {@link #synthesize(KernelSymbolTable, Arch, boolean)} with vmlinux's exports only}
     * @param symvers a Module.symvers table
     * @param arch the architecture whose kernel text the addresses lie in
     * @throws SymtabFormatException when the symbols do not fit below {@code arch.textLimit()}
     */
    public static KernelSymbolTable synthesize(KernelSymbolTable symvers, Arch arch) throws SymtabFormatException {
        return synthesize(symvers, arch, false);
    }

    /**
     * {@return a table with a made-up but deterministic address for every symbol of
     * {@code symvers}}, for kernels of which only Module.symvers is at hand (Debian's headers
     * packages ship no System.map).
     *
     * <p>Layout: vmlinux's symbols sorted by name (String order, i.e. by UTF-16 code unit;
     * names are ASCII) get {@code arch.textBase() + 16 * i}; with {@code includeModuleExports},
     * the symbols of every other owner follow, sorted by name, in the next slots. So a name's
     * address depends only on the set of names (and not on the order of the file or on the
     * option), no two symbols share an address, and every address is 16-byte aligned (enough
     * for any instruction or data access a module may make to a kernel symbol) and lies in
     * {@code [arch.textBase(), arch.textLimit())}. Everything else (CRC, owner, export type,
     * namespace) is kept, so the registry can still tell which module provides what.
     *
     * @throws SymtabFormatException when the symbols do not fit below {@code arch.textLimit()}
     * @param symvers a Module.symvers table
     * @param arch the architecture whose kernel text the addresses lie in
     * @param includeModuleExports whether the symbols that modules export get addresses too
     */
    public static KernelSymbolTable synthesize(KernelSymbolTable symvers, Arch arch, boolean includeModuleExports)
            throws SymtabFormatException {
        // The names lookup answers with (each once), sorted in String order as arrays of names:
        // a natural-order sort of Strings costs a third of a sort of symbols through a comparator.
        List<String> kernelNames = new ArrayList<>();
        List<String> moduleNames = new ArrayList<>();
        for (Map.Entry<String, Integer> e : symvers.byName.entrySet()) {
            KernelSymbol s = symvers.symbols.get(e.getValue());
            if (s.inVmlinux()) {
                kernelNames.add(e.getKey());
            } else if (includeModuleExports) {
                moduleNames.add(e.getKey());
            }
        }
        List<KernelSymbol> kernel = symvers.sortedByName(kernelNames);
        List<KernelSymbol> modules = symvers.sortedByName(moduleNames);
        long slots = (arch.textLimit() - arch.textBase()) / SLOT;
        if (kernel.size() + modules.size() > slots) {
            throw new SymtabFormatException(symvers.description, "synthesis", "",
                    (kernel.size() + modules.size()) + " symbols do not fit in " + slots + " slots of " + arch);
        }
        List<Entry> entries = new ArrayList<>(kernel.size() + modules.size());
        long address = arch.textBase();
        for (List<KernelSymbol> part : List.of(kernel, modules)) {
            for (KernelSymbol s : part) {
                entries.add(new Entry(s.withAddress(address), SymbolFiles.NO_TYPE, true));
                address += SLOT;
            }
        }
        return new KernelSymbolTable(symvers.description + " (synthesized for " + arch
                + (includeModuleExports ? ", all exports" : ", vmlinux exports") + ")", entries);
    }

    /** {@return the symbols that {@code names} (keys of {@link #byName}) name, sorted by name} */
    private List<KernelSymbol> sortedByName(List<String> names) {
        String[] sorted = names.toArray(new String[0]);
        Arrays.sort(sorted);
        List<KernelSymbol> out = new ArrayList<>(sorted.length);
        for (String n : sorted) {
            out.add(symbols.get(byName.get(n)));
        }
        return out;
    }

    /** The distance between two synthesized symbols. */
    public static final int SLOT = 16;

    // ---------------------------------------------------------------- queries

    @Override
    public Optional<KernelSymbol> lookup(String name) {
        Integer i = byName.get(name);
        return i == null ? Optional.empty() : Optional.of(symbols.get(i));
    }

    /** The byte-name index of {@link #find}, made on its first use (a table built for System.map needs none). */
    private volatile NameIndex nameIndex;

    /** {@inheritDoc} One hash over the bytes and a byte comparison: no {@code String}, no {@code Optional}. */
    @Override
    public KernelSymbol find(byte[] names, int offset, int length) {
        NameIndex ix = nameIndex;
        if (ix == null) {
            synchronized (this) {
                ix = nameIndex;
                if (ix == null) {
                    ix = nameIndex = nameIndex();
                }
            }
        }
        int i = ix.find(names, offset, length);
        return i < 0 ? null : symbols.get(i);
    }

    private NameIndex nameIndex() {
        int[] chosen = new int[byName.size()];
        int k = 0;
        for (Integer i : byName.values()) {
            chosen[k++] = i;
        }
        return new NameIndex(symbols, chosen);
    }

    @Override
    public Optional<KernelSymbol> nearest(long address) {
        return Optional.ofNullable(byAddress.nearest(address));
    }

    /** {@return the number of entries, as many as the source had lines with symbols} */
    @Override
    public int size() {
        return symbols.size();
    }

    /** {@return every entry, in source order} */
    public List<KernelSymbol> symbols() {
        return symbols;
    }

    /** {@return where the table comes from: the file name(s), and how it was synthesized} */
    public String description() {
        return description;
    }

    /** {@return whether any symbol has an address (false for Module.symvers alone, or hidden kallsyms)} */
    public boolean hasAddresses() {
        return byAddress.size() > 0;
    }

    /**
     * {@return whether the source gave {@code name} an address}
     * @param name a symbol name
     */
    public boolean hasAddress(String name) {
        Integer i = byName.get(name);
        return i != null && addressed[i];
    }

    /**
     * {@return the nm type letter of {@code name} (System.map, kallsyms), or '?' when the source has none or the name is unknown}
     * @param name a symbol name
     */
    public char nmType(String name) {
        Integer i = byName.get(name);
        return i == null ? SymbolFiles.NO_TYPE : types[i];
    }

    /** {@return the symbols that some owner other than vmlinux exports, by owner, in source order} */
    public Map<String, List<KernelSymbol>> moduleExports() {
        Map<String, List<KernelSymbol>> out = new LinkedHashMap<>();
        for (KernelSymbol s : symbols) {
            if (!s.inVmlinux() && !s.exportType().isEmpty()) {
                out.computeIfAbsent(s.owner(), k -> new ArrayList<>()).add(s);
            }
        }
        return out;
    }

    /** {@return a table of the exported symbols only (those with an export type, i.e. known to Module.symvers)} */
    public KernelSymbolTable exportsOnly() {
        List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < symbols.size(); i++) {
            if (!symbols.get(i).exportType().isEmpty()) {
                entries.add(new Entry(symbols.get(i), types[i], addressed[i]));
            }
        }
        return new KernelSymbolTable(description + " (exports)", entries);
    }

    @Override
    public String toString() {
        return "KernelSymbolTable[" + description + ", " + symbols.size() + " symbols]";
    }
}
