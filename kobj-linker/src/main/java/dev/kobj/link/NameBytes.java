package dev.kobj.link;

import dev.kobj.elf.StringTable;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A string table's bytes as an array, for the loops over names that the JIT's first tier
 * compiles well (memory-segment access is costly until the second): the file's own array
 * when its memory is one (an {@code ElfReader}'s buffer, a decompressed file; no copy), else
 * a copy of the table (a mapped file). Offsets are st_name values that {@code SymbolTable.read}
 * has checked: each starts a string that a NUL ends inside the table.
 */
final class NameBytes {
    /** The array and where the table starts in it. */
    final byte[] bytes;
    final int base;
    private final long size;

    NameBytes(StringTable table) {
        MemorySegment s = table.bytes();
        size = s.byteSize();
        if (s.heapBase().orElse(null) instanceof byte[] a) {
            bytes = a;
            base = (int) s.address(); // a heap segment's address is its offset in the array
        } else {
            bytes = s.toArray(ValueLayout.JAVA_BYTE);
            base = 0;
        }
    }

    /** {@return the length of the checked name at {@code offset}, without its NUL; 0 for offset 0 of an empty table} */
    int length(long offset) {
        if (offset >= size) {
            return 0;
        }
        int from = base + (int) offset;
        int q = from;
        while (bytes[q] != 0) {
            q++;
        }
        return q - from;
    }
}
