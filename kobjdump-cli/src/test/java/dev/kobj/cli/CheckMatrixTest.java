package dev.kobj.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kobj.cli.kernel.KernelImage;
import dev.kobj.testkit.Corpus;
import dev.kobj.testkit.Depmod;
import dev.kobj.testkit.Testdata;
import dev.kobj.testkit.Tools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kobjdump check --matrix}: modules against several kernels in one run. The problems of
 * each cell are kmod's: {@code depmod -n -e -E Module.symvers} lists every symbol a module needs
 * that the kernel does not export ("needs unknown symbol") or exports with another CRC
 * ("disagrees about version of symbol"), which must be the cell's UNRESOLVED and CRC_MISMATCH
 * problems. Each column must also be what a single-kernel {@code check} of the same modules
 * reports. On testdata's module.ko against two Module.symvers written here, and (Maven profile
 * corpus, with scripts/fetch-kernels.sh's kernels) on Debian's amd64 and arm64 6.1 trees
 * against the Module.symvers of 6.1 amd64, 6.12 amd64 and 6.1 arm64.
 */
class CheckMatrixTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern DEPMOD_WARNING = Pattern.compile(
            "depmod: WARNING: (\\S+) (needs unknown symbol|disagrees about version of symbol) (\\S+)");

    @TempDir
    Path dir;

    /**
     * {@return per module (path under the tree), its "KIND symbol" problems as depmod reports them}
     * for {@code base}/lib/modules/{@code version} against {@code symvers}
     */
    private static Map<String, Set<String>> depmod(Path base, String version, Path symvers) throws Exception {
        Tools.Run r = Tools.exec(List.of(Depmod.binary().toString(), "-n", "-e", "-E", symvers.toString(), "-b",
                base.toString(), version), null, false, Duration.ofSeconds(300));
        assertThat(r.exit()).as(r.err()).isZero();
        Map<String, Set<String>> out = new TreeMap<>();
        String marker = "/lib/modules/" + version + "/";
        for (String line : r.err().split("\n")) {
            Matcher m = DEPMOD_WARNING.matcher(line);
            if (m.matches()) {
                String kind = m.group(2).startsWith("needs") ? "UNRESOLVED" : "CRC_MISMATCH";
                String file = m.group(1);
                out.computeIfAbsent(file.substring(file.indexOf(marker) + marker.length()), k -> new TreeSet<>())
                        .add(kind + " " + m.group(3));
            }
        }
        return out;
    }

    /** {@return per module (path under {@code root}), its UNRESOLVED and CRC_MISMATCH problems in column {@code k}} */
    private static Map<String, Set<String>> column(JsonNode matrix, int k, Path root, Predicate<String> symbols) {
        Map<String, Set<String>> out = new TreeMap<>();
        String prefix = root + "/";
        for (JsonNode m : matrix.get("modules")) {
            String file = m.get("file").asText();
            if (!file.startsWith(prefix)) {
                continue;
            }
            for (JsonNode p : m.get("verdicts").get(k).get("problems")) {
                String kind = p.get("kind").asText();
                if ((kind.equals("UNRESOLVED") || kind.equals("CRC_MISMATCH")) && symbols.test(p.get("symbol").asText())) {
                    out.computeIfAbsent(file.substring(prefix.length()), x -> new TreeSet<>())
                            .add(kind + " " + p.get("symbol").asText());
                }
            }
        }
        return out;
    }

    /** {@return per module, "status errno [KIND symbol...]"} of a single-kernel check --json */
    private static Map<String, String> single(JsonNode check) {
        Map<String, String> out = new HashMap<>();
        for (JsonNode m : check.get("modules")) {
            Set<String> problems = new TreeSet<>();
            m.get("problems").forEach(p -> problems.add(p.get("kind").asText() + " " + p.get("symbol").asText()));
            out.put(m.get("file").asText(), m.get("status").asText() + " " + m.path("errno").asText() + " " + problems);
        }
        return out;
    }

    /** {@return the same as {@link #single} for column {@code k} of the matrix} */
    private static Map<String, String> single(JsonNode matrix, int k) {
        Map<String, String> out = new HashMap<>();
        for (JsonNode m : matrix.get("modules")) {
            JsonNode v = m.get("verdicts").get(k);
            Set<String> problems = new TreeSet<>();
            v.get("problems").forEach(p -> problems.add(p.get("kind").asText() + " " + p.get("symbol").asText()));
            out.put(m.get("file").asText(), v.get("status").asText() + " " + v.path("errno").asText() + " " + problems);
        }
        return out;
    }

    private static JsonNode json(LinkCommandTest.Run r) throws Exception {
        assertThat(r.err()).isEmpty();
        return JSON.readTree(r.out());
    }

    @Test
    void aModuleAgainstTwoKernelsIsWhatDepmodAndTwoSingleChecksSay() throws Exception {
        Path tree = Files.createDirectories(dir.resolve("lib/modules/6.1.0/kernel"));
        Files.copy(Testdata.root().resolve("special/module.ko"), tree.resolve("kobj_demo.ko"));
        Path good = Files.createDirectories(dir.resolve("good")).resolve("Module.symvers");
        Files.writeString(good, CheckCommandTest.SYMVERS);
        Path bad = Files.createDirectories(dir.resolve("bad")).resolve("Module.symvers");
        Files.writeString(bad, CheckCommandTest.SYMVERS.replace("0x92997ed8\tprintk", "0x12345678\tprintk")
                .replace("0xeb233a45\tkmalloc\tvmlinux\tEXPORT_SYMBOL\t\n", ""));
        var r = LinkCommandTest.kobjdump("check", "--matrix", "--json", "--kernel", good.toString(), "--kernel",
                dir.resolve("bad").toString(), tree.toString());
        assertThat(r.rc()).isEqualTo(1);
        JsonNode m = json(r);
        assertThat(m.get("kernels").get(0).get("label").asText()).isEqualTo("good");
        assertThat(m.get("kernels").get(1).get("file").asText()).isEqualTo(bad.toString());
        for (int k = 0; k < 2; k++) {
            Path symvers = k == 0 ? good : bad;
            assertThat(column(m, k, tree.getParent(), s -> true)).as("kernel %d", k)
                    .isEqualTo(depmod(dir, "6.1.0", symvers));
            var one = LinkCommandTest.kobjdump("check", "--json", "--kernel", symvers.toString(), tree.toString());
            assertThat(single(m, k)).as("kernel %d", k).isEqualTo(single(json(one)));
        }
        assertThat(column(m, 1, tree.getParent(), s -> true)).containsEntry("kernel/kobj_demo.ko",
                new TreeSet<>(List.of("CRC_MISMATCH printk", "UNRESOLVED kmalloc")));
        JsonNode summary = m.get("summary");
        assertThat(summary.get(0).get("ok").asLong()).isEqualTo(1);
        assertThat(summary.get(1).get("refused").asLong()).isEqualTo(1);
        var text = LinkCommandTest.kobjdump("check", "--matrix", "--kernel", good.toString(), "--kernel",
                bad.toString(), tree.toString());
        String errno = json(LinkCommandTest.kobjdump("check", "--json", "--kernel", bad.toString(), tree.toString()))
                .get("modules").get(0).get("errno").asText();
        assertThat(text.out()).contains("K1      K2        module\n",
                "ok      " + Fmt.left(errno, 8) + "  " + tree.resolve("kobj_demo.ko") + "\n",
                " x K1 good: 1 modules, 1 would load, 0 refused, 0 unreadable\n",
                " x K2 bad: 1 modules, 0 would load, 1 refused, 0 unreadable (CRC_MISMATCH 1, UNRESOLVED 1)\n");
    }

    @Test
    void aMissingKernelIsNamed() throws Exception {
        Path absent = dir.resolve("absent.symvers");
        var r = LinkCommandTest.kobjdump("check", "--matrix", "--kernel", absent.toString(),
                Testdata.root().resolve("special/module.ko").toString());
        assertThat(r.rc()).isEqualTo(1);
        assertThat(r.err()).contains(absent.toString());
        var none = LinkCommandTest.kobjdump("check", "--matrix", Testdata.root().resolve("special/module.ko").toString());
        assertThat(none.rc()).isEqualTo(2);
        assertThat(none.err()).contains("--matrix needs at least one --kernel");
    }

    /** {@return the one module tree under {@code base}/lib/modules} */
    private static Path tree(Path base) throws Exception {
        try (var s = Files.list(base.resolve("lib/modules"))) {
            List<Path> trees = s.filter(Files::isDirectory).toList();
            assertThat(trees).hasSize(1);
            return trees.getFirst();
        }
    }

    /** {@return the owner of each symbol of a Module.symvers} */
    private static Map<String, String> owners(Path symvers) throws Exception {
        Map<String, String> out = new HashMap<>();
        for (String line : Files.readAllLines(symvers)) {
            String[] f = line.split("\t");
            if (f.length >= 3) {
                out.put(f[1], f[2]);
            }
        }
        return out;
    }

    @Test
    void debianTreesAgainstThreeKernels() throws Exception {
        Assumptions.assumeTrue(Corpus.enabled(),
                "the corpus oracle runs in the Maven profile 'corpus' (mvn -Pcorpus verify)");
        List<KernelImage> kernels = new ArrayList<>();
        for (String[] k : new String[][] {{"6.1", "amd64"}, {"6.12", "amd64"}, {"6.1", "arm64"}}) {
            var image = KernelImage.find(k[0], k[1]);
            if (image.isEmpty()) {
                Tools.skip("no " + k[0] + " " + k[1] + " kernel under " + KernelImage.root()
                        + " (scripts/fetch-kernels.sh)");
            }
            kernels.add(image.orElseThrow());
        }
        Path amd64 = Corpus.require("amd64").toAbsolutePath().normalize();
        Path arm64 = Corpus.require("arm64").toAbsolutePath().normalize();
        Path amd64Tree = tree(amd64);
        Path arm64Tree = tree(arm64);
        String version = amd64Tree.getFileName().toString();
        List<String> args = new ArrayList<>(List.of("check", "--matrix", "--json"));
        kernels.forEach(k -> args.addAll(List.of("--kernel", k.dir().toAbsolutePath().normalize().toString())));
        args.addAll(List.of(amd64Tree.toString(), arm64Tree.toString()));
        long t0 = System.nanoTime();
        JsonNode m = json(LinkCommandTest.kobjdump(args.toArray(String[]::new)));
        long t1 = System.nanoTime();
        assertThat(m.get("modules").size()).isGreaterThan(7000);

        // Each tree against its own release: depmod reports nothing, every module would load.
        assertThat(depmod(amd64, version, kernels.get(0).dir().resolve("Module.symvers"))).isEmpty();
        assertThat(column(m, 0, amd64Tree, s -> true)).isEmpty();
        assertThat(depmod(arm64, arm64Tree.getFileName().toString(), kernels.get(2).dir().resolve("Module.symvers")))
                .isEmpty();
        assertThat(column(m, 2, arm64Tree, s -> true)).isEmpty();
        JsonNode summary = m.get("summary"); // tree-major: (amd64, K1..K3), (arm64, K1..K3)
        assertThat(summary.get(0).get("refused").asLong()).isZero();
        assertThat(summary.get(5).get("refused").asLong()).isZero();
        assertThat(summary.get(0).get("ok").asLong()).isEqualTo(summary.get(0).get("modules").asLong());

        // The 6.1 amd64 tree against 6.12's Module.symvers. depmod -E takes only vmlinux's
        // symbols from Module.symvers and the others from the tree's modules (6.1's CRCs);
        // check --matrix takes every owner's from Module.symvers. Compared: the symbols that
        // are vmlinux's (or nobody's) in both releases.
        Map<String, String> own61 = owners(amd64.resolve("Module.symvers"));
        Map<String, String> own612 = owners(kernels.get(1).dir().resolve("Module.symvers"));
        Predicate<String> vmlinuxInBoth = s -> own61.getOrDefault(s, "vmlinux").equals("vmlinux")
                && own612.getOrDefault(s, "vmlinux").equals("vmlinux");
        Map<String, Set<String>> theirs = new TreeMap<>();
        depmod(amd64, version, kernels.get(1).dir().resolve("Module.symvers")).forEach((mod, problems) -> {
            Set<String> kept = new TreeSet<>(problems.stream().filter(p -> vmlinuxInBoth.test(p.split(" ")[1])).toList());
            if (!kept.isEmpty()) {
                theirs.put(mod, kept);
            }
        });
        assertThat(theirs.values().stream().mapToInt(Set::size).sum()).as("depmod's problems compared")
                .isGreaterThan(10_000);
        assertThat(column(m, 1, amd64Tree, vmlinuxInBoth)).isEqualTo(theirs);

        // Each column is what a check against that kernel alone reports (here: 6.12, the one with problems).
        long t2 = System.nanoTime();
        var one = LinkCommandTest.kobjdump("check", "--json", "--kernel",
                kernels.get(1).dir().resolve("Module.symvers").toString(), amd64Tree.toString());
        long t3 = System.nanoTime();
        Map<String, String> alone = single(json(one));
        Map<String, String> cells = single(m, 1);
        cells.keySet().retainAll(alone.keySet());
        assertThat(cells).hasSize(alone.size()).isEqualTo(alone);
        System.out.printf("check --matrix: %d modules x %d kernels in %.1f s; one tree against one kernel alone %.1f s%n",
                m.get("modules").size(), kernels.size(), (t1 - t0) / 1e9, (t3 - t2) / 1e9);
    }
}
