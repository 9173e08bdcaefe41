package dev.kobj.elf;

/**
 * The bounds that keep allocations proportional to the input. A decompressed file or
 * section may be at most {@link #MAX_EXPANSION} times the size of its compressed bytes
 * (zlib's own limit is about 1032:1; zstd and xz can exceed it only on degenerate data such
 * as long runs of one byte, which kobj refuses) and never more than a Java array holds.
 */
public final class Limits {
    private Limits() {
    }

    /** The largest decompressed size, as a multiple of the compressed size. */
    public static final long MAX_EXPANSION = 4096;
    /** The largest array the JVM reliably allocates. */
    public static final long MAX_ARRAY = Integer.MAX_VALUE - 16;

    /**
     * {@return the largest output allowed for {@code compressedSize} input bytes}
     * @param compressedSize the size of the compressed input in bytes
     */
    public static long maxDecompressed(long compressedSize) {
        long bound = compressedSize > MAX_ARRAY / MAX_EXPANSION ? MAX_ARRAY
                : compressedSize * MAX_EXPANSION + 65536;
        return Math.min(bound, MAX_ARRAY);
    }
}
