package dev.kobj.cli;

import dev.kobj.elf.ElfFile;
import dev.kobj.elf.ElfReader;
import dev.kobj.link.Checks;
import dev.kobj.link.HeapMemory;
import dev.kobj.link.LinkException;
import dev.kobj.link.LinkRequest;
import dev.kobj.link.Linker;
import dev.kobj.link.LoadErrno;
import dev.kobj.link.LoadPolicy;
import dev.kobj.link.LoadedImage;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code kobjdump check --matrix}: every module of several trees against several kernels in
 * one run. Each module is read and parsed once and linked against each kernel's table in turn
 * (the {@link ElfFile} and its parsed sections and symbols are shared by the links); each
 * kernel's table is read once, and synthesized once per architecture ({@link KernelTables}).
 * The cost is one parse per module plus one link per module and kernel: linear in both.
 * Prints a module x kernel matrix of verdicts (the errno Linux's {@code init_module} would
 * return, or "ok"), the modules refused by at least one kernel (all with {@code -v}), and per
 * tree and kernel the counts of modules that would load, be refused, or could not be read.
 */
final class CheckMatrix {
    /**
     * One module against one kernel: {@code errno} null = it would load; {@code kinds} has bit
     * {@code Kind.ordinal()} set for each kind of problem; {@code problems} (kind and symbol, no
     * message) only for JSON, so that the text matrix of many trees keeps a few bytes per cell.
     */
    record Cell(LoadErrno errno, long kinds, List<LinkException.Problem> problems, long relocations) {
        boolean ok() {
            return errno == null;
        }
    }

    /** One module: its tree (index of the FILE|DIR argument), and a cell per kernel, or an error reading it. */
    record Row(Path path, int tree, String error, Cell[] cells) {
    }

    /** One kernel column: its label and the file its table was read from. */
    record Kernel(String label, Path file, KernelTables tables) {
    }

    private static final ThreadLocal<ElfReader> READERS = ThreadLocal.withInitial(ElfReader::new);

    private final LoadPolicy policy;
    private final Long base;
    private final boolean checksOnly;
    private final boolean keepProblems;

    CheckMatrix(LoadPolicy policy, Long base, boolean checksOnly, boolean keepProblems) {
        this.policy = policy;
        this.base = base;
        this.checksOnly = checksOnly;
        this.keepProblems = keepProblems;
    }

    /**
     * {@return the file a --kernel value of the matrix names}: the file itself, or for a directory
     * (a kernel's build or package directory) its Module.symvers, else its System.map
     */
    static Path kernelFile(Path p) {
        if (!Files.isDirectory(p)) {
            return p;
        }
        Path symvers = p.resolve("Module.symvers");
        return Files.exists(symvers) ? symvers : p.resolve("System.map");
    }

    /** {@return a short column label}: the directory name of a Module.symvers or System.map, else the file name */
    static String label(Path file) {
        Path name = file.getFileName();
        Path parent = file.toAbsolutePath().normalize().getParent();
        String n = name == null ? file.toString() : name.toString();
        if (parent != null && parent.getFileName() != null
                && (n.startsWith("Module.symvers") || n.startsWith("System.map"))) {
            return parent.getFileName().toString();
        }
        return n;
    }

    /** {@return the row of module {@code p}}: read and parsed once, linked against each kernel */
    Row check(Path p, int tree, List<Kernel> kernels) {
        try (ElfFile f = READERS.get().open(p)) {
            int machine = f.header().machine();
            long at = base != null ? base : KernelTables.defaultBase(f.header());
            Cell[] cells = new Cell[kernels.size()];
            for (int k = 0; k < cells.length; k++) {
                var lookup = kernels.get(k).tables().forObject(f.header());
                List<LinkException.Problem> problems;
                long relocations = 0;
                if (checksOnly) {
                    problems = Checks.run(f, policy, lookup);
                } else {
                    LinkRequest request = LinkRequest.builder(new HeapMemory(at == 0 ? HeapMemory.DEFAULT_BASE : at,
                            CheckCommand.OFF_HEAP_FROM))
                            .symbols(lookup).base(at).policy(policy).build();
                    try (LoadedImage image = Linker.link(f, request)) {
                        problems = List.of();
                        relocations = image.relocationCount();
                    } catch (LinkException e) {
                        problems = e.problems().isEmpty()
                                ? List.of(new LinkException.Problem(e.kind(), "", String.valueOf(e.getMessage())))
                                : e.problems();
                    }
                }
                LoadErrno errno = problems.isEmpty() ? null : LoadErrno.verdict(problems, machine);
                long kinds = 0;
                for (LinkException.Problem problem : problems) {
                    kinds |= 1L << problem.kind().ordinal();
                }
                cells[k] = new Cell(errno, kinds, keepProblems ? withoutMessages(problems) : List.of(), relocations);
            }
            return new Row(p, tree, null, cells);
        } catch (Exception | StackOverflowError e) {
            return new Row(p, tree, KobjDump.errorMessage(p.toString(), e), null);
        }
    }

