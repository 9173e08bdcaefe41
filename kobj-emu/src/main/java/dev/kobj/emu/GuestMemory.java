package dev.kobj.emu;

import dev.kobj.emu.unicorn.Engine;
import dev.kobj.emu.unicorn.Unicorn;
import dev.kobj.link.Allocation;
import dev.kobj.link.ArenaAllocation;
import dev.kobj.link.HostMemory;
import dev.kobj.link.LinkException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.TreeMap;

/**
 * A {@link HostMemory} whose allocations are the guest's memory: each is a page-aligned segment
 * of an {@link Arena} that {@code uc_mem_map_ptr} shares with the CPU, so the linker writes
 * straight into the guest (no copy) and {@link Allocation#protect} is {@code uc_mem_protect}
 * (R, RW, RX enforced by the CPU: a write to text is a fault of the guest, never of the JVM).
 * Chosen addresses go up from the CPU's module base; asked-for addresses are honoured when
 * page-aligned and free.
 */
public final class GuestMemory implements HostMemory {

    private final Engine engine;
    private final long base;
    private final long mirror;
    private long next;
    private final TreeMap<Long, GuestAllocation> live = new TreeMap<>();

    /**
     * @param mirror 0, or the offset at which every allocation is mapped a second time (the same
     *               host memory): x86-64's %gs-relative per-CPU accesses ({@link Cpu#GS_BASE})
     */
    GuestMemory(Engine engine, long base, long mirror) {
        this.engine = engine;
        this.base = base;
        this.mirror = mirror;
        this.next = base;
    }

    /** Maps {@code host} at {@code at} and, with a mirror, at {@code at + mirror}; nothing stays mapped on failure. */
    void mapBoth(long at, MemorySegment host, int prot) throws EmuException {
        engine.mapPtr(at, host, prot);
        if (mirror != 0) {
            try {
                engine.mapPtr(at + mirror, host, prot);
            } catch (EmuException e) {
                engine.unmap(at, host.byteSize());
                throw e;
            }
        }
    }

    private void protectBoth(long at, long len, int prot) throws EmuException {
        engine.protect(at, len, prot);
        if (mirror != 0) {
            engine.protect(at + mirror, len, prot);
        }
    }

    private void unmapBoth(long at, long len) throws EmuException {
        engine.unmap(at, len);
        if (mirror != 0) {
            engine.unmap(at + mirror, len);
        }
    }

    @Override
    public synchronized GuestAllocation allocate(long address, long size, long alignment) throws LinkException {
        if (size < 0 || size > 1L << 30) {
            throw new LinkException(String.format("guest memory: cannot allocate 0x%x bytes", size));
        }
        if (alignment < 0 || (alignment != 0 && Long.bitCount(alignment) != 1)) {
            throw new LinkException("guest memory: alignment " + alignment + " is not a power of two");
        }
        long align = Math.max(alignment, GuestMap.PAGE);
        long len = GuestMap.pageUp(Math.max(size, 1));
        long at = address != 0 ? address : (next + align - 1) & -align;
        if ((at & (align - 1)) != 0) {
            throw new LinkException(String.format("guest memory: address 0x%x is not aligned to 0x%x", at, align));
        }
        Arena arena = Arena.ofShared();
        MemorySegment host = arena.allocate(len, GuestMap.PAGE);
        try {
            mapBoth(at, host, Unicorn.PROT_READ | Unicorn.PROT_WRITE);
        } catch (EmuException e) {
            arena.close();
            throw new LinkException("guest memory: " + e.getMessage() + " (already mapped?)");
        }
        // a hole after every allocation: an overrun faults
        next = Math.max(next, at + len + GuestMap.PAGE);
        GuestAllocation a = new GuestAllocation(at, size, host, arena);
        live.put(at, a);
        return a;
    }

    @Override
    public String kind() {
        return "guest";
    }

    /** {@return the lowest address this memory chooses} */
    public long base() {
        return base;
    }

    /** {@return the number of allocations not yet closed} */
    public synchronized int liveAllocations() {
        return live.size();
    }

    /** One guest region: Arena memory mapped into the CPU at {@link #address()}. */
    public final class GuestAllocation extends ArenaAllocation {
        private final MemorySegment host;

        GuestAllocation(long address, long size, MemorySegment host, Arena arena) {
            super(address, size, arena);
            this.host = host;
        }

        /** {@return the bytes the CPU sees, writable from Java whatever the guest permissions} */
        @Override
        public MemorySegment segment() {
            if (isClosed()) {
                throw new IllegalStateException(String.format("guest allocation at 0x%x is closed", address()));
            }
            return host.asSlice(0, size());
        }

        @Override
        public void protect(long offset, long length, Permissions permissions) throws LinkException {
            if (offset < 0 || length < 0 || offset > host.byteSize() || length > host.byteSize() - offset
                    || (offset & (GuestMap.PAGE - 1)) != 0) {
                throw new LinkException(String.format("guest memory at 0x%x: protect [0x%x, +0x%x) is not whole"
                        + " pages inside 0x%x bytes", address(), offset, length, host.byteSize()));
            }
            long len = Math.min(GuestMap.pageUp(length), host.byteSize() - offset);
            if (len == 0) {
                return;
            }
            int prot = switch (permissions) {
                case R -> Unicorn.PROT_READ;
                case RW -> Unicorn.PROT_READ | Unicorn.PROT_WRITE;
                case RX -> Unicorn.PROT_READ | Unicorn.PROT_EXEC;
            };
            try {
                protectBoth(address() + offset, len, prot);
            } catch (EmuException e) {
                throw new LinkException("guest memory: " + e.getMessage());
            }
        }

        /** Unmaps the region from the CPU before its host memory is freed. */
        @Override
        protected void beforeArenaClose() {
            synchronized (GuestMemory.this) {
                live.remove(address());
                try {
                    unmapBoth(address(), host.byteSize());
                } catch (EmuException e) {
                    // the engine is closed already: nothing maps the memory any more
                }
            }
        }
    }
}
