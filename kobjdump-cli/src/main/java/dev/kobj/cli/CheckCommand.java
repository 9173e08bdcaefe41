package dev.kobj.cli;

import dev.kobj.elf.ElfFile;
import dev.kobj.elf.ElfReader;
import dev.kobj.link.Checks;
import dev.kobj.link.HeapMemory;
import dev.kobj.link.KernelTarget;
import dev.kobj.link.LoadErrno;
import dev.kobj.link.LinkException;
import dev.kobj.link.LinkRequest;
import dev.kobj.link.Linker;
import dev.kobj.link.LoadPolicy;
import dev.kobj.link.LoadedImage;
import dev.kobj.symtab.SymbolLookup;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code kobjdump check}: would the kernel load these modules? Each module is linked in heap
 * memory (nothing is written) against the {@code --kernel} tables, with the kernel's load
 * checks; every problem of each module is reported at once, then a summary with the speed.
 */
@Command(name = "check", description = {
    "Check that modules would load: every problem of each, and a summary.",
    "",
    "Links each FILE, and each .ko/.ko.xz/.ko.zst/.ko.gz under each DIR, in heap memory against "
            + "the kernel symbol tables given with --kernel (System.map, /proc/kallsyms, or "
            + "Module.symvers, whose addresses are then synthesized), writing nothing. Reports every "
            + "problem the kernel's loader would refuse a module for (unknown symbol, CRC mismatch, "
            + "vermagic, GPL-only symbol, namespace not imported, SHN_COMMON, no "
            + ".gnu.linkonce.this_module) and any relocation that cannot be applied, then the "
            + "number of modules, those refused by kind, and the speed: modules/s, relocations/s "
            + "and the peak heap. Exit status 1 when a module is refused or unreadable."})
final class CheckCommand implements Callable<Integer> {
    @Parameters(paramLabel = "FILE|DIR", arity = "1..*", description = "Modules, or directory trees of modules.")
    List<Path> paths;

    @Option(names = "--kernel", paramLabel = "SYMVERS_OR_MAP",
            description = "A Module.symvers, System.map or kallsyms file; repeat to merge several.")
    List<Path> kernel = new ArrayList<>();

    @Option(names = "--base", paramLabel = "ADDR", converter = AddressConverter.class,
            description = "Address of each module's core region (default: where Linux puts modules on the "
                    + "object's architecture).")
    Long base;

    @Option(names = "--target", paramLabel = "MODULE_OR_TREE",
            description = "A module, or a module tree (e.g. lib/modules/RELEASE), of the kernel that will load them: "
                    + "its vermagic release and architecture give the relocation types its loader accepts, its "
                    + ".gnu.linkonce.this_module gives sizeof(struct module), which every module must match.")
    Path target;

    @Option(names = "--json", description = "Print JSON: one object per module (verdict, errno, problems) and a "
            + "summary.")
    boolean json;

    @Option(names = "--checks-only", description = "Run the load checks without linking (no relocation is applied).")
    boolean checksOnly;

    @Mixin
    PolicyOptions policyOptions = new PolicyOptions();

    @Option(names = "--threads", paramLabel = "N",
            description = "Worker threads (default and maximum: the available processors).")
    int threads;

    @Option(names = "--matrix", description = "Each --kernel is a kernel of its own, not merged (a file, or a "
            + "directory holding Module.symvers or System.map): every module of every FILE|DIR is read once and "
            + "checked against each kernel, and a module x kernel matrix of verdicts is printed, with the counts "
            + "per tree and kernel.")
    boolean matrix;

    @Option(names = {"-v", "--verbose"}, description = "Also list the modules that would load.")
    boolean verbose;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    private final KobjDump.Context ctx;

    CheckCommand(KobjDump.Context ctx) {
        this.ctx = ctx;
    }

    /**
     * What one module gave: problems (empty = it would load), or an error reading it;
     * {@code outOfMemory} when that error is the heap's (the module is linked again alone).
     */
    record Result(Path path, boolean named, String error, List<LinkException.Problem> problems, long relocations,
            int machine, boolean outOfMemory) {
        Result(Path path, boolean named, String error, List<LinkException.Problem> problems, long relocations,
                int machine) {
            this(path, named, error, problems, relocations, machine, false);
        }

        Result(Path path, boolean named, String error, List<LinkException.Problem> problems, long relocations) {
            this(path, named, error, problems, relocations, 0);
        }

        boolean ok() {
            return error == null && problems.isEmpty();
        }

        /** {@return the errno the kernel would return, or null when it would load (or could not be read)} */
        LoadErrno errno() {
            return error != null ? null : LoadErrno.verdict(problems, machine);
        }
    }

