package dev.kobj.elf;

/**
 * The uncompressed size an {@code .xz} file declares in its index, read from the end of the
 * file without decoding it (The .xz File Format 1.2.1, §2.1.2.4 Stream Footer and §4 Index):
 * the footer ends in {@code "YZ"} and gives the index's size (Backward Size); the index lists
 * each block's Unpadded Size and Uncompressed Size as multibyte integers (§1.2).
 *
 * <p>{@link NativeXz} decodes a whole file into one buffer: with the declared size it makes
 * the buffer once, of the right size, instead of growing it on every "output buffer too small"
 * (which a damaged stream could drive to the decompression limit, hundreds of MiB).
 */
final class XzIndex {
    /** No stream footer at the end (after stream padding): the file is cut or not xz; it cannot decode. */
    static final long NO_FOOTER = -2;
    /** A footer, but not one stream from the first byte (concatenated streams, or an index that does not add up). */
    static final long UNKNOWN = -1;

    private XzIndex() {
    }

    /**
     * {@return the sum of the Uncompressed Size fields of the index of {@code data[0, length)}
     * when it is a single stream whose blocks and index exactly fill the file (stream padding
     * allowed after it), {@link #UNKNOWN} when it has a footer but is not such a stream, or
     * {@link #NO_FOOTER}}
     */
    static long uncompressedSize(byte[] data, int length) {
        int end = Math.min(length, data.length);
        while (end >= 4 && data[end - 1] == 0 && data[end - 2] == 0 && data[end - 3] == 0 && data[end - 4] == 0) {
            end -= 4; // stream padding: null bytes, a multiple of four
        }
        if (end < 24 || data[end - 2] != 'Y' || data[end - 1] != 'Z') {
            return NO_FOOTER;
        }
        int footer = end - 12;
        long backward = ((data[footer + 4] & 0xffL) | (data[footer + 5] & 0xffL) << 8 | (data[footer + 6] & 0xffL) << 16
                | (data[footer + 7] & 0xffL) << 24) + 1;
        long indexStart = footer - backward * 4;
        if (indexStart < 12 || data[(int) indexStart] != 0) {
            return UNKNOWN;
        }
        int[] at = {(int) indexStart + 1};
        long records = varint(data, at, footer);
        long blocks = 0;
        long total = 0;
        for (long r = 0; r < records && records >= 0; r++) {
            long unpadded = varint(data, at, footer);
            long size = varint(data, at, footer);
            if (unpadded < 0 || size < 0) {
                return UNKNOWN;
            }
            blocks += (unpadded + 3) & ~3L;
            total += size;
            if (blocks > footer || total < 0) {
                return UNKNOWN;
            }
        }
        if (records < 0 || at[0] > footer - 4) {
            return UNKNOWN;
        }
        return indexStart - blocks == 12 ? total : UNKNOWN;
    }

    /** {@return the multibyte integer at {@code at[0]} (advanced past it), or -1 when it is malformed or runs past {@code limit}} */
    private static long varint(byte[] data, int[] at, int limit) {
        long v = 0;
        for (int i = 0; i < 9; i++) {
            if (at[0] >= limit) {
                return -1;
            }
            int b = data[at[0]++] & 0xff;
            v |= (long) (b & 0x7f) << (7 * i);
            if ((b & 0x80) == 0) {
                return b == 0 && i > 0 ? -1 : v; // the spec forbids a trailing zero byte
            }
        }
        return -1;
    }
}
