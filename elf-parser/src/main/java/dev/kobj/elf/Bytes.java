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
    private final ValueLayout.OfShort u16;
    private final ValueLayout.OfInt u32;
    private final ValueLayout.OfLong u64;

    Bytes(String file, MemorySegment seg, ByteOrder order) {
        this.file = file;
        this.seg = seg;
        this.size = seg.byteSize();
        this.u16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(order);
        this.u32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(order);
        this.u64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(order);
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
        return seg.get(u16, off) & 0xffff;
    }

    long u32(long off, String field) throws ElfFormatException {
        check(off, 4, field);
        return seg.get(u32, off) & 0xffffffffL;
    }

    long u64(long off, String field) throws ElfFormatException {
        check(off, 8, field);
        return seg.get(u64, off);
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
        return seg.get(u16, off) & 0xffff;
    }

    long u32(long off) {
        return seg.get(u32, off) & 0xffffffffL;
    }

    long u64(long off) {
        return seg.get(u64, off);
    }

    long word(boolean is64, long off) {
        return is64 ? seg.get(u64, off) : seg.get(u32, off) & 0xffffffffL;
    }
}
