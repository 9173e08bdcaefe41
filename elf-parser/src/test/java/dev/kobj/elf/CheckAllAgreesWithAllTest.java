package dev.kobj.elf;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link SymbolTable#checkAll} promises what {@link SymbolTable#all} would throw, without making
 * symbols (it reads a name only when {@link StringTable#valid} cannot answer without it). On every
 * symbol table of the compiled fixtures, and on copies with bytes of their .symtab and .strtab
 * changed at random, both pass or both throw the same message.
 */
class CheckAllAgreesWithAllTest {

    @Test
    void sameOutcomeOnFixturesAndDamagedCopies() throws Exception {
        Random random = new Random(11);
        int tables = 0;
        int refused = 0;
        for (Path p : Fixtures.objects()) {
            byte[] good = Files.readAllBytes(p);
            ElfFile clean = ElfFile.of(p.toString(), good);
            if (clean.symbolTable().isEmpty()) {
                continue;
            }
            SymbolTable t0 = clean.symbolTable().get();
            long[] symtab = {t0.section().offset(), t0.section().size()};
            long[] strtab = {t0.strings().section().offset(), t0.strings().section().size()};
            for (int c = 0; c < 12; c++) {
                byte[] b = good.clone();
                if (c > 0) {
                    long[] where = c % 2 == 0 || strtab[1] == 0 ? symtab : strtab;
                    for (int k = 0; k < 1 + c % 3; k++) {
                        b[(int) (where[0] + random.nextLong(Math.max(1, where[1])))] = (byte) random.nextInt(256);
                    }
                }
                ElfFile f;
                SymbolTable t;
                try {
                    f = ElfFile.of(p + " copy " + c, b);
                    t = f.symbolTable().orElse(null);
                } catch (ElfFormatException e) {
                    continue; // a header the change broke: not this test's matter
                }
                if (t == null) {
                    continue;
                }
                tables++;
                String all = Outcome.of(t::all);
                refused += all.equals("passes") ? 0 : 1;
                assertThat(Outcome.of(t::checkAll)).as(p + " copy " + c).isEqualTo(all);
            }
        }
        assertThat(tables).isGreaterThan(100);
        assertThat(refused).as("damaged tables all() refuses").isGreaterThan(20);
    }
}
