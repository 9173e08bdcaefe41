package dev.kobj.link;

import java.lang.foreign.MemorySegment;

/** One region of a {@link HostMemory}, writable until {@link #protect} is called. */
public interface Allocation extends AutoCloseable {

    /** {@return the address the image sees} */
    long address();

    /** {@return the size in bytes} */
    long size();

    /** {@return the bytes, writable while linking} */
    MemorySegment segment();

    /**
     * Sets the final permissions of {@code [offset, offset+length)}: W^X is the caller's rule.
     * @param offset the first byte, from the allocation's start
     * @param length how many bytes
     * @param permissions their final permissions
     * @throws LinkException when the range is outside the allocation or the host refuses (mprotect)
     */
    void protect(long offset, long length, Permissions permissions) throws LinkException;

    /** Frees the region; safe to call twice. */
    @Override
    void close();

    /** Page permissions. */
    enum Permissions {
        /** Read-only ({@code PROT_READ}): rodata, ro_after_init after init. */
        R,
        /** Read-write ({@code PROT_READ | PROT_WRITE}): data, bss. */
        RW,
        /** Read-execute ({@code PROT_READ | PROT_EXEC}): text. */
        RX;

        /** {@return true for RW} */
        public boolean writable() {
            return this == RW;
        }

        /** {@return true for RX} */
        public boolean executable() {
            return this == RX;
        }
    }
}
