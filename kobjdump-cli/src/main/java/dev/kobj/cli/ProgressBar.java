package dev.kobj.cli;

import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A one-line progress bar on stderr for the tree commands (stats, check, depmod), redrawn at
 * most ten times a second from its own thread and erased on {@link #close}. The commands draw
 * it only when stderr is a terminal ({@link Terminal#isTerminal}), so that logs and pipes get
 * no carriage returns.
 */
final class ProgressBar implements AutoCloseable {
    private final PrintStream err;
    private final long total;
    private final String unit;
    private final long start = System.nanoTime();
    /** Items done so far. */
    final AtomicLong done = new AtomicLong();
    /** Bytes read so far (shown when not 0). */
    final AtomicLong bytes = new AtomicLong();
    private final Thread thread;
    private volatile boolean stop;
    private int lastWidth;

    /**
     * Starts drawing.
     *
     * @param err   where to draw
     * @param total how many items there are
     * @param unit  what they are, plural ("files", "modules")
     */
    ProgressBar(PrintStream err, long total, String unit) {
        this.err = err;
        this.total = total;
        this.unit = unit;
        draw(); // the first frame at once: a bar made when most of the work is done (stats) still shows
        this.thread = Thread.ofPlatform().daemon().name("kobjdump-progress").start(this::loop);
    }

    /** {@return a bar on {@code ctx}'s stderr when it is a terminal or {@code force}, else null} */
    static ProgressBar on(KobjDump.Context ctx, long total, String unit, boolean force) {
        return force || ctx.stderrIsTerminal() ? new ProgressBar(ctx.err(), total, unit) : null;
    }

    /** Counts one item done; {@code bar} may be null (no bar). */
    static void step(ProgressBar bar) {
        if (bar != null) {
            bar.done.incrementAndGet();
        }
    }

    private void loop() {
        while (!stop) {
            draw();
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private synchronized void draw() {
        long d = done.get();
        int width = 30;
        int filled = total == 0 ? width : (int) (Math.min(d, total) * width / total);
        double secs = (System.nanoTime() - start) / 1e9;
        long b = bytes.get();
        String line = "\r[" + "#".repeat(filled) + " ".repeat(width - filled) + "] "
                + String.format(Locale.ROOT, "%3d%% %d/%d %s", total == 0 ? 100 : d * 100 / total, d, total, unit)
                + (b > 0 ? String.format(Locale.ROOT, " %.1f MiB", b / 1048576.0) : "")
                + String.format(Locale.ROOT, " %.1f s", secs);
        int len = line.length();
        if (len < lastWidth) {
            line = line + " ".repeat(lastWidth - len);
        }
        lastWidth = len;
        err.print(line);
        err.flush();
    }

    @Override
    public void close() {
        stop = true;
        thread.interrupt();
        try {
            thread.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            err.print("\r" + " ".repeat(lastWidth) + "\r");
            err.flush();
        }
    }
}
