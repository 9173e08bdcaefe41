package dev.kobj.registry;

import java.time.Duration;

/** The registry's clock for autounload delays: monotonic nanoseconds. Injectable for tests ({@link ManualTicker}). */
@FunctionalInterface
public interface Ticker {

    /** {@return the current time in nanoseconds, monotonic, from an arbitrary origin} */
    long nanos();

    /** {@return {@link System#nanoTime}} */
    static Ticker system() {
        return System::nanoTime;
    }

    /**
     * {@return a duration in nanoseconds, saturated}
     * @param d a duration
     */
    static long toNanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }
}
