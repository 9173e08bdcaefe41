package dev.kobj.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kobj.testkit.Corpus;
import dev.kobj.testkit.Readelf;
import dev.kobj.testkit.Tools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The real oracle: every .ko of Debian's linux-image-6.1.0-*-amd64-unsigned and
 * -arm64-unsigned packages (fetched by scripts/fetch-corpus.sh, never committed) compared
 * with readelf -SsrW of the matching binutils, field by field. Runs in the Maven profile
 * {@code corpus} (.ci/run enables it); the goal is zero differences.
 */
class CorpusReadelfOracleTest {
    record Arch(String dir, String tool) {
    }

    @Test
    void everyDebianModuleMatchesReadelf() throws Exception {
        List<Arch> arches = List.of(new Arch("amd64", "readelf"), new Arch("arm64", "aarch64-linux-gnu-readelf"));
        for (Arch a : arches) {
            Corpus.require(a.dir());
            Tools.require(a.tool());
        }
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
                try (Stream<Path> s = Files.walk(Corpus.root().resolve(a.dir()))) {
                    kos = s.filter(p -> p.getFileName().toString().endsWith(".ko")).sorted().toList();
                }
                assertThat(kos).as(a.dir() + " modules").hasSizeGreaterThan(1000);
                List<Future<OracleCompare.Result>> results = new ArrayList<>();
                for (Path ko : kos) {
                    results.add(pool.submit(() -> OracleCompare.compare(ko, Readelf.run(a.tool(), ko))));
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
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        System.out.printf("readelf oracle (corpus): %d files, %d sections, %d symbols, %d relocations compared in %.1f s;"
                + " %d files differ%n", files, sections, symbols, relocs, secs, failures.size());
        failures.stream().limit(20).forEach(f -> System.out.println("  DIFF " + f));
        assertThat(failures).as("files that differ from readelf").isEmpty();
    }
}
