package dev.kobj.symtab;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;

/**
 * Names → entry index, looked up by the name's bytes (an ELF string table's, without making a
 * {@code String}): an open-addressing hash table over the names' bytes, which are kept in one
 * array. A name is a {@code String} whose chars are the bytes of an ISO-8859-1 decoding, as
 * elf-parser decodes symbol names; a name with a char above 0xff is one no ELF name decodes to,
 * and is left out. Immutable once built, so safe to share.
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
     * @param names  every entry's name
     * @param chosen the entries to index (one per distinct name: the one a look-up answers with)
     */
    NameIndex(List<String> names, int[] chosen) {
        int n = names.size();
        start = new int[n];
        length = new int[n];
        long total = 0;
        for (int i : chosen) {
            total += names.get(i).length();
        }
        blob = new byte[(int) Math.min(total, Integer.MAX_VALUE - 8)];
        int cap = Integer.highestOneBit(Math.max(4, chosen.length * 2 - 1)) << 1;
        slots = new int[cap];
        mask = cap - 1;
        int at = 0;
        outer:
        for (int i : chosen) {
            String s = names.get(i);
            if (at + s.length() > blob.length) {
                break;
            }
            for (int c = 0; c < s.length(); c++) {
                char ch = s.charAt(c);
                if (ch > 0xff) {
                    continue outer;
                }
                blob[at + c] = (byte) ch;
            }
            start[i] = at;
            length[i] = s.length();
            at += s.length();
            int slot = hash(blob, start[i], length[i]) & mask;
            while (slots[slot] != 0) {
                slot = (slot + 1) & mask;
            }
            slots[slot] = i + 1;
        }
    }

    /** FNV-1a over the bytes (the same function for {@link #find}'s segment). */
    private static int hash(byte[] b, int from, int n) {
        int h = 0x811c9dc5;
        for (int k = 0; k < n; k++) {
            h = (h ^ (b[from + k] & 0xff)) * 0x01000193;
        }
        return h ^ (h >>> 16);
    }

    /**
     * {@return the index of the entry named by the {@code n} bytes at {@code offset} of
     * {@code names}, or -1}
     * @param names  the bytes holding the name (an ELF string table)
     * @param offset where the name starts
     * @param n      its length in bytes
     */
    int find(MemorySegment names, long offset, int n) {
        int h = 0x811c9dc5;
        for (int k = 0; k < n; k++) {
            h = (h ^ (names.get(ValueLayout.JAVA_BYTE, offset + k) & 0xff)) * 0x01000193;
        }
        int slot = (h ^ (h >>> 16)) & mask;
        for (int e; (e = slots[slot]) != 0; slot = (slot + 1) & mask) {
            int i = e - 1;
            if (length[i] == n && same(names, offset, start[i], n)) {
                return i;
            }
        }
        return -1;
    }

    private boolean same(MemorySegment names, long offset, int from, int n) {
        for (int k = 0; k < n; k++) {
            if (names.get(ValueLayout.JAVA_BYTE, offset + k) != blob[from + k]) {
                return false;
            }
        }
        return true;
    }
}
