package dev.kobj.registry.depmod;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kobj.elf.ElfFile;
import dev.kobj.testkit.Corpus;
import dev.kobj.testkit.Testdata;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link SymbolReader}, depmod's fast path, against the general reader ({@link ElfFile} and
 * {@link ModuleSymbols#read}) on real objects: whenever the fast path answers, the general
 * reader must give the same exports and imports, in the same order; and it must answer for
 * plain, signed and compressed modules of either class and byte order. The general reader is
 * itself checked against kmod's depmod by the corpus oracle (CorpusDepmodOracleTest).
 */
class SymbolReaderTest {
    /** {@return what the general reader gives, or null when it refuses the file} */
    private static ModuleSymbols general(Path file) {
        try (ElfFile f = ElfFile.open(file)) {
            return ModuleSymbols.read(f);
        } catch (Exception e) {
            return null;
        }
    }

    private static void agrees(SymbolReader r, Path file, boolean mustAnswer) {
        ModuleSymbols fast = r.read(file);
        ModuleSymbols slow = general(file);
        if (mustAnswer) {
            assertThat(fast).as("fast path on %s", file).isNotNull();
        }
        if (fast != null) {
            assertThat(slow).as("general reader on %s, which the fast path read", file).isNotNull();
            assertThat(fast.exports()).as("exports of %s", file).containsExactlyElementsOf(slow.exports());
            assertThat(fast.imports()).as("imports of %s", file).containsExactlyElementsOf(slow.imports());
            assertThat(fast).isEqualTo(slow);
        }
    }

    @Test
    void everyTestObjectReadsAsTheGeneralReaderReadsIt() throws Exception {
        SymbolReader r = new SymbolReader();
        List<Path> files;
        try (Stream<Path> s = Files.walk(Testdata.root().resolve("obj"))) {
            files = s.filter(Files::isRegularFile).filter(p -> p.toString().endsWith(".o")).sorted().toList();
        }
        assertThat(files).hasSizeGreaterThan(50);
        for (Path f : files) {
            agrees(r, f, f.toString().contains("kernel"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"module.ko", "module-signed.ko", "module.ko.gz", "module.ko.xz", "module.ko.zst",
        "be32.o", "be64.o", "be64-aarch64.o", "le32-ilp32.o"})
    void plainSignedCompressedAndBothByteOrders(String name) {
        agrees(new SymbolReader(), Testdata.root().resolve("special").resolve(name), true);
    }

    @ParameterizedTest
    @ValueSource(strings = {"debug-plain.o", "debug-zlib.o", "debug-zstd.o", "many-sections.o.xz"})
    void unusualObjectsAgreeOrAreLeftToTheGeneralReader(String name) {
        agrees(new SymbolReader(), Testdata.root().resolve("special").resolve(name), false);
    }

    @Test
    void importsAndExportsOfTheFixtures() {
        Path dir = Testdata.root().resolve("obj/x86_64-gcc-kernel");
        SymbolReader r = new SymbolReader();
        assertThat(r.read(dir.resolve("exporter.o")).exports())
                .containsExactlyInAnyOrder("kobj_shared_counter", "kobj_shared_add");
        assertThat(r.read(dir.resolve("importer.o")).imports()).contains("kobj_shared_add", "kobj_shared_counter");
    }

    /** Damaged modules: the fast path either agrees with the general reader or leaves the file to it. */
    @Test
    void damagedModulesNeverReadDifferently(@TempDir Path tmp) throws Exception {
        SymbolReader r = new SymbolReader();
        for (String name : List.of("module.ko", "module-signed.ko", "be32.o")) {
            byte[] good = Files.readAllBytes(Testdata.root().resolve("special").resolve(name));
            Random rnd = new Random(name.hashCode());
            Path f = tmp.resolve(name);
            for (int n = 0; n < 300; n++) {
                byte[] bad = good.clone();
                int len = bad.length;
                if (n % 10 == 0) {
                    len = rnd.nextInt(bad.length); // truncated
                } else {
                    for (int k = 0; k < 1 + rnd.nextInt(4); k++) {
                        // mostly the header, the section header table and the tables at the end
                        int at = rnd.nextBoolean() ? rnd.nextInt(Math.min(64, len))
                                : len - 1 - rnd.nextInt(Math.min(len, 4096));
                        bad[at] = (byte) rnd.nextInt(256);
                    }
                }
                Files.write(f, java.util.Arrays.copyOf(bad, len));
                agrees(r, f, false);
            }
        }
    }

    /** Every module of the corpus trees (every 20th of the xz-compressed riscv64 one). */
    @ParameterizedTest
    @ValueSource(strings = {"amd64", "arm64", "riscv64"})
    void corpusModulesReadAsTheGeneralReaderReadsThem(String arch) throws Exception {
        Path dir = Corpus.require(arch);
        List<Path> files;
        try (Stream<Path> s = Files.walk(dir.resolve("lib/modules"))) {
            files = s.filter(Files::isRegularFile).filter(p -> ModuleTree.isModuleFile(p.getFileName().toString()))
                    .sorted().toList();
        }
        assertThat(files).hasSizeGreaterThan(3000);
        SymbolReader r = new SymbolReader();
        int step = arch.equals("riscv64") ? 20 : 1;
        for (int i = 0; i < files.size(); i += step) {
            agrees(r, files.get(i), true);
        }
    }
}
