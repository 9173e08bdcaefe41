package dev.kobj.cli;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The commonest command lines, {@code kobjdump headers|sections|symbols|relocs|modinfo|groups
 * [--json] FILE...}, run without picocli: building picocli's model from the annotations by
 * reflection takes longer than the command (issue 9). Only a command line that picocli would
 * parse in exactly one way qualifies: the command, then arguments that are {@code --json} or
 * do not start with {@code -} or {@code @} (picocli's option and argument-file prefixes), at
 * least one file, {@code --json} at most once. Anything else, and every other command, goes through picocli as before.
 */
final class FastPath {
    private FastPath() {
    }

    /**
     * {@return the command's exit status, or -1 when the command line does not qualify}
     * A failure inside the command is reported as picocli's execution-exception handler
     * in {@link KobjDump#run} reports it.
     */
    static int tryRun(String[] args, KobjDump.Context ctx) {
        if (args == null || args.length < 2) {
            return -1;
        }
        FileCommand cmd = switch (args[0]) {
            case "headers" -> new HeadersCommand(ctx);
            case "sections" -> new SectionsCommand(ctx);
            case "symbols" -> new SymbolsCommand(ctx);
            case "relocs" -> new RelocsCommand(ctx);
            case "modinfo" -> new ModinfoCommand(ctx);
            case "groups" -> new GroupsCommand(ctx);
            default -> null;
        };
        if (cmd == null) {
            return -1;
        }
        List<Path> files = new ArrayList<>(args.length - 1);
        boolean json = false;
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--json")) {
                if (json) {
                    return -1; // picocli refuses an option given twice
                }
                json = true;
            } else if (a.isEmpty() || a.charAt(0) == '-' || a.charAt(0) == '@') {
                return -1;
            } else {
                try {
                    files.add(Path.of(a));
                } catch (InvalidPathException e) {
                    return -1;
                }
            }
        }
        if (files.isEmpty()) {
            return -1;
        }
        cmd.files = files;
        cmd.json = json;
        try {
            return cmd.call();
        } catch (RuntimeException e) {
            ctx.error("internal error: " + e);
            return 1;
        } finally {
            ctx.out().flush();
            ctx.err().flush();
        }
    }
}