    /** {@return the problems' kinds and symbols} (the JSON matrix prints no messages: they are not kept) */
    private static List<LinkException.Problem> withoutMessages(List<LinkException.Problem> problems) {
        List<LinkException.Problem> out = new ArrayList<>(problems.size());
        for (LinkException.Problem p : problems) {
            out.add(new LinkException.Problem(p.kind(), p.symbol(), ""));
        }
        return out;
    }

    /** Counts of one tree against one kernel. */
    static final class Count {
        long ok;
        long refused;
        long unreadable;
        long relocations;
        final Map<String, Long> kinds = new TreeMap<>();

        void add(Row r, int k) {
            if (r.error() != null) {
                unreadable++;
                return;
            }
            Cell c = r.cells()[k];
            relocations += c.relocations();
            if (c.ok()) {
                ok++;
            } else {
                refused++;
                for (LinkException.Kind kind : LinkException.Kind.values()) {
                    if ((c.kinds() & (1L << kind.ordinal())) != 0) {
                        kinds.merge(kind.name(), 1L, Long::sum);
                    }
                }
            }
        }
    }

    /** {@return counts[tree][kernel]} */
    static Count[][] counts(List<Row> rows, int trees, int kernels) {
        Count[][] counts = new Count[trees][kernels];
        for (int t = 0; t < trees; t++) {
            for (int k = 0; k < kernels; k++) {
                counts[t][k] = new Count();
            }
        }
        for (Row r : rows) {
            for (int k = 0; k < kernels; k++) {
                counts[r.tree()][k].add(r, k);
            }
        }
        return counts;
    }

    private static String verdict(Cell c) {
        return c.ok() ? "ok" : c.errno().name();
    }

    /** The text matrix: kernels, rows refused by a kernel (all rows when {@code all}), counts per tree and kernel. */
    static void printText(PrintStream out, List<Path> trees, List<Kernel> kernels, List<Row> rows, boolean all,
            String timing) {
        StringBuilder sb = new StringBuilder();
        for (int k = 0; k < kernels.size(); k++) {
            sb.append("K").append(k + 1).append(" = ").append(kernels.get(k).label()).append(" (")
                    .append(kernels.get(k).file()).append(")\n");
        }
        sb.append('\n');
        StringBuilder head = new StringBuilder();
        for (int k = 0; k < kernels.size(); k++) {
            head.append(Fmt.left("K" + (k + 1), 8));
        }
        sb.append(head).append("  module\n");
        for (Row r : rows) {
            if (r.error() != null) {
                sb.append(Fmt.left("-", 8).repeat(kernels.size())).append(' ').append(' ').append(r.error()).append('\n');
                continue;
            }
            boolean anyRefused = false;
            for (Cell c : r.cells()) {
                anyRefused |= !c.ok();
            }
            if (!all && !anyRefused) {
                continue;
            }
            StringBuilder line = new StringBuilder();
            for (Cell c : r.cells()) {
                line.append(Fmt.left(verdict(c), 8));
            }
            sb.append(line).append("  ").append(r.path()).append('\n');
        }
        Count[][] counts = counts(rows, trees.size(), kernels.size());
        sb.append("\nSummary (modules that would load / refused / unreadable):\n");
        for (int t = 0; t < trees.size(); t++) {
            for (int k = 0; k < kernels.size(); k++) {
                Count c = counts[t][k];
                sb.append("  ").append(trees.get(t)).append(" x K").append(k + 1).append(' ')
                        .append(kernels.get(k).label()).append(": ").append(c.ok + c.refused + c.unreadable)
                        .append(" modules, ").append(c.ok).append(" would load, ").append(c.refused)
                        .append(" refused, ").append(c.unreadable).append(" unreadable");
                if (!c.kinds.isEmpty()) {
                    StringBuilder kinds = new StringBuilder();
                    c.kinds.forEach((kind, n) -> kinds.append(kinds.isEmpty() ? "" : ", ").append(kind).append(' ')
                            .append(n));
                    sb.append(" (").append(kinds).append(')');
                }
                sb.append('\n');
            }
        }
        sb.append(timing);
        out.print(sb);
        out.flush();
    }

