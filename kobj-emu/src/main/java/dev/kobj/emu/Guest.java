package dev.kobj.emu;

import dev.kobj.emu.unicorn.Engine;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Guest memory as the handlers see it: little-endian loads and stores through Unicorn
 * ({@code uc_mem_read}/{@code uc_mem_write}), so an address that is not mapped is an
 * {@link EmuException} naming it, never a crash. All three guests are little-endian.
 */
public final class Guest {
    /** The longest C string read before giving up (a missing NUL in guest memory). */
    public static final int MAX_STRING = 1 << 16;

    private final Engine engine;

    Guest(Engine engine) {
        this.engine = engine;
    }

    /** {@return {@code length} bytes at {@code address}} */
    public byte[] read(long address, int length) throws EmuException {
        return engine.read(address, length);
    }

    /** Writes {@code bytes} at {@code address}. */
    public void write(long address, byte[] bytes) throws EmuException {
        engine.write(address, bytes);
    }

    /** {@return the 64-bit word at {@code address}} */
    public long readLong(long address) throws EmuException {
        return le64(engine.read(address, 8), 0);
    }

    /** {@return the 32-bit word at {@code address}} */
    public int readInt(long address) throws EmuException {
        byte[] b = engine.read(address, 4);
        return (b[0] & 0xff) | (b[1] & 0xff) << 8 | (b[2] & 0xff) << 16 | (b[3] & 0xff) << 24;
    }

    /** Writes the 64-bit word {@code value} at {@code address}. */
    public void writeLong(long address, long value) throws EmuException {
        engine.write(address, le64(value));
    }

    /** Writes {@code n} copies of {@code value} from {@code address}. */
    public void fill(long address, int value, long n) throws EmuException {
        byte[] chunk = new byte[(int) Math.min(n, 1 << 16)];
        java.util.Arrays.fill(chunk, (byte) value);
        for (long done = 0; done < n; done += chunk.length) {
            int len = (int) Math.min(chunk.length, n - done);
            engine.write(address + done, len == chunk.length ? chunk : java.util.Arrays.copyOf(chunk, len));
        }
    }

    /** {@return the NUL-terminated bytes at {@code address} (at most {@code max}), without the NUL} */
    public byte[] cstringBytes(long address, int max) throws EmuException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long at = address;
        while (out.size() < max) {
            // read up to the end of the page, so a string ending before an unmapped page is fine
            int chunk = (int) Math.min(GuestMap.PAGE - (at & (GuestMap.PAGE - 1)), max - out.size());
            byte[] b = engine.read(at, chunk);
            for (byte x : b) {
                if (x == 0) {
                    return out.toByteArray();
                }
                out.write(x);
            }
            at += chunk;
        }
        return out.toByteArray();
    }

    /** {@return the NUL-terminated string at {@code address}, decoded as UTF-8} */
    public String cstring(long address) throws EmuException {
        return new String(cstringBytes(address, MAX_STRING), StandardCharsets.UTF_8);
    }

    static long le64(byte[] b, int at) {
        long v = 0;
        for (int i = 7; i >= 0; i--) {
            v = v << 8 | (b[at + i] & 0xff);
        }
        return v;
    }

    static byte[] le32(int v) {
        return new byte[] {(byte) v, (byte) (v >> 8), (byte) (v >> 16), (byte) (v >> 24)};
    }

    static byte[] le64(long v) {
        byte[] b = new byte[8];
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (v >>> (8 * i));
        }
        return b;
    }
}
