package dev.kobj.link;

import java.lang.foreign.FunctionDescriptor;
import java.lang.invoke.MethodHandle;

/**
 * Where a loaded image lives. Implementations: {@link HeapMemory} (simulated addresses),
 * {@link MappedFileMemory} (a memory-mapped file), and native memory ({@code mmap} through
 * java.lang.foreign) that can run code.
 */
public interface HostMemory {

    /**
     * Reserves {@code size} bytes aligned to {@code alignment}, writable, at {@code address}
     * when it is not 0 (simulated memories honour any address; native memory may refuse) or
     * wherever the memory chooses.
     *
     * @throws LinkException if the memory cannot provide it
     * @param address the address the caller asks for, or 0 to let the memory choose
     * @param size the size in bytes
     * @param alignment the alignment of the address, a power of two (0 or 1: any)
     * @return the allocation, writable until its permissions are set
     */
    Allocation allocate(long address, long size, long alignment) throws LinkException;

    /** {@return a short name for messages and listings: "heap", "file", "native"} */
    String kind();

    /**
     * {@return a handle calling the code at {@code address}}, for memories whose addresses are real
     * and executable. {@link LoadedImage#function} uses it.
     *
     * @throws UnsupportedOperationException by default: simulated memories cannot run code
     * @param address the address of the function's first instruction
     * @param descriptor its C signature
     */
    default MethodHandle function(long address, FunctionDescriptor descriptor) {
        throw new UnsupportedOperationException(kind() + " memory cannot run code");
    }
}
