package dev.kobj.cli;

import dev.kobj.elf.KobjException;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * kobjdump: readelf-like views of ELF relocatable objects and Linux kernel modules, read
 * with kobj's own parser, as text or JSON.
 *
 * <p>{@link #run} is the whole program: it parses the arguments, runs one command and
 * returns the exit status (0 success, 1 a file could not be read or parsed, 2 usage error);
 * it never calls {@link System#exit}.
 */
@Command(name = "kobjdump", mixinStandardHelpOptions = true, versionProvider = KobjDump.Version.class,
        synopsisSubcommandLabel = "COMMAND",
        description = "Displays ELF relocatable objects and Linux kernel modules (.o, .ko, .ko.gz, .ko.xz, "
                + ".ko.zst) the way readelf does, as text or --json, using kobj's parser.",
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:success", "1:a file could not be read or parsed, or a command found problems",
            "2:usage error (unknown command or option, missing argument)"})
public final class KobjDump implements Callable<Integer> {
    /** The version printed by --version when the jar's manifest does not carry one. */
    static final String VERSION = "0.1.0-SNAPSHOT";

    @Spec
    CommandSpec spec;

    KobjDump() {
    }

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "Missing required command");
    }

    /** Supplies --version. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = KobjDump.class.getPackage() == null ? null : KobjDump.class.getPackage().getImplementationVersion();
            return new String[] {"kobjdump " + (v == null ? VERSION : v)};
        }
    }

    /** The commands' names, in the order the usage lists them. */
    private static final List<String> COMMANDS = List.of("headers", "sections", "symbols", "relocs", "modinfo",
            "groups", "stats", "check", "link", "depmod", "modprobe", "sign", "verify", "install-extras",
            "run");

    /** {@return a new instance of the command named {@code name}} (a switch, not lambdas: no classes spun at start-up) */
    private static Object command(String name, Context ctx) {
        return switch (name) {
            case "headers" -> new HeadersCommand(ctx);
            case "sections" -> new SectionsCommand(ctx);
            case "symbols" -> new SymbolsCommand(ctx);
            case "relocs" -> new RelocsCommand(ctx);
            case "modinfo" -> new ModinfoCommand(ctx);
            case "groups" -> new GroupsCommand(ctx);
            case "stats" -> new StatsCommand(ctx);
            case "check" -> new CheckCommand(ctx);
            case "link" -> new LinkCommand(ctx);
            case "depmod" -> new DepmodCommand(ctx);
            case "modprobe" -> new ModprobeCommand(ctx);
            case "sign" -> new SignCommand(ctx);
            case "verify" -> new VerifyCommand(ctx);
            case "install-extras" -> new InstallExtrasCommand(ctx);
            case "run" -> new RunCommand(ctx);
            default -> throw new IllegalArgumentException(name);
        };
    }

    /** The streams the commands write to. */
    record Context(PrintStream out, PrintStream err) {
        /** {@return true when output goes to the process's stdout and that is a terminal} */
        boolean stdoutIsTerminal() {
            if (out != System.out) {
                return false;
            }
            java.io.Console c = System.console();
            return c != null && c.isTerminal();
        }

        /** {@return true when errors go to the process's stderr and that is a terminal (isatty(2))} */
        boolean stderrIsTerminal() {
            return err == System.err && Terminal.isTerminal(2);
        }

        /** Prints the one-line error {@code kobjdump: <message>}. */
        void error(String message) {
            err.println("kobjdump: " + Fmt.oneLine(message));
            err.flush();
        }
    }

    /**
     * Runs kobjdump.
     *
     * @param args the command line, without the program name
     * @param out  where results go
     * @param err  where errors, usage messages and the progress bar go
     * @return 0 on success, 1 when a file failed, 2 on a usage error
     */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        Context ctx = new Context(out, err);
        int fast = FastPath.tryRun(args, ctx);
        if (fast >= 0) {
            return fast;
        }
        // picocli builds each command's model from its annotations by reflection, which is most
        // of a short run's time: when the first argument names a command, only that one is built
        // (the parent's usage, which lists every command, is printed only without one).
        String first = args == null || args.length == 0 ? "" : args[0];
        CommandLine cl = commandLine(ctx, COMMANDS.contains(first) ? first : null);
        PrintWriter pout = new PrintWriter(out, true, out.charset());
        PrintWriter perr = new PrintWriter(err, true, err.charset());
        cl.setOut(pout);
        cl.setErr(perr);
        boolean console = out == System.out && err == System.err;
        cl.setColorScheme(CommandLine.Help.defaultColorScheme(console ? CommandLine.Help.Ansi.AUTO
                : CommandLine.Help.Ansi.OFF));
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            ctx.error("internal error: " + ex);
            return 1;
        });
        int rc;
        try {
            rc = cl.execute(args == null ? new String[0] : args);
        } finally {
            pout.flush();
            perr.flush();
            out.flush();
            err.flush();
        }
        return rc;
    }

    /**
     * {@return the command line of kobjdump and every subcommand, writing to {@code ctx}}: what
     * {@link #run} executes, and the model the completion script and the manual page are made
     * from ({@link Extras}).
     */
    static CommandLine commandLine(Context ctx) {
        return commandLine(ctx, null);
    }

    /** {@return the command line with every subcommand, or only the one named {@code only} when not null} */
    private static CommandLine commandLine(Context ctx, String only) {
        CommandLine cl = new CommandLine(new KobjDump());
        for (String name : COMMANDS) {
            if (only == null || name.equals(only)) {
                cl.addSubcommand(name, command(name, ctx));
            }
        }
        ExitCodes.document(cl);
        return cl;
    }

    /**
     * {@return the message for a file that could not be read or parsed}, always of the form
     * {@code <file>: <what went wrong>}, on one line.
     */
    static String errorMessage(String file, Throwable e) {
        String msg = e.getMessage();
        String text;
        if (e instanceof KobjException) {
            text = msg == null ? e.getClass().getSimpleName() : msg;
            // ElfFormatException's message starts with the file name already.
            if (text.startsWith(file + ": ")) {
                return Fmt.oneLine(text);
            }
        } else if (e instanceof NoSuchFileException) {
            text = "No such file or directory";
        } else if (e instanceof AccessDeniedException) {
            text = "Permission denied";
        } else if (e instanceof NotDirectoryException) {
            text = "Not a directory";
        } else if (e instanceof FileSystemException fse) {
            text = fse.getReason() != null ? fse.getReason() : e.getClass().getSimpleName();
        } else if (e instanceof IOException) {
            text = msg != null ? msg : e.getClass().getSimpleName();
        } else if (e instanceof OutOfMemoryError) {
            text = "not enough Java heap to link this module (limit " + Runtime.getRuntime().maxMemory() / 1048576
                    + " MiB); run again with a bigger heap, e.g. KOBJ_JAVA_OPTS=-Xmx1g";
        } else {
            text = "internal error: " + e.getClass().getName() + (msg != null ? ": " + msg : "");
        }
        return Fmt.oneLine(file + ": " + text);
    }
}
