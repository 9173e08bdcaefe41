package dev.kobj.emu;

import java.util.Map;
import java.util.TreeMap;

/**
 * The guest's kernel heap for kmalloc, vmalloc and kmem_cache objects: a first-fit allocator
 * over a fixed guest range, with a free list (freed blocks are reused, neighbours merged).
 * Blocks are at least 8-byte aligned (ARCH_KMALLOC_MINALIGN on x86-64) and 64 when asked more.
 * Freeing an address that is not a live block is counted ({@link #badFrees()}), as KASAN would
 * report it, and otherwise ignored.
 */
public final class KernelHeap {
    private final long base;
    private final long size;
    private final TreeMap<Long, Long> free = new TreeMap<>();
    private final TreeMap<Long, Long> used = new TreeMap<>();
    private int badFrees;

    KernelHeap(long base, long size) {
        this.base = base;
        this.size = size;
        free.put(base, size);
    }

    /** {@return a block of {@code n} bytes aligned to {@code align} (a power of two), or 0 when full} */
    public synchronized long allocate(long n, long align) {
        long a = Math.max(8, align);
        long want = Math.max(8, (n + 7) & -8);
        if (n < 0 || n > size || Long.bitCount(a) != 1) {
            return 0;
        }
        for (Map.Entry<Long, Long> e : free.entrySet()) {
            long start = e.getKey();
            long end = start + e.getValue();
            long at = (start + a - 1) & -a;
            if (at + want <= end) {
                free.remove(start);
                if (at > start) {
                    free.put(start, at - start);
                }
                if (at + want < end) {
                    free.put(at + want, end - at - want);
                }
                used.put(at, want);
                return at;
            }
        }
        return 0;
    }

    /** Frees a block; {@code 0} (NULL) is ignored. @return false for an address that is not a live block */
    public synchronized boolean free(long address) {
        if (address == 0) {
            return true;
        }
        Long n = used.remove(address);
        if (n == null) {
            badFrees++;
            return false;
        }
        long start = address;
        long len = n;
        Map.Entry<Long, Long> before = free.floorEntry(start);
        if (before != null && before.getKey() + before.getValue() == start) {
            start = before.getKey();
            len += before.getValue();
            free.remove(before.getKey());
        }
        Long after = free.remove(address + n);
        if (after != null) {
            len += after;
        }
        free.put(start, len);
        return true;
    }

    /** {@return the size of the live block at {@code address}, or -1} */
    public synchronized long size(long address) {
        Long n = used.get(address);
        return n == null ? -1 : n;
    }

    /** {@return the number of live blocks} */
    public synchronized int live() {
        return used.size();
    }

    /** {@return the number of frees of addresses that were not live blocks} */
    public synchronized int badFrees() {
        return badFrees;
    }

    /** {@return true when {@code address} is inside the heap's range} */
    public boolean contains(long address) {
        return address - base >= 0 && address - base < size;
    }
}
