package dev.kobj.link;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicInteger;

/** A HeapMemory that counts live allocations and can be told to fail the n-th allocation or protect. */
final class CountingMemory implements HostMemory {
    final HeapMemory heap = new HeapMemory();
    final AtomicInteger live = new AtomicInteger();
    final AtomicInteger allocations = new AtomicInteger();
    int failAllocation = -1;
    int failProtect = -1;
    final AtomicInteger protects = new AtomicInteger();

    @Override
    public Allocation allocate(long address, long size, long alignment) throws LinkException {
        if (allocations.getAndIncrement() == failAllocation) {
            throw new LinkException("counting memory: allocation " + failAllocation + " refused");
        }
        Allocation a = heap.allocate(address, size, alignment);
        live.incrementAndGet();
        return new Allocation() {
            boolean closed;

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
                if (protects.getAndIncrement() == failProtect) {
                    throw new LinkException("counting memory: protect refused");
                }
                a.protect(offset, length, permissions);
            }

            @Override
            public void close() {
                if (!closed) {
                    closed = true;
                    live.decrementAndGet();
                    a.close();
                }
            }
        };
    }

    @Override
    public String kind() {
        return "counting";
    }
}
