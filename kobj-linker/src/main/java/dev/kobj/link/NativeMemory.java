package dev.kobj.link;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Host memory in this process: anonymous private {@code mmap} through java.lang.foreign,
 * {@code PROT_READ|PROT_WRITE} while the linker writes, then {@code mprotect} to R, RW or RX by
 * region ({@link Allocation#protect}). Code linked here can be called from Java (see
 * {@link NativeBindings} for binding a module's undefined symbols to libc and to Java upcalls).
 *
 * <p>A requested address is honoured exactly or not at all: the mapping uses
 * {@code MAP_FIXED_NOREPLACE} (Linux 4.17+), which never replaces an existing mapping, and a
 * kernel that returns another address (older kernels treat the flag as a hint) is refused too.
 * User space cannot map the top of the address space, so objects built for the kernel code
 * model ({@code -mcmodel=kernel}, {@code R_X86_64_32S} against addresses in the top 2 GiB) cannot
 * run here; position-independent objects ({@code -fpic}) can, wherever they are placed.
 *
 * <p>Thread safety: allocations may be made from any thread; each {@link NativeAllocation} is
 * closed once (later calls do nothing).
 */
public final class NativeMemory implements HostMemory {

    /** The allocations not yet closed, to check the addresses {@link #function} is asked to call. */
    private final Set<NativeAllocation> live = ConcurrentHashMap.newKeySet();

    /** A native memory; every allocation is its own mapping. */
    public NativeMemory() {
    }

    /** {@return the number of allocations not yet closed} */
    public int liveAllocations() {
        return live.size();
    }

    /** {@return the system page size, the granularity of addresses, sizes and permissions} */
    public static long pageSize() {
        return Posix.PAGE_SIZE;
    }

    /**
     * Maps {@code size} bytes (rounded up to whole pages; a size of 0 still maps one page) at
     * {@code address}, or where the kernel chooses when it is 0, aligned to {@code alignment}
     * (at least a page).
     *
     * @throws LinkException for a bad size, alignment or address, an address already mapped or
     *                       unavailable, or any other {@code mmap} failure (with libc's reason)
     */
    @Override
    public NativeAllocation allocate(long address, long size, long alignment) throws LinkException {
        long page = Posix.PAGE_SIZE;
        if (size < 0 || size > Long.MAX_VALUE / 2) {
            throw new LinkException(String.format("native memory: cannot map 0x%x bytes", size));
        }
        if (alignment < 0 || (alignment != 0 && Long.bitCount(alignment) != 1)) {
            throw new LinkException("native memory: alignment " + alignment + " is not a power of two");
        }
        long align = Math.max(alignment, page);
        long len = Posix.pageUp(Math.max(size, 1));
        if (address != 0) {
            return allocateFixed(address, size, len, align);
        }
        // Over-map by (align - page), then give back the unaligned head and the tail.
        long extra = align - page;
        Posix.Result r = Posix.mmapAnonymous(0, len + extra, Posix.PROT_READ | Posix.PROT_WRITE, 0);
        if (r.value() == -1) {
            throw new LinkException(String.format("native memory: mmap of 0x%x bytes failed: %s", len + extra,
                    Posix.strerror(r.errno())));
        }
        long start = (r.value() + align - 1) & -align;
        trim(r.value(), start - r.value());
        trim(start + len, r.value() + len + extra - (start + len));
        return register(new NativeAllocation(start, size, len));
    }

    private NativeAllocation register(NativeAllocation a) {
        a.onClose(() -> live.remove(a));
        live.add(a);
        return a;
    }

    private NativeAllocation allocateFixed(long address, long size, long len, long align)
            throws LinkException {
        if ((address & (align - 1)) != 0) {
            throw new LinkException(String.format("native memory: address 0x%x is not aligned to 0x%x", address,
                    align));
        }
        if (address < 0 || address + len < address) {
            throw new LinkException(String.format("native memory: [0x%x, +0x%x) is not a user-space address"
                    + " range (kernel-model code needs the top 2 GiB, which a process cannot map)", address, len));
        }
        Posix.Result r = Posix.mmapAnonymous(address, len, Posix.PROT_READ | Posix.PROT_WRITE,
                Posix.MAP_FIXED_NOREPLACE);
        if (r.value() == -1) {
            String why = r.errno() == Posix.EEXIST ? "something is already mapped there"
                    : Posix.strerror(r.errno());
            throw new LinkException(String.format("native memory: cannot map 0x%x bytes at 0x%x: %s", len,
                    address, why));
        }
        if (r.value() != address) {
            trim(r.value(), len);
            throw new LinkException(String.format("native memory: asked for 0x%x bytes at 0x%x, the kernel gave"
                    + " 0x%x (no MAP_FIXED_NOREPLACE before Linux 4.17?)", len, address, r.value()));
        }
        return register(new NativeAllocation(address, size, len));
    }

    private static void trim(long addr, long len) {
        if (len > 0) {
            Posix.munmap(addr, len);
        }
    }

    /**
     * {@return a downcall handle to the code at {@code address}}, which must lie in an executable
     * (RX) page of an allocation of this memory that is still open. The handle must not be used
     * once that allocation is closed (the code is gone: the process would crash).
     *
     * @throws IllegalArgumentException for an address outside this memory's executable pages
     */
    @Override
    public MethodHandle function(long address, FunctionDescriptor descriptor) {
        NativeAllocation owner = null;
        for (NativeAllocation a : live) {
            if (Long.compareUnsigned(address - a.address(), a.mappedSize()) < 0) {
                owner = a;
                break;
            }
        }
        if (owner == null) {
            throw new IllegalArgumentException(String.format("native memory: 0x%x is not in an open allocation",
                    address));
        }
        Allocation.Permissions p = owner.permissionsAt(address - owner.address());
        if (!p.executable()) {
            throw new IllegalArgumentException(String.format("native memory: 0x%x is in a %s page, not RX"
                    + " (was the image finalized?)", address, p));
        }
        return Linker.nativeLinker().downcallHandle(MemorySegment.ofAddress(address), descriptor);
    }

    @Override
    public String kind() {
        return "native";
    }

    @Override
    public String toString() {
        return "native memory (page 0x" + Long.toHexString(Posix.PAGE_SIZE) + ")";
    }
}
