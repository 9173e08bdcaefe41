package dev.kobj.fuzz;

import java.lang.management.ManagementFactory;

/** What one call cost the calling thread: bytes allocated on the heap and wall time. */
record Cost(long allocated, long nanos, Throwable thrown) {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    static Cost of(Bounded.Call call) {
        long before = THREADS.getCurrentThreadAllocatedBytes();
        long t0 = System.nanoTime();
        Throwable thrown = null;
        try {
            call.run();
        } catch (Throwable t) {
            thrown = t;
        }
        return new Cost(THREADS.getCurrentThreadAllocatedBytes() - before, System.nanoTime() - t0, thrown);
    }

    long millis() {
        return nanos / 1_000_000;
    }

    @Override
    public String toString() {
        return allocated / 1024 + " KiB allocated, " + millis() + " ms" + (thrown == null ? "" : ", threw " + thrown);
    }
}
