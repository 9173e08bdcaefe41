package dev.kobj.link;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Simulated memory on the Java heap: each allocation is a zeroed {@code byte[]} seen through
 * {@link MemorySegment#ofArray}, at an address that exists only in the image. Any address is
 * honoured (two images may even overlap, each with its own bytes); when asked for none, the
 * lowest aligned address at or above the base that no live allocation uses is chosen.
 * Permissions are recorded, not enforced (the bytes stay writable to Java): tests read them
 * back through {@link HeapAllocation#permissions}. Allocations are limited to 2 GiB - 1 each.
 *
 * <p>A memory made with {@link #HeapMemory(long, long)} holds allocations of at least a given
 * size in native memory instead ({@link OffHeapAllocation}: same addresses, zeroed, freed at
 * close), so that one huge module does not need a huge Java heap.
 */
public final class HeapMemory implements HostMemory {

    /** The default base for chosen addresses. */
    public static final long DEFAULT_BASE = 0x10_0000L;

    private final SimulatedAddresses addresses;
    private final AtomicInteger live = new AtomicInteger();
    private final long offHeapFrom;

    /** Memory choosing addresses from {@link #DEFAULT_BASE}. */
    public HeapMemory() {
        this(DEFAULT_BASE);
    }

    /**
     * Memory choosing addresses from {@code base}.
     * @param base the lowest address chosen when the caller asks for none
     */
    public HeapMemory(long base) {
        this(base, Long.MAX_VALUE);
    }

    /**
     * Memory choosing addresses from {@code base} whose allocations of {@code offHeapFrom} bytes
     * or more are native memory, freed when closed (not {@link HeapAllocation}s).
     * @param base the lowest address chosen when the caller asks for none
     * @param offHeapFrom the smallest allocation held off the heap
     */
    public HeapMemory(long base, long offHeapFrom) {
        this.addresses = new SimulatedAddresses(base);
        this.offHeapFrom = offHeapFrom;
    }

    @Override
    public Allocation allocate(long address, long size, long alignment) throws LinkException {
        if (size < 0 || size > Integer.MAX_VALUE - 8) {
            throw new LinkException("heap memory: cannot allocate 0x" + Long.toHexString(size) + " bytes");
        }
        long at = addresses.reserve(address, size, alignment);
        if (size >= offHeapFrom) {
            Allocation a;
            try {
                a = new OffHeapAllocation(at, size, () -> {
                    addresses.release(at);
                    live.decrementAndGet();
                });
            } catch (RuntimeException | OutOfMemoryError e) {
                addresses.release(at);
                throw e;
            }
            live.incrementAndGet();
            return a;
        }
        live.incrementAndGet();
        return new HeapAllocation(at, new byte[(int) size]);
    }

    @Override
    public String kind() {
        return "heap";
    }

    /** {@return the number of allocations not yet closed} */
    public int liveAllocations() {
        return live.get();
    }

    /** One heap allocation; {@link #permissions} tells what {@link #protect} recorded. */
    public final class HeapAllocation implements Allocation {
        private final long address;
        private final byte[] bytes;
        /** The one view of {@link #bytes} handed out (a segment per call was two objects per section use). */
        private final MemorySegment segment;
        private final List<long[]> ranges = new ArrayList<>();
        private final List<Permissions> perms = new ArrayList<>();
        private boolean closed;

        HeapAllocation(long address, byte[] bytes) {
            this.address = address;
            this.bytes = bytes;
            this.segment = MemorySegment.ofArray(bytes);
        }

        @Override
        public long address() {
            return address;
        }

        @Override
        public long size() {
            return bytes.length;
        }

        @Override
        public MemorySegment segment() {
            if (closed) {
                throw new IllegalStateException("allocation at 0x" + Long.toHexString(address) + " is closed");
            }
            return segment;
        }

        @Override
        public synchronized void protect(long offset, long length, Permissions permissions) throws LinkException {
            if (offset < 0 || length < 0 || offset + length > bytes.length) {
                throw new LinkException(String.format("heap memory: protect [0x%x, +0x%x) outside 0x%x bytes", offset,
                        length, bytes.length));
            }
            ranges.add(new long[] {offset, length});
            perms.add(permissions);
        }

        /**
         * {@return the permissions last set for the byte at {@code offset}, RW when never set}
         * @param offset a byte of the allocation, from its start
         */
        public synchronized Permissions permissions(long offset) {
            for (int i = ranges.size() - 1; i >= 0; i--) {
                long[] r = ranges.get(i);
                if (offset >= r[0] && offset < r[0] + r[1]) {
                    return perms.get(i);
                }
            }
            return Permissions.RW;
        }

        @Override
        public synchronized void close() {
            if (!closed) {
                closed = true;
                addresses.release(address);
                live.decrementAndGet();
            }
        }
    }
}
