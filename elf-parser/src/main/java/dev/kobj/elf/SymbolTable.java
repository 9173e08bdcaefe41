package dev.kobj.elf;

import java.util.AbstractList;
import java.util.List;

/**
 * A view of an SHT_SYMTAB (or SHT_DYNSYM) section. Entries are decoded on demand; the
 * table's extent, its string table and its SHT_SYMTAB_SHNDX companion were checked when the
 * view was made.
 *
 * <p>Layouts (gABI "Symbol Table"): Elf32_Sym is name u32, value u32, size u32, info u8,
 * other u8, shndx u16 (16 bytes); Elf64_Sym is name u32, info u8, other u8, shndx u16,
 * value u64, size u64 (24 bytes).
 */
public final class SymbolTable {
    private final Bytes bytes;
    private final boolean is64;
    private final SectionHeader section;
    private final StringTable strings;
    private final SectionHeader shndxSection; // may be null
    private final long count;

    SymbolTable(Bytes bytes, boolean is64, SectionHeader section, StringTable strings,
            SectionHeader shndxSection) {
        this.bytes = bytes;
        this.is64 = is64;
        this.section = section;
        this.strings = strings;
        this.shndxSection = shndxSection;
        this.count = section.size() / entrySize(is64);
    }

    static int entrySize(boolean is64) {
        return is64 ? 24 : 16;
    }

    /** {@return the symbol-table section} */
    public SectionHeader section() {
        return section;
    }

    /** {@return the linked string table} */
    public StringTable strings() {
        return strings;
    }

    /** {@return the number of entries, the null symbol 0 included} */
    public int size() {
        return (int) count;
    }

    private long at(int i) {
        if (i < 0 || i >= count) {
            throw new IndexOutOfBoundsException("symbol " + i + " of " + count);
        }
        return section.offset() + (long) i * entrySize(is64);
    }

    /**
     * {@return st_name of entry {@code i}}
     * @param i the symbol's index in the table, from 0
     */
    public long nameOffset(int i) {
        return bytes.u32(at(i));
    }

    /**
     * {@return st_value of entry {@code i}}
     * @param i the symbol's index in the table, from 0
     */
    public long value(int i) {
        long p = at(i);
        return is64 ? bytes.u64(p + 8) : bytes.u32(p + 4);
    }

    /**
     * {@return st_size of entry {@code i}}
     * @param i the symbol's index in the table, from 0
     */
    public long symbolSize(int i) {
        long p = at(i);
        return is64 ? bytes.u64(p + 16) : bytes.u32(p + 8);
    }

    /**
     * {@return st_info of entry {@code i}}
     * @param i the symbol's index in the table, from 0
     */
    public int info(int i) {
        long p = at(i);
        return bytes.u8(is64 ? p + 4 : p + 12);
    }

    /**
     * {@return st_other of entry {@code i}}
     * @param i the symbol's index in the table, from 0
     */
    public int other(int i) {
        long p = at(i);
        return bytes.u8(is64 ? p + 5 : p + 13);
    }

    /**
     * {@return st_shndx of entry {@code i} as stored}
     * @param i the symbol's index in the table, from 0
     */
    public int rawShndx(int i) {
        long p = at(i);
        return bytes.u16(is64 ? p + 6 : p + 14);
    }

    /**
     * {@return the section index of entry {@code i}, SHN_XINDEX resolved}
     * @param i the symbol's index in the table, from 0
     * @throws ElfFormatException when it is SHN_XINDEX and the file has no SHT_SYMTAB_SHNDX section for this table
     */
    public long shndx(int i) throws ElfFormatException {
        int raw = rawShndx(i);
        if (raw != ElfConstants.SHN_XINDEX) {
            return raw;
        }
        if (shndxSection == null) {
            throw bytes.error(at(i) + (is64 ? 6 : 14), "st_shndx", raw,
                    "symbol " + i + " uses SHN_XINDEX but the file has no SHT_SYMTAB_SHNDX section for "
                            + section.name());
        }
        return bytes.u32(shndxSection.offset() + 4L * i);
    }

    /**
     * {@return the name of entry {@code i}}
     * @param i the symbol's index in the table, from 0
     * @throws ElfFormatException when st_name is outside the string table or the name is not terminated
     */
    public String name(int i) throws ElfFormatException {
        return strings.get(nameOffset(i), "st_name of symbol ", i);
    }

    /**
     * {@return the length in bytes of the name of entry {@code i}, without its NUL}: what
     * {@code name(i).length()} gives (names are decoded one char per byte), without making the
     * string
     * @param i the symbol's index in the table, from 0
     * @throws ElfFormatException as {@link #name} does
     */
    public int nameLength(int i) throws ElfFormatException {
        return strings.length(nameOffset(i), "st_name of symbol ", i);
    }

