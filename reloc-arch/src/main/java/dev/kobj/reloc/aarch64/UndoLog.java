package dev.kobj.reloc.aarch64;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The checked writes of one {@code applyAll}, made at once and remembered with the bytes they
 * replaced, in primitive arrays reused from one section to the next (one log per thread): what
 * makes a section's relocation all or nothing without an object per write. {@link #rollback}
 * puts the old values back in reverse order, so that two writes at one place end as they began.
 *
 * <p>A write is a data word of the object's byte order (64, 32 or 16 bits) or a little-endian
 * A64 instruction word (aaelf64: instructions are little-endian whatever the data order).
 */
final class UndoLog {
    /** Logs above this many writes are not kept for the next section (memory of a huge module). */
    private static final int KEPT = 1 << 16;

    private static final ThreadLocal<UndoLog> LOGS = ThreadLocal.withInitial(UndoLog::new);

    private static final ValueLayout.OfInt INSN = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private MemorySegment[] segments = new MemorySegment[64];
    private long[] offsets = new long[64];
    private long[] olds = new long[64];
    private byte[] fields = new byte[64];
    private int size;
    private ByteOrder order = ByteOrder.LITTLE_ENDIAN;

    private UndoLog() {
    }

    /** {@return this thread's log, empty, for data words of byte order {@code order}} */
    static UndoLog open(ByteOrder order) {
        UndoLog log = LOGS.get();
        log.size = 0;
        log.order = order;
        return log;
    }

    /**
     * Writes {@code value} into {@code field} (its width) at {@code offset} of {@code segment},
     * remembering what was there. The caller has checked the place and the value.
     */
    void write(MemorySegment segment, long offset, Field field, long value) {
        log(segment, offset, field, get(segment, offset, field));
        set(segment, offset, field, value);
    }

    /**
     * Writes the instruction word {@code insn} at {@code offset} of {@code segment}, remembering
     * {@code old}, the word the caller has just read there (no second read).
     */
    void writeInsn(MemorySegment segment, long offset, int old, int insn) {
        log(segment, offset, Field.ADRP21, old); // any instruction field: a little-endian word
        segment.set(INSN, offset, insn);
    }

    /** Remembers that {@code old} was in {@code field} at {@code offset} of {@code segment}. */
    private void log(MemorySegment segment, long offset, Field field, long old) {
        if (size == offsets.length) {
            grow();
        }
        int i = size++;
        segments[i] = segment;
        offsets[i] = offset;
        fields[i] = (byte) field.ordinal();
        olds[i] = old;
    }

    private void grow() {
        int n = size * 2;
        // all copied before any is replaced: an OutOfMemoryError leaves the arrays consistent
        var segmentsGrown = Arrays.copyOf(segments, n);
        var offsetsGrown = Arrays.copyOf(offsets, n);
        var oldsGrown = Arrays.copyOf(olds, n);
        var fieldsGrown = Arrays.copyOf(fields, n);
        segments = segmentsGrown;
        offsets = offsetsGrown;
        olds = oldsGrown;
        fields = fieldsGrown;
    }

    /** Puts every replaced value back, last write first, and empties the log. */
    void rollback() {
        Field[] all = Field.values();
        for (int i = size - 1; i >= 0; i--) {
            set(segments[i], offsets[i], all[fields[i]], olds[i]);
        }
        close();
    }

    /** Empties the log (the writes stay), dropping its references to the segments. */
    void close() {
        Arrays.fill(segments, 0, size, null);
        size = 0;
        if (offsets.length > KEPT) {
            LOGS.remove();
        }
    }

    private long get(MemorySegment segment, long offset, Field field) {
        return switch (field) {
            case DATA64 -> DataWords.get64(segment, order, offset);
            case DATA32 -> DataWords.get32(segment, order, offset);
            case DATA16 -> DataWords.get16(segment, order, offset);
            default -> segment.get(INSN, offset);
        };
    }

    private void set(MemorySegment segment, long offset, Field field, long value) {
        switch (field) {
            case DATA64 -> DataWords.set64(segment, order, offset, value);
            case DATA32 -> DataWords.set32(segment, order, offset, (int) value);
            case DATA16 -> DataWords.set16(segment, order, offset, (short) value);
            default -> segment.set(INSN, offset, (int) value);
        }
    }
}
