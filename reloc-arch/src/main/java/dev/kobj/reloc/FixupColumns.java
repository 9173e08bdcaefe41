package dev.kobj.reloc;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The fixups of one section held column by column in primitive arrays, reused from one section
 * (and one module) to the next: what {@link RelocationEngine#applyAll(java.lang.foreign.MemorySegment,
 * java.nio.ByteOrder, FixupColumns, VeneerPool)} takes so that a linker makes no object per
 * relocation. Each row holds the quantities of a {@link Fixup} (psABI names: type, r_offset,
 * P, S, A, Z, G, GOT, L) without its symbol name and place text: an engine that refuses a
 * row reports it with {@link #fixup}, and a linker that wants the names in the message applies
 * the section again as a list of named {@link Fixup}s.
 */
public final class FixupColumns {
    private int size;
    private int[] types = new int[64];
    private long[] offsets = new long[64];
    private long[] places = new long[64];
    private long[] symbols = new long[64];
    private long[] addends = new long[64];
    private long[] symbolSizes = new long[64];
    private long[] gots = new long[64];
    private long[] gotBases = new long[64];
    private long[] stubs = new long[64];

    /** Empty columns, with room for 64 rows before they grow. */
    public FixupColumns() {
    }

    /** {@return how many rows the arrays hold before they grow} */
    public int capacity() {
        return types.length;
    }

    /** Empties the columns, keeping their arrays. */
    public void clear() {
        size = 0;
    }

    /** {@return how many fixups there are} */
    public int size() {
        return size;
    }

    /**
     * Adds a fixup; the arguments are those of {@link Fixup}'s first nine components.
     *
     * @param type the raw relocation type
     * @param offset r_offset, inside the section
     * @param place P, the address of the place
     * @param symbol S, the symbol's value
     * @param addend A, the addend
     * @param symbolSize Z, the symbol's size
     * @param got G, the address of the GOT entry (0: none)
     * @param gotBase GOT, the address of the GOT (0: none)
     * @param stub L, the address of the PLT entry or veneer (0: none)
     */
    public void add(int type, long offset, long place, long symbol, long addend, long symbolSize, long got,
            long gotBase, long stub) {
        if (size == types.length) {
            grow();
        }
        int i = size++;
        types[i] = type;
        offsets[i] = offset;
        places[i] = place;
        symbols[i] = symbol;
        addends[i] = addend;
        symbolSizes[i] = symbolSize;
        gots[i] = got;
        gotBases[i] = gotBase;
        stubs[i] = stub;
    }

    /**
     * Makes room for {@code rows} rows in all (a section's relocation count, known before its
     * rows are added): one allocation instead of a doubling per power of two.
     *
     * @param rows the number of rows the columns will hold
     */
    public void ensureCapacity(int rows) {
        if (rows > types.length) {
            resize(Math.max(rows, (int) Math.min(Integer.MAX_VALUE - 8, 2L * types.length)));
        }
    }

    /**
     * Empties the columns and, when their arrays hold more than {@code rows} rows, replaces them
     * by arrays of {@code rows}: a thread that keeps its columns for the next module does not
     * keep the room of a huge one, nor grows again from nothing.
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
        var offsetsGrown = Arrays.copyOf(offsets, n);
        var placesGrown = Arrays.copyOf(places, n);
        var symbolsGrown = Arrays.copyOf(symbols, n);
        var addendsGrown = Arrays.copyOf(addends, n);
        var symbolSizesGrown = Arrays.copyOf(symbolSizes, n);
        var gotsGrown = Arrays.copyOf(gots, n);
        var gotBasesGrown = Arrays.copyOf(gotBases, n);
        var stubsGrown = Arrays.copyOf(stubs, n);
        types = typesGrown;
        offsets = offsetsGrown;
        places = placesGrown;
        symbols = symbolsGrown;
        addends = addendsGrown;
        symbolSizes = symbolSizesGrown;
        gots = gotsGrown;
        gotBases = gotBasesGrown;
        stubs = stubsGrown;
    }

    private int check(int i) {
        if (i < 0 || i >= size) {
            throw outside(i); // the message made apart: check stays small enough for C1 to inline
        }
        return i;
    }

    private IndexOutOfBoundsException outside(int i) {
        return new IndexOutOfBoundsException("fixup " + i + " of " + size);
    }

    /**
     * {@return the raw relocation type of row {@code i}}
     *
     * @param i the row, from 0 to {@link #size()} - 1
     */
    public int type(int i) {
        return types[check(i)];
    }

    /**
     * {@return r_offset of row {@code i} in the section}
     *
     * @param i the row, from 0 to {@link #size()} - 1
     */
    public long offset(int i) {
        return offsets[check(i)];
    }

    /**
     * {@return P, the address of the place, of row {@code i}}
     *
     * @param i the row, from 0 to {@link #size()} - 1
     */
    public long place(int i) {
        return places[check(i)];
    }

    /**
     * {@return S, the symbol's value, of row {@code i}}
     *
     * @param i the row, from 0 to {@link #size()} - 1
     */
    public long symbol(int i) {
        return symbols[check(i)];
    }

    /**
     * {@return A, the addend, of row {@code i}}
     *
     * @param i the row, from 0 to {@link #size()} - 1
     */
    public long addend(int i) {
        return addends[check(i)];
    }

    /**
     * {@return Z, the symbol's size, of row {@code i}}
     *
     * @param i the row, from 0 to {@link #size()} - 1
     */
    public long symbolSize(int i) {
        return symbolSizes[check(i)];
    }

    /**
     * {@return G, the address of the GOT entry (0: none), of row {@code i}}
     *
     * @param i the row, from 0 to {@link #size()} - 1
     */
    public long got(int i) {
        return gots[check(i)];
    }

    /**
     * {@return GOT, the address of the GOT (0: none), of row {@code i}}
     *
     * @param i the row, from 0 to {@link #size()} - 1
     */
    public long gotBase(int i) {
        return gotBases[check(i)];
    }

    /**
     * {@return L, the address of the PLT entry or veneer (0: none), of row {@code i}}
     *
     * @param i the row, from 0 to {@link #size()} - 1
     */
    public long stub(int i) {
        return stubs[check(i)];
    }

    /**
     * {@return row {@code i} as a {@link Fixup} without symbol name or place text}
     *
     * @param i the row, from 0 to {@link #size()} - 1
     */
    public Fixup fixup(int i) {
        check(i);
        return new Fixup(types[i], offsets[i], places[i], symbols[i], addends[i], symbolSizes[i], gots[i],
                gotBases[i], stubs[i], "", "");
    }

    /** {@return every row as a {@link Fixup} (no symbol names, no place texts), in order} */
    public List<Fixup> toList() {
        List<Fixup> out = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            out.add(fixup(i));
        }
        return out;
    }
}
