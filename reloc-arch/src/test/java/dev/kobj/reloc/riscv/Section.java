package dev.kobj.reloc.riscv;

import dev.kobj.reloc.Fixup;
import dev.kobj.reloc.RelocationEngine;
import dev.kobj.reloc.RelocationException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;

/** A small section in a byte array, at a simulated address, with little helpers for the tests. */
final class Section {
    final byte[] bytes;
    final long base;

    Section(int size, long base, long fill) {
        this.bytes = new byte[size];
        this.base = base;
        java.util.Random r = new java.util.Random(fill);
        r.nextBytes(bytes);
    }

    long addr(long offset) {
        return base + offset;
    }

    void putInsn32(int off, int insn) {
        for (int i = 0; i < 4; i++) {
            bytes[off + i] = (byte) (insn >>> (8 * i));
        }
    }

    void putInsn16(int off, int half) {
        bytes[off] = (byte) half;
        bytes[off + 1] = (byte) (half >>> 8);
    }

    int insn32(int off) {
        int v = 0;
        for (int i = 0; i < 4; i++) {
            v |= (bytes[off + i] & 0xff) << (8 * i);
        }
        return v;
    }

    int insn16(int off) {
        return (bytes[off] & 0xff) | (bytes[off + 1] & 0xff) << 8;
    }

    long word(int off, int size, ByteOrder order) {
        long v = 0;
        for (int i = 0; i < size; i++) {
            int b = bytes[order == ByteOrder.LITTLE_ENDIAN ? off + i : off + size - 1 - i] & 0xff;
            v |= (long) b << (8 * i);
        }
        return v;
    }

    void putWord(int off, int size, ByteOrder order, long value) {
        for (int i = 0; i < size; i++) {
            bytes[order == ByteOrder.LITTLE_ENDIAN ? off + i : off + size - 1 - i] = (byte) (value >>> (8 * i));
        }
    }

    byte[] copy() {
        return Arrays.copyOf(bytes, bytes.length);
    }

    /** Applies {@code fixups} with applyAll; returns the exception, or null. */
    RelocationException applyAll(RelocationEngine e, ByteOrder order, List<Fixup> fixups) {
        try {
            e.applyAll(MemorySegment.ofArray(bytes), order, fixups);
            return null;
        } catch (RelocationException x) {
            return x;
        }
    }

    RelocationException apply(RelocationEngine e, ByteOrder order, Fixup f) {
        try {
            e.apply(MemorySegment.ofArray(bytes), order, f);
            return null;
        } catch (RelocationException x) {
            return x;
        }
    }

    static long signExtend(long v, int bits) {
        return v << (64 - bits) >> (64 - bits);
    }
}
