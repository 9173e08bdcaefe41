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
            if (others == null) {
                others = new HashMap<>();
            }
            others.merge(type, 1L, Long::sum);
        }
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
