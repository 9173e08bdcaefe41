package dev.kobj.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.kobj.elf.ElfFile;
import dev.kobj.elf.ModVersion;
import dev.kobj.elf.SectionHeader;
import dev.kobj.testkit.Corpus;
import dev.kobj.testkit.Testdata;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@link VersionTable#of(ElfFile)} (the entries keyed by their bytes in a copy of __versions)
 * against a first-wins map of {@link ElfFile#modversions} (elf-parser's reading): the same CRC
 * for every listed name, nothing for names not listed, on every testdata object (ELF32 and
 * ELF64, both byte orders), on a copy of each whose __versions entry lost its NUL (the same
 * error), and, with the corpus, on every 25th module of the three trees.
 */
class VersionTableBytesTest {

    private static List<Path> objects() throws IOException {
        List<Path> out = new ArrayList<>();
        for (String dir : List.of("obj", "special")) {
            try (Stream<Path> s = Files.walk(Testdata.path(dir))) {
                s.filter(p -> p.toString().endsWith(".o") || p.toString().endsWith(".ko")).sorted().forEach(out::add);
            }
        }
        return out;
    }

    /** Asserts that the table made from the bytes answers as the one made from elf-parser's list. */
    private static void agrees(ElfFile elf) throws Exception {
        List<ModVersion> list;
        try {
            list = elf.modversions();
        } catch (Exception e) {
            Throwable t = catchThrowable(() -> VersionTable.of(elf));
            assertThat(t).as(elf.name()).isInstanceOf(e.getClass()).hasMessage(e.getMessage());
            return;
        }
        Map<String, Long> expected = new LinkedHashMap<>();
        list.forEach(v -> expected.putIfAbsent(v.name(), v.crc()));
        VersionTable t = VersionTable.of(elf);
        for (var e : expected.entrySet()) {
            assertThat(t.crc(e.getKey())).as(elf.name() + " " + e.getKey()).isEqualTo(e.getValue());
            int s = t.checkFirst(e.getKey());
            assertThat(s).as(e.getKey()).isNotNegative();
            assertThat(t.listed(s)).isTrue();
            assertThat(t.crcAt(s)).isEqualTo(e.getValue());
            assertThat(t.checkFirst(e.getKey())).isNegative();
        }
        for (String other : List.of("", "x", "module_layou", "printk_", "\u00e9t\u00e9")) {
            if (!expected.containsKey(other)) {
                assertThat(t.crc(other)).as(other).isNull();
                int s = t.checkFirst(other);
                assertThat(t.listed(s)).isFalse();
                assertThat(t.checkFirst(other)).isNegative();
            }
        }
    }

    @Test
    void readsAsElfParserOnEveryFixture() throws Exception {
        int withVersions = 0;
        for (Path p : objects()) {
            try (ElfFile elf = ElfFile.open(p)) {
                withVersions += elf.section("__versions").isPresent() ? 1 : 0;
                agrees(elf);
            }
        }
        assertThat(withVersions).as("fixtures with __versions").isGreaterThan(5);
    }

    @Test
    void aNameWithoutItsNulFailsAsElfParserSays() throws Exception {
        int damaged = 0;
        for (Path p : objects()) {
            byte[] bytes = Files.readAllBytes(p);
            SectionHeader s;
            boolean is64;
            try (ElfFile elf = ElfFile.of(p.toString(), bytes)) {
                var v = elf.section("__versions");
                if (v.isEmpty() || v.get().size() < 64 || v.get().isCompressed()) {
                    continue;
                }
                s = v.get();
                is64 = elf.header().is64();
            }
            byte[] copy = bytes.clone();
            int entry = (int) s.offset() + (int) (s.size() - 64); // the last entry
            for (int k = is64 ? 8 : 4; k < 64; k++) {
                copy[entry + k] = 'a';
            }
            try (ElfFile elf = ElfFile.of(p + " (no NUL)", copy)) {
                agrees(elf);
                assertThat(catchThrowable(elf::modversions)).as(p.toString()).isNotNull();
            }
            damaged++;
        }
        assertThat(damaged).isGreaterThan(5);
    }

    @Test
    void readsAsElfParserOnTheCorpus() throws Exception {
        for (String arch : Corpus.ARCHES) {
            Path tree = Corpus.require(arch);
            List<Path> modules;
            try (Stream<Path> s = Files.walk(tree.resolve("lib/modules"))) {
                modules = s.filter(p -> p.toString().endsWith(".ko") || p.toString().endsWith(".ko.xz")).sorted().toList();
            }
            Map<String, Integer> seen = new HashMap<>();
            for (int i = 0; i < modules.size(); i += 25) {
                try (ElfFile elf = ElfFile.open(modules.get(i))) {
                    agrees(elf);
                    seen.merge(arch, 1, Integer::sum);
                }
            }
            assertThat(seen.getOrDefault(arch, 0)).as(arch).isPositive();
        }
    }
}
