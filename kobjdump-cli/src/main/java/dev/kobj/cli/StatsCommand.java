package dev.kobj.cli;

import dev.kobj.elf.ElfNames;
import dev.kobj.elf.RelocationTypes;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code kobjdump stats}: parses every object under some directories (sections, symbols,
 * relocations, groups and module metadata) in parallel and reports counts and throughput.
 */
@Command(name = "stats", description = {
    "Parse every object under some directories and report counts and speed.",
    "",
    "Walks each DIR for .ko, .ko.xz, .ko.zst, .ko.gz and .o files, parses every section, symbol and "
            + "relocation of each (in parallel) and prints: files, files that failed to parse (with "
            + "their errors), sections, symbols, relocations, relocations by type per machine, bytes "
            + "read, elapsed wall time, files/s and relocations/s. A progress bar is drawn on stderr "
            + "when stderr is a terminal. Exit status 1 when a file failed to parse."})
final class StatsCommand implements Callable<Integer> {
    /** How many failures the text output lists. */
    static final int SHOWN_FAILURES = 20;

    @Parameters(paramLabel = "DIR", arity = "1..*",
            description = "Directory trees to walk (a regular file is taken as it is).")
    List<Path> dirs;

    @Option(names = "--json", description = "Print JSON: an array with one object per DIR.")
    boolean json;

    @Option(names = "--threads", paramLabel = "N",
            description = "Worker threads (default and maximum: the available processors).")
    int threads;

    @Option(names = "--progress", description = "Draw the progress bar even when stderr is not a terminal.")
    boolean forceProgress;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    private final KobjDump.Context ctx;

    StatsCommand(KobjDump.Context ctx) {
        this.ctx = ctx;
    }

    // ------------------------------------------------------------------ results

    /** What one file contributed. */
    record FileResult(Path path, String error, long diskBytes, long decodedBytes, long sections, long symbols,
            long relocations, String arch, int machine, TypeCounts.Tally types) {
    }

    /** The figures for one DIR. */
    static final class Stats {
        long files;
        long sections;
        long symbols;
        long relocations;
        long bytesRead;
        long bytesDecoded;
        long elapsedNanos;
        int threads;
        final List<String[]> failures = new ArrayList<>(); // {file, message}
        final Map<String, Machine> machines = new TreeMap<>();

        double seconds() {
            return elapsedNanos / 1e9;
        }

        double perSecond(long n) {
            double s = seconds();
            return s > 0 ? n / s : 0;
        }

        List<Machine> machinesByCount() {
            List<Machine> ms = new ArrayList<>(machines.values());
            ms.sort(BY_TOTAL);
            return ms;
        }
    }

    // The orders of the report, as classes: Comparator's combinators (comparingLong, reversed,
    // thenComparing) spun lambda classes at the end of every run (issue 9).

    /** Machines: most relocations first, then by name. */
    private static final Comparator<Machine> BY_TOTAL = new Comparator<>() {
        @Override
        public int compare(Machine a, Machine b) {
            return a.total != b.total ? Long.compare(b.total, a.total) : a.arch.compareTo(b.arch);
        }
    };

    /** Types: most relocations first, then by type number. */
    private static final Comparator<Map.Entry<Long, Long>> BY_COUNT = new Comparator<>() {
        @Override
        public int compare(Map.Entry<Long, Long> a, Map.Entry<Long, Long> b) {
            int c = Long.compare(b.getValue(), a.getValue());
            return c != 0 ? c : Long.compare(a.getKey(), b.getKey());
        }
    };

    /** Relocation counts of one machine. */
    static final class Machine {
        final String arch;
        /** e_machine of the architecture's file first in path order (set by {@link StatsWork#finish}) */
        int machine;
        long total;
        final TypeCounts types = new TypeCounts();

        Machine(String arch, int machine) {
            this.arch = arch;
            this.machine = machine;
        }

        List<Map.Entry<Long, Long>> typesByCount() {
            List<Map.Entry<Long, Long>> es = new ArrayList<>(types.toMap().entrySet());
            es.sort(BY_COUNT);
            return es;
        }
    }

    // ------------------------------------------------------------------ walking

    /** Collects the files under {@code root}, sorted; unreadable directories become failures. */
    static List<Path> walk(Path root, List<String[]> failures) throws IOException {
        return walk(root, failures, null);
    }

    /** {@link #walk(Path, List)}, giving each file to {@code found} as the walk finds it (see {@link Trees}). */
    static List<Path> walk(Path root, List<String[]> failures, Consumer<Path> found) throws IOException {
        if (!Files.exists(root)) {
            throw new java.nio.file.NoSuchFileException(root.toString());
        }
        return Trees.files(root, Trees.OBJECTS, (file, error) -> {
            synchronized (failures) {
                failures.add(new String[] {file.toString(), error});
            }
        }, found);
    }

    // ------------------------------------------------------------------ parsing

    /** Parses everything kobj reads from one file ({@link StatsReader}, on this thread's buffer). */
    static FileResult parse(Path p) {
        return StatsReader.get().parse(p);
    }

    // ------------------------------------------------------------------ running