    /**
     * The JSON matrix: {@code {"kernels": [{"label", "file"}], "trees": [paths], "modules": [{"file",
     * "tree", "error"?, "verdicts": [{"status", "errno"?, "relocations", "problems": [{"kind",
     * "symbol"}]}]}], "summary": [{"tree", "kernel", "modules", "ok", "refused", "unreadable",
     * "relocations"}], "seconds", "threads"}}, verdicts in kernel order
     */
    static void json(PrintStream out, List<Path> trees, List<Kernel> kernels, List<Row> rows, double seconds,
            int threads) {
        StringBuilder sb = new StringBuilder();
        Json j = new Json(sb).beginObject().name("kernels").beginArray();
        for (Kernel k : kernels) {
            j.beginCompactObject().field("label", k.label()).field("file", k.file().toString()).endObject();
        }
        j.endArray().name("trees").beginArray();
        for (Path t : trees) {
            j.value(t.toString());
        }
        j.endArray().name("modules").beginArray();
        for (Row r : rows) {
            j.beginObject().field("file", r.path().toString()).field("tree", r.tree());
            if (r.error() != null) {
                j.field("error", r.error()).endObject();
                out.append(sb);
                sb.setLength(0);
                continue;
            }
            j.name("verdicts").beginArray();
            for (Cell c : r.cells()) {
                j.beginObject().field("status", c.ok() ? "ok" : "refused");
                if (!c.ok()) {
                    j.field("errno", c.errno().name());
                }
                j.field("relocations", c.relocations()).name("problems").beginArray();
                for (LinkException.Problem p : c.problems()) {
                    j.beginCompactObject().field("kind", p.kind().name()).field("symbol", p.symbol()).endObject();
                }
                j.endArray().endObject();
            }
            j.endArray().endObject();
            out.append(sb); // written module by module: the JSON of many trees and kernels is big
            sb.setLength(0);
        }
        j.endArray().name("summary").beginArray();
        Count[][] counts = counts(rows, trees.size(), kernels.size());
        for (int t = 0; t < trees.size(); t++) {
            for (int k = 0; k < kernels.size(); k++) {
                Count c = counts[t][k];
                j.beginCompactObject().field("tree", t).field("kernel", k).field("modules", c.ok + c.refused
                        + c.unreadable).field("ok", c.ok).field("refused", c.refused).field("unreadable", c.unreadable)
                        .field("relocations", c.relocations).endObject();
            }
        }
        j.endArray().field("seconds", seconds).field("threads", threads).endObject();
        out.append(sb.append('\n'));
        out.flush();
    }

    /** Runs the matrix for {@code cmd}'s options; {@return the exit status} (1 when any module is refused or unreadable) */
    static int run(CheckCommand cmd, KobjDump.Context ctx, LoadPolicy policy) {
        long start = System.nanoTime();
        List<Kernel> kernels = new ArrayList<>();
        for (Path value : cmd.kernel) {
            Path file = kernelFile(value);
            try {
                kernels.add(new Kernel(label(file), file, KernelTables.load(List.of(file))));
            } catch (Exception e) {
                ctx.error(KobjDump.errorMessage(file.toString(), e));
                return 1;
            }
        }
        if (kernels.isEmpty()) {
            ctx.error("--matrix needs at least one --kernel");
            return 2;
        }
        List<Row> rows = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        List<Integer> treeOf = new ArrayList<>();
        for (int t = 0; t < cmd.paths.size(); t++) {
            Path p = cmd.paths.get(t);
            int tree = t;
            try {
                if (!Files.exists(p)) {
                    throw new java.nio.file.NoSuchFileException(p.toString());
                }
                for (Path m : Trees.files(p, Trees.MODULES, (file, error) -> rows.add(new Row(file, tree, error, null)))) {
                    files.add(m);
                    treeOf.add(t);
                }
            } catch (java.io.IOException e) {
                rows.add(new Row(p, t, KobjDump.errorMessage(p.toString(), e), null));
            }
        }
        int cpus = Runtime.getRuntime().availableProcessors();
        int n = cmd.threads <= 0 ? cpus : Math.min(cmd.threads, cpus);
        CheckMatrix matrix = new CheckMatrix(policy, cmd.base, cmd.checksOnly, cmd.json);
        long linkStart = System.nanoTime();
        try (ProgressBar bar = ProgressBar.on(ctx, files.size(), "modules", false)) {
            rows.addAll(Parallel.map(files, n, i -> {
                Row r = matrix.check(files.get(i), treeOf.get(i), kernels);
                ProgressBar.step(bar);
                return r;
            }));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            ctx.error("interrupted");
            return 1;
        } catch (RuntimeException e) {
            ctx.error("internal error: " + e);
            return 1;
        }
        rows.sort(java.util.Comparator.comparingInt(Row::tree)); // stable: each tree's files stay in order
        long end = System.nanoTime();
        double secs = (end - linkStart) / 1e9;
        if (cmd.json) {
            json(ctx.out(), cmd.paths, kernels, rows, secs, n);
        } else {
            String timing = String.format(java.util.Locale.ROOT,
                    "Elapsed: %.3f s checking %d modules x %d kernels (%d threads), %.3f s in all%n",
                    secs, files.size(), kernels.size(), n, (end - start) / 1e9);
            printText(ctx.out(), cmd.paths, kernels, rows, cmd.verbose, timing);
        }
        for (Row r : rows) {
            if (r.error() != null) {
                return 1;
            }
            for (Cell c : r.cells()) {
                if (!c.ok()) {
                    return 1;
                }
            }
        }
        return 0;
    }
}
