package dev.kobj.reloc.riscv;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A section being relocated, written at once and remembered: every write keeps the bytes it
 * replaced, so that {@link #rollback()} can put the section back as it was when any relocation
 * of it fails. Reads see the writes made so far (ADD/SUB/SET at one place accumulate in table
 * order, and two fixups at one place see each other). This is what makes a section's
 * relocation all or nothing. The log is primitive arrays, one per thread, reused from one
 * section to the next: no object per write.
 */
final class PendingWrites {
    /** Logs above this many writes are not kept for the next section (memory of a huge module). */
    private static final int KEPT = 1 << 16;

    private static final ThreadLocal<PendingWrites> VIEWS = ThreadLocal.withInitial(PendingWrites::new);

    private MemorySegment section;
    /** The section's heap array when it is a writable heap segment (read and written directly), else null. */
    private byte[] array;
    /** Where the section starts in {@link #array}. */
    private int base;
    /** The section's size in bytes. */
    private long length;
    private long[] offsets = new long[64];
    private long[] olds = new long[64];
    private byte[] widths = new byte[64];
    private int size;

    private PendingWrites() {
    }

    /** {@return this thread's log, empty, over {@code section}; {@link #commit()} or {@link #rollback()} it} */
    static PendingWrites open(MemorySegment section) {
        PendingWrites view = VIEWS.get();
        view.section = section;
        view.size = 0;
        view.length = section.byteSize();
        view.array = null;
        if (!section.isReadOnly() && section.heapBase().orElse(null) instanceof byte[] a
                && section.address() >= 0 && section.address() + view.length <= a.length) {
            view.array = a;
            view.base = (int) section.address();
        }
        return view;
    }

    long size() {
        return length;
    }

    int readByte(long offset) {
        if (array != null && offset >= 0 && offset < length) {
            return array[base + (int) offset] & 0xff; // a plain load: C1 folds no segment access
        }
        return section.get(ValueLayout.JAVA_BYTE, offset) & 0xff; // other memory, or the segment's own refusal
    }

    void writeByte(long offset, int value) {
        write(offset, 1, ByteOrder.LITTLE_ENDIAN, value);
    }

    /** {@return the {@code bytes}-byte unsigned value at {@code offset} in byte order {@code order}} */
    long read(long offset, int bytes, ByteOrder order) {
        long v = 0;
        for (int i = 0; i < bytes; i++) {
            long b = readByte(order == ByteOrder.LITTLE_ENDIAN ? offset + i : offset + bytes - 1 - i);
            v |= b << (8 * i);
        }
        return v;
    }

    /** Writes the low {@code bytes} bytes of {@code value} at {@code offset} in byte order {@code order}. */
    void write(long offset, int bytes, ByteOrder order, long value) {
        long le = order == ByteOrder.LITTLE_ENDIAN ? value : Long.reverseBytes(value) >>> (64 - 8 * bytes);
        long old = read(offset, bytes, ByteOrder.LITTLE_ENDIAN); // checks the place before logging it
        if (size == offsets.length) {
            int n = size * 2;
            // all copied before any is replaced: an OutOfMemoryError leaves the arrays consistent
            var offsetsGrown = Arrays.copyOf(offsets, n);
            var oldsGrown = Arrays.copyOf(olds, n);
            var widthsGrown = Arrays.copyOf(widths, n);
            offsets = offsetsGrown;
            olds = oldsGrown;
            widths = widthsGrown;
        }
        offsets[size] = offset;
        olds[size] = old;
        widths[size] = (byte) bytes;
        size++;
        put(offset, bytes, le);
    }

    private void put(long offset, int bytes, long le) {
        if (array != null && offset >= 0 && offset <= length - bytes) {
            for (int i = 0; i < bytes; i++) {
                array[base + (int) offset + i] = (byte) (le >>> (8 * i));
            }
            return;
        }
        for (int i = 0; i < bytes; i++) {
            section.set(ValueLayout.JAVA_BYTE, offset + i, (byte) (le >>> (8 * i)));
        }
    }

    /** Instructions are little-endian parcels on every RISC-V, whatever the data byte order. */
    int readInsn(long offset, int bytes) {
        return (int) read(offset, bytes, ByteOrder.LITTLE_ENDIAN);
    }

    void writeInsn(long offset, int bytes, int insn) {
        write(offset, bytes, ByteOrder.LITTLE_ENDIAN, insn);
    }

    /** Keeps every write and empties the log. */
    void commit() {
        close();
    }

    /** Puts back what every write replaced, last write first, and empties the log. */
    void rollback() {
        for (int i = size - 1; i >= 0; i--) {
            put(offsets[i], widths[i], olds[i]);
        }
        close();
    }

    private void close() {
        size = 0;
        section = null;
        array = null;
        if (offsets.length > KEPT) {
            VIEWS.remove();
        }
    }
}
