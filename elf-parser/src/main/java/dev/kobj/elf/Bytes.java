package dev.kobj.elf;

import static dev.kobj.elf.ByteOrderLayouts.BE16;
import static dev.kobj.elf.ByteOrderLayouts.BE32;
import static dev.kobj.elf.ByteOrderLayouts.BE64;
import static dev.kobj.elf.ByteOrderLayouts.LE16;
import static dev.kobj.elf.ByteOrderLayouts.LE32;
import static dev.kobj.elf.ByteOrderLayouts.LE64;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.LongBuffer;

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

    /**
     * The array behind {@link #seg} when it is a (writable) heap segment over a {@code byte[]}
     * (a file read into a buffer, decompressed, or given as an array), else null; {@link #base}
     * is the segment's offset in it. Reads from the array are plain array loads: through the
     * segment, each read is a var-handle call that C1 (the compiler of the tree commands) does
     * not fold, with its alignment, bounds and session checks (issue 9's profiles).
     */
    private final byte[] array;
    private final long base;
    /**
     * A view of all of {@link #array} as u64 words in the file's byte order, made at the first
     * {@link #u64s} from a word-aligned index: one view per file, where a view per call made two
     * objects per relocation table (4.4 MB of an arm64 tree's stats run, which C1 does not
     * scalar-replace). Volatile: an {@link ElfFile} may be read by several threads.
     */
    private volatile LongBuffer words;

    Bytes(String file, MemorySegment seg, ByteOrder order) {
        this.file = file;
        this.seg = seg;
        this.size = seg.byteSize();
        this.le = order == ByteOrder.LITTLE_ENDIAN;
        this.array = seg.heapBase().orElse(null) instanceof byte[] a ? a : null;
        this.base = array != null ? seg.address() : 0;
    }

    /** {@return the array behind the bytes, or null when they are not in one (see {@link #arrayIndex})} */
    byte[] array() {
        return array;
    }

    /** {@return the index in {@link #array()} of the byte at {@code off}} */
    int arrayIndex(long off) {
        return (int) (base + off);
    }

    /** The index in {@link #array} of [off, off+n), which must lie inside the segment (as the segment's own check). */
    private int at(long off, int n) {
        if (off < 0 || off > size - n) {
            throw new IndexOutOfBoundsException("[" + off + ", +" + n + ") outside a segment of " + size + " bytes");
        }
        return (int) (base + off);
    }

    private int a16(int i) {
        byte[] a = array;
        return le ? (a[i] & 0xff) | (a[i + 1] & 0xff) << 8 : (a[i + 1] & 0xff) | (a[i] & 0xff) << 8;
    }

    private long a32(int i) {
        byte[] a = array;
        return le ? (a[i] & 0xff) | (a[i + 1] & 0xff) << 8 | (a[i + 2] & 0xff) << 16 | (a[i + 3] & 0xffL) << 24
                : (a[i + 3] & 0xff) | (a[i + 2] & 0xff) << 8 | (a[i + 1] & 0xff) << 16 | (a[i] & 0xffL) << 24;
    }

    private long a64(int i) {
        long lo = a32(i);
        long hi = a32(i + 4);
        return le ? lo | hi << 32 : hi | lo << 32;
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
        return u8(off);
    }

    int u16(long off, String field) throws ElfFormatException {
        check(off, 2, field);
        return u16(off);
    }

    long u32(long off, String field) throws ElfFormatException {
        check(off, 4, field);
        return u32(off);
    }

    long u64(long off, String field) throws ElfFormatException {
        check(off, 8, field);
        return u64(off);
    }

    /** Reads a class-sized word: 8 bytes in ELF64, 4 in ELF32. */
    long word(boolean is64, long off, String field) throws ElfFormatException {
        return is64 ? u64(off, field) : u32(off, field);
    }

    // Unchecked reads, for tables whose extent was checked once as a whole.

    int u8(long off) {
        if (array != null) {
            return array[at(off, 1)] & 0xff;
        }
        return seg.get(ValueLayout.JAVA_BYTE, off) & 0xff;
    }

    int u16(long off) {
        if (array != null) {
            return a16(at(off, 2));
        }
        return (le ? seg.get(LE16, off) : seg.get(BE16, off)) & 0xffff;
    }

    long u32(long off) {
        if (array != null) {
            return a32(at(off, 4));
        }
        return (le ? seg.get(LE32, off) : seg.get(BE32, off)) & 0xffffffffL;
    }

    long u64(long off) {
        if (array != null) {
            return a64(at(off, 8));
        }
        return (le ? seg.get(LE64, off) : seg.get(BE64, off));
    }

    /**
     * Copies {@code n} unchecked u64 words from {@code off} into {@code out[0, n)}: one bulk copy.
     * From an array through a {@code LongBuffer} view: {@code MemorySegment.copy} into an array
     * first spins a type-switch class with the class-file API (about 5 ms of a cold start, on
     * each worker that gets there at once), which the AOT cache does not hold.
     */
    void u64s(long off, long[] out, int n) {
        // A word-aligned index (every relocation and symbol table of a file read from offset 0)
        // reads through the file's one view; any other through a view of its own.
        if (array != null && n <= Integer.MAX_VALUE / 8) {
            int i = at(off, 8 * n);
            if ((i & 7) == 0) {
                LongBuffer w = words;
                if (w == null) {
                    w = ByteBuffer.wrap(array).order(order()).asLongBuffer();
                    words = w;
                }
                w.get(i >>> 3, out, 0, n);
            } else {
                ByteBuffer.wrap(array, i, 8 * n).order(order()).asLongBuffer().get(out, 0, n);
            }
            return;
        }
        MemorySegment.copy(seg, le ? LE64 : BE64, off, out, 0, n);
    }

    private ByteOrder order() {
        return le ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
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
        if (seg.heapBase().orElse(null) instanceof byte[] a && off >= 0 && n >= 0 && off <= seg.byteSize() - n) {
            int from = (int) (seg.address() + off);
            return java.util.Arrays.copyOfRange(a, from, from + n);
        }
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = seg.get(ValueLayout.JAVA_BYTE, off + i);
        }
        return b;
    }
}
