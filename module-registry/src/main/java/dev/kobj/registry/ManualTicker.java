package dev.kobj.registry;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** A {@link Ticker} that moves only when told: for tests of autounload. Thread-safe. */
public final class ManualTicker implements Ticker {
    private final AtomicLong now = new AtomicLong();

    /** A clock at 0 that moves only when told. */
    public ManualTicker() {
    }

    @Override
    public long nanos() {
        return now.get();
    }

    /**
     * Moves the clock forward by {@code d}.
     * @param d how far to move the clock
     */
    public void advance(Duration d) {
        now.addAndGet(Ticker.toNanos(d));
    }
}
