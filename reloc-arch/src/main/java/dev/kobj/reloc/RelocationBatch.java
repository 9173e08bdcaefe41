package dev.kobj.reloc;

import java.util.Arrays;
import java.util.List;

/**
 * The relocations of one object as {@link RelocationEngine#scan} sees them, held column by
 * column in primitive arrays that are reused from one object to the next: a linker fills one
 * batch per thread and scans thousands of modules without making an object per relocation.
 *
 * <p>Each row is one ELF relocation entry (ELF gABI, "Relocation": {@code r_offset},
 * {@code ELF64_R_TYPE(r_info)}, {@code ELF64_R_SYM(r_info)}, {@code r_addend}) and, when the
 * caller knows it, its place: the section being relocated, its {@code sh_addralign} and
 * whether it holds code ({@code SHF_EXECINSTR}). A row without a place is one the pre-scan
 * must assume could land anywhere.
 */
public final class RelocationBatch {
    private static final int NO_PLACE = -1;

    private int size;
    private int[] types = new int[64];
    private long[] symbols = new long[64];
    private long[] addends = new long[64];
    private int[] sections = new int[64];
    private long[] offsets = new long[64];
    private long[] alignments = new long[64];
    private boolean[] executable = new boolean[64];

    /** An empty batch, with room for 64 rows before it grows. */
    public RelocationBatch() {
    }

    /**
     * {@return a batch of these relocations (a place where the record has one)}
     *
     * @param relocations the relocations, in order
     */
    public static RelocationBatch of(List<RelocationEngine.RawRelocation> relocations) {
        RelocationBatch b = new RelocationBatch();
        for (RelocationEngine.RawRelocation r : relocations) {
            RelocationEngine.Place p = r.place();
            if (p == null) {
                b.add(r.type(), r.symbolIndex(), r.addend());
            } else {
                b.add(r.type(), r.symbolIndex(), r.addend(), p.section(), p.offset(), p.alignment(), p.executable());
            }
        }
        return b;
    }

    /** {@return how many rows the arrays hold before they grow} */
    public int capacity() {
        return types.length;
    }

    /** Empties the batch, keeping its arrays. */
    public void clear() {
        size = 0;
    }

    /** {@return how many relocations the batch holds} */
    public int size() {
        return size;
    }

    /**
     * Adds a relocation whose place is not known.
     *
     * @param type ELF64_R_TYPE(r_info)
     * @param symbolIndex ELF64_R_SYM(r_info)
     * @param addend r_addend
     */
    public void add(int type, long symbolIndex, long addend) {
        add(type, symbolIndex, addend, NO_PLACE, 0, 0, false);
    }

    /**
     * Adds a relocation applying at {@code offset} of section {@code section} (index in the
     * object's section header table), whose sh_addralign is {@code alignment}.
     *
     * @param type ELF64_R_TYPE(r_info)
     * @param symbolIndex ELF64_R_SYM(r_info)
     * @param addend r_addend
     * @param section the index of the section the relocation applies to
     * @param offset r_offset, inside that section
     * @param alignment that section's sh_addralign
     * @param code true when that section is SHF_EXECINSTR
     */
    public void add(int type, long symbolIndex, long addend, int section, long offset, long alignment,
            boolean code) {
        if (size == types.length) {
            grow();
        }
        int i = size++;
        types[i] = type;
        symbols[i] = symbolIndex;
        addends[i] = addend;
        sections[i] = section;
        offsets[i] = offset;
        alignments[i] = alignment;
        executable[i] = code;
    }

    /**
     * Empties the batch and, when its arrays hold more than {@code rows} rows, replaces them by
     * arrays of {@code rows}: a thread that keeps its batch for the next module does not keep the
     * room of a huge one, nor grows again from nothing.
     *
     * @param rows the most rows to keep room for
     */
    public void clearAndTrim(int rows) {
        size = 0;
        if (types.length > rows) {
            resize(Math.max(rows, 1));
        }
    }

    private void grow() {
        resize(types.length * 2);
    }

    private void resize(int n) {
        // all copied before any is replaced: an OutOfMemoryError leaves the arrays consistent
        var typesGrown = Arrays.copyOf(types, n);
        var symbolsGrown = Arrays.copyOf(symbols, n);
        var addendsGrown = Arrays.copyOf(addends, n);
        var sectionsGrown = Arrays.copyOf(sections, n);
        var offsetsGrown = Arrays.copyOf(offsets, n);
        var alignmentsGrown = Arrays.copyOf(alignments, n);
        var executableGrown = Arrays.copyOf(executable, n);
        types = typesGrown;
        symbols = symbolsGrown;
        addends = addendsGrown;
        sections = sectionsGrown;
        offsets = offsetsGrown;
        alignments = alignmentsGrown;
        executable = executableGrown;
    }

    private int check(int i) {
        if (i < 0 || i >= size) {
            throw outside(i); // the message made apart: check stays small enough for C1 to inline
        }
        return i;
    }

    private IndexOutOfBoundsException outside(int i) {
        return new IndexOutOfBoundsException("relocation " + i + " of " + size);
    }

    /**
     * {@return the raw ELF relocation type of row {@code i}}
     *
     * @param i the row, from 0 to {@link #size()} - 1
     */
    public int type(int i) {
        return types[check(i)];
    }

    /**
     * {@return r_sym of row {@code i}}
     *
     * @param i the row, from 0 to {@link #size()} - 1
     */
    public long symbolIndex(int i) {
        return symbols[check(i)];
    }

    /**
     * {@return r_addend of row {@code i}}
     *
     * @param i the row, from 0 to {@link #size()} - 1
     */
    public long addend(int i) {
        return addends[check(i)];
    }

    /**
     * {@return true when row {@code i} says where it applies}
     *
     * @param i the row, from 0 to {@link #size()} - 1
     */
    public boolean hasPlace(int i) {
        return sections[check(i)] != NO_PLACE;
    }

    /**
     * {@return the index of the section row {@code i} applies to (only when {@link #hasPlace})}
     *
     * @param i the row, from 0 to {@link #size()} - 1
     */
    public int section(int i) {
        return sections[check(i)];
    }

    /**
     * {@return r_offset of row {@code i} inside its section (only when {@link #hasPlace})}
     *
     * @param i the row, from 0 to {@link #size()} - 1
     */
    public long offset(int i) {
        return offsets[check(i)];
    }

    /**
     * {@return sh_addralign of the section of row {@code i} (only when {@link #hasPlace})}
     *
     * @param i the row, from 0 to {@link #size()} - 1
     */
    public long alignment(int i) {
        return alignments[check(i)];
    }

    /**
     * {@return true when the section of row {@code i} holds code (only when {@link #hasPlace})}
     *
     * @param i the row, from 0 to {@link #size()} - 1
     */
    public boolean executable(int i) {
        return executable[check(i)];
    }
}
