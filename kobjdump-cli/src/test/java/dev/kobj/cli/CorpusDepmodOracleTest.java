package dev.kobj.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kobj.testkit.Corpus;
import dev.kobj.testkit.Depmod;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The depmod oracle: for every module of Debian's 6.1 amd64 and arm64 trees and of Debian 13's
 * 6.12 riscv64 tree (.ko.xz modules, which kmod reads too), the dependencies
 * {@code kobjdump depmod} writes must be those in the modules.dep that Debian's own depmod
 * (kmod) writes for the same tree, as a set, and in the same order. depmod runs as
 * {@code depmod -n -b corpus/ARCH VERSION}: it reads corpus/ARCH/lib/modules/VERSION and
 * writes to standard output only (modules.dep first, up to the "# Aliases" header of
 * modules.alias), so the corpus is never written to; depmod reads the foreign-architecture
 * arm64 and riscv64 trees the same way. Runs in the Maven profile {@code corpus}.
 */
class CorpusDepmodOracleTest {
    @TempDir
    Path tmp;

    @Test
    void everyDebianModuleHasDepmodsDependencies() throws Exception {
        Assumptions.assumeTrue(Corpus.enabled(),
                "the corpus oracle runs in the Maven profile 'corpus' (mvn -Pcorpus verify)");
        Depmod.binary();
        List<String> failures = new ArrayList<>();
        long allModules = 0;
        for (String arch : Corpus.arches()) {
            Path modules = Corpus.require(arch).resolve("lib/modules");
            List<Path> versions;
            try (Stream<Path> s = Files.list(modules)) {
                versions = s.filter(Files::isDirectory).sorted().toList();
            }
            assertThat(versions).as(modules + " versions").isNotEmpty();
            for (Path tree : versions) {
                String version = tree.getFileName().toString();
                long t0 = System.nanoTime();
                String theirs = Depmod.modulesDep(Corpus.root().resolve(arch), version);
                Map<String, List<String>> expected = Depmod.parse(theirs);
                long t1 = System.nanoTime();
                Path out = tmp.resolve(arch + "-" + version + ".dep");
                var run = LinkCommandTest.kobjdump("depmod", "--threads", "2", "-o", out.toString(), tree.toString());
                long t2 = System.nanoTime();
                assertThat(run.rc()).as(run.err()).isZero();
                String ours = Files.readString(out, StandardCharsets.ISO_8859_1);
                Map<String, List<String>> actual = Depmod.parse(ours);

                long deps = 0;
                long withDeps = 0;
                long equalSets = 0;
                long differentSets = 0;
                long equalOrder = 0;
                for (var e : expected.entrySet()) {
                    deps += e.getValue().size();
                    withDeps += e.getValue().isEmpty() ? 0 : 1;
                    List<String> mine = actual.get(e.getKey());
                    if (mine == null) {
                        differentSets++;
                        failures.add(arch + ": " + e.getKey() + " missing from kobjdump's modules.dep");
                        continue;
                    }
                    if (new HashSet<>(mine).equals(new HashSet<>(e.getValue())) && mine.size() == e.getValue().size()) {
                        equalSets++;
                        if (mine.equals(e.getValue())) {
                            equalOrder++;
                        } else {
                            failures.add(arch + ": " + e.getKey() + ": order " + mine + " but depmod " + e.getValue());
                        }
                    } else {
                        differentSets++;
                        Set<String> extra = new HashSet<>(mine);
                        extra.removeAll(e.getValue());
                        Set<String> missing = new HashSet<>(e.getValue());
                        missing.removeAll(mine);
                        failures.add(arch + ": " + e.getKey() + ": extra " + extra + ", missing " + missing);
                    }
                }
                Set<String> unexpected = new HashSet<>(actual.keySet());
                unexpected.removeAll(expected.keySet());
                unexpected.forEach(m -> failures.add(arch + ": " + m + " is not in depmod's modules.dep"));
                boolean sameLines = List.copyOf(actual.keySet()).equals(List.copyOf(expected.keySet()));
                if (!sameLines) {
                    failures.add(arch + ": modules are not listed in depmod's order");
                }
                allModules += expected.size();
                System.out.printf("depmod oracle (%s %s): %d modules, %d with dependencies, %d dependencies; "
                        + "%d equal sets, %d different, %d in depmod's order; module lines in depmod's order: %s; "
                        + "byte-identical: %s; depmod %.2f s, kobjdump depmod (in process) %.2f s%n",
                        arch, version, expected.size(), withDeps, deps, equalSets, differentSets, equalOrder,
                        sameLines, ours.equals(theirs),
                        (t1 - t0) / 1e9, (t2 - t1) / 1e9);
            }
        }
        failures.stream().limit(20).forEach(f -> System.out.println("  DIFF " + f));
        assertThat(allModules).as("modules compared").isGreaterThan(1000);
        assertThat(failures).as("modules whose dependencies differ from depmod's").isEmpty();
    }
}
