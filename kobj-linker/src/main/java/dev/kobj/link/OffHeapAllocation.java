package dev.kobj.link;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * A {@link HeapMemory} allocation of a big region held in native memory instead of a
 * {@code byte[]}: zeroed when made (as a new array is), at the same simulated address, freed
 * when it is closed ({@link ArenaAllocation}: its segments become inaccessible, no use after
 * free). A linker that checks a whole tree under a small heap keeps a module of a million
 * symbols (Debian's riscv64 amdgpu.ko: 43 MB of {@code .symtab} copied into its init data, as
 * the kernel's {@code layout_symtab} does) off the heap this way. Permissions are checked
 * against the bounds and recorded nowhere, as the bytes stay writable to Java.
 */
final class OffHeapAllocation extends ArenaAllocation {
    private final MemorySegment bytes;
    private final Runnable release;

    /**
     * Allocates {@code size} bytes of native memory for the region at {@code address}.
     *
     * @param release run once the memory is freed: gives the address range back
     * @throws OutOfMemoryError when the system has no such memory (nothing is left allocated)
     */
    OffHeapAllocation(long address, long size, Runnable release) {
        this(address, size, Arena.ofShared(), release);
    }

    private OffHeapAllocation(long address, long size, Arena arena, Runnable release) {
        super(address, size, arena);
        try {
            this.bytes = arena.allocate(size, 16);
        } catch (RuntimeException | OutOfMemoryError e) {
            arena.close();
            throw e;
        }
        this.release = release;
    }

    @Override
    public MemorySegment segment() {
        if (isClosed()) {
            throw new IllegalStateException("allocation at 0x" + Long.toHexString(address()) + " is closed");
        }
        return bytes;
    }

    @Override
    public void protect(long offset, long length, Permissions permissions) throws LinkException {
        checkProtectRange("heap", offset, length);
    }

    @Override
    protected void afterArenaClose() {
        release.run();
    }
}
