package dev.kobj.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kobj.testkit.Fixture;
import dev.kobj.testkit.Readelf;
import dev.kobj.testkit.Testdata;
import dev.kobj.testkit.Tools;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The small oracle: for every object of testdata/objects.tsv, kobjdump's sections, symbols and
 * relocations equal, field by field, what the matching GNU readelf ({@code readelf},
 * {@code aarch64-linux-gnu-readelf}, {@code riscv64-linux-gnu-readelf}) printed with
 * {@code -SsrW}. The readelf outputs are committed beside the objects (testdata/golden,
 * written by testdata/build.sh) so that this runs without binutils; a second test checks
 * them against the live readelf when it is installed (always under CI).
 */
class ReadelfOracleTest {
    record Entry(String path, String tool) {
    }

    static List<Entry> entries() {
        return Fixture.all().stream().map(f -> new Entry(f.path(), f.readelf())).toList();
    }

    /** The uncompressed name of a fixture committed compressed (.xz, .zst, .gz), or the name itself. */
    static String plainName(String path) {
        for (String ext : new String[] {".xz", ".zst", ".gz"}) {
            if (path.endsWith(ext)) {
                return path.substring(0, path.length() - ext.length());
            }
        }
        return path;
    }

    /**
     * The committed readelf output: a compressed fixture's is that of its uncompressed name,
     * kept as {@code .readelf} or, when large, as {@code .readelf.xz}.
     */
    static String golden(Entry e) throws IOException {
        Path dir = Testdata.root().resolve("golden");
        Path plain = dir.resolve(plainName(e.path()) + ".readelf");
        if (Files.isRegularFile(plain)) {
            return Files.readString(plain, StandardCharsets.ISO_8859_1);
        }
        try (var in = new org.tukaani.xz.XZInputStream(Files.newInputStream(dir.resolve(plainName(e.path()) + ".readelf.xz")))) {
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    static Path object(Entry e) {
        return Testdata.root().resolve(e.path());
    }

    /** The object as readelf can read it: compressed fixtures are decompressed by their own tools' libraries. */
    static Path plainObject(Entry e, Path tmp) throws IOException {
        Path obj = object(e);
        String name = e.path();
        if (name.equals(plainName(name))) {
            return obj;
        }
        Path out = tmp.resolve(Path.of(plainName(name)).getFileName().toString());
        try (var raw = Files.newInputStream(obj);
                var in = name.endsWith(".xz") ? new org.tukaani.xz.XZInputStream(raw)
                        : name.endsWith(".gz") ? new java.util.zip.GZIPInputStream(raw)
                        : new com.github.luben.zstd.ZstdInputStream(raw)) {
            Files.write(out, in.readAllBytes());
        }
        return out;
    }

    @TestFactory
    Stream<DynamicTest> kobjdumpMatchesReadelfOnEveryFixture() throws IOException {
        List<Entry> all = entries();
        assertThat(all).as("objects.tsv").hasSizeGreaterThan(40);
        return all.stream().filter(e -> Files.isRegularFile(object(e))).map(e -> DynamicTest.dynamicTest(e.path(), () -> {
            Readelf golden = Readelf.parse(golden(e));
            assertThat(golden.sections).as("sections parsed from the golden readelf output").isNotEmpty();
            OracleCompare.Result r = OracleCompare.compare(object(e), golden);
            assertThat(r.differences()).as(e.path()).isEmpty();
            assertThat(r.symbols()).isEqualTo(golden.symbols.stream().filter(s -> s.table().equals(".symtab")).count());
            assertThat(r.relocations()).isEqualTo(golden.relocs.size());
        }));
    }

    @Test
    void everyArchitectureAndBothClassesAndByteOrdersAreCovered() throws IOException {
        List<String> tools = entries().stream().map(Entry::tool).distinct().toList();
        assertThat(tools).contains("readelf", "aarch64-linux-gnu-readelf", "riscv64-linux-gnu-readelf");
        long relocs = 0;
        for (Entry e : entries()) {
            relocs += Readelf.parse(golden(e)).relocs.size();
        }
        System.out.println("readelf oracle (fixtures): " + entries().size() + " objects, " + relocs + " relocations");
        assertThat(relocs).isGreaterThan(1000);
    }

    @TestFactory
    Stream<DynamicTest> goldenOutputsAreWhatTheLiveReadelfPrints(@TempDir Path tmp) throws IOException {
        return entries().stream().filter(e -> Files.isRegularFile(object(e))).map(e -> DynamicTest.dynamicTest(e.path(), () -> {
            Tools.require(e.tool());
            Readelf live = Readelf.run(e.tool(), plainObject(e, tmp));
            Readelf golden = Readelf.parse(golden(e));
            assertThat(live.sections).isEqualTo(golden.sections);
            assertThat(live.symbols).isEqualTo(golden.symbols);
            assertThat(live.relocs).isEqualTo(golden.relocs);
        }));
    }
}
