package dev.kobj.elf;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.MemorySegment;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * {@link StringTable#nul}, the word-at-a-time NUL search behind every ELF string-table read
 * (ELF gABI, "String Table": strings are NUL-terminated), against the byte-by-byte search it
 * replaced, on arbitrary bytes (bytes 0x80-0xff and 0x01 are what the bit trick could confuse).
 */
class StringTableNulTest {

    private static long naive(byte[] b, int from, int end) {
        int q = from;
        while (q < end && b[q] != 0) {
            q++;
        }
        return q;
    }

    @Property(tries = 2000)
    void findsTheFirstNulAsAByteByByteSearchDoes(@ForAll @Size(max = 80) byte[] bytes,
            @ForAll @IntRange(min = 0, max = 80) int from, @ForAll @IntRange(min = 0, max = 80) int end,
            @ForAll @IntRange(min = 0, max = 8) int sparse) {
        byte[] b = bytes.clone();
        // make NULs rarer than the generator's own: long runs of non-zero bytes cross words
        for (int i = 0; i < b.length && sparse > 0; i++) {
            if (b[i] == 0 && i % (sparse + 1) != 0) {
                b[i] = (byte) (0x80 | i);
            }
        }
        int f = Math.min(from, b.length);
        int e = Math.max(f, Math.min(end, b.length));
        assertThat(StringTable.nul(MemorySegment.ofArray(b), f, e)).isEqualTo(naive(b, f, e));
    }

    @Property(tries = 500)
    void findsANulAfterAnyRunOfHighAndOneBytes(@ForAll @IntRange(min = 0, max = 40) int run,
            @ForAll @IntRange(min = 0, max = 7) int skew, @ForAll boolean ones) {
        byte[] b = new byte[skew + run + 9];
        for (int i = 0; i < skew + run; i++) {
            b[i] = ones ? 0x01 : (byte) 0x80;
        }
        b[skew + run] = 0;
        b[skew + run + 1] = 1;
        assertThat(StringTable.nul(MemorySegment.ofArray(b), skew, b.length)).isEqualTo(skew + run);
    }
}
