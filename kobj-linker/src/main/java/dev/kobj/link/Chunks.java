package dev.kobj.link;

/**
 * The per-thread array that the link's table walks read entries into, {@link #SIZE} at a time:
 * three longs per entry, as {@code RelocationTable.read} (r_offset, r_info, r_addend) and
 * {@code SymbolTable.read} (packed word, st_value, st_size) fill it. 24 KiB per thread, made once.
 * One pass uses it at a time: none of the passes that read into it ({@link Resolution},
 * {@link KallsymsCopy}, {@link SymbolAddresses}, {@link Link}'s scan and relocation) calls
 * another while it walks.
 */
final class Chunks {
    /** Entries per read. */
    static final int SIZE = 1024;
    private static final ThreadLocal<long[]> ENTRIES = ThreadLocal.withInitial(() -> new long[3 * SIZE]);

    private Chunks() {
    }

    /** {@return this thread's array of {@code 3 * SIZE} longs} */
    static long[] get() {
        return ENTRIES.get();
    }
}
