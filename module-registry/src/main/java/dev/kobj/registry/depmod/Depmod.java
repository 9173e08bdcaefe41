package dev.kobj.registry.depmod;

import dev.kobj.elf.ElfFile;
import dev.kobj.registry.ModuleException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.IntStream;

/**
 * depmod over a module tree: finds the modules ({@link ModuleTree}), reads what each exports
 * and imports ({@link ModuleSymbols}) on several threads, and computes the dependencies
 * ({@link DependencyGraph}).
 *
 * <pre>{@code
 * Depmod.Result r = Depmod.run(Path.of("/lib/modules/6.1.0-56-amd64"), 2);
 * Files.writeString(root.resolve("modules.dep"), r.graph().modulesDep());
 * }</pre>
 */
public final class Depmod {
    private Depmod() {
    }

    /**
     * What a run gave.
     *
     * @param tree     the modules found, in order
     * @param graph    their dependencies
     * @param problems one message per module that could not be read (the module is kept, with
     *                 no exports and no imports, as depmod keeps it)
     */
    public record Result(ModuleTree tree, DependencyGraph graph, List<String> problems) {
        /** Copies the problems. */
        public Result {
            problems = List.copyOf(problems);
        }
    }

    /** Told how a run goes (for a progress bar); called from the worker threads. */
    public interface Progress {
        /** No report. */
        Progress NONE = new Progress() {
        };

        /**
         * Called once, before any module is read.
         *
         * @param modules how many modules the tree holds
         */
        default void started(int modules) {
        }

        /** Called after each module is read. */
        default void moduleRead() {
        }
    }

    /**
     * Runs depmod over {@code root}.
     *
     * @param root    the module tree
     * @param threads worker threads; 0 or less means the available processors
     * @return the modules, their dependencies and the problems met
     * @throws IOException     when the tree or modules.order cannot be read
     * @throws ModuleException EDEADLK on a dependency cycle
     */
    public static Result run(Path root, int threads) throws IOException, ModuleException {
        return run(root, threads, Progress.NONE);
    }

    /**
     * Runs depmod over {@code root}, telling {@code progress} how it goes.
     *
     * @param root     the module tree
     * @param threads  worker threads; 0 or less means the available processors
     * @param progress told the module count, then each module read
     * @return the modules, their dependencies and the problems met
     * @throws IOException     when the tree or modules.order cannot be read
     * @throws ModuleException EDEADLK on a dependency cycle
     */
    public static Result run(Path root, int threads, Progress progress) throws IOException, ModuleException {
        Objects.requireNonNull(root, "root");
        Objects.requireNonNull(progress, "progress");
        ModuleTree tree = ModuleTree.scan(root);
        List<ModuleTree.Entry> entries = tree.modules();
        progress.started(entries.size());
        int n = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
        Object[] read = new Object[entries.size()];
        try (ForkJoinPool pool = new ForkJoinPool(Math.max(1, n))) {
            pool.submit(() -> IntStream.range(0, entries.size()).parallel()
                    .forEach(i -> {
                        read[i] = readSymbols(entries.get(i).file());
                        progress.moduleRead();
                    })).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while reading " + root, e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("reading " + root + ": " + e.getCause(), e.getCause());
        }
        List<DependencyGraph.Node> nodes = new ArrayList<>(entries.size());
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            ModuleTree.Entry e = entries.get(i);
            ModuleSymbols symbols;
            if (read[i] instanceof ModuleSymbols s) {
                symbols = s;
            } else {
                problems.add(e.path() + ": " + read[i]);
                symbols = new ModuleSymbols(List.of(), List.of());
            }
            nodes.add(new DependencyGraph.Node(e.path(), e.name(), symbols));
        }
        return new Result(tree, DependencyGraph.of(nodes), problems);
    }

    /** {@return the module's symbols, or the message of what went wrong reading it} */
    private static Object readSymbols(Path file) {
        try (ElfFile f = ElfFile.open(file)) {
            return ModuleSymbols.read(f);
        } catch (IOException | dev.kobj.elf.ElfFormatException | RuntimeException e) {
            String m = e.getMessage();
            return m != null ? m : e.getClass().getSimpleName();
        }
    }
}
