package dev.kobj.elf;

/**
 * A view of an SHT_REL or SHT_RELA section. Entries are decoded on demand from the bytes;
 * the table's extent was checked when the view was made.
 *
 * <p>Layouts (gABI "Relocation"): Elf32_Rel is offset u32, info u32 (sym = info &gt;&gt; 8,
 * type = info &amp; 0xff); Elf32_Rela adds a signed 32-bit addend; Elf64_Rel is offset u64,
 * info u64 (sym = info &gt;&gt; 32, type = info &amp; 0xffffffff); Elf64_Rela adds a signed
 * 64-bit addend.
 */
public final class RelocationTable {
    private final ElfFile file;
    private final Bytes bytes;
    private final boolean is64;
    private final int index; // of the section in the file
    private final long start; // sh_offset
    private final long link; // sh_link
    private final long info; // sh_info: the target's index, 0 for none
    private final boolean rela;
    private final int entrySize;
    private final long count;

    /**
     * A table of section {@code index} of {@code file}, whose fields (checked by the caller)
     * are given so that no {@link SectionHeader} is made for it or its target until one is
     * asked for.
     */
    RelocationTable(ElfFile file, Bytes bytes, int index, boolean rela, long start, long size, long link, long info) {
        this.file = file;
        this.bytes = bytes;
        this.is64 = file.header().is64();
        this.index = index;
        this.start = start;
        this.link = link;
        this.info = info;
        this.rela = rela;
        this.entrySize = entrySize(is64, rela);
        this.count = size / entrySize;
    }

    static int entrySize(boolean is64, boolean rela) {
        return is64 ? (rela ? 24 : 16) : (rela ? 12 : 8);
    }

    /** {@return the SHT_REL/SHT_RELA section} */
    public SectionHeader section() {
        return file.sectionAt(index);
    }

    /** {@return the section the entries apply to (sh_info), or null when sh_info is 0} */
    public SectionHeader target() {
        return info == 0 ? null : file.sectionAt((int) info);
    }

    /** {@return the index of the section the entries apply to (sh_info), 0 when there is none} */
    public int targetIndex() {
        return (int) info;
    }

    /** {@return the symbol table the entries refer to (sh_link)} */
    public long symbolTableIndex() {
        return link;
    }

    /** {@return true for SHT_RELA} */
    public boolean isRela() {
        return rela;
    }

    /** {@return the number of entries} */
    public long size() {
        return count;
    }

    private long at(long i) {
        if (i < 0 || i >= count) {
            throw new IndexOutOfBoundsException("relocation " + i + " of " + count);
        }
        return start + i * entrySize;
    }

    /**
     * {@return r_offset of entry {@code i}}
     * @param i the entry's index in the table, from 0
     */
    public long offset(long i) {
        return bytes.word(is64, at(i));
    }

    /**
     * {@return r_info of entry {@code i}}
     * @param i the entry's index in the table, from 0
     */
    public long rawInfo(long i) {
        long p = at(i);
        return bytes.word(is64, p + (is64 ? 8 : 4));
    }

    /**
     * {@return the relocation type of entry {@code i}}
     * @param i the entry's index in the table, from 0
     */
    public long type(long i) {
        long info = rawInfo(i);
        return is64 ? info & 0xffffffffL : info & 0xff;
    }

    /**
     * {@return the symbol index of entry {@code i}}
     * @param i the entry's index in the table, from 0
     */
    public long symbol(long i) {
        long info = rawInfo(i);
        return is64 ? info >>> 32 : info >>> 8;
    }

    /**
     * {@return r_addend of entry {@code i}, sign-extended; 0 for REL}
     * @param i the entry's index in the table, from 0
     */
    public long addend(long i) {
        if (!rela) {
            return 0;
        }
        long p = at(i);
        return is64 ? bytes.u64(p + 16) : (int) bytes.u32(p + 8);
    }

    /**
     * Copies entries {@code [from, from + n)} into {@code out}, three longs per entry:
     * {@code r_offset}, {@code r_info} as stored (split it with {@link #typeOf} and
     * {@link #symbolOf}) and {@code r_addend} sign-extended (0 for REL). For ELF64 RELA, the
     * layout of the file (gABI "Relocation"), this is one bulk copy: a caller that walks a
     * whole table reads it in chunks through a reused array instead of one bounds-checked
     * memory access per field.
     *
     * @param from  the first entry, from 0
     * @param n     how many entries
     * @param out   receives {@code 3 * n} longs from index 0
     * @throws IndexOutOfBoundsException if {@code [from, from + n)} is not inside
     *                                   {@code [0, size())} or {@code out} is shorter than {@code 3 * n}
     */
    public void read(long from, int n, long[] out) {
        if (from < 0 || n < 0 || from > count - n || out.length / 3 < n) {
            throw new IndexOutOfBoundsException("relocations [" + from + ", +" + n + ") of " + count
                    + " into " + out.length + " longs");
        }
        if (is64 && rela) {
            bytes.u64s(start + from * entrySize, out, 3 * n);
            return;
        }
        for (int k = 0; k < n; k++) {
            long i = from + k;
            out[3 * k] = offset(i);
            out[3 * k + 1] = rawInfo(i);
            out[3 * k + 2] = addend(i);
        }
    }

    /**
     * {@return the relocation type in an {@code r_info} of this table's class}: ELF64_R_TYPE
     * (low 32 bits) or ELF32_R_TYPE (low 8 bits)
     * @param info an r_info as {@link #rawInfo} or {@link #read} gives it
     */
    public long typeOf(long info) {
        return is64 ? info & 0xffffffffL : info & 0xff;
    }

    /**
     * {@return the symbol index in an {@code r_info} of this table's class}: ELF64_R_SYM
     * (high 32 bits) or ELF32_R_SYM (bits 8 and up)
     * @param info an r_info as {@link #rawInfo} or {@link #read} gives it
     */
    public long symbolOf(long info) {
        return is64 ? info >>> 32 : info >>> 8;
    }

    /**
     * {@return entry {@code i}, decoded}
     * @param i the entry's index in the table, from 0
     */
    public Relocation get(long i) {
        long p = at(i);
        long off = bytes.word(is64, p);
        long info = bytes.word(is64, p + (is64 ? 8 : 4));
        long type = is64 ? info & 0xffffffffL : info & 0xff;
        long sym = is64 ? info >>> 32 : info >>> 8;
        long addend = rela ? (is64 ? bytes.u64(p + 16) : (int) bytes.u32(p + 8)) : 0;
        return new Relocation(i, off, type, sym, addend, rela);
    }
}
