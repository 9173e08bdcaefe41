package dev.kobj.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kobj.testkit.Corpus;
import dev.kobj.testkit.Readelf;
import dev.kobj.testkit.Tools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The real oracle: every .ko of Debian's linux-image-6.1.0-*-amd64-unsigned and
 * -arm64-unsigned packages and every .ko.xz of Debian 13's linux-image-6.12.*-riscv64 (fetched
 * by scripts/fetch-corpus.sh, never committed; a .ko.xz is decompressed by xz(1) for readelf) compared
 * with readelf -SsrW of the matching binutils, field by field. Runs in the Maven profile
 * {@code corpus} (.ci/run enables it); the goal is zero differences.
 */
class CorpusReadelfOracleTest {
    record Arch(String dir, String tool) {
    }

    @Test
    void everyDebianModuleMatchesReadelf() throws Exception {
        Map<String, String> tools = Map.of("amd64", "readelf", "arm64", "aarch64-linux-gnu-readelf", "riscv64",
                "riscv64-linux-gnu-readelf");
        List<Arch> arches = Corpus.arches().stream().map(d -> new Arch(d, tools.get(d))).toList();
        for (Arch a : arches) {
            Corpus.require(a.dir());
            Tools.require(a.tool());
        }
        Path tmp = Files.createTempDirectory("kobj-readelf-");
        long files = 0;
        long relocs = 0;
        long symbols = 0;
        long sections = 0;
        List<String> failures = new ArrayList<>();
        long t0 = System.nanoTime();
        int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            for (Arch a : arches) {
                List<Path> kos;
                try (Stream<Path> s = Files.walk(Corpus.root().resolve(a.dir()).resolve("lib/modules"))) {
                    kos = s.filter(p -> p.getFileName().toString().matches(".*\\.ko(\\.xz)?")).sorted().toList();
                }
                assertThat(kos).as(a.dir() + " modules").hasSizeGreaterThan(1000);
                List<Future<OracleCompare.Result>> results = new ArrayList<>();
                for (Path ko : kos) {
                    results.add(pool.submit(() -> OracleCompare.compare(ko, readelf(a.tool(), ko, tmp))));
                }
                long aFiles = 0;
                long aRelocs = 0;
                for (Future<OracleCompare.Result> f : results) {
                    OracleCompare.Result r;
                    try {
                        r = f.get();
                    } catch (java.util.concurrent.ExecutionException e) {
                        failures.add(e.getCause().toString());
                        continue;
                    }
                    aFiles++;
                    aRelocs += r.relocations();
                    symbols += r.symbols();
                    sections += r.sections();
                    if (!r.differences().isEmpty()) {
                        failures.add(r.file() + ": " + String.join("; ", r.differences().subList(0,
                                Math.min(5, r.differences().size()))));
                    }
                }
                System.out.printf("readelf oracle (corpus %s, %s): %d files, %d relocations compared%n", a.dir(),
                        a.tool(), aFiles, aRelocs);
                files += aFiles;
                relocs += aRelocs;
            }
        } finally {
            pool.shutdownNow();
            CorpusLdOracleTest.deleteTree(tmp);
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        System.out.printf("readelf oracle (corpus): %d files, %d sections, %d symbols, %d relocations compared in %.1f s;"
                + " %d files differ%n", files, sections, symbols, relocs, secs, failures.size());
        failures.stream().limit(20).forEach(f -> System.out.println("  DIFF " + f));
        assertThat(failures).as("files that differ from readelf").isEmpty();
    }

    /** {@return readelf's view of {@code ko}} (kobjdump reads a .ko.xz itself, readelf what xz(1) makes of it) */
    static Readelf readelf(String tool, Path ko, Path tmp) throws Exception {
        Path plain = ko.toString().endsWith(".xz") ? Files.createTempFile(tmp, "m-", ".ko") : null;
        try {
            return Readelf.run(tool, Corpus.plain(ko, plain));
        } finally {
            if (plain != null) {
                Files.deleteIfExists(plain);
            }
        }
    }
}
