package dev.kobj.cli;

import dev.kobj.registry.ModuleException;
import dev.kobj.registry.depmod.Depmod;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code kobjdump depmod}: the modules.dep of a module tree, as kmod's depmod writes it. The
 * rules are those of {@link dev.kobj.registry.depmod.DependencyGraph}.
 */
@Command(name = "depmod", description = {
    "Write modules.dep for a module tree, as depmod does.",
    "",
    "DIR is a tree such as /lib/modules/6.1.0-56-amd64: every .ko/.ko.xz/.ko.zst/.ko.gz under "
            + "it (build/ and source/ skipped) is read, on --threads threads. A module depends on "
            + "the modules that export the symbols it leaves undefined (exports are its __ksymtab_* "
            + "symbols; names only vmlinux exports give no dependency), and modules.dep lists, for "
            + "each module in modules.order order, the whole closure of its dependencies, each "
            + "module before those it needs (depmod's topological order), as paths relative to DIR: "
            + "'kernel/fs/foo.ko: kernel/lib/bar.ko kernel/lib/baz.ko'. Writes DIR/modules.dep, or "
            + "-o FILE ('-' for standard output). Exit status 1 when a module cannot be read (it is "
            + "still listed, without dependencies) or the modules depend on each other in a cycle "
            + "(nothing is written then)."})
final class DepmodCommand implements Callable<Integer> {
    @Parameters(paramLabel = "DIR", arity = "1", description = "The module tree (lib/modules/VERSION).")
    Path dir;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE",
            description = "Where to write modules.dep (default: DIR/modules.dep; '-' for standard output).")
    String output;

    @Option(names = "--threads", paramLabel = "N",
            description = "Worker threads reading modules (default: the available processors).")
    int threads;

    @Option(names = {"-v", "--verbose"}, description = "Print the counts and the time taken on standard error.")
    boolean verbose;

    @Option(names = "--json", description = "Print the dependencies as JSON on standard output (each module's "
            + "direct dependencies and modules.dep list) instead of writing modules.dep (unless -o is given).")
    boolean json;

    @Option(names = "--dot", description = "Print the dependency graph in Graphviz's DOT language on standard output "
            + "(one edge per direct dependency) instead of writing modules.dep (unless -o is given).")
    boolean dot;

    @Option(names = "--svg", paramLabel = "FILE", description = "Draw the dependency graph into FILE with Graphviz's "
            + "dot (must be installed) instead of writing modules.dep (unless -o is given).")
    Path svg;

    @Option(names = "--progress", description = "Draw the progress bar even when stderr is not a terminal.")
    boolean forceProgress;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    private final KobjDump.Context ctx;

    DepmodCommand(KobjDump.Context ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        long t0 = System.nanoTime();
        Depmod.Result r;
        try {
            r = DepmodProgress.run(ctx, dir, threads, forceProgress);
        } catch (ModuleException e) {
            ctx.error(dir + ": " + e.getMessage());
            return 1;
        } catch (IOException e) {
            ctx.error(KobjDump.errorMessage(dir.toString(), e));
            return 1;
        }
        for (String p : r.problems()) {
            ctx.error(p);
        }
        boolean views = json || dot || svg != null;
        try {
            if (json) {
                ctx.out().print(ResultsJson.depmod(r.graph(), r.problems()));
                ctx.out().flush();
            }
            if (dot) {
                ctx.out().print(DependencyDot.of(r.graph(), dir.toString()));
                ctx.out().flush();
            }
            if (svg != null) {
                DependencyDot.svg(DependencyDot.of(r.graph(), dir.toString()), svg);
            }
            if (views && output == null) {
                return r.problems().isEmpty() ? 0 : 1;
            }
            if ("-".equals(output)) {
                Writer w = new java.io.OutputStreamWriter(ctx.out(), StandardCharsets.ISO_8859_1);
                r.graph().writeModulesDep(w);
                w.flush();
            } else {
                Path target = output != null ? Path.of(output) : dir.resolve("modules.dep");
                write(r, target);
            }
        } catch (IOException e) {
            ctx.error(KobjDump.errorMessage(output != null ? output : dir.resolve("modules.dep").toString(), e));
            return 1;
        }
        if (verbose) {
            long withDeps = r.graph().modules().stream().filter(m -> !r.graph().directDependencies(m).isEmpty()).count();
            ctx.err().printf(Locale.ROOT, "kobjdump depmod: %d modules (%d with dependencies, %d direct edges), %.3f s%n",
                    r.graph().modules().size(), withDeps, r.graph().edgeCount(), (System.nanoTime() - t0) / 1e9);
            ctx.err().flush();
        }
        return r.problems().isEmpty() ? 0 : 1;
    }

    /** Writes to a temporary file beside the target, then renames it, as depmod does. */
    private static void write(Depmod.Result r, Path target) throws IOException {
        Path abs = target.toAbsolutePath();
        Path tmp = abs.resolveSibling(abs.getFileName() + ".tmp");
        try (BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.ISO_8859_1)) {
            r.graph().writeModulesDep(w);
        } catch (IOException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
