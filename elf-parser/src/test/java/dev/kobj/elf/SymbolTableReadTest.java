package dev.kobj.elf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link SymbolTable#read} (the bulk read the linker resolves from) against {@link SymbolTable#get}
 * on every committed test object (ELF64 and ELF32, every architecture testdata/build.sh compiles
 * for), and its checks against {@link SymbolTable#all}'s on a real object with one field made bad.
 * The accessors themselves are compared with readelf by the CLI's oracle tests.
 */
class SymbolTableReadTest {

    @Test
    void readGivesWhatGetGivesInEveryChunking() throws Exception {
        long symbols = 0;
        boolean elf32 = false;
        for (Path p : Fixtures.objects()) {
            try (ElfFile f = ElfFile.open(p)) {
                var table = f.symbolTable();
                if (table.isEmpty()) {
                    continue;
                }
                SymbolTable t = table.get();
                elf32 |= !f.header().is64();
                for (int chunk : new int[] {1, 7, 1024}) {
                    long[] out = new long[3 * chunk];
                    for (int from = 0; from < t.size(); from += chunk) {
                        int n = Math.min(chunk, t.size() - from);
                        t.read(from, n, out);
                        for (int k = 0; k < n; k++) {
                            ElfSymbol s = t.get(from + k);
                            String at = p + " symbol " + (from + k);
                            long w = out[3 * k];
                            assertThat(SymbolTable.nameOf(w)).as(at).isEqualTo(t.nameOffset(from + k));
                            assertThat(SymbolTable.infoOf(w)).as(at).isEqualTo(s.info());
                            assertThat(SymbolTable.otherOf(w)).as(at).isEqualTo(s.other());
                            assertThat(SymbolTable.rawShndxOf(w)).as(at).isEqualTo(s.rawShndx());
                            assertThat(out[3 * k + 1]).as(at).isEqualTo(s.value());
                            assertThat(out[3 * k + 2]).as(at).isEqualTo(s.size());
                            assertThat(t.strings().length(SymbolTable.nameOf(w), "st_name")).as(at)
                                    .isEqualTo(s.name().length());
                        }
                        symbols += n;
                    }
                }
                long[] small = new long[3];
                assertThatThrownBy(() -> t.read(t.size(), 1, small)).isInstanceOf(IndexOutOfBoundsException.class);
                assertThatThrownBy(() -> t.read(-1, 1, small)).isInstanceOf(IndexOutOfBoundsException.class);
                assertThatThrownBy(() -> t.read(0, 2, small)).isInstanceOf(IndexOutOfBoundsException.class);
            }
        }
        assertThat(symbols).isPositive();
        assertThat(elf32).as("the fixtures hold an ELF32 table (the per-entry path)").isTrue();
    }

    /** st_name of one symbol set past its string table: read throws what all() throws for it. */
    @Test
    void aNameOutsideTheStringTableThrowsWhatAllThrows() throws Exception {
        for (Path p : List.of(Fixtures.objects().getFirst(), Fixtures.objects().getLast())) {
            byte[] bytes = Fixtures.read(p);
            SymbolTable t = ElfFile.of(p.toString(), bytes).symbolTable().orElseThrow();
            int i = t.size() - 1;
            long at = t.section().offset() + (long) i * (ElfFile.of(p.toString(), bytes).header().is64() ? 24 : 16);
            ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
            b.putInt((int) at, (int) t.strings().section().size() + 5);
            SymbolTable bad = ElfFile.of(p.toString(), bytes).symbolTable().orElseThrow();
            String expected = null;
            try {
                bad.all();
            } catch (ElfFormatException e) {
                expected = e.getMessage();
            }
            assertThat(expected).as(p.toString()).contains("st_name of symbol " + i);
            long[] out = new long[3 * bad.size()];
            assertThatThrownBy(() -> bad.read(0, bad.size(), out)).isInstanceOf(ElfFormatException.class)
                    .hasMessage(expected);
        }
    }
}
