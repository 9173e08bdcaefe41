package dev.kobj.elf;

import static dev.kobj.elf.ElfConstants.*;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * {@link ElfFile} makes a {@link SectionHeader} only when one is asked for, and its own look-ups
 * ({@link ElfFile#section(String)}, {@link ElfFile#sections(int)}, {@link ElfFile#checkSections},
 * {@link ElfFile#relocationTables}) read the header table's fields in place. On every fixture and on
 * {@link ElfMutationFuzzTest}'s damaged copies of them, each gives what the same question asked of
 * the whole list {@link ElfFile#sections()} gives, element by element: the same sections, the same
 * tables, or the same exception with the same message.
 */
class LazySectionsAgreeTest extends MutatedFixtures {

    /** A question asked of one file, answered or failed. */
    private interface Question {
        Object ask(ElfFile f) throws Exception;
    }

    private static String answer(ElfFile f, Question q) {
        try {
            return "ok " + q.ask(f);
        } catch (Exception | StackOverflowError e) {
            return e.getClass().getName() + ": " + e.getMessage();
        }
    }

    /** {@return the file, or null when it does not open} (the opening's own checks are not in question here) */
    private static ElfFile open(String name, byte[] b) {
        try {
            return ElfFile.of(name, b);
        } catch (ElfFormatException e) {
            return null;
        }
    }

    /** The general way: every section of the list, checked as rawData and compressionHeader check it. */
    private static Object checkEach(ElfFile f) throws ElfFormatException {
        for (SectionHeader s : f.sections()) {
            f.rawData(s);
            if (s.isCompressed() && s.type() != SHT_NOBITS) {
                f.compressionHeader(s);
            }
        }
        return "checked";
    }

    /** The general way: a table per SHT_REL/SHT_RELA section of the list, described field by field. */
    private static Object tablesOfEach(ElfFile f) throws ElfFormatException {
        List<String> out = new ArrayList<>();
        for (SectionHeader s : f.sections()) {
            if (s.type() == SHT_REL || s.type() == SHT_RELA) {
                out.add(describe(f.relocationTable(s)));
            }
        }
        return out;
    }

    private static Object tables(ElfFile f) throws ElfFormatException {
        List<String> out = new ArrayList<>();
        for (RelocationTable t : f.relocationTables()) {
            out.add(describe(t));
        }
        return out;
    }

    private static String describe(RelocationTable t) {
        long sum = 0;
        for (long i = 0; i < t.size(); i++) {
            sum = sum * 31 + t.offset(i) * 7 + t.rawInfo(i) * 3 + t.addend(i);
        }
        return t.section() + " -> " + t.target() + " (" + t.targetIndex() + ") link " + t.symbolTableIndex()
                + " rela " + t.isRela() + " n " + t.size() + " sum " + sum;
    }

    private static void agree(String name, byte[] b) {
        ElfFile f = open(name, b);
        if (f == null) {
            return;
        }
        ElfFile g = open(name, b); // a second view: nothing made yet when its look-ups run
        assertThat(answer(g, x -> {
            x.checkSections();
            return "checked";
        })).as(name + " checkSections").isEqualTo(answer(f, LazySectionsAgreeTest::checkEach));
        ElfFile h = open(name, b);
        assertThat(answer(h, LazySectionsAgreeTest::tables)).as(name + " relocationTables")
                .isEqualTo(answer(f, LazySectionsAgreeTest::tablesOfEach));
        for (int type : new int[] {SHT_NULL, SHT_PROGBITS, SHT_SYMTAB, SHT_STRTAB, SHT_RELA, SHT_NOBITS, SHT_REL,
                SHT_GROUP, SHT_SYMTAB_SHNDX, SHT_NOTE}) {
            List<SectionHeader> filtered = f.sections().stream().filter(s -> s.type() == type).toList();
            assertThat(open(name, b).sections(type)).as(name + " sections(" + type + ")").isEqualTo(filtered);
        }
        Set<String> names = new LinkedHashSet<>();
        for (SectionHeader s : f.sections()) {
            names.add(s.name());
        }
        names.add(".no-such-section");
        names.add("");
        ElfFile k = open(name, b);
        for (String n : names) {
            Optional<SectionHeader> first = f.sections().stream().filter(s -> s.name().equals(n)).findFirst();
            assertThat(k.section(n)).as(name + " section(\"" + n + "\")").isEqualTo(first);
        }
        assertThat(answer(open(name, b), x -> x.symbolTable().map(SymbolTable::size)))
                .as(name + " symbolTable()").isEqualTo(answer(f, x -> {
                    for (SectionHeader s : x.sections()) {
                        if (s.type() == SHT_SYMTAB) {
                            return Optional.of(x.symbolTable(s).size());
                        }
                    }
                    return Optional.empty();
                }));
    }

    @Property(tries = 2000)
    void damagedCopiesAnswerAsTheWholeListDoes(@ForAll("mutations") ElfMutationFuzzTest.Mutation m) {
        int s = m.seed() % ElfMutationFuzzTest.SEEDS.size();
        agree(ElfMutationFuzzTest.NAMES.get(s) + "~" + m.kind(), ElfMutationFuzzTest.mutate(ElfMutationFuzzTest.SEEDS.get(s), m));
    }

    /**
     * Every field of every section header of the plain fixtures set, one at a time, to the values
     * at the edges of the checks made in place (0, 1, the section count and its neighbours, the
     * file's size and its neighbours, the entry sizes, all ones), as random mutations rarely do.
     */
    @Property(tries = 1)
    void everyHeaderFieldAtItsEdgesAnswersAsTheWholeListDoes() {
        int edits = 0;
        for (int s = 0; s < ElfMutationFuzzTest.SEEDS.size(); s++) {
            byte[] seed = ElfMutationFuzzTest.SEEDS.get(s);
            ElfFile f = open(ElfMutationFuzzTest.NAMES.get(s), seed);
            if (f == null || f.compression() != Compression.NONE || f.sections().size() > 64) {
                continue;
            }
            boolean is64 = f.header().is64();
            java.nio.ByteOrder order = f.header().order();
            long n = f.sections().size();
            long[] values = {0, 1, 8, 12, 16, 24, n - 1, n, n + 1, seed.length - 1, seed.length, seed.length + 1,
                    0xffffffffL, -1};
            // sh_type, sh_flags, sh_offset, sh_size, sh_link, sh_info, sh_entsize: offset and width
            int[][] fields = is64 ? new int[][] {{4, 4}, {8, 8}, {24, 8}, {32, 8}, {40, 4}, {44, 4}, {56, 8}}
                    : new int[][] {{4, 4}, {8, 4}, {16, 4}, {20, 4}, {24, 4}, {28, 4}, {36, 4}};
            for (int i = 0; i < n; i++) {
                for (int[] field : fields) {
                    for (long v : values) {
                        byte[] b = seed.clone();
                        ElfMutationFuzzTest.put(b, (int) (f.sectionHeaderOffset(i) + field[0]), v, field[1], order);
                        agree(ElfMutationFuzzTest.NAMES.get(s) + " section " + i + " @" + field[0] + " = " + v, b);
                        edits++;
                    }
                }
            }
        }
        assertThat(edits).as("edits made").isGreaterThan(1000);
    }

    @Property(tries = 1)
    void everyFixtureAnswersAsTheWholeListDoes() {
        int sections = 0;
        for (int s = 0; s < ElfMutationFuzzTest.SEEDS.size(); s++) {
            byte[] b = ElfMutationFuzzTest.SEEDS.get(s);
            agree(ElfMutationFuzzTest.NAMES.get(s), b);
            ElfFile f = open(ElfMutationFuzzTest.NAMES.get(s), b);
            sections += f == null ? 0 : f.sections().size();
        }
        assertThat(sections).as("sections of the fixtures").isGreaterThan(100);
    }
}
