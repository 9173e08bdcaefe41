package dev.kobj.elf;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The bulk reads ({@link RelocationTable#read}, {@link SymbolTable#read}) give the same words
 * whether the file is in an array (as {@link ElfReader} and {@link ElfFile#of(String, byte[])}
 * hold it: a view of the array) or in a mapping ({@link ElfFile#open}, for files of 4 KiB and
 * more: a copy from the segment), on every committed object of both byte orders; the array
 * reads are made twice, with the file at the array's start (one view of the array per file,
 * every table word-aligned) and 4 bytes into it (a view per read). The two copy
 * by different means; the mapped one is compared with the per-entry accessors by
 * {@link RelocationTableReadTest} and {@link SymbolTableReadTest}.
 */
class BulkReadsAgreeTest {
    private static final int CHUNK = 1024;

    @Test
    void anArrayAndAMappingGiveTheSameWords() throws Exception {
        long words = 0;
        boolean bigEndian64 = false;
        for (Path p : Fixtures.objects()) {
            byte[] data = Fixtures.read(p);
            ElfFile inArray = ElfFile.of(p.toString(), data);
            // The same bytes 4 bytes into an array: no table is word-aligned in it (the view per call).
            byte[] shifted = new byte[data.length + 4];
            System.arraycopy(data, 0, shifted, 4, data.length);
            ElfFile unaligned = ElfFile.of(p.toString(), MemorySegment.ofArray(shifted).asSlice(4, data.length));
            try (ElfFile mapped = ElfFile.open(p)) {
                List<RelocationTable> a = inArray.relocationTables();
                List<RelocationTable> u = unaligned.relocationTables();
                List<RelocationTable> m = mapped.relocationTables();
                assertThat(a).as(p.toString()).hasSameSizeAs(m).hasSameSizeAs(u);
                for (int i = 0; i < a.size(); i++) {
                    RelocationTable ta = a.get(i);
                    RelocationTable tu = u.get(i);
                    RelocationTable tm = m.get(i);
                    words += agree(p + " " + ta.section().name(), ta.size(), ta::read, tm::read);
                    agree(p + " " + ta.section().name() + ", unaligned", ta.size(), tu::read, tm::read);
                    bigEndian64 |= inArray.header().order() == java.nio.ByteOrder.BIG_ENDIAN && inArray.header().is64() && ta.isRela() && ta.size() > 0;
                }
                var sa = inArray.symbolTable();
                var su = unaligned.symbolTable();
                var sm = mapped.symbolTable();
                assertThat(sa.isPresent()).as(p.toString()).isEqualTo(sm.isPresent()).isEqualTo(su.isPresent());
                if (sa.isPresent()) {
                    SymbolTable ta = sa.get();
                    SymbolTable tu = su.get();
                    SymbolTable tm = sm.get();
                    words += agree(p + " symbols", ta.size(), (from, n, out) -> ta.read((int) from, n, out),
                            (from, n, out) -> tm.read((int) from, n, out));
                    agree(p + " symbols, unaligned", ta.size(), (from, n, out) -> tu.read((int) from, n, out),
                            (from, n, out) -> tm.read((int) from, n, out));
                }
            }
        }
        assertThat(words).isPositive();
        assertThat(bigEndian64).as("a big-endian ELF64 RELA table among the fixtures (the byte-swapping copy)").isTrue();
    }

    /** A bulk read: {@code n} entries from {@code from}, three words each, into {@code out}. */
    private interface BulkRead {
        void read(long from, int n, long[] out) throws ElfFormatException;
    }

    /** {@return the words compared}: {@code size} entries read in chunks by both, which must agree */
    private static long agree(String at, long size, BulkRead inArray, BulkRead mapped) throws ElfFormatException {
        for (long from = 0; from < size; from += CHUNK) {
            int n = (int) Math.min(CHUNK, size - from);
            long[] wa = new long[3 * n];
            long[] wm = new long[3 * n];
            inArray.read(from, n, wa);
            mapped.read(from, n, wm);
            assertThat(wa).as(at + " from " + from).isEqualTo(wm);
        }
        return 3 * size;
    }
}
