package dev.kobj.symtab;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Names → entry index, looked up by the name's bytes (an ELF string table's, without making a
 * {@code String}): an open-addressing hash table over the names' bytes, which are kept in one
 * array, keyed by {@link String#hashCode} (computed over the bytes for a look-up); plain array
 * loops, which the JIT's first tier compiles well (memory-segment access is costly until the
 * second). A name is a {@code String} whose chars are the bytes of an ISO-8859-1 decoding, as
 * elf-parser decodes symbol names; a name with a char above 0xff is one no ELF name decodes
 * to, and is left out. Immutable once built, so safe to share.
 */
final class NameIndex {
    /** The names' bytes, one after the other. */
    private final byte[] blob;
    /** Per entry i of the source list: where its name starts in {@link #blob} (at 2i) and its length (at 2i + 1). */
    private final int[] where;
    /**
     * Slots: the name's hash in the high half, entry index + 1 in the low half, 0 for an empty
     * slot; a power of two, at most half full. A probe compares the hash before it reads the
     * entry's name (one memory access per slot passed, not four).
     */
    private final long[] slots;
    private final int mask;

    /**
     * Indexes the entries {@code chosen} of {@code names}.
     *
     * @param names  every entry
     * @param chosen the entries to index (one per distinct name: the one a look-up answers with)
     */
    NameIndex(List<KernelSymbol> names, int[] chosen) {
        int n = names.size();
        where = new int[2 * n];
        long total = 0;
        for (int i : chosen) {
            total += names.get(i).name().length();
        }
        blob = new byte[(int) Math.min(total, Integer.MAX_VALUE - 8)];
        int cap = Integer.highestOneBit(Math.max(4, chosen.length * 2 - 1)) << 1;
        slots = new long[cap];
        mask = cap - 1;
        int at = 0;
        for (int i : chosen) {
            String s = names.get(i).name();
            byte[] b = s.getBytes(StandardCharsets.ISO_8859_1); // a char above 0xff becomes '?'
            if (at + b.length > blob.length || (hasQuestionMark(b) && !new String(b, StandardCharsets.ISO_8859_1).equals(s))) {
                continue;
            }
            System.arraycopy(b, 0, blob, at, b.length);
            where[2 * i] = at;
            where[2 * i + 1] = s.length();
            at += s.length();
            int h = s.hashCode(); // = hash(blob, at, length), cached in the String
            int slot = spread(h) & mask;
            while (slots[slot] != 0) {
                slot = (slot + 1) & mask;
            }
            slots[slot] = (long) h << 32 | (i + 1);
        }
    }

    private static boolean hasQuestionMark(byte[] b) {
        for (byte x : b) {
            if (x == '?') {
                return true;
            }
        }
        return false;
    }

    /**
     * {@return the {@link String#hashCode} of the ISO-8859-1 decoding of {@code b[from, from + n)}}:
     * s[0]*31^(n-1) + ... + s[n-1], one char per byte, so the index takes its names' cached hashes
     */
    static int hash(byte[] b, int from, int n) {
        int h = 0;
        for (int k = from, end = from + n; k < end; k++) {
            h = 31 * h + (b[k] & 0xff);
        }
        return h;
    }

    /** As {@code HashMap} spreads a hash: the high bits into the low ones the mask keeps. */
    private static int spread(int h) {
        return h ^ (h >>> 16);
    }

    /**
     * {@return the index of the entry named by the {@code n} bytes at {@code offset} of
     * {@code names}, or -1}
     * @param names  the bytes holding the name (an ELF string table)
     * @param offset where the name starts
     * @param n      its length in bytes
     */
    int find(byte[] names, int offset, int n) {
        int h = hash(names, offset, n);
        int slot = spread(h) & mask;
        for (long e; (e = slots[slot]) != 0; slot = (slot + 1) & mask) {
            if ((int) (e >>> 32) == h) {
                int i = (int) e - 1;
                if (where[2 * i + 1] == n && same(names, offset, where[2 * i], n)) {
                    return i;
                }
            }
        }
        return -1;
    }

    private boolean same(byte[] names, int offset, int from, int n) {
        for (int k = 0; k < n; k++) {
            if (names[offset + k] != blob[from + k]) {
                return false;
            }
        }
        return true;
    }
}
