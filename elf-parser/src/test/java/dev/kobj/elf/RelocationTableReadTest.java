package dev.kobj.elf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * {@link RelocationTable#read} (the bulk read the linker walks tables with) and
 * {@link SymbolTable#nameLength} against the per-entry accessors, on every committed test
 * object (ELF64 and ELF32, REL and RELA, every architecture testdata/build.sh compiles for).
 * The accessors themselves are compared with readelf by the CLI's oracle tests.
 */
class RelocationTableReadTest {

    @Test
    void readGivesWhatTheAccessorsGiveInEveryChunking() throws Exception {
        long entries = 0;
        boolean rel = false;
        boolean elf32 = false;
        for (Path p : Fixtures.objects()) {
            try (ElfFile f = ElfFile.open(p)) {
                for (RelocationTable t : f.relocationTables()) {
                    rel |= !t.isRela();
                    elf32 |= !f.header().is64();
                    for (int chunk : new int[] {1, 7, 1024}) {
                        long[] out = new long[3 * chunk];
                        for (long from = 0; from < t.size(); from += chunk) {
                            int n = (int) Math.min(chunk, t.size() - from);
                            t.read(from, n, out);
                            for (int k = 0; k < n; k++) {
                                Relocation r = t.get(from + k);
                                String at = p + " " + t.section().name() + "[" + (from + k) + "]";
                                assertThat(out[3 * k]).as(at).isEqualTo(r.offset());
                                assertThat(t.typeOf(out[3 * k + 1])).as(at).isEqualTo(r.type());
                                assertThat(t.symbolOf(out[3 * k + 1])).as(at).isEqualTo(r.symbol());
                                assertThat(out[3 * k + 1]).as(at).isEqualTo(t.rawInfo(from + k));
                                assertThat(out[3 * k + 2]).as(at).isEqualTo(r.addend());
                            }
                        }
                    }
                    entries += t.size();
                    long[] small = new long[3];
                    assertThatThrownBy(() -> t.read(t.size(), 1, small)).isInstanceOf(IndexOutOfBoundsException.class);
                    assertThatThrownBy(() -> t.read(-1, 1, small)).isInstanceOf(IndexOutOfBoundsException.class);
                    if (t.size() >= 2) {
                        assertThatThrownBy(() -> t.read(0, 2, small)).isInstanceOf(IndexOutOfBoundsException.class);
                    }
                }
            }
        }
        assertThat(entries).isPositive();
        assertThat(rel || elf32).as("the fixtures hold a REL or an ELF32 table (the non-bulk path)").isTrue();
    }

    @Test
    void nameLengthIsTheNamesLength() throws Exception {
        long symbols = 0;
        for (Path p : Fixtures.objects()) {
            try (ElfFile f = ElfFile.open(p)) {
                var table = f.symbolTable();
                if (table.isEmpty()) {
                    continue;
                }
                SymbolTable t = table.get();
                for (int i = 0; i < t.size(); i++) {
                    assertThat(t.nameLength(i)).as(p + " symbol " + i).isEqualTo(t.name(i).length());
                    symbols++;
                }
            }
        }
        assertThat(symbols).isPositive();
    }
}
