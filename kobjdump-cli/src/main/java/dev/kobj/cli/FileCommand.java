package dev.kobj.cli;

import dev.kobj.elf.ElfFile;
import dev.kobj.elf.ElfFormatException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * A command that shows something of each FILE in turn. Text output puts readelf's
 * {@code File: <name>} line before each file when there are several; JSON output is an
 * array with one object per file, {@code {"file": <name>, "<command>": ...}} (or
 * {@code {"file": <name>, "error": <message>}} for a file that could not be read). A file
 * that fails gets a one-line message on stderr; the others are still shown and the exit
 * status is then 1.
 */
abstract class FileCommand implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", arity = "1..*",
            description = "ELF objects or kernel modules: .o, .ko, and .ko.gz/.ko.xz/.ko.zst (recognised by content).")
    List<Path> files;

    @Option(names = "--json", description = "Print JSON: an array with one object per FILE.")
    boolean json;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    final KobjDump.Context ctx;

    FileCommand(KobjDump.Context ctx) {
        this.ctx = ctx;
    }

    /** {@return the command's name, also its key in the JSON objects} */
    abstract String key();

    /** Appends the text output for one file. */
    abstract void text(ElfFile f, StringBuilder sb) throws ElfFormatException;

    /** Writes the JSON value (the part after {@code "<command>":}) for one file. */
    abstract void json(ElfFile f, Json j) throws ElfFormatException;

    @Override
    public Integer call() {
        PrintStream out = ctx.out();
        boolean several = files.size() > 1;
        int failed = 0;
        PerFileOutput output = new PerFileOutput(out, json);
        for (Path p : files) {
            String name = p.toString();
            StringBuilder sb = new StringBuilder();
            try {
                if (Files.isDirectory(p)) {
                    throw new java.nio.file.FileSystemException(name, null, "Is a directory");
                }
                try (ElfFile f = ElfFile.open(p)) {
                    if (json) {
                        Json j = new Json(sb, 1);
                        j.beginObject().field("file", name).name(key());
                        json(f, j);
                        j.endObject();
                    } else {
                        if (several) {
                            sb.append("\nFile: ").append(name).append('\n');
                        }
                        text(f, sb);
                    }
                }
            } catch (Exception | StackOverflowError e) {
                String error = KobjDump.errorMessage(name, e);
                failed++;
                out.flush();
                ctx.error(error);
                output.error(name, error);
                continue;
            }
            output.item(sb);
        }
        output.close();
        return failed == 0 ? 0 : 1;
    }
}
