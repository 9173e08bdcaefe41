package dev.kobj.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.AutoComplete;
import picocli.CommandLine;

/**
 * What a packager installs beside the command: the bash completion script (picocli's
 * {@link AutoComplete}, which also works in zsh through bashcompinit) and the manual page
 * kobjdump(1) ({@link ManPage}), both made from the picocli model of {@link KobjDump}. The
 * build runs {@link #main} to put them into the jar ({@code dev/kobj/cli/extras/}) and into
 * {@code target/extras}; {@code kobjdump install-extras} copies them under a prefix.
 */
final class Extras {
    private Extras() {
    }

    /** The resource directory of the files in the jar. */
    static final String RESOURCES = "extras/";
    /** The bash (and zsh) completion script. */
    static final String COMPLETION = "kobjdump-completion.bash";
    /** The manual page. */
    static final String MAN = "kobjdump.1";

    private static CommandLine model() {
        PrintStream sink = new PrintStream(PrintStream.nullOutputStream(), true, StandardCharsets.UTF_8);
        return KobjDump.commandLine(new KobjDump.Context(sink, sink));
    }

    /** {@return the completion script, from the live model} */
    static String completion() {
        return AutoComplete.bash("kobjdump", model());
    }

    /** {@return the manual page, from the live model} */
    static String manPage() {
        return ManPage.of(model());
    }

    /** {@return the file as shipped in the jar, else made now from the model (running from classes)} */
    static String shipped(String name) throws IOException {
        try (InputStream in = Extras.class.getResourceAsStream(RESOURCES + name)) {
            if (in != null) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        }
        return name.equals(MAN) ? manPage() : completion();
    }

    /**
     * Writes the completion script and the manual page into each directory given (the build:
     * {@code target/classes/dev/kobj/cli/extras} and {@code target/extras}).
     *
     * @param args the directories
     * @throws IOException when a file cannot be written
     */
    public static void main(String[] args) throws IOException {
        String completion = completion();
        String man = manPage();
        for (String a : args) {
            Path dir = Path.of(a);
            Files.createDirectories(dir);
            Files.writeString(dir.resolve(COMPLETION), completion);
            Files.writeString(dir.resolve(MAN), man);
        }
    }
}
