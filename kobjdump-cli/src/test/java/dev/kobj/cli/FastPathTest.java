package dev.kobj.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kobj.testkit.Testdata;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command lines {@link FastPath} runs without picocli give what picocli gives: each is run
 * both ways ({@code --} before the files sends the same command line through picocli, which
 * reads everything after it as files), and command lines it must not take are left to picocli.
 */
class FastPathTest {
    private static final String MODULE = Testdata.root().resolve("special/module.ko").toString();
    private static final String OBJECT = Testdata.root().resolve("obj/x86_64-gcc-kernel/module.o").toString();
    private static final String MISSING = Testdata.root().resolve("special/no-such.ko").toString();

    private static KobjDumpCliTest.Run run(String... args) {
        return KobjDumpCliTest.run(args);
    }

    @Test
    void sameOutputAsPicocliForEveryFileCommand() {
        for (String cmd : List.of("headers", "sections", "symbols", "relocs", "modinfo", "groups")) {
            for (List<String> files : List.of(List.of(MODULE), List.of(MODULE, OBJECT), List.of(OBJECT, MISSING))) {
                for (boolean json : new boolean[] {false, true}) {
                    List<String> fast = new ArrayList<>(List.of(cmd));
                    List<String> picocli = new ArrayList<>(List.of(cmd));
                    if (json) {
                        fast.add("--json");
                        picocli.add("--json");
                    }
                    fast.addAll(files);
                    picocli.add("--");
                    picocli.addAll(files);
                    KobjDumpCliTest.Run a = run(fast.toArray(String[]::new));
                    KobjDumpCliTest.Run b = run(picocli.toArray(String[]::new));
                    assertThat(a).as(String.join(" ", fast)).isEqualTo(b);
                }
            }
        }
    }

    /** Lines and JSON members that carry a time or a speed, the only things two runs may differ in. */
    private static final Pattern TIMING = Pattern.compile(
            "(?m)^(Elapsed|Modules/s|Relocations/s|Files/s|Peak heap|kobjdump depmod: ).*$|\"(seconds|elapsedSeconds|filesPerSecond|relocationsPerSecond)\": [0-9.]+");

    /** A drawing of the progress bar: how far it got when it was drawn depends on the run. */
    private static final Pattern PROGRESS = Pattern.compile("\\[[# ]*\\][^\\r\\n]*");

    private static KobjDumpCliTest.Run untimed(KobjDumpCliTest.Run r) {
        String err = PROGRESS.matcher(TIMING.matcher(r.err()).replaceAll("")).replaceAll("").replaceAll("\\s+", " ").strip();
        return new KobjDumpCliTest.Run(r.rc(), TIMING.matcher(r.out()).replaceAll(""), err);
    }

    /**
     * check, stats and depmod give what picocli gives for every option FastPath takes: each command
     * line is run as it is and with {@code --} before its positionals (picocli then parses it).
     */
    @Test
    void sameOutputAsPicocliForTreeCommands(@TempDir Path tmp) throws Exception {
        Path tree = tmp.resolve("tree");
        Path src = Testdata.root().resolve("obj/x86_64-gcc-kernel");
        Files.createDirectories(tree.resolve("kernel/lib"));
        for (String m : List.of("exporter", "importer", "module")) {
            Files.copy(src.resolve(m + ".o"), tree.resolve("kernel/lib/" + m + ".ko"));
        }
        String symvers = Testdata.root().resolve("special/Module.symvers").toString();
        String special = Testdata.root().resolve("special").toString();
        String obj = Testdata.root().resolve("obj").toString();
        String dep = tmp.resolve("modules.dep").toString();
        List<List<String>> lines = List.of(
                List.of("check", "--kernel", symvers, MODULE),
                List.of("check", "-v", "--kernel", symvers, "--threads", "1", special, MODULE),
                List.of("check", "--json", "--checks-only", "--kernel", symvers, "--vermagic", "6.1.0 SMP", MODULE),
                List.of("check", "--permissive", "--verbose", "--kernel", symvers, "--kernel", symvers, tree.toString()),
                List.of("check", "--matrix", "--kernel", symvers, "--kernel", special, MODULE, MISSING),
                List.of("check", "--target", MODULE, "--kernel", symvers, MODULE),
                List.of("check", MODULE),
                List.of("stats", obj),
                List.of("stats", "--json", "--threads", "1", obj, special),
                List.of("stats", "--progress", special),
                List.of("depmod", "-o", dep, tree.toString()),
                List.of("depmod", "--output", dep, "-v", tree.toString()),
                List.of("depmod", "--json", "--threads", "2", tree.toString()),
                List.of("depmod", "--dot", "--progress", tree.toString()),
                List.of("depmod", MISSING));
        for (List<String> line : lines) {
            PrintStream none = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
            assertThat(FastPath.tryRun(line.toArray(String[]::new), new KobjDump.Context(none, none)))
                    .as("taken by FastPath: " + line).isNotEqualTo(-1);
            List<String> picocli = new ArrayList<>();
            boolean value = false;
            boolean split = false;
            for (String a : line) {
                // "--" goes before the first positional: the command, and each option with its value, come first
                if (!split && !value && !a.startsWith("-") && !a.equals(line.getFirst())) {
                    picocli.add("--");
                    split = true;
                }
                picocli.add(a);
                value = !value && List.of("--kernel", "--threads", "--vermagic", "--target", "-o", "--output").contains(a);
            }
            KobjDumpCliTest.Run fast = untimed(run(line.toArray(String[]::new)));
            KobjDumpCliTest.Run slow = untimed(run(picocli.toArray(String[]::new)));
            assertThat(fast).as(String.join(" ", line)).isEqualTo(slow);
        }
    }

    @Test
    void leavesOtherCommandLinesToPicocli() {
        PrintStream none = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        KobjDump.Context ctx = new KobjDump.Context(none, none);
        for (String[] args : List.of(new String[] {"sections"}, new String[] {"sections", "--json"},
                new String[] {"sections", "--json", "--json", MODULE}, new String[] {"sections", "-h"},
                new String[] {"sections", "@args.txt"}, new String[] {"sections", ""},
                new String[] {"link", MODULE}, new String[] {"--help"},
                new String[] {"check", "--kernel"}, new String[] {"check", "--kernel", "--json", MODULE},
                new String[] {"check", "--kernel=x", MODULE}, new String[] {"check", "--base", "0x1000", MODULE},
                new String[] {"check", "--json", "--json", MODULE}, new String[] {"check", "-v", "--verbose", MODULE},
                new String[] {"check", "--threads", "-1", MODULE}, new String[] {"check", "--threads", "1e3", MODULE},
                new String[] {"check", "--target", MODULE, "--target", MODULE, MODULE},
                new String[] {"check", "--", MODULE}, new String[] {"check", "-h"}, new String[] {"check", "--json"},
                new String[] {"stats", "--kernel", MODULE, MODULE}, new String[] {"stats", "@args", MODULE},
                new String[] {"depmod", MODULE, MODULE}, new String[] {"depmod", "-o", "-", MODULE},
                new String[] {"depmod", "-o"})) {
            assertThat(FastPath.tryRun(args, ctx)).as(String.join(" ", args)).isEqualTo(-1);
        }
        assertThat(run("sections", "--json", "--json", MODULE).rc()).isEqualTo(2);
        assertThat(run("check", "-v", "--verbose", MODULE).rc()).isEqualTo(2);
        assertThat(run("depmod", MODULE, MODULE).rc()).isEqualTo(2);
    }
}
