package dev.kobj.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.kobj.elf.ElfConstants;
import dev.kobj.elf.ElfFile;
import dev.kobj.elf.ElfFormatException;
import dev.kobj.elf.SectionHeader;
import dev.kobj.elf.SymbolTable;
import dev.kobj.testkit.Testdata;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@link SymbolChecks#passes} stands in for {@link SymbolTable#checkAll} in {@code stats}: whenever
 * it says a table passes, {@code checkAll} must pass too (otherwise a damaged file would be counted
 * instead of reported). On every symbol table of the compiled fixtures (all three architectures,
 * ELF32 and ELF64, both byte orders) it passes; on copies whose symbol and string tables have
 * random bytes changed, its true answers are all confirmed by {@code checkAll}, and it says false
 * for every copy {@code checkAll} refuses.
 */
class SymbolChecksTest {

    private static List<Path> objects() {
        try (Stream<Path> s = Files.walk(Testdata.path("obj"))) {
            List<Path> out = new ArrayList<>(s.filter(p -> p.toString().endsWith(".o")).sorted().toList());
            out.add(Testdata.special("module.ko"));
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@return the symbol tables of {@code f}} */
    private static List<SymbolTable> tables(ElfFile f) throws ElfFormatException {
        List<SymbolTable> out = new ArrayList<>();
        for (SectionHeader s : f.sections()) {
            if (s.type() == ElfConstants.SHT_SYMTAB || s.type() == ElfConstants.SHT_DYNSYM) {
                out.add(f.symbolTable(s));
            }
        }
        return out;
    }

    @Test
    void everyFixtureTablePasses() throws Exception {
        int tables = 0;
        for (Path p : objects()) {
            ElfFile f = ElfFile.of(p.toString(), Files.readAllBytes(p));
            for (SymbolTable t : tables(f)) {
                assertThatCode(t::checkAll).as(p.toString()).doesNotThrowAnyException();
                assertThat(SymbolChecks.passes(f.bytes(), f.header(), t)).as(p.toString()).isTrue();
                tables++;
            }
        }
        assertThat(tables).isGreaterThan(20);
    }

    @Test
    void aTrueAnswerIsAlwaysConfirmedByCheckAll() throws Exception {
        Random random = new Random(4);
        int refused = 0;
        int passed = 0;
        for (Path p : objects()) {
            byte[] seed = Files.readAllBytes(p);
            ElfFile clean = ElfFile.of(p.toString(), seed);
            List<long[]> spans = new ArrayList<>(); // {offset, size} of the symbol and string tables
            for (SymbolTable t : tables(clean)) {
                spans.add(new long[] {t.section().offset(), t.section().size()});
                spans.add(new long[] {t.strings().section().offset(), t.strings().section().size()});
            }
            spans.removeIf(s -> s[1] <= 0);
            if (spans.isEmpty()) {
                continue;
            }
            for (int c = 0; c < 60; c++) {
                byte[] b = seed.clone();
                for (int e = 1 + random.nextInt(4); e > 0; e--) {
                    long[] s = spans.get(random.nextInt(spans.size()));
                    int at = (int) (s[0] + random.nextLong(s[1]));
                    b[at] = random.nextInt(3) == 0 ? 0 : (byte) random.nextInt(256);
                }
                // At an offset of a bigger array, as ElfReader's buffer holds a file.
                byte[] padded = new byte[b.length + 64];
                System.arraycopy(b, 0, padded, 32, b.length);
                ElfFile f;
                List<SymbolTable> damaged;
                try { // a string table may also hold the section names (clang shares .strtab)
                    f = ElfFile.of(p.toString(), MemorySegment.ofArray(padded).asSlice(32, b.length));
                    damaged = tables(f);
                } catch (ElfFormatException x) {
                    continue;
                }
                for (SymbolTable t : damaged) {
                    boolean fast = SymbolChecks.passes(f.bytes(), f.header(), t);
                    boolean slow;
                    try {
                        t.checkAll();
                        slow = true;
                    } catch (ElfFormatException x) {
                        slow = false;
                    }
                    if (fast) {
                        assertThat(slow).as("%s copy %d: fast check passed, checkAll refused", p, c).isTrue();
                        passed++;
                    }
                    refused += slow ? 0 : 1;
                }
            }
        }
        assertThat(refused).as("copies checkAll refused").isGreaterThan(100);
        assertThat(passed).as("copies both passed").isGreaterThan(100);
    }
}
