package dev.kobj.cli;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The worker threads of one {@code kobjdump stats} DIR: files are handed to them as the walk
 * finds them ({@link #submit}), each parsed by {@link StatsCommand#parse} on the worker's own
 * buffers, and their results asked for by path once the walk is over ({@link #result}). The
 * progress bar, which needs the number of files, is made after the walk ({@link #showProgress})
 * and starts with the files already done. {@link #close} waits for the workers and ends them.
 */
final class StatsWork implements AutoCloseable {
    private final ExecutorService pool;
    private final Map<Path, Future<StatsCommand.FileResult>> pending = new HashMap<>();
    private ProgressBar bar; // guarded by this
    private long doneBefore; // files done before the bar was made; guarded by this
    private long bytesBefore; // guarded by this

    StatsWork(int threads) {
        // A factory of its own rather than Thread.ofPlatform().name(prefix, 0).factory(), whose
        // counter is a VarHandle: six method-handle classes spun at run time for a thread's name.
        AtomicInteger made = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "kobjdump-stats-" + made.getAndIncrement());
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts parsing {@code p} on a worker. */
    void submit(Path p) {
        pending.put(p, pool.submit(() -> parsed(StatsCommand.parse(p))));
    }

    /** {@return how many files were submitted} */
    int submitted() {
        return pending.size();
    }

    private StatsCommand.FileResult parsed(StatsCommand.FileResult r) {
        synchronized (this) {
            if (bar != null) {
                bar.bytes.addAndGet(r.diskBytes());
                bar.done.incrementAndGet();
            } else {
                bytesBefore += r.diskBytes();
                doneBefore++;
            }
        }
        return r;
    }

    /** Draws {@code progress} (null: none) from now on, counting the files already done. */
    synchronized void showProgress(ProgressBar progress) {
        bar = progress;
        if (bar != null) {
            bar.bytes.addAndGet(bytesBefore);
            bar.done.addAndGet(doneBefore);
        }
    }

    /** {@return the result of the file {@code p} submitted}, once it is parsed */
    StatsCommand.FileResult result(Path p) throws InterruptedException, ExecutionException {
        return pending.get(p).get();
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
