package dev.kobj.link;

import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Heap memory that counts what it is asked and can be told to fail: the n-th {@link #allocate}
 * (counted from 0), the n-th {@link Allocation#protect} (the write of a region's permissions, as
 * mprotect), or any allocation above a size cap. It keeps the live allocations so that a test can
 * compare them before and after (a failed link or load must leave none behind).
 *
 * <p>Used by kobj-linker's tests and, through kobj-linker's test-jar, by kobj-fuzz's (kobj-testkit
 * cannot hold it: kobj-linker's own tests depend on the test kit).
 */
public class FaultyMemory implements HostMemory {
    /** The memory that gives the bytes. */
    public final HeapMemory heap;
    private final long cap;
    /** How many allocations were asked for (refused ones included). */
    public final AtomicInteger allocations = new AtomicInteger();
    /** How many permission changes were asked for (refused ones included). */
    public final AtomicInteger protects = new AtomicInteger();
    /** The bytes of the allocations granted. */
    public final AtomicLong bytesAllocated = new AtomicLong();
    /** The live allocations (by identity: simulated addresses may coincide). */
    public final Set<Allocation> live = ConcurrentHashMap.newKeySet();
    /** The allocation to refuse (its number, from 0), or -1. */
    public volatile int failAllocation = -1;
    /** The permission change to refuse (its number, from 0), or -1. */
    public volatile int failProtect = -1;

    /** Memory choosing addresses from {@link HeapMemory#DEFAULT_BASE}, with no size cap. */
    public FaultyMemory() {
        this(HeapMemory.DEFAULT_BASE, Long.MAX_VALUE);
    }

    /** Memory choosing addresses from {@code base}, refusing any allocation over {@code cap} bytes. */
    public FaultyMemory(long base, long cap) {
        this.heap = new HeapMemory(base);
        this.cap = cap;
    }

    @Override
    public Allocation allocate(long address, long size, long alignment) throws LinkException {
        int n = allocations.getAndIncrement();
        if (n == failAllocation) {
            throw new LinkException("faulty memory: request " + n + " refused (injected)");
        }
        if (size > cap) {
            throw new LinkException("faulty memory: 0x" + Long.toHexString(size) + " bytes asked, more than the cap 0x"
                    + Long.toHexString(cap));
        }
        Allocation a = heap.allocate(address, size, alignment);
        bytesAllocated.addAndGet(size);
        Allocation w = new Allocation() {
            private boolean closed;

            @Override
            public long address() {
                return a.address();
            }

            @Override
            public long size() {
                return a.size();
            }

            @Override
            public MemorySegment segment() {
                return a.segment();
            }

            @Override
            public void protect(long offset, long length, Permissions permissions) throws LinkException {
                int p = protects.getAndIncrement();
                if (p == failProtect) {
                    throw new LinkException("faulty memory: permission change " + p + " refused (injected)");
                }
                a.protect(offset, length, permissions);
            }

            @Override
            public void close() {
                if (!closed) {
                    closed = true;
                    live.remove(this);
                    a.close();
                }
            }
        };
        live.add(w);
        return w;
    }

    /** {@return the addresses and sizes of the live allocations, sorted: a value to compare} */
    public List<String> liveAllocations() {
        return live.stream().map(x -> Long.toHexString(x.address()) + "+" + Long.toHexString(x.size())).sorted()
                .toList();
    }

    @Override
    public String kind() {
        return "faulty";
    }
}
