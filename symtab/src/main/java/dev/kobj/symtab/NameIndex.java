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
    /** Per entry of the source list: where its name starts in {@link #blob}, and its length. */
    private final int[] start;
    private final int[] length;
    /** Slots: entry index + 1, 0 for an empty slot; the table is a power of two, at most half full. */
    private final int[] slots;
    private final int mask;

    /**
     * Indexes the entries {@code chosen} of {@code names}.
     *
     * @param names  every entry
     * @param chosen the entries to index (one per distinct name: the one a look-up answers with)
     */
    NameIndex(List<KernelSymbol> names, int[] chosen) {
        int n = names.size();
        start = new int[n];
        length = new int[n];
        long total = 0;
        for (int i : chosen) {
            total += names.get(i).name().length();
        }
        blob = new byte[(int) Math.min(total, Integer.MAX_VALUE - 8)];
        int cap = Integer.highestOneBit(Math.max(4, chosen.length * 2 - 1)) << 1;
        slots = new int[cap];
        mask = cap - 1;
        int at = 0;
        for (int i : chosen) {
            String s = names.get(i).name();
            byte[] b = s.getBytes(StandardCharsets.ISO_8859_1); // a char above 0xff becomes '?'
            if (at + b.length > blob.length || (hasQuestionMark(b) && !new String(b, StandardCharsets.ISO_8859_1).equals(s))) {
                continue;
            }
            System.arraycopy(b, 0, blob, at, b.length);
            start[i] = at;
            length[i] = s.length();
            at += s.length();
            int slot = spread(s.hashCode()) & mask; // = hash(blob, start[i], length[i]), cached in the String
            while (slots[slot] != 0) {
                slot = (slot + 1) & mask;
            }
            slots[slot] = i + 1;
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
        int slot = spread(hash(names, offset, n)) & mask;
        for (int e; (e = slots[slot]) != 0; slot = (slot + 1) & mask) {
            int i = e - 1;
            if (length[i] == n && same(names, offset, start[i], n)) {
                return i;
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
