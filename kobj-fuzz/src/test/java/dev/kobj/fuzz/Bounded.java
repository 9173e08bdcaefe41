package dev.kobj.fuzz;

import dev.kobj.elf.KobjException;
import java.lang.management.ManagementFactory;

/**
 * The contract every fuzz target checks for one input (issue 11, point 1): a public API given
 * bad input throws only the project's own exceptions ({@link KobjException} and its kinds),
 * whose message names the input; it returns within {@link #TIME_LIMIT_NANOS}; and the bytes it
 * allocates in the calling thread stay within {@code ALLOC_FACTOR × budget + ALLOC_SLACK},
 * where the budget is the input's size (or, for a compressed input, what it may
 * decompress to, itself bounded by {@code Limits.MAX_EXPANSION} times its size).
 *
 * <p>Allocation is measured by {@code com.sun.management.ThreadMXBean.getThreadAllocatedBytes}
 * around the call: everything the call allocates on the heap in this thread, freed or not.
 */
final class Bounded {
    private Bounded() {
    }

    /** Bytes allocated per byte of input (or of decompressed input) that a call may reach. */
    static final long ALLOC_FACTOR = 256;
    /** A constant allowance on top (first-use class loading and small tables). */
    static final long ALLOC_SLACK = 16L << 20;
    /** The wall-clock time one input may take (a loaded 2-core machine; libFuzzer's -timeout kills a hang). */
    static final long TIME_LIMIT_NANOS = 10_000_000_000L;

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    /** One call of the API under test. */
    @FunctionalInterface
    interface Call {
        void run() throws Exception;
    }

    /**
     * Runs {@code call} on input {@code name} of {@code budget} bytes and fails (an
     * {@link AssertionError}, which Jazzer reports as a finding) on any breach of the contract.
     * {@return the project exception thrown, or null when the call returned}
     */
    static KobjException check(String name, long budget, Call call) {
        return check(name, () -> ALLOC_FACTOR * Math.max(0, budget) + ALLOC_SLACK, call);
    }

    /**
     * As {@link #check(String, long, Call)}, with the allocation limit computed after the call.
     * A call over a limit is measured once more before it counts as a breach: the first use of a
     * class loads it (and under Jazzer instruments it) in the calling thread, once per JVM, not
     * once per input. The targets are deterministic, so the second measurement is the input's own.
     */
    static KobjException check(String name, java.util.function.LongSupplier allocationLimit, Call call) {
        Measure m = measure(name, call);
        if (m.allocated > allocationLimit.getAsLong() || m.nanos > TIME_LIMIT_NANOS) {
            m = measure(name, call);
        }
        long limit = allocationLimit.getAsLong();
        if (m.allocated > limit) {
            throw new AssertionError(name + ": allocated " + m.allocated + " bytes, limit " + limit
                    + (m.thrown == null ? "" : "; threw " + m.thrown.getMessage()));
        }
        if (m.nanos > TIME_LIMIT_NANOS) {
            throw new AssertionError(name + ": took " + m.nanos / 1_000_000 + " ms (limit "
                    + TIME_LIMIT_NANOS / 1_000_000 + " ms)");
        }
        return m.thrown;
    }

    private record Measure(long allocated, long nanos, KobjException thrown) {
    }

    private static Measure measure(String name, Call call) {
        long before = THREADS.getCurrentThreadAllocatedBytes();
        long t0 = System.nanoTime();
        KobjException thrown = null;
        try {
            call.run();
        } catch (KobjException e) {
            thrown = e;
            String m = e.getMessage();
            if (m == null || !m.contains(name)) {
                throw new AssertionError("the message does not name the input '" + name + "': " + m, e);
            }
        } catch (Exception | Error e) {
            throw new AssertionError("not a project exception: " + e, e);
        }
        long took = System.nanoTime() - t0;
        return new Measure(THREADS.getCurrentThreadAllocatedBytes() - before, took, thrown);
    }
}