    Stats compute(Path root) throws IOException {
        long start = System.nanoTime();
        List<String[]> walkFailures = new ArrayList<>();
        int cpus = Runtime.getRuntime().availableProcessors();
        int n = threads <= 0 ? cpus : Math.min(threads, cpus);
        List<Path> files;
        List<String[]> parseFailures = new ArrayList<>();
        Stats st;
        // The workers parse each file as the walk finds it (the walk is a good part of a tree's
        // time) and add it up there; failures come back sorted by path, the walk's order.
        StatsWork work = new StatsWork(n, cpus);
        try (work) {
            files = walk(root, walkFailures, work::submit);
            work.walked();
            if (work.submitted() == 0 && files.size() == 1) {
                work.submit(files.getFirst()); // a regular file given as DIR
            }
            work.showProgress(ProgressBar.on(ctx, files.size(), "files", forceProgress));
            st = work.finish(parseFailures);
        }
        st.threads = n;
        st.failures.addAll(walkFailures);
        st.failures.addAll(parseFailures);
        st.files = files.size() + walkFailures.size();
        st.elapsedNanos = System.nanoTime() - start;
        return st;
    }

    private static String typeName(Machine m, long type) {
        return RelocationTypes.nameOrUnrecognized(m.machine, type);
    }

    static void text(Stats st, StringBuilder sb) {
        line(sb, "Files", Long.toString(st.files));
        line(sb, "Failed to parse", Long.toString(st.failures.size()));
        line(sb, "Sections", Long.toString(st.sections));
        line(sb, "Symbols", Long.toString(st.symbols));
        line(sb, "Relocations", Long.toString(st.relocations));
        line(sb, "Bytes read", st.bytesRead + " (" + Fmt.fixed(st.bytesRead / 1048576.0, 1) + " MiB)");
        line(sb, "Bytes decoded", st.bytesDecoded + " ("
                + Fmt.fixed(st.bytesDecoded / 1048576.0, 1) + " MiB, after decompression)");
        line(sb, "Elapsed", Fmt.fixed(st.seconds(), 3) + " s (" + st.threads + " threads)");
        line(sb, "Files/s", Fmt.fixed(st.perSecond(st.files), 1));
        line(sb, "Relocations/s", Fmt.fixed(st.perSecond(st.relocations), 1));
        if (!st.failures.isEmpty()) {
            sb.append("\nFiles that failed to parse:\n");
            int shown = 0;
            for (String[] f : st.failures) {
                if (shown++ == SHOWN_FAILURES) {
                    sb.append("  ... and ").append(st.failures.size() - SHOWN_FAILURES).append(" more\n");
                    break;
                }
                sb.append("  ").append(f[1]).append('\n');
            }
        }
        sb.append("\nRelocations by type:\n");
        if (st.machines.isEmpty()) {
            sb.append("  (none)\n");
        }
        for (Machine m : st.machinesByCount()) {
            sb.append("  ").append(m.arch).append(" (").append(ElfNames.machine(m.machine)).append("): ")
                    .append(Fmt.count(m.total, "relocation", "relocations")).append('\n');
            for (Map.Entry<Long, Long> e : m.typesByCount()) {
                sb.append("    ").append(Fmt.left(typeName(m, e.getKey()), 34)).append(' ')
                        .append(Fmt.right(Long.toString(e.getValue()), 12)).append('\n');
            }
        }
    }

    private static void line(StringBuilder sb, String label, String value) {
        sb.append(Fmt.left(label + ":", 18)).append(value).append('\n');
    }

    static void json(Stats st, Json j) {
        j.beginObject()
                .field("files", st.files)
                .field("failed", st.failures.size())
                .name("failures").beginArray();
        for (String[] f : st.failures) {
            j.beginCompactObject().field("file", f[0]).field("error", f[1]).endObject();
        }
        j.endArray()
                .field("sections", st.sections)
                .field("symbols", st.symbols)
                .field("relocations", st.relocations)
                .name("relocationsByType").beginArray();
        for (Machine m : st.machinesByCount()) {
            j.beginObject()
                    .field("arch", m.arch)
                    .field("machine", ElfNames.machine(m.machine))
                    .field("machineValue", m.machine)
                    .field("relocations", m.total)
                    .name("types").beginArray();
            for (Map.Entry<Long, Long> e : m.typesByCount()) {
                j.beginCompactObject().field("type", typeName(m, e.getKey())).fieldUnsigned("typeValue", e.getKey())
                        .field("count", e.getValue()).endObject();
            }
            j.endArray().endObject();
        }
        j.endArray()
                .field("bytesRead", st.bytesRead)
                .field("bytesDecoded", st.bytesDecoded)
                .field("elapsedSeconds", st.seconds())
                .field("threads", st.threads)
                .field("filesPerSecond", st.perSecond(st.files))
                .field("relocationsPerSecond", st.perSecond(st.relocations))
                .endObject();
    }

    @Override
    public Integer call() {
        PrintStream out = ctx.out();
        boolean several = dirs.size() > 1;
        int rc = 0;
        PerFileOutput output = new PerFileOutput(out, json);
        for (Path dir : dirs) {
            String name = dir.toString();
            StringBuilder sb = new StringBuilder();
            try {
                Stats st = compute(dir);
                if (!st.failures.isEmpty()) {
                    rc = 1;
                    ctx.error(name + ": " + st.failures.size() + " of " + st.files + " files failed to parse");
                }
                if (json) {
                    Json j = new Json(sb, 1);
                    j.beginObject().field("file", name).name("stats");
                    json(st, j);
                    j.endObject();
                } else {
                    if (several) {
                        sb.append("\nFile: ").append(name).append('\n');
                    }
                    text(st, sb);
                }
            } catch (IOException | RuntimeException e) {
                rc = 1;
                String msg = KobjDump.errorMessage(name, e);
                ctx.error(msg);
                output.error(name, msg);
                continue;
            }
            output.item(sb);
        }
        output.close();
        return rc;
    }
}
