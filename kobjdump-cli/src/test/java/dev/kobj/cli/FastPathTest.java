package dev.kobj.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kobj.testkit.Testdata;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

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

    @Test
    void leavesOtherCommandLinesToPicocli() {
        PrintStream none = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        KobjDump.Context ctx = new KobjDump.Context(none, none);
        for (String[] args : List.of(new String[] {"sections"}, new String[] {"sections", "--json"},
                new String[] {"sections", "--json", "--json", MODULE}, new String[] {"sections", "-h"},
                new String[] {"sections", "@args.txt"}, new String[] {"sections", ""},
                new String[] {"stats", MODULE}, new String[] {"--help"})) {
            assertThat(FastPath.tryRun(args, ctx)).as(String.join(" ", args)).isEqualTo(-1);
        }
        assertThat(run("sections", "--json", "--json", MODULE).rc()).isEqualTo(2);
    }
}
