package dev.kobj.link;

import java.lang.foreign.Arena;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An {@link Allocation} whose bytes are reached through an {@link Arena} of its own: the address
 * and size it was given, and a {@link #close()} that runs once. Closing runs
 * {@link #beforeArenaClose()} (the bytes still reachable: flush or unlink them), closes the arena
 * (every segment handed out becomes inaccessible: no use after free), then
 * {@link #afterArenaClose()} (give the memory back: munmap, free the address range). The base of
 * the mapped-file, native and guest (kobj-emu) memories.
 */
public abstract class ArenaAllocation implements Allocation {
    private final long address;
    private final long size;
    private final Arena arena;
    private final AtomicBoolean closed = new AtomicBoolean();

    /**
     * An allocation of {@code size} bytes at {@code address}.
     *
     * @param address the address the image sees
     * @param size    the size in bytes (what the caller asked for, not rounded up)
     * @param arena   the arena of its segments, closed by {@link #close()}
     */
    protected ArenaAllocation(long address, long size, Arena arena) {
        this.address = address;
        this.size = size;
        this.arena = arena;
    }

    @Override
    public final long address() {
        return address;
    }

    @Override
    public final long size() {
        return size;
    }

    /** {@return the arena of this allocation's segments} */
    protected final Arena arena() {
        return arena;
    }

    /**
     * Refuses a {@link #protect} range that does not lie inside the allocation's {@link #size()}
     * bytes; for a memory whose permissions are recorded or ignored, not applied to pages.
     *
     * @param memory the memory's name in the message ({@code "heap"}, {@code "file"})
     * @param offset the range's first byte, from the allocation's start
     * @param length the range's length in bytes
     * @throws LinkException when {@code [offset, offset + length)} is outside the allocation
     */
    protected final void checkProtectRange(String memory, long offset, long length) throws LinkException {
        if (offset < 0 || length < 0 || offset + length > size) {
            throw new LinkException(String.format("%s memory: protect [0x%x, +0x%x) outside 0x%x bytes", memory,
                    offset, length, size));
        }
    }

    /** {@return true once {@link #close()} has run} */
    public final boolean isClosed() {
        return closed.get();
    }

    /** Frees the allocation the first time it is called; later calls do nothing. */
    @Override
    public final void close() {
        if (closed.compareAndSet(false, true)) {
            beforeArenaClose();
            arena.close();
            afterArenaClose();
        }
    }

    /** Runs once, first in {@link #close()}, while the bytes are still reachable; does nothing by default. */
    protected void beforeArenaClose() {
    }

    /** Runs once, last in {@link #close()}, after the arena is closed; does nothing by default. */
    protected void afterArenaClose() {
    }
}
