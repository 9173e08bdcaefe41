package dev.kobj.reloc.riscv;

/**
 * The ULEB128 already at a place (DWARF 5, 7.6 "Variable Length Data"): its byte count
 * bounds the value a SET_ULEB128/SUB_ULEB128 pair may write there, since kobj never grows a
 * section.
 */
final class Uleb128 {
    private Uleb128() {
    }

    /** A ULEB128 is at most 10 bytes for a 64-bit value; assemblers may pad, so allow more. */
    static final int MAX_BYTES = 16;

    /** {@return the byte count of the ULEB128 at {@code offset}, or -1 if it runs past the section} */
    static int length(PendingWrites view, long offset) {
        for (int i = 0; i < MAX_BYTES && offset + i < view.size(); i++) {
            if ((view.readByte(offset + i) & 0x80) == 0) {
                return i + 1;
            }
        }
        return -1;
    }

    /** {@return the largest unsigned value {@code bytes} ULEB128 bytes hold, or -1 (all ones) for 10 and more} */
    static long max(int bytes) {
        return bytes * 7 >= 64 ? -1L : (1L << (7 * bytes)) - 1;
    }

    /** {@return true if unsigned {@code value} fits {@code bytes} ULEB128 bytes} */
    static boolean fits(long value, int bytes) {
        return bytes * 7 >= 64 || Long.compareUnsigned(value, max(bytes)) <= 0;
    }

    /** Writes unsigned {@code value} as exactly {@code bytes} ULEB128 bytes (continuation bits on all but the last). */
    static void write(PendingWrites view, long offset, int bytes, long value) {
        long v = value;
        for (int i = 0; i < bytes; i++) {
            int b = (int) (v & 0x7f);
            v >>>= 7;
            view.writeByte(offset + i, i < bytes - 1 ? b | 0x80 : b);
        }
    }
}
