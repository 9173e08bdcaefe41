package dev.kobj.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code kobjdump install-extras}: installs the shell completion and the manual page that the
 * build generated from kobjdump's own definitions ({@link Extras}) under a prefix.
 */
@Command(name = "install-extras", description = {
    "Install the bash/zsh completion and the manual page under a prefix.",
    "",
    "Writes PREFIX/share/bash-completion/completions/kobjdump (bash-completion loads it by itself "
            + "for ~/.local and /usr/local), PREFIX/share/kobjdump/kobjdump-completion.zsh (the same "
            + "script: add 'source PREFIX/share/kobjdump/kobjdump-completion.zsh' to ~/.zshrc) and "
            + "PREFIX/share/man/man1/kobjdump.1 (man kobjdump, with PREFIX/share/man in the MANPATH; "
            + "or man -l FILE). --print writes one of them to standard output instead."})
final class InstallExtrasCommand implements Callable<Integer> {
    @Option(names = "--prefix", paramLabel = "DIR", description = "Where to install (default: ~/.local).")
    Path prefix;

    @Option(names = "--print", paramLabel = "WHAT", description = "Print one file instead of installing: "
            + "completion or man.")
    String print;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    private final KobjDump.Context ctx;

    InstallExtrasCommand(KobjDump.Context ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        try {
            if (print != null) {
                switch (print) {
                    case "completion" -> ctx.out().print(Extras.shipped(Extras.COMPLETION));
                    case "man" -> ctx.out().print(Extras.shipped(Extras.MAN));
                    default -> {
                        ctx.error("--print: expected completion or man, not '" + print + "'");
                        return 2;
                    }
                }
                ctx.out().flush();
                return 0;
            }
            Path p = prefix != null ? prefix : Path.of(System.getProperty("user.home"), ".local");
            String completion = Extras.shipped(Extras.COMPLETION);
            write(p.resolve("share/bash-completion/completions/kobjdump"), completion);
            write(p.resolve("share/kobjdump/kobjdump-completion.zsh"), completion);
            write(p.resolve("share/man/man1/kobjdump.1"), Extras.shipped(Extras.MAN));
            ctx.out().flush();
            return 0;
        } catch (IOException e) {
            ctx.error(KobjDump.errorMessage(String.valueOf(prefix), e));
            return 1;
        }
    }

    private void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
        ctx.out().println("installed " + file);
    }
}
