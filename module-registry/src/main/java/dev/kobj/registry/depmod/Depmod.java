package dev.kobj.registry.depmod;

import dev.kobj.elf.ElfFile;
import dev.kobj.registry.ModuleException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

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
        // The helper threads read modules as the walk finds them; the main thread walks, then
        // reads too. Results are matched to the tree's entries by their Path objects.
        int n = Math.max(1, threads > 0 ? threads : Runtime.getRuntime().availableProcessors());
        Worker work = new Worker(progress);
        Thread[] helpers = new Thread[n - 1];
        for (int t = 0; t < helpers.length; t++) {
            helpers[t] = Thread.ofPlatform().name("depmod-".concat(Integer.toString(t + 1))).daemon().start(work);
        }
        ModuleTree tree;
        try {
            tree = ModuleTree.scan(root, work);
        } catch (IOException | RuntimeException | Error e) {
            work.stop();
            throw e;
        }
        work.walked();
        List<ModuleTree.Entry> entries = tree.modules();
        work.started(entries.size());
        work.run();
        try {
            for (Thread t : helpers) {
                t.join();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            work.stop();
            throw new IOException("interrupted while reading " + root, e);
        }
        Throwable failed = work.failed.get();
        if (failed != null) {
            throw new IllegalStateException("reading " + root + ": " + failed, failed);
        }
        IdentityHashMap<Path, Object> byFile = new IdentityHashMap<>(2 * work.count);
        for (int i = 0; i < work.count; i++) {
            byFile.put(work.files[i], work.results[i]);
        }
        Object[] read = new Object[entries.size()];
        for (int i = 0; i < read.length; i++) {
            read[i] = byFile.get(entries.get(i).file());
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
     * The modules found so far and what reading each gave; run by every reading thread. Each
     * thread takes the next module found and reads it with a reader of its own (buffers that
     * stay), waiting while the walk has found nothing new. A class rather than lambdas: nothing
     * to spin at run time.
     */
    private static final class Worker implements Runnable, Consumer<Path> {
        final AtomicReference<Throwable> failed = new AtomicReference<>();
        private final AtomicInteger next = new AtomicInteger();
        private final Progress progress;
        private final Object lock = new Object();
        Path[] files = new Path[1024];
        Object[] results = new Object[1024];
        volatile int count; // files published
        private volatile boolean walked;
        private volatile boolean stopped;
        private boolean counting; // progress told the count (under lock)
        private int early; // modules read before that (under lock)

        Worker(Progress progress) {
            this.progress = progress;
        }

        /** Publishes a module file the walk found (walking thread only). */
        @Override
        public void accept(Path file) {
            synchronized (lock) {
                if (count == files.length) {
                    files = Arrays.copyOf(files, count * 2);
                    results = Arrays.copyOf(results, count * 2);
                }
                files[count] = file;
                count = count + 1;
                lock.notifyAll();
            }
        }

        void walked() {
            synchronized (lock) {
                walked = true;
                lock.notifyAll();
            }
        }

        void stop() {
            stopped = true;
            walked();
        }

        /** Tells the progress how many modules the tree has, and the modules read so far. */
        void started(int modules) {
            if (progress == Progress.NONE) {
                return;
            }
            synchronized (lock) {
                progress.started(modules);
                for (int i = 0; i < early; i++) {
                    progress.moduleRead();
                }
                counting = true;
            }
        }

        @Override
        public void run() {
            try {
                SymbolReader reader = new SymbolReader();
                while (!stopped) {
                    int i = next.getAndIncrement();
                    Path file;
                    synchronized (lock) {
                        while (i >= count && !walked) {
                            lock.wait();
                        }
                        if (i >= count) {
                            return;
                        }
                        file = files[i];
                    }
                    Object r = readSymbols(reader, file);
                    synchronized (lock) {
                        results[i] = r;
                        if (progress != Progress.NONE) {
                            if (counting) {
                                progress.moduleRead();
                            } else {
                                early++;
                            }
                        }
                    }
                }
            } catch (Throwable t) {
                failed.compareAndSet(null, t);
                stop();
            }
        }
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
