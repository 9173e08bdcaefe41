package dev.kobj.registry;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** A {@link Ticker} that moves only when told: for tests of autounload. Thread-safe. */
public final class ManualTicker implements Ticker {
    private final AtomicLong now = new AtomicLong();

    @Override
    public long nanos() {
        return now.get();
    }

    /** Moves the clock forward by {@code d}. */
    public void advance(Duration d) {
        now.addAndGet(Ticker.toNanos(d));
    }
}
