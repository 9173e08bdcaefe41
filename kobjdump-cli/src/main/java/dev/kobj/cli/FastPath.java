package dev.kobj.cli;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * The commonest command lines run without picocli: building picocli's model from the annotations
 * by reflection takes longer than a short command, and is a serial part of a whole tree's check
 * (issue 9). Two kinds qualify:
 * <ul>
 * <li>{@code kobjdump headers|sections|symbols|relocs|modinfo|groups [--json] FILE...}: arguments
 * that are {@code --json} or do not start with {@code -} or {@code @} (picocli's option and
 * argument-file prefixes), at least one file, {@code --json} at most once;
 * <li>{@code kobjdump check|stats|depmod} with options of the tables below, each spelled as its
 * own argument and its value as the next ({@link PlainArgs}).
 * </ul>
 * Only a command line that picocli would parse in exactly one way qualifies; anything else goes
 * through picocli as before (FastPathTest runs each command line both ways).
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
        Callable<Integer> tree = switch (args[0]) {
            case "check" -> check(args, ctx);
            case "stats" -> stats(args, ctx);
            case "depmod" -> depmod(args, ctx);
            default -> null;
        };
        if (tree != null) {
            return call(tree, ctx);
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
        return call(cmd, ctx);
    }

    private static final PlainArgs.Spec CHECK = new PlainArgs.Spec(1, Integer.MAX_VALUE)
            .option(PlainArgs.Kind.REPEATED, "--kernel")
            .option(PlainArgs.Kind.VALUE, "--target")
            .option(PlainArgs.Kind.VALUE, "--vermagic")
            .option(PlainArgs.Kind.VALUE, "--threads")
            .option(PlainArgs.Kind.FLAG, "--json")
            .option(PlainArgs.Kind.FLAG, "--checks-only")
            .option(PlainArgs.Kind.FLAG, "--permissive")
            .option(PlainArgs.Kind.FLAG, "--matrix")
            .option(PlainArgs.Kind.FLAG, "--verbose", "-v");

    private static final PlainArgs.Spec STATS = new PlainArgs.Spec(1, Integer.MAX_VALUE)
            .option(PlainArgs.Kind.VALUE, "--threads")
            .option(PlainArgs.Kind.FLAG, "--json")
            .option(PlainArgs.Kind.FLAG, "--progress");

    private static final PlainArgs.Spec DEPMOD = new PlainArgs.Spec(1, 1)
            .option(PlainArgs.Kind.VALUE, "--output", "-o")
            .option(PlainArgs.Kind.VALUE, "--threads")
            .option(PlainArgs.Kind.VALUE, "--svg")
            .option(PlainArgs.Kind.FLAG, "--verbose", "-v")
            .option(PlainArgs.Kind.FLAG, "--json")
            .option(PlainArgs.Kind.FLAG, "--dot")
            .option(PlainArgs.Kind.FLAG, "--progress");

    /**
     * {@return {@code kobjdump check} with the plain command line's options set, or null when picocli
     * must parse it} ({@code --base}, whose converter reads several spellings of an address, goes
     * to picocli)
     */
    private static Callable<Integer> check(String[] args, KobjDump.Context ctx) {
        PlainArgs p = PlainArgs.parse(args, 1, CHECK);
        if (p == null) {
            return null;
        }
        CheckCommand c = new CheckCommand(ctx);
        List<Path> paths = paths(p.positionals());
        List<Path> kernel = paths(p.values("--kernel"));
        List<Path> target = paths(p.values("--target"));
        Integer threads = threads(p);
        if (paths == null || kernel == null || target == null || threads == null) {
            return null;
        }
        c.paths = paths;
        c.kernel.addAll(kernel);
        c.target = target.isEmpty() ? null : target.getFirst();
        c.threads = threads;
        c.policyOptions.vermagic = p.value("--vermagic");
        c.policyOptions.permissive = p.has("--permissive");
        c.json = p.has("--json");
        c.checksOnly = p.has("--checks-only");
        c.matrix = p.has("--matrix");
        c.verbose = p.has("--verbose");
        return c;
    }

    /** {@return {@code kobjdump stats} with the plain command line's options set, or null when picocli must parse it} */
    private static Callable<Integer> stats(String[] args, KobjDump.Context ctx) {
        PlainArgs p = PlainArgs.parse(args, 1, STATS);
        if (p == null) {
            return null;
        }
        StatsCommand c = new StatsCommand(ctx);
        List<Path> dirs = paths(p.positionals());
        Integer threads = threads(p);
        if (dirs == null || threads == null) {
            return null;
        }
        c.dirs = dirs;
        c.threads = threads;
        c.json = p.has("--json");
        c.forceProgress = p.has("--progress");
        return c;
    }

    /** {@return {@code kobjdump depmod} with the plain command line's options set, or null when picocli must parse it} */
    private static Callable<Integer> depmod(String[] args, KobjDump.Context ctx) {
        PlainArgs p = PlainArgs.parse(args, 1, DEPMOD);
        if (p == null) {
            return null;
        }
        DepmodCommand c = new DepmodCommand(ctx);
        List<Path> dir = paths(p.positionals());
        List<Path> svg = paths(p.values("--svg"));
        Integer threads = threads(p);
        if (dir == null || svg == null || threads == null) {
            return null;
        }
        c.dir = dir.getFirst();
        c.svg = svg.isEmpty() ? null : svg.getFirst();
        c.output = p.value("--output");
        c.threads = threads;
        c.verbose = p.has("--verbose");
        c.json = p.has("--json");
        c.dot = p.has("--dot");
        c.forceProgress = p.has("--progress");
        return c;
    }

    /** {@return the arguments as paths, or null when one is not a path (picocli then reports it)} */
    private static List<Path> paths(List<String> args) {
        List<Path> out = new ArrayList<>(args.size());
        for (String a : args) {
            try {
                out.add(Path.of(a));
            } catch (InvalidPathException e) {
                return null;
            }
        }
        return out;
    }

    /**
     * {@return the value of --threads, 0 when not given, or null when it is not 1 to 9 decimal digits
     * (picocli then parses it, or reports it)}
     */
    private static Integer threads(PlainArgs p) {
        String t = p.value("--threads");
        if (t == null) {
            return 0;
        }
        if (t.length() > 9) {
            return null;
        }
        for (int i = 0; i < t.length(); i++) {
            if (t.charAt(i) < '0' || t.charAt(i) > '9') {
                return null;
            }
        }
        return Integer.parseInt(t);
    }

    /** Runs {@code cmd}, reporting a failure inside it as picocli's execution-exception handler in {@link KobjDump#run} does. */
    private static int call(Callable<Integer> cmd, KobjDump.Context ctx) {
        try {
            return cmd.call();
        } catch (Exception e) {
            ctx.error("internal error: " + e);
            return 1;
        } finally {
            ctx.out().flush();
            ctx.err().flush();
        }
    }
}
