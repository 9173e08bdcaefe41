package dev.kobj.cli;

import dev.kobj.testkit.Corpus;
import dev.kobj.testkit.Depmod;
import dev.kobj.testkit.Readelf;
import dev.kobj.testkit.Testdata;
import dev.kobj.testkit.Tools;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * What the command brings besides itself: the completion script, run by bash (and loaded by
 * zsh), the manual page, rendered by man-db's {@code man -l} and checked by groff's warnings,
 * {@code install-extras}, the exit codes in every {@code --help}, and the progress bar drawn
 * on stderr only when asked to (a test's stderr is never a terminal).
 */
class ExtrasTest {
    @TempDir
    Path dir;

    record Out(int rc, String out, String err) {
    }

    static Out sh(Map<String, String> env, String... cmd) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().putAll(env);
        Process p = pb.start();
        p.getOutputStream().close();
        var err = p.getErrorStream();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String e = new String(err.readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Out(p.exitValue(), out, e);
    }

    private Path installed() {
        var r = LinkCommandTest.kobjdump("install-extras", "--prefix", dir.toString());
        assertThat(r.rc()).as(r.err()).isZero();
        assertThat(r.out()).contains("installed " + dir.resolve("share/man/man1/kobjdump.1"));
        return dir;
    }

    private static String complete(Path script, String line) throws Exception {
        // As bash's programmable completion calls it: COMP_WORDS, COMP_CWORD, COMP_LINE, COMP_POINT.
        String prog = "source \"$1\" 2>/dev/null; read -ra COMP_WORDS <<< \"$2\"; "
                + "[[ \"$2\" == *' ' ]] && COMP_WORDS+=(''); COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 )); "
                + "COMP_LINE=\"$2\"; COMP_POINT=${#COMP_LINE}; _complete_kobjdump 2>/dev/null; printf '%s\\n' \"${COMPREPLY[@]}\"";
        Out o = sh(Map.of(), "bash", "-c", prog, "bash", script.toString(), line);
        assertThat(o.rc()).as(o.err()).isZero();
        return o.out();
    }

    @Test
    void bashCompletesCommandsAndEachCommandsOptions() throws Exception {
        Tools.require("bash");
        Path script = installed().resolve("share/bash-completion/completions/kobjdump");
        CommandLine model = KobjDump.commandLine(new KobjDump.Context(System.out, System.err));
        assertThat(complete(script, "kobjdump ").lines().toList())
                .containsAll(model.getSubcommands().keySet());
        assertThat(complete(script, "kobjdump de").lines().toList()).containsExactly("depmod");
        for (var e : model.getSubcommands().entrySet()) {
            List<String> options = complete(script, "kobjdump " + e.getKey() + " --").lines().toList();
            for (OptionSpec o : e.getValue().getCommandSpec().options()) {
                if (o.longestName().startsWith("--")) {
                    assertThat(options).as(e.getKey()).contains(o.longestName());
                }
            }
        }
        assertThat(complete(script, "kobjdump link --s").lines().toList()).containsExactly("--svg");
    }

    @Test
    void zshLoadsTheCompletionThroughBashcompinit() throws Exception {
        Tools.require("zsh");
        Path script = installed().resolve("share/kobjdump/kobjdump-completion.zsh");
        Out o = sh(Map.of("HOME", dir.toString()), "zsh", "-fc",
                "source " + script + " >/dev/null 2>&1; print -r -- ${_comps[kobjdump]}");
        assertThat(o.rc()).as(o.err()).isZero();
        assertThat(o.out()).contains("_complete_kobjdump");
    }

    @Test
    void manShowsEveryCommandAndOptionAndGroffHasNoWarning() throws Exception {
        Tools.require("man");
        Tools.require("groff");
        Path page = installed().resolve("share/man/man1/kobjdump.1");
        Out groff = sh(Map.of(), "groff", "-man", "-ww", "-z", page.toString());
        assertThat(groff.err()).isEmpty();
        Out man = sh(Map.of("MANWIDTH", "120", "MAN_KEEP_FORMATTING", "", "LC_ALL", "C.UTF-8"), "man", "-l", page.toString());
        assertThat(man.rc()).as(man.err()).isZero();
        String text = man.out().replaceAll(".\b", "").replace('\u2010', '-').replace('\u2212', '-');
        assertThat(text).contains("NAME", "SYNOPSIS", "DESCRIPTION", "COMMANDS", "EXIT STATUS", "SEE ALSO");
        CommandLine model = KobjDump.commandLine(new KobjDump.Context(System.out, System.err));
        List<String> missing = new ArrayList<>();
        for (var e : model.getSubcommands().entrySet()) {
            if (!text.contains("kobjdump " + e.getKey())) {
                missing.add(e.getKey());
            }
            for (OptionSpec o : e.getValue().getCommandSpec().options()) {
                if (!text.contains(o.longestName())) {
                    missing.add(e.getKey() + " " + o.longestName());
                }
            }
        }
        assertThat(missing).isEmpty();
    }

    @Test
    void everyHelpListsTheExitCodes() {
        CommandLine model = KobjDump.commandLine(new KobjDump.Context(System.out, System.err));
        for (String name : model.getSubcommands().keySet()) {
            var r = LinkCommandTest.kobjdump(name, "--help");
            assertThat(r.rc()).isZero();
            assertThat(r.out()).as(name).contains("Exit status:").containsPattern("(?m)^\\s+0\\s+success$")
                    .containsPattern("(?m)^\\s+1\\s+\\S").containsPattern("(?m)^\\s+2\\s+usage error");
        }
        assertThat(LinkCommandTest.kobjdump("--help").out()).contains("Exit status:");
        assertThat(LinkCommandTest.kobjdump("check", "--help").out()).contains("a module would be refused");
    }

    @Test
    void progressBarOnlyWhenStderrIsATerminalOrAskedFor() {
        String objs = Testdata.root().resolve("obj/x86_64-gcc-kernel").toString();
        var quiet = LinkCommandTest.kobjdump("stats", objs);
        assertThat(quiet.rc()).isZero();
        assertThat(quiet.err()).doesNotContain("\r");
        var bar = LinkCommandTest.kobjdump("stats", "--progress", objs);
        assertThat(bar.rc()).isZero();
        assertThat(bar.err()).contains("\r[").contains(" files");
        assertThat(Terminal.isTerminal(-1)).isFalse();
    }
}
