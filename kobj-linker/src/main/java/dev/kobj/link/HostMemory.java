package dev.kobj.link;

/**
 * Where a loaded image lives. Implementations: heap (simulated addresses), a memory-mapped
 * file, and native memory ({@code mmap} through java.lang.foreign) that can run x86_64 code.
 */
public interface HostMemory {

    /**
     * Reserves {@code size} bytes aligned to {@code alignment}, writable, at {@code address}
     * when it is not 0 (simulated memories honour any address; native memory may refuse) or
     * wherever the memory chooses.
     *
     * @throws LinkException if the memory cannot provide it
     */
    Allocation allocate(long address, long size, long alignment) throws LinkException;

    /** {@return a short name for messages and listings: "heap", "file", "native"} */
    String kind();
}