    /**
     * Reads entries {@code [from, from + n)} into {@code out}: three longs per entry, the
     * packed word ({@link #nameOf}, {@link #infoOf}, {@link #otherOf}, {@link #rawShndxOf}),
     * st_value and st_size, with the checks {@link #get} makes (the name inside the string table
     * and terminated there, an SHN_XINDEX entry with its SHT_SYMTAB_SHNDX companion), in index
     * order, so a bad entry throws what {@link #all} throws for it. No object per entry: for
     * ELF64 little-endian files the layout of the file (gABI "Symbol Table") is the packed
     * layout, and the entries come in one bulk copy.
     *
     * @param from the first entry, from 0
     * @param n    how many entries
     * @param out  receives {@code 3 * n} longs from index 0
     * @throws ElfFormatException        when an entry's name or extended section index is bad
     * @throws IndexOutOfBoundsException if {@code [from, from + n)} is not inside
     *                                   {@code [0, size())} or {@code out} is shorter than {@code 3 * n}
     */
    public void read(int from, int n, long[] out) throws ElfFormatException {
        if (from < 0 || n < 0 || from > count - n || out.length / 3 < n) {
            throw new IndexOutOfBoundsException("symbols [" + from + ", +" + n + ") of " + count
                    + " into " + out.length + " longs");
        }
        long p = section.offset() + (long) from * entrySize(is64);
        if (is64) {
            bytes.u64s(p, out, 3 * n);
            if (!bytes.littleEndian()) {
                for (int k = 0; k < 3 * n; k += 3) {
                    long w = out[k]; // st_name (4 bytes), st_info, st_other, st_shndx (2 bytes), big-endian
                    out[k] = (w >>> 32) | ((w >>> 24) & 0xff) << 32 | ((w >>> 16) & 0xff) << 40 | (w & 0xffff) << 48;
                }
            }
        } else {
            for (int k = 0; k < n; k++, p += 16) {
                out[3 * k] = bytes.u32(p) | (long) bytes.u8(p + 12) << 32 | (long) bytes.u8(p + 13) << 40
                        | (long) bytes.u16(p + 14) << 48;
                out[3 * k + 1] = bytes.u32(p + 4);
                out[3 * k + 2] = bytes.u32(p + 8);
            }
        }
        for (int k = 0; k < n; k++) {
            long w = out[3 * k];
            int i = from + k;
            if (!strings.valid(nameOf(w))) {
                strings.check(nameOf(w), "st_name of symbol ", i); // throws what name(i) throws
            }
            if (rawShndxOf(w) == ElfConstants.SHN_XINDEX) {
                shndx(i); // throws when there is no SHT_SYMTAB_SHNDX
            }
        }
    }

    /**
     * {@return st_name in a packed word of {@link #read}}
     * @param packed the first of an entry's three longs
     */
    public static long nameOf(long packed) {
        return packed & 0xffffffffL;
    }

    /**
     * {@return st_info in a packed word of {@link #read}}
     * @param packed the first of an entry's three longs
     */
    public static int infoOf(long packed) {
        return (int) (packed >>> 32) & 0xff;
    }

    /**
     * {@return st_other in a packed word of {@link #read}}
     * @param packed the first of an entry's three longs
     */
    public static int otherOf(long packed) {
        return (int) (packed >>> 40) & 0xff;
    }

    /**
     * {@return st_shndx as stored in a packed word of {@link #read} (may be SHN_XINDEX)}
     * @param packed the first of an entry's three longs
     */
    public static int rawShndxOf(long packed) {
        return (int) (packed >>> 48);
    }

    /**
     * {@return entry {@code i}, decoded}
     *
     * @throws IndexOutOfBoundsException if {@code i} is not in [0, size())
     * @throws ElfFormatException         if its name or extended index is bad
     * @param i the symbol's index in the table, from 0
     */
    public ElfSymbol get(int i) throws ElfFormatException {
        return new ElfSymbol(i, name(i), value(i), symbolSize(i), info(i), other(i), rawShndx(i), shndx(i));
    }

    /**
     * Checks every symbol as {@link #all} reads it (its name inside the string table and
     * terminated there, its section index resolvable), throwing the same exception
     * {@link #all} would, without making a symbol or a string: for callers that only count.
     * A name is read only when {@link StringTable#valid} cannot tell without reading it (a
     * table that does not end in a NUL); the message of a bad one is {@link StringTable#check}'s.
     *
     * @throws ElfFormatException as {@link #all} does
     */
    public void checkAll() throws ElfFormatException {
        for (int i = 0; i < count; i++) {
            long name = nameOffset(i);
            if (!strings.valid(name)) {
                strings.check(name, "st_name of symbol ", i); // throws
            }
            symbolSize(i); // the entry's last field: inside the file, as all() reads it
            shndx(i);
        }
    }

    /**
     * {@return every entry, decoded eagerly}
     * @throws ElfFormatException when a name or an extended section index is bad
     */
    public List<ElfSymbol> all() throws ElfFormatException {
        ElfSymbol[] out = new ElfSymbol[(int) count];
        for (int i = 0; i < count; i++) {
            out[i] = get(i);
        }
        return new AbstractList<>() {
            @Override
            public ElfSymbol get(int index) {
                return out[index];
            }

            @Override
            public int size() {
                return out.length;
            }
        };
    }
}
