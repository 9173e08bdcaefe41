package dev.kobj.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The depmod oracle: for every module of Debian's 6.1 amd64 and arm64 trees, the dependencies
 * {@code kobjdump depmod} writes must be those in the modules.dep that Debian's own depmod
 * (kmod) writes for the same tree, as a set, and in the same order. depmod runs as
 * {@code depmod -n -b corpus/ARCH VERSION}: it reads corpus/ARCH/lib/modules/VERSION and
 * writes to standard output only (modules.dep first, up to the "# Aliases" header of
 * modules.alias), so the corpus is never written to; depmod reads the foreign-architecture
 * arm64 tree the same way. Runs in the Maven profile {@code corpus}.
 */
class CorpusDepmodOracleTest {
    @TempDir
    Path tmp;

    /** {@return the depmod to use: /usr/sbin or /sbin (not on a user's PATH), else PATH's} */
    static Path depmod() {
        for (String p : List.of("/usr/sbin/depmod", "/sbin/depmod")) {
            if (Files.isExecutable(Path.of(p))) {
                return Path.of(p);
            }
        }
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(java.io.File.pathSeparator)) {
                Path c = Path.of(dir, "depmod");
                if (Files.isExecutable(c)) {
                    return c;
                }
            }
        }
        return null;
    }

    /** {@return modules.dep as depmod writes it for corpus/ARCH, VERSION} */
    static String runDepmod(Path depmod, Path base, String version) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(depmod.toString(), "-n", "-b", base.toString(), version);
        pb.environment().put("LC_ALL", "C");
        pb.redirectError(ProcessBuilder.Redirect.DISCARD);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new AssertionError(depmod + " -n -b " + base + " " + version + " failed");
        }
        int end = out.indexOf("\n# ");
        return end < 0 ? out : out.substring(0, end + 1);
    }

    /** {@return each module of a modules.dep and its dependency list, in file order} */
    static Map<String, List<String>> parse(String modulesDep) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (String line : modulesDep.split("\n")) {
            if (line.isEmpty()) {
                continue;
            }
            int colon = line.indexOf(':');
            String rest = line.substring(colon + 1).trim();
            out.put(line.substring(0, colon), rest.isEmpty() ? List.of() : List.of(rest.split(" ")));
        }
        return out;
    }

    @Test
    void everyDebianModuleHasDepmodsDependencies() throws Exception {
        Assumptions.assumeTrue(Boolean.getBoolean("kobj.corpus.enabled"),
                "the corpus oracle runs in the Maven profile 'corpus' (mvn -Pcorpus verify)");
        Path depmod = depmod();
        if (depmod == null) {
            String msg = "depmod is not installed (Debian: kmod)";
            if (Tools.ci()) {
                throw new AssertionError("CI=true but " + msg);
            }
            System.err.println("SKIPPED: " + msg);
            Assumptions.abort("skipped: " + msg);
        }
        Path corpus = CorpusReadelfOracleTest.corpus();
        List<String> failures = new ArrayList<>();
        long allModules = 0;
        for (String arch : List.of("amd64", "arm64")) {
            Path modules = corpus.resolve(arch).resolve("lib/modules");
            if (!Files.isDirectory(modules)) {
                String msg = "corpus " + modules + " is missing: run scripts/fetch-corpus.sh";
                if (Tools.ci()) {
                    throw new AssertionError("CI=true but " + msg);
                }
                System.err.println("SKIPPED: " + msg);
                Assumptions.abort(msg);
            }
            List<Path> versions;
            try (Stream<Path> s = Files.list(modules)) {
                versions = s.filter(Files::isDirectory).sorted().toList();
            }
            assertThat(versions).as(modules + " versions").isNotEmpty();
            for (Path tree : versions) {
                String version = tree.getFileName().toString();
                long t0 = System.nanoTime();
                String theirs = runDepmod(depmod, corpus.resolve(arch), version);
                Map<String, List<String>> expected = parse(theirs);
                long t1 = System.nanoTime();
                Path out = tmp.resolve(arch + "-" + version + ".dep");
                var run = LinkCommandTest.kobjdump("depmod", "--threads", "2", "-o", out.toString(), tree.toString());
                long t2 = System.nanoTime();
                assertThat(run.rc()).as(run.err()).isZero();
                String ours = Files.readString(out, StandardCharsets.ISO_8859_1);
                Map<String, List<String>> actual = parse(ours);

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