    /**
     * Files named on the command line are taken as they are; directories give their modules,
     * sorted. Collects the modules of {@link #paths} into {@code files} (and whether each was named on the
     * command line into {@code named}); paths that cannot be walked become results. The first
     * module found is told to {@code loader}.
     */
    private void walk(List<Result> results, List<Path> files, List<Boolean> named, Map<Path, Long> sizes,
            TablesLoader loader) {
        for (Path p : paths) {
            try {
                if (!Files.exists(p)) {
                    throw new java.nio.file.NoSuchFileException(p.toString());
                }
                boolean dir = Files.isDirectory(p);
                for (Path m : Trees.files(p, Trees.MODULES,
                        (file, error) -> results.add(new Result(file, false, error, List.of(), 0)), loader::found,
                        sizes)) {
                    loader.found(m); // a file named as it is
                    files.add(m);
                    named.add(!dir);
                }
            } catch (IOException e) {
                results.add(new Result(p, true, KobjDump.errorMessage(p.toString(), e), List.of(), 0));
            }
        }
    }

    /**
     * The smallest image allocation held in native memory rather than the heap (freed when the
     * image is closed): only modules far bigger than amd64's and arm64's biggest (amdgpu.ko's core,
     * 9.3 MiB) get one, such as riscv64's amdgpu.ko, whose init data holds 43 MB of symbols.
     */
    static final long OFF_HEAP_FROM = 16L << 20;

    /** One reusable file buffer per thread (the modules are read, not mapped). */
    private static final ThreadLocal<ElfReader> READERS = ThreadLocal.withInitial(ElfReader::new);

    Result check(Path p, boolean named, KernelTables tables, LoadPolicy policy) {
        String name = p.toString();
        try (ElfFile f = READERS.get().open(p)) {
            SymbolLookup lookup = tables.forObject(f.header());
            int machine = f.header().machine();
            if (checksOnly) {
                return new Result(p, named, null, Checks.run(f, policy, lookup), 0, machine);
            }
            long at = base != null ? base : KernelTables.defaultBase(f.header());
            LinkRequest request = LinkRequest.builder(new HeapMemory(at == 0 ? HeapMemory.DEFAULT_BASE : at, OFF_HEAP_FROM))
                    .symbols(lookup).base(at).policy(policy).build();
            try (LoadedImage image = Linker.link(f, request)) {
                return new Result(p, named, null, List.of(), image.relocationCount(), machine);
            } catch (LinkException e) {
                List<LinkException.Problem> problems = e.problems().isEmpty()
                        ? List.of(new LinkException.Problem(e.kind(), "", String.valueOf(e.getMessage())))
                        : e.problems();
                return new Result(p, named, null, problems, 0, machine);
            }
        } catch (OutOfMemoryError e) {
            return new Result(p, named, KobjDump.errorMessage(name, e), List.of(), 0, 0, true);
        } catch (Exception | StackOverflowError e) {
            return new Result(p, named, KobjDump.errorMessage(name, e), List.of(), 0);
        }
    }

    /**
     * Links again, one at a time, the modules that ran out of heap while other workers held
     * theirs: alone, a module has the whole heap (the launcher's -Xmx160m keeps a whole-tree
     * check under 256 MiB of RSS; riscv64 trees have modules of a million symbols). One that
     * still does not fit keeps its error, which says how to give the JVM more heap.
     */
    void retryAlone(List<Result> results, KernelTables tables, LoadPolicy policy) {
        for (int i = 0; i < results.size(); i++) {
            Result r = results.get(i);
            if (r.outOfMemory()) {
                results.set(i, check(r.path(), r.named(), tables, policy));
            }
        }
    }

    /** Samples the used heap every few milliseconds; {@link #peak} is the largest seen. */
    static final class HeapSampler implements AutoCloseable {
        private final MemoryMXBean bean = ManagementFactory.getMemoryMXBean();
        private final AtomicLong peak = new AtomicLong();
        private final Thread thread;
        private volatile boolean stop;

