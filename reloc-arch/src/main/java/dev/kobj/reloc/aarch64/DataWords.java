package dev.kobj.reloc.aarch64;

import static dev.kobj.elf.ByteOrderLayouts.BE16;
import static dev.kobj.elf.ByteOrderLayouts.BE32;
import static dev.kobj.elf.ByteOrderLayouts.BE64;
import static dev.kobj.elf.ByteOrderLayouts.LE16;
import static dev.kobj.elf.ByteOrderLayouts.LE32;
import static dev.kobj.elf.ByteOrderLayouts.LE64;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;

/**
 * Data words of the object's byte order (AArch64 objects are little- or big-endian, aaelf64
 * "ELF header"; instructions are always little-endian). One constant layout per order, so that
 * the JIT compiles each access to a plain load or store: a layout made by {@code withOrder}
 * at every call is checked at every call.
 */
final class DataWords {

    private DataWords() {
    }

    static long get64(MemorySegment s, ByteOrder o, long off) {
        return o == ByteOrder.LITTLE_ENDIAN ? s.get(LE64, off) : s.get(BE64, off);
    }

    static int get32(MemorySegment s, ByteOrder o, long off) {
        return o == ByteOrder.LITTLE_ENDIAN ? s.get(LE32, off) : s.get(BE32, off);
    }

    static short get16(MemorySegment s, ByteOrder o, long off) {
        return o == ByteOrder.LITTLE_ENDIAN ? s.get(LE16, off) : s.get(BE16, off);
    }

    static void set64(MemorySegment s, ByteOrder o, long off, long v) {
        if (o == ByteOrder.LITTLE_ENDIAN) {
            s.set(LE64, off, v);
        } else {
            s.set(BE64, off, v);
        }
    }

    static void set32(MemorySegment s, ByteOrder o, long off, int v) {
        if (o == ByteOrder.LITTLE_ENDIAN) {
            s.set(LE32, off, v);
        } else {
            s.set(BE32, off, v);
        }
    }

    static void set16(MemorySegment s, ByteOrder o, long off, short v) {
        if (o == ByteOrder.LITTLE_ENDIAN) {
            s.set(LE16, off, v);
        } else {
            s.set(BE16, off, v);
        }
    }
}
