package dev.kobj.reloc.riscv;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.Map;

/**
 * A section seen through the writes of the relocations applied so far, none of which has
 * reached the section yet: {@code applyAll} computes every fixup against this view (so that
 * ADD/SUB/SET at one place accumulate in table order, and two fixups at one place see each
 * other) and {@link #commit()}s only when all succeeded. This is what makes a section's
 * relocation all or nothing.
 */
final class PendingWrites {
    private final MemorySegment section;
    private final Map<Long, Byte> pending = new HashMap<>();

    PendingWrites(MemorySegment section) {
        this.section = section;
    }

    long size() {
        return section.byteSize();
    }

    int readByte(long offset) {
        Byte b = pending.get(offset);
        return (b != null ? b : section.get(ValueLayout.JAVA_BYTE, offset)) & 0xff;
    }

    void writeByte(long offset, int value) {
        pending.put(offset, (byte) value);
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
        for (int i = 0; i < bytes; i++) {
            writeByte(order == ByteOrder.LITTLE_ENDIAN ? offset + i : offset + bytes - 1 - i, (int) (value >>> (8 * i)));
        }
    }

    /** Instructions are little-endian parcels on every RISC-V, whatever the data byte order. */
    int readInsn(long offset, int bytes) {
        return (int) read(offset, bytes, ByteOrder.LITTLE_ENDIAN);
    }

    void writeInsn(long offset, int bytes, int insn) {
        write(offset, bytes, ByteOrder.LITTLE_ENDIAN, insn);
    }

    /** Copies every pending byte to the section. */
    void commit() {
        for (Map.Entry<Long, Byte> e : pending.entrySet()) {
            section.set(ValueLayout.JAVA_BYTE, e.getKey(), e.getValue());
        }
        pending.clear();
    }
}