        HeapSampler() {
            sample();
            thread = Thread.ofPlatform().daemon().name("kobjdump-heap").start(() -> {
                while (!stop) {
                    try {
                        sample();
                    } catch (OutOfMemoryError e) {
                        // a worker's module filled the heap: that worker reports it; sample again later
                    }
                    try {
                        Thread.sleep(5);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
        }

        private void sample() {
            long used = bean.getHeapMemoryUsage().getUsed();
            peak.accumulateAndGet(used, Math::max);
        }

        long peak() {
            sample();
            return peak.get();
        }

        @Override
        public void close() {
            stop = true;
            thread.interrupt();
        }
    }

    @Override
    public Integer call() {
        long start = System.nanoTime();
        // The tables are read on a thread of their own while this one walks the trees.
        TablesLoader loader = TablesLoader.start(matrix ? List.of() : kernel);
        List<Result> results = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        List<Boolean> named = new ArrayList<>();
        Map<Path, Long> sizes = new HashMap<>(); // as the walk read them
        if (!matrix) {
            walk(results, files, named, sizes, loader);
        }
        KernelTables tables;
        try {
            tables = loader.get();
        } catch (Exception e) {
            ctx.error(KobjDump.errorMessage(kernel.size() == 1 ? kernel.getFirst().toString() : "--kernel", e));
            return 1;
        }
        LoadPolicy policy = policyOptions.policy();
        if (target != null) {
            try {
                KernelTarget t = KernelTarget.from(target).orElseThrow(() -> new java.io.IOException(
                        "no module under " + target));
                policy = policy.toBuilder().target(t).build();
            } catch (Exception e) {
                ctx.error(KobjDump.errorMessage(target.toString(), e));
                return 1;
            }
        }
        if (matrix) {
            return CheckMatrix.run(this, ctx, policy);
        }
        final LoadPolicy checkPolicy = policy;
        int cpus = Runtime.getRuntime().availableProcessors();
        int n = threads <= 0 ? cpus : Math.min(threads, cpus);
        long peak;
        long linkStart = System.nanoTime();
        try (HeapSampler heap = new HeapSampler();
                ProgressBar bar = ProgressBar.on(ctx, files.size(), "modules", false)) {
            results.addAll(Parallel.map(files, sizes, n, i -> {
                Result r = check(files.get(i), named.get(i), tables, checkPolicy);
                ProgressBar.step(bar);
                return r;
            }));
            retryAlone(results, tables, checkPolicy);
            peak = heap.peak();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            ctx.error("interrupted");
            return 1;
        } catch (RuntimeException e) {
            ctx.error("internal error: " + e);
            return 1;
        }
        long end = System.nanoTime();
        PrintStream out = ctx.out();
        if (json) {
            out.print(ResultsJson.check(results, (end - linkStart) / 1e9, n));
            out.flush();
            return results.stream().allMatch(Result::ok) ? 0 : 1;
        }
        StringBuilder sb = new StringBuilder();
        long ok = 0;
        long refused = 0;
        long unreadable = 0;
        long relocations = 0;
        Map<String, Long> kinds = new TreeMap<>();
        for (Result r : results) {
            relocations += r.relocations();
            if (r.error() != null) {
                unreadable++;
                sb.append(r.error()).append('\n');
            } else if (r.problems().isEmpty()) {
                ok++;
                if (verbose || r.named()) {
                    sb.append(r.path()).append(": OK").append(checksOnly ? "\n"
                            : " (" + Fmt.count(r.relocations(), "relocation", "relocations") + ")\n");
                }
            } else {
                refused++;
                sb.append(r.path()).append(": ").append(Fmt.count(r.problems().size(), "problem", "problems"))
                        .append('\n');
                r.problems().stream().map(p -> p.kind().name()).distinct().forEach(k -> kinds.merge(k, 1L, Long::sum));
                for (LinkException.Problem p : r.problems()) {
                    sb.append("  ").append(Fmt.oneLine(p.message())).append('\n');
                }
                LoadErrno e = r.errno();
                sb.append("  verdict: ").append(e).append(" (errno ").append(e.number())
                        .append("), as the kernel's init_module would return\n");
            }
        }
        double secs = (end - linkStart) / 1e9;
        long modules = ok + refused + unreadable;
        sb.append("\nSummary:\n");
        line(sb, "Modules", modules + " (" + ok + " would load, " + refused + " refused, " + unreadable
                + " unreadable)");
        if (!kinds.isEmpty()) {
            StringBuilder k = new StringBuilder();
            kinds.forEach((kind, count) -> k.append(k.isEmpty() ? "" : ", ").append(kind).append(' ').append(count));
            line(sb, "Refused for", k + " (modules per kind)");
        }
        line(sb, "Kernel table", kernel.isEmpty() ? "(none)" : tables.synthesized()
                ? "synthesized from " + kernel.size() + " Module.symvers file(s)" : kernel.size() + " file(s)");
        if (!checksOnly) {
            line(sb, "Relocations", relocations + " applied");
        }
        line(sb, "Elapsed", Fmt.fixed(secs, 3) + " s checking (" + n + " threads), "
                + Fmt.fixed((end - start) / 1e9, 3) + " s in all");
        line(sb, "Modules/s", Fmt.fixed(secs > 0 ? modules / secs : 0, 1));
        if (!checksOnly) {
            line(sb, "Relocations/s", Fmt.fixed(secs > 0 ? relocations / secs : 0, 1));
        }
        line(sb, "Peak heap", Fmt.fixed(peak / 1048576.0, 1) + " MiB (used heap, sampled every 5 ms; max "
                + Fmt.fixed(Runtime.getRuntime().maxMemory() / 1048576.0, 0) + " MiB)");
        out.print(sb);
        out.flush();
        return refused == 0 && unreadable == 0 ? 0 : 1;
    }

    private static void line(StringBuilder sb, String label, String value) {
        sb.append(Fmt.left(label + ":", 15)).append(value).append('\n');
    }
}
