package dev.kobj.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kobj.testkit.Testdata;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Smoke test (well under a second): the benchmark's kobj and jelf code paths decode the same
 * sections, symbols and relocations from the fixtures of {@code testdata/obj}. The
 * benchmarks themselves only run from {@code scripts/bench.sh}.
 */
class CrossCheckTest {

    @Test
    void kobjAndJelfAgreeOnTheFixtures() throws Exception {
        List<Path> objects;
        try (Stream<Path> walk = Files.walk(Testdata.path("obj"))) {
            objects = walk.filter(p -> p.toString().endsWith(".o")).sorted().toList();
        }
        List<String> problems = new ArrayList<>();
        long relocations = 0;
        int checked = 0;
        for (Path p : objects) {
            byte[] data = Files.readAllBytes(p);
            Corpus.CrossCheck c = Corpus.crossCheck(p, data, Corpus.blackhole());
            if (c.problem() != null) {
                problems.add(p + ": " + c.problem());
            } else {
                checked++;
                relocations += c.counts().relocations();
            }
        }
        assertThat(problems).isEmpty();
        assertThat(checked).isGreaterThan(10);
        assertThat(relocations).isPositive();
    }
}
