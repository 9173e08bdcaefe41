package dev.kobj.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The worker threads of one {@code kobjdump stats} DIR: files are handed to them as the walk
 * finds them ({@link #submit}), each parsed by {@link StatsCommand#parse} on the worker's own
 * buffers and added to the figures there and then ({@link #finish} gives them once every file
 * is parsed): the main thread has nothing left to add up when the last file is done (it took
 * 13 ms of an arm64 run, in the interpreter, while both workers were idle). The figures do not
 * depend on the order the files finish in: failures are sorted by path, and an architecture's
 * {@code e_machine} is the one of its file first in path order. The progress bar, which needs
 * the number of files, is made after the walk ({@link #showProgress}) and starts with the files
 * already done. {@link #close} waits for the workers and ends them.
 *
 * <p>While the walk runs, its thread keeps a core busy, so the pool has one worker fewer than it
 * will ({@link #whileWalking}): on two cores, one worker and the walk, where a second worker
 * made three threads share two cores with the JIT compiler at the start of a run, when the
 * parsing code is still interpreted and the compiler is what makes it fast. {@link #walked}
 * adds the rest when the walk ends. Two cores, interleaved pairs, each run after {@code depmod
 * -n}: arm64 tree 0.292 -> 0.281 s (21 pairs, paired median -22 ms, CPU 0.506 -> 0.485 s),
 * amd64 0.364 -> 0.329 s (15 pairs, -41 ms); riscv64's compressed tree, 4.9 s, within the spread.
 * {@code kobjdump depmod} keeps the same rule its own way ({@code Depmod.run} in module-registry:
 * one helper fewer than the processors while the walk runs, and the walk's thread reads after it).
 */
final class StatsWork implements AutoCloseable {
    private final ThreadPoolExecutor pool;
    /** The workers once the walk has ended. */
    private final int threads;
    private int submitted; // by the walk's thread
    private ProgressBar bar; // guarded by this
    private long doneBefore; // files done before the bar was made; guarded by this
    private long bytesBefore; // guarded by this
    /** What the parsed files add up to so far; guarded by this. */
    private final StatsCommand.Stats sum = new StatsCommand.Stats();
    /** Per architecture, the file first in path order: it names the architecture's e_machine; guarded by this. */
    private final Map<String, StatsCommand.FileResult> firstOf = new TreeMap<>();
    /** The files that failed to parse, in the order they were done; guarded by this. */
    private final List<StatsCommand.FileResult> failed = new ArrayList<>();
    private Throwable internal; // what a worker threw past StatsCommand.parse; guarded by this

    /**
     * @param threads the workers once the walk has ended
     * @param cpus    the processors available: while the walk runs, the pool has
     *                {@link #whileWalking whileWalking(threads, cpus)} workers
     */
    StatsWork(int threads, int cpus) {
        this.threads = threads;
        int first = whileWalking(threads, cpus);
        // A factory of its own rather than Thread.ofPlatform().name(prefix, 0).factory(), whose
        // counter is a VarHandle: six method-handle classes spun at run time for a thread's name.
        AtomicInteger made = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(first, first, 0L, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "kobjdump-stats-" + made.getAndIncrement());
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * {@return the workers while the walk runs}: {@code threads}, but no more than the processors
     * the walk's thread leaves ({@code cpus - 1}), and at least one
     */
    static int whileWalking(int threads, int cpus) {
        return Math.max(1, Math.min(threads, cpus - 1));
    }

    /** The walk has ended: the pool gets all its workers, which take the files still queued. */
    void walked() {
        if (pool.getMaximumPoolSize() < threads) {
            pool.setMaximumPoolSize(threads);
            pool.setCorePoolSize(threads);
        }
    }

    /** {@return the workers the pool has now, started or to be started} */
    int workers() {
        return pool.getCorePoolSize();
    }

    /** Starts parsing {@code p} on a worker. */
    void submit(Path p) {
        submitted++;
        pool.execute(() -> {
            try {
                parsed(StatsCommand.parse(p));
            } catch (RuntimeException | Error e) {
                synchronized (this) {
                    if (internal == null) {
                        internal = e;
                    }
                }
            }
        });
    }

    /** {@return how many files were submitted} */
    int submitted() {
        return submitted;
    }

    private void parsed(StatsCommand.FileResult r) {
        synchronized (this) {
            add(r);
            if (bar != null) {
                bar.bytes.addAndGet(r.diskBytes());
                bar.done.incrementAndGet();
            } else {
                bytesBefore += r.diskBytes();
                doneBefore++;
            }
        }
    }

    /** Adds one file's figures to {@link #sum}; the caller holds this. */
    private void add(StatsCommand.FileResult r) {
        sum.bytesRead += r.diskBytes();
        if (r.error() != null) {
            failed.add(r);
            return;
        }
        sum.bytesDecoded += r.decodedBytes();
        sum.sections += r.sections();
        sum.symbols += r.symbols();
        sum.relocations += r.relocations();
        StatsCommand.Machine m = sum.machines.get(r.arch());
        if (m == null) {
            m = new StatsCommand.Machine(r.arch(), r.machine());
            sum.machines.put(r.arch(), m);
        }
        StatsCommand.FileResult first = firstOf.get(r.arch());
        if (first == null || r.path().compareTo(first.path()) < 0) {
            firstOf.put(r.arch(), r);
        }
        m.types.addAll(r.types());
        for (long c : r.types().counts()) {
            m.total += c;
        }
    }

    /** Draws {@code progress} (null: none) from now on, counting the files already done. */
    synchronized void showProgress(ProgressBar progress) {
        bar = progress;
        if (bar != null) {
            bar.bytes.addAndGet(bytesBefore);
            bar.done.addAndGet(doneBefore);
        }
    }

    /**
     * {@return the figures of every file submitted}, once they are all parsed: sums, relocation
     * types per architecture, and the failures as {@code {path, message}} sorted by path
     * @param failures where the failures go
     * @throws IOException when a worker failed past {@link StatsCommand#parse} (an internal error)
     */
    StatsCommand.Stats finish(List<String[]> failures) throws IOException {
        pool.close(); // waits for every file
        synchronized (this) {
            if (internal != null) {
                throw new IOException("internal error: " + internal, internal);
            }
            for (Map.Entry<String, StatsCommand.FileResult> e : firstOf.entrySet()) {
                sum.machines.get(e.getKey()).machine = e.getValue().machine();
            }
            // Not Comparator.comparing: its comparator is a serializable lambda, which the AOT
            // cache does not hold, so it was spun (3-5 ms, interpreted) after the last file.
            failed.sort((a, b) -> a.path().compareTo(b.path()));
            for (StatsCommand.FileResult r : failed) {
                failures.add(new String[] {r.path().toString(), r.error()});
            }
            return sum;
        }
    }

    @Override
    public void close() {
        pool.close();
        ProgressBar b;
        synchronized (this) {
            b = bar;
        }
        if (b != null) {
            b.close();
        }
    }
}
