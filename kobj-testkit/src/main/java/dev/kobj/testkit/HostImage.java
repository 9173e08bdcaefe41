package dev.kobj.testkit;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The image file that testdata's host program ({@code src/run_host.c}, kobj-host) maps and runs:
 * {@code "KOBJIMG1"}, the region count and a zero word, then per region its address, size,
 * protection (PROT_* bits) and a zero word, followed by its bytes; all little-endian.
 */
public final class HostImage {
    private HostImage() {
    }

    /**
     * One region of the image.
     *
     * @param address its load address
     * @param size    its size in bytes
     * @param prot    PROT_READ 1, PROT_WRITE 2, PROT_EXEC 4, or-ed
     * @param bytes   its contents, {@code size} bytes
     */
    public record Region(long address, long size, int prot, byte[] bytes) {
        /**
         * {@return a region of {@code bytes} at {@code address}, always readable}
         *
         * @param address    its load address
         * @param writable   whether PROT_WRITE is set
         * @param executable whether PROT_EXEC is set
         * @param bytes      its contents
         */
        public static Region of(long address, boolean writable, boolean executable, byte[] bytes) {
            return new Region(address, bytes.length, 1 | (writable ? 2 : 0) | (executable ? 4 : 0), bytes);
        }
    }

    /**
     * Writes the regions in run_host.c's format.
     *
     * @param regions the regions, in order
     * @param out     the file to write
     * @throws IOException when the file cannot be written
     */
    public static void write(List<Region> regions, Path out) throws IOException {
        try (OutputStream os = Files.newOutputStream(out); DataOutputStream d = new DataOutputStream(os)) {
            d.write("KOBJIMG1".getBytes(StandardCharsets.US_ASCII));
            d.write(le(8).putInt(regions.size()).putInt(0).array());
            for (Region r : regions) {
                d.write(le(24).putLong(r.address()).putLong(r.size()).putInt(r.prot()).putInt(0).array());
                d.write(r.bytes());
            }
        }
    }

    private static ByteBuffer le(int n) {
        return ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
    }
}
