package dev.kobj.elf;

import static dev.kobj.elf.ByteOrderLayouts.LE64;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;

/**
 * A view of an SHT_STRTAB section: NUL-terminated strings addressed by their byte offset.
 * Strings are decoded as ISO-8859-1 so that every byte maps to one char and no input can
 * fail to decode.
 */
public final class StringTable {
    private final Bytes bytes;
    private final SectionHeader section;
    private final long start;
    private final long size;
    /** True when the table's last byte is a NUL: then every offset inside it starts a terminated string. */
    private final boolean terminated;

    StringTable(Bytes bytes, SectionHeader section) {
        this.bytes = bytes;
        this.section = section;
        this.start = section.offset();
        this.size = section.size();
        this.terminated = size > 0 && start >= 0 && start + size <= bytes.size
                && bytes.u8(start + size - 1) == 0; // an array load when the file is an array
    }

    /**
     * {@return the table's bytes}: a view of the file (no copy), valid as long as the file's
     * memory is; a string at offset {@code o} starts at byte {@code o} of it
     */
    public MemorySegment bytes() {
        return bytes.seg.asSlice(start, size);
    }

    /**
     * {@return true when {@code offset} starts a string of this table}: what {@link #check} accepts,
     * decided without reading the string when the table ends with a NUL (then every string in it
     * is terminated); no allocation
     */
    boolean valid(long offset) {
        if (terminated) {
            return offset >= 0 && offset < size;
        }
        return (offset == 0 && size == 0)
                || (offset >= 0 && offset < size && nul(bytes.seg, start + offset, start + size) < start + size);
    }

    /**
     * {@return true when the string at {@code offset}, an offset {@link #valid} accepts, is
     * {@code name}} (a name of ISO-8859-1 chars, as {@link #get} decodes them): compared in
     * place, without making the string
     */
    boolean equalsAt(long offset, String name) {
        int n = name.length();
        if (offset < 0 || offset > size - 1 - n) {
            return n == 0 && size == 0 && offset == 0;
        }
        long p = start + offset;
        for (int k = 0; k < n; k++) {
            int c = bytes.u8(p + k);
            if (c == 0 || c != name.charAt(k)) {
                return false;
            }
        }
        return bytes.u8(p + n) == 0;
    }

    /** {@return the section this table lives in} */
    public SectionHeader section() {
        return section;
    }

    /**
     * {@return the string starting at {@code offset}}
     *
     * @param field the field that holds the offset, for the error message
     * @throws ElfFormatException if the offset is outside the table or the string is not
     *                            terminated inside it
     * @param offset the offset of the string's first byte in the table
     */
    public String get(long offset, String field) throws ElfFormatException {
        return get(offset, field, -1);
    }

    /**
     * {@return the string starting at {@code offset}}; the field's name is {@code field}
     * followed by {@code index} when {@code index >= 0}, built only for an error message.
     */
    String get(long offset, String field, long index) throws ElfFormatException {
        long q = end(offset, field, index);
        long p = start + offset;
        int n = (int) (q - p);
        if (n <= 0) {
            return "";
        }
        return new String(Bytes.copyOf(bytes.seg, p, n), StandardCharsets.ISO_8859_1);
    }

    /** {@return the length of the string {@link #get(long, String, long)} would return}, with its checks */
    int length(long offset, String field, long index) throws ElfFormatException {
        return (int) Math.max(0, end(offset, field, index) - (start + offset));
    }

    /**
     * {@return the length in bytes of the string at {@code offset}, without its NUL}: what
     * {@code get(offset, field).length()} gives, without making the string
     * @param offset the offset of the string's first byte in the table
     * @param field the field that holds the offset, for the error message
     * @throws ElfFormatException as {@link #get(long, String)} does
     */
    public int length(long offset, String field) throws ElfFormatException {
        return length(offset, field, -1);
    }

    /**
     * Checks what {@link #get(long, String, long)} checks (the offset lies inside the table and
     * the string ends there) without making the string: same exceptions, no allocation.
     */
    void check(long offset, String field, long index) throws ElfFormatException {
        end(offset, field, index);
    }

    /** {@return the file offset of the NUL that ends the string at {@code offset}; start - 1 for "" of an empty table} */
    private long end(long offset, String field, long index) throws ElfFormatException {
        if (offset < 0 || offset >= size) {
            field = index >= 0 ? field + index : field;
            if (offset == 0 && size == 0) {
                return start - 1;
            }
            throw bytes.error(start, field, offset,
                    "outside string table " + section.name() + " [" + section.index() + "] of "
                            + size + " bytes");
        }
        MemorySegment seg = bytes.seg;
        long p = start + offset;
        long end = start + size;
        long q = nul(seg, p, end);
        if (q == end) {
            field = index >= 0 ? field + index : field;
            throw bytes.error(start, field, offset, "string not terminated inside string table "
                    + section.name() + " [" + section.index() + "]");
        }
        return q;
    }

    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;

    /**
     * {@return the offset of the first NUL byte of {@code seg} in [from, end), or end when there is
     * none}: eight bytes per read, which keeps the number of memory-segment accesses, costly before
     * the JIT compiles them, low.
     */
    static long nul(MemorySegment seg, long from, long end) {
        long q = from;
        for (long last = end - 8; q <= last; q += 8) {
            int at = zeroByte(seg.get(LE64, q));
            if (at < 8) {
                return q + at;
            }
        }
        if (q < end && end >= 8) {
            // The last 1-7 bytes: the word that ends at end, shifted so that q's byte is its lowest
            // (the bytes shifted in at the top are past end: a zero found there is no NUL).
            int at = zeroByte(seg.get(LE64, end - 8) >>> ((q - (end - 8)) << 3));
            return at < end - q ? q + at : end;
        }
        while (q < end && seg.get(ValueLayout.JAVA_BYTE, q) != 0) {
            q++;
        }
        return q;
    }

    /**
     * {@return the index of the first zero byte of the little-endian word {@code w} (its lowest
     * byte is the first in memory), or 8 when it has none}: {@code (w - ONES) & ~w & HIGHS} has its
     * lowest set bit in the first zero byte
     */
    private static int zeroByte(long w) {
        return Long.numberOfTrailingZeros((w - ONES) & ~w & HIGHS) >>> 3;
    }
}
