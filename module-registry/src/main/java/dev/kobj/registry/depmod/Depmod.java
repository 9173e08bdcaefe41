package dev.kobj.registry.depmod;

import dev.kobj.elf.ElfFile;
import dev.kobj.registry.ModuleException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

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
        int n = Math.max(1, Math.min(threads > 0 ? threads : Runtime.getRuntime().availableProcessors(),
                entries.size()));
        Object[] read = new Object[entries.size()];
        AtomicInteger next = new AtomicInteger();
        AtomicReference<Throwable> failed = new AtomicReference<>();
        // Each thread takes the next module and reads it with its own reader (buffers that stay).
        Runnable work = () -> {
            try {
                SymbolReader reader = new SymbolReader();
                for (int i; (i = next.getAndIncrement()) < entries.size(); ) {
                    read[i] = readSymbols(reader, entries.get(i).file());
                    progress.moduleRead();
                }
            } catch (Throwable t) {
                failed.compareAndSet(null, t);
                next.set(entries.size());
            }
        };
        Thread[] helpers = new Thread[n - 1];
        for (int t = 0; t < helpers.length; t++) {
            helpers[t] = Thread.ofPlatform().name("depmod-" + (t + 1)).daemon().start(work);
        }
        work.run();
        try {
            for (Thread t : helpers) {
                t.join();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            next.set(entries.size());
            throw new IOException("interrupted while reading " + root, e);
        }
        if (failed.get() != null) {
            throw new IllegalStateException("reading " + root + ": " + failed.get(), failed.get());
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
                symbols = new ModuleSymbols(NameList.EMPTY, NameList.EMPTY);
            }
            nodes.add(new DependencyGraph.Node(e.path(), e.name(), symbols));
        }
        return new Result(tree, DependencyGraph.of(nodes), problems);
    }

    /**
     * {@return the module's symbols (names as bytes), or the message of what went wrong reading
     * it}: the reader's fast path first, the general reader for what it does not take
     */
    private static Object readSymbols(SymbolReader reader, Path file) {
        ModuleSymbols fast = reader.read(file);
        if (fast != null) {
            return fast;
        }
        try (ElfFile f = ElfFile.open(file)) {
            ModuleSymbols s = ModuleSymbols.read(f);
            return new ModuleSymbols(NameList.latin1(s.exports()), NameList.latin1(s.imports()));
        } catch (IOException | dev.kobj.elf.ElfFormatException | RuntimeException e) {
            String m = e.getMessage();
            return m != null ? m : e.getClass().getSimpleName();
        }
    }
}
