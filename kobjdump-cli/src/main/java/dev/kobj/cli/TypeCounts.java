package dev.kobj.cli;

import java.util.HashMap;
import java.util.Map;

/**
 * Relocation counts by type for {@code kobjdump stats}: an array for types below 2048 (every
 * type the x86-64, AArch64 and RISC-V psABIs define: AArch64's dynamic ones reach 1032), a
 * map for any other; no boxing per relocation.
 */
final class TypeCounts {
    private static final int DIRECT = 2048;
    private final long[] counts = new long[DIRECT];
    private final int[] seen = new int[DIRECT]; // the types below DIRECT counted, in the order first seen
    private int nseen;
    private Map<Long, Long> others;

    void add(long type) {
        if (type >= 0 && type < DIRECT) {
            if (counts[(int) type]++ == 0) {
                seen[nseen++] = (int) type;
            }
        } else {
            add(type, 1);
        }
    }

    /** Counts {@code n} relocations of {@code type}. */
    void add(long type, long n) {
        if (type >= 0 && type < DIRECT) {
            if (counts[(int) type] == 0 && n != 0) {
                seen[nseen++] = (int) type;
            }
            counts[(int) type] += n;
        } else {
            if (others == null) {
                others = new HashMap<>();
            }
            others.merge(type, n, Long::sum);
        }
    }

    /** Adds every count of {@code tally} (the counts of a file, as {@link #tally} gave them). */
    void addAll(Tally tally) {
        for (int i = 0; i < tally.types().length; i++) {
            add(tally.types()[i], tally.counts()[i]);
        }
    }

    /** The counts of one file: {@code counts[i]} relocations of {@code types[i]}, each type once. */
    record Tally(long[] types, long[] counts) {
        /** No relocation. */
        static final Tally NONE = new Tally(new long[0], new long[0]);
    }

    /** {@return the counts so far, as two arrays} (no boxing: what a worker hands back per file) */
    Tally tally() {
        int n = nseen + (others == null ? 0 : others.size());
        long[] types = new long[n];
        long[] ns = new long[n];
        int k = 0;
        for (int i = 0; i < nseen; i++) {
            types[k] = seen[i];
            ns[k++] = counts[seen[i]];
        }
        if (others != null) {
            for (Map.Entry<Long, Long> e : others.entrySet()) {
                types[k] = e.getKey();
                ns[k++] = e.getValue();
            }
        }
        return new Tally(types, ns);
    }

    /** {@return type → count, for the types seen} */
    Map<Long, Long> toMap() {
        Map<Long, Long> m = others == null ? new HashMap<>() : new HashMap<>(others);
        for (int i = 0; i < nseen; i++) {
            m.put((long) seen[i], counts[seen[i]]);
        }
        return m;
    }

    /** Forgets every count, so that the same object counts the next file. */
    void clear() {
        for (int i = 0; i < nseen; i++) {
            counts[seen[i]] = 0;
        }
        nseen = 0;
        others = null;
    }
}
