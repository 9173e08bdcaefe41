package dev.kobj.elf;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Bounds-checked reads of the file's fields in the file's byte order. Every read names the
 * field it reads, so that a read past the end becomes an {@link ElfFormatException} that
 * says which field and where, never an {@code IndexOutOfBoundsException}.
 */
final class Bytes {
    final String file;
    final MemorySegment seg;
    final long size;
    /** True for ELFDATA2LSB. The layouts are constants, one per byte order, so that the JIT
     *  folds their var handles into plain loads (a layout held in a field is checked at every call). */
    private final boolean le;
    private static final ValueLayout.OfShort LE16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt LE32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong LE64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort BE16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfInt BE32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfLong BE64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    Bytes(String file, MemorySegment seg, ByteOrder order) {
        this.file = file;
        this.seg = seg;
        this.size = seg.byteSize();
        this.le = order == ByteOrder.LITTLE_ENDIAN;
    }

    /** {@return true for ELFDATA2LSB} */
    boolean littleEndian() {
        return le;
    }

    ElfFormatException error(long offset, String field, long value, String problem) {
        return new ElfFormatException(file, offset, field, value, problem);
    }

    /** Checks that [offset, offset+length) lies inside the file. */
    void check(long offset, long length, String field) throws ElfFormatException {
        if (offset < 0 || length < 0 || offset > size || length > size - offset) {
            throw error(offset, field, length,
                    "extends past the end of the file (" + size + " bytes)");
        }
    }

    int u8(long off, String field) throws ElfFormatException {
        check(off, 1, field);
        return seg.get(ValueLayout.JAVA_BYTE, off) & 0xff;
    }

    int u16(long off, String field) throws ElfFormatException {
        check(off, 2, field);
        return (le ? seg.get(LE16, off) : seg.get(BE16, off)) & 0xffff;
    }

    long u32(long off, String field) throws ElfFormatException {
        check(off, 4, field);
        return (le ? seg.get(LE32, off) : seg.get(BE32, off)) & 0xffffffffL;
    }

    long u64(long off, String field) throws ElfFormatException {
        check(off, 8, field);
        return (le ? seg.get(LE64, off) : seg.get(BE64, off));
    }

    /** Reads a class-sized word: 8 bytes in ELF64, 4 in ELF32. */
    long word(boolean is64, long off, String field) throws ElfFormatException {
        return is64 ? u64(off, field) : u32(off, field);
    }

    // Unchecked reads, for tables whose extent was checked once as a whole.

    int u8(long off) {
        return seg.get(ValueLayout.JAVA_BYTE, off) & 0xff;
    }

    int u16(long off) {
        return (le ? seg.get(LE16, off) : seg.get(BE16, off)) & 0xffff;
    }

    long u32(long off) {
        return (le ? seg.get(LE32, off) : seg.get(BE32, off)) & 0xffffffffL;
    }

    long u64(long off) {
        return (le ? seg.get(LE64, off) : seg.get(BE64, off));
    }

    /** Copies {@code n} unchecked u64 words from {@code off} into {@code out[0, n)}: one bulk copy. */
    void u64s(long off, long[] out, int n) {
        MemorySegment.copy(seg, le ? LE64 : BE64, off, out, 0, n);
    }

    long word(boolean is64, long off) {
        return is64 ? u64(off) : u32(off);
    }

    /**
     * {@return the {@code n} bytes at {@code off} of {@code seg}, copied into a new array}
     * For names (string tables, note names), so a loop of byte reads: the JDK's bulk copies
     * ({@code MemorySegment.copy} into an array, {@code copyFrom}, {@code toArray}) run, on
     * their first call, a type switch bootstrap or an enum look-up by reflection that spin
     * classes at run time, several milliseconds of a short command's start (issue 9).
     */
    static byte[] copyOf(MemorySegment seg, long off, int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = seg.get(ValueLayout.JAVA_BYTE, off + i);
        }
        return b;
    }
}
