package dev.kobj.elf;

import java.io.IOException;
import java.nio.channels.FileChannel;

/** Whole reads of a file channel from position 0, for {@link ElfFile#open}. */
final class FileReads {
    private FileReads() {
    }

    /** Reads from position 0 of {@code ch} into {@code b[off, off+len)}; {@return the bytes read} (fewer at EOF). */
    static int read(FileChannel ch, byte[] b, int off, int len) throws IOException {
        java.nio.ByteBuffer buf = java.nio.ByteBuffer.wrap(b, off, len);
        while (buf.hasRemaining()) {
            if (ch.read(buf, buf.position() - off) < 0) {
                break;
            }
        }
        return buf.position() - off;
    }

    /** {@return the whole file behind {@code ch}, whose size was {@code size} when asked} */
    static byte[] readAll(FileChannel ch, long size) throws IOException {
        byte[] b = new byte[(int) size];
        int n = read(ch, b, 0, b.length);
        return n == b.length ? b : java.util.Arrays.copyOf(b, n);
    }
}
