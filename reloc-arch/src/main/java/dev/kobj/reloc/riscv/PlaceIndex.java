package dev.kobj.reloc.riscv;

import java.util.Arrays;

/**
 * The rows of a section's HI20 relocations by the address of their auipc, for the
 * {@code %pcrel_lo} pairing (riscv-elf-psabi, "Relocations", R_RISCV_PCREL_LO12_I: the symbol
 * is the label of the auipc that carries the R_RISCV_PCREL_HI20 or GOT_HI20). Open addressing
 * on primitive arrays, one index per thread, reused from one section to the next: no key or
 * value object per relocation. The first row put for an address is the one found.
 */
final class PlaceIndex {
    /** Tables above this many slots are not kept for the next section. */
    private static final int KEPT = 1 << 16;

    private static final ThreadLocal<PlaceIndex> INDEXES = ThreadLocal.withInitial(PlaceIndex::new);

    private long[] keys = new long[64];
    private int[] rows = new int[64];
    private int mask = 63;

    private PlaceIndex() {
    }

    /** {@return this thread's index, empty, with room for {@code expected} addresses} */
    static PlaceIndex open(int expected) {
        int want = Integer.highestOneBit(Math.max(32, expected) * 2 - 1) << 1; // load at most 1/2
        PlaceIndex index = want > KEPT ? new PlaceIndex() : INDEXES.get();
        if (index.keys.length < want || index.rows.length < want) {
            long[] keys = new long[want]; // both made before either is replaced (OutOfMemoryError)
            int[] rows = new int[want];
            index.keys = keys;
            index.rows = rows;
        }
        index.mask = want - 1;
        Arrays.fill(index.rows, 0, want, -1);
        return index;
    }

    private static int hash(long address) {
        long h = address * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32));
    }

    /** Maps {@code address} to {@code row} unless it is mapped already. */
    void putIfAbsent(long address, int row) {
        for (int s = hash(address) & mask; ; s = (s + 1) & mask) {
            if (rows[s] < 0) {
                keys[s] = address;
                rows[s] = row;
                return;
            }
            if (keys[s] == address) {
                return;
            }
        }
    }

    /** {@return the row mapped to {@code address}, or -1} */
    int get(long address) {
        for (int s = hash(address) & mask; ; s = (s + 1) & mask) {
            if (rows[s] < 0) {
                return -1;
            }
            if (keys[s] == address) {
                return rows[s];
            }
        }
    }
}
