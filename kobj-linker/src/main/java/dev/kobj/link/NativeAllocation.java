package dev.kobj.link;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * One {@code mmap}-ed region of a {@link NativeMemory}: anonymous, private, page-aligned, readable
 * and writable until {@link #protect} gives its pages their final permissions.
 * Page permissions are recorded as well as applied ({@link #permissionsAt}).
 */
public final class NativeAllocation extends ArenaAllocation {

    private final long mappedSize;
    private final MemorySegment segment;
    private final Permissions[] pages;
    private volatile Runnable onClose = () -> { };

    NativeAllocation(long address, long size, long mappedSize) {
        super(address, size, Arena.ofShared());
        this.mappedSize = mappedSize;
        // tied to an arena so that every view handed out dies with close(): no use after munmap
        this.segment = MemorySegment.ofAddress(address).reinterpret(size, arena(), null);
        this.pages = new Permissions[Math.toIntExact(mappedSize / Posix.PAGE_SIZE)];
        Arrays.fill(pages, Permissions.RW);
    }

    /** {@return the bytes mapped: {@link #size()} rounded up to whole pages} */
    public long mappedSize() {
        return mappedSize;
    }

    /**
     * {@return the bytes, a view with Java write access whatever the page permissions}: a write
     * into a page that {@link #protect} made R or RX is not a Java exception but a fault that ends
     * the process, so callers check {@link #permissionsAt} first (as {@code LoadedImage.write}
     * checks its region). The view dies with {@link #close()}.
     *
     * @throws IllegalStateException once closed
     */
    @Override
    public MemorySegment segment() {
        checkOpen();
        return segment;
    }

    /**
     * {@return the permissions of the page holding byte {@code offset}}
     * @param offset a byte of the allocation, from its start
     */
    public Permissions permissionsAt(long offset) {
        checkOpen();
        if (offset < 0 || offset >= mappedSize) {
            throw new IndexOutOfBoundsException("offset 0x" + Long.toHexString(offset) + " outside 0x"
                    + Long.toHexString(mappedSize) + " bytes");
        }
        synchronized (pages) {
            return pages[(int) (offset / Posix.PAGE_SIZE)];
        }
    }

    /**
     * Applies {@code mprotect} to the pages of {@code [offset, offset+length)}. {@code offset} must
     * be page-aligned; the length is rounded up to whole pages (the linker's regions are
     * page-aligned, so a region's tail page is its own).
     */
    @Override
    public void protect(long offset, long length, Permissions permissions) throws LinkException {
        checkOpen();
        if (offset < 0 || length < 0 || offset > mappedSize || length > mappedSize - offset) {
            throw new LinkException(String.format("native memory at 0x%x: protect [0x%x, +0x%x) outside the"
                    + " 0x%x mapped bytes", address(), offset, length, mappedSize));
        }
        if ((offset & (Posix.PAGE_SIZE - 1)) != 0) {
            throw new LinkException(String.format("native memory at 0x%x: protect offset 0x%x is not a"
                    + " multiple of the page size 0x%x", address(), offset, Posix.PAGE_SIZE));
        }
        long len = Math.min(Posix.pageUp(length), mappedSize - offset);
        if (len == 0) {
            return;
        }
        Posix.Result r = Posix.mprotect(address() + offset, len, Posix.prot(permissions));
        if (r.value() != 0) {
            throw new LinkException(String.format("native memory: mprotect(0x%x, 0x%x, %s) failed: %s",
                    address() + offset, len, permissions, Posix.strerror(r.errno())));
        }
        synchronized (pages) {
            Arrays.fill(pages, (int) (offset / Posix.PAGE_SIZE), (int) ((offset + len) / Posix.PAGE_SIZE),
                    permissions);
        }
    }

    @Override
    protected void beforeArenaClose() {
        onClose.run();
    }

    /** Unmaps the region, once every segment obtained from this allocation is inaccessible. */
    @Override
    protected void afterArenaClose() {
        Posix.Result r = Posix.munmap(address(), mappedSize);
        if (r.value() != 0) {
            throw new IllegalStateException(String.format("native memory: munmap(0x%x, 0x%x) failed: %s",
                    address(), mappedSize, Posix.strerror(r.errno())));
        }
    }

    void onClose(Runnable action) {
        this.onClose = action;
    }

    private void checkOpen() {
        if (isClosed()) {
            throw new IllegalStateException(String.format("native memory at 0x%x was closed", address()));
        }
    }

    @Override
    public String toString() {
        return String.format("native[0x%x, +0x%x)%s", address(), size(), isClosed() ? " closed" : "");
    }
}
