package dev.kobj.link;

import dev.kobj.reloc.TargetSet;

/**
 * The entries of a stub section ({@link StubEntries}) as the relocation pass looks them up: a
 * target keyed by (symbol, 0), the key of every x86-64 entry ({@code RelocationEngine.stubAddend})
 * and of most AArch64 and RISC-V ones (calls to a function's start), is found by its symbol index
 * in an array, with no hashing; any other key goes to the section's own index. The array is the
 * thread's, taken by a link and given back zeroed by {@link #release} (a link started inside
 * another, by a listener, makes its own).
 */
final class DenseSlots {
    private static final ThreadLocal<int[]> FREE = new ThreadLocal<>();
    /** Symbols whose array is kept between links (256 KiB). */
    private static final int KEPT = 1 << 16;

    private final StubEntries entries;
    /** By symbol index: 1 + the ordinal of the target (symbol, 0), 0 when there is none. */
    private final int[] ordinals;
    private final int symbols;

    private DenseSlots(StubEntries entries, int symbols) {
        this.entries = entries;
        this.symbols = symbols;
        int[] free = FREE.get();
        if (free != null && free.length >= symbols) {
            FREE.set(null);
            ordinals = free;
        } else {
            ordinals = new int[Math.max(symbols, 1024)];
        }
        TargetSet t = entries.targets();
        for (int i = 0, n = t.size(); i < n; i++) {
            long s = t.symbol(i);
            if (t.addend(i) == 0 && s >= 0 && s < symbols) {
                ordinals[(int) s] = i + 1; // a set holds each target once
            }
        }
    }

    /**
     * {@return the look-up of {@code entries} for a table of {@code symbols} symbols; null when
     * {@code entries} is}
     */
    static DenseSlots of(StubEntries entries, int symbols) {
        return entries == null ? null : new DenseSlots(entries, symbols);
    }

    /** {@return the address of the entry of target (symbol, addend), or {@code missing}} */
    long address(long symbol, long addend, long missing) {
        if (addend == 0 && symbol >= 0 && symbol < symbols) {
            int o = ordinals[(int) symbol];
            return o == 0 ? missing : entries.address(o - 1);
        }
        return entries.address(symbol, addend, missing);
    }

    /** Zeroes the entries set and gives the array back to the thread (the object is not used after). */
    void release() {
        TargetSet t = entries.targets();
        for (int i = 0, n = t.size(); i < n; i++) {
            long s = t.symbol(i);
            if (s >= 0 && s < symbols) {
                ordinals[(int) s] = 0;
            }
        }
        if (ordinals.length <= KEPT) {
            FREE.set(ordinals);
        }
    }
}
