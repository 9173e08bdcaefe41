package dev.kobj.emu;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * Anonymous private pages of the host ({@code mmap(2)} with {@code MAP_PRIVATE|MAP_ANONYMOUS},
 * POSIX): zero-filled on first touch, so a large kernel area costs only the pages the guest uses.
 * Used for guest areas that are mapped twice ({@code uc_mem_map_ptr} at two addresses).
 */
final class HostPages {
    private HostPages() {
    }

    private static final int PROT_READ = 1, PROT_WRITE = 2, MAP_PRIVATE = 2, MAP_ANONYMOUS = 0x20;
    private static final MethodHandle MMAP, MUNMAP;

    static {
        Linker l = Linker.nativeLinker();
        MMAP = l.downcallHandle(l.defaultLookup().find("mmap").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG,
                        ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG));
        MUNMAP = l.downcallHandle(l.defaultLookup().find("munmap").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG));
    }

    /** {@return {@code length} bytes (a page multiple) of zeroed host pages} */
    static MemorySegment map(long length) throws EmuException {
        MemorySegment p;
        try {
            p = (MemorySegment) MMAP.invokeExact(MemorySegment.NULL, length, PROT_READ | PROT_WRITE,
                    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0L);
        } catch (Throwable t) {
            throw new EmuException("mmap of 0x" + Long.toHexString(length) + " bytes: " + t, t);
        }
        if (p.address() == -1L || p.address() == 0) {
            throw new EmuException("mmap of 0x" + Long.toHexString(length) + " bytes failed");
        }
        return p.reinterpret(length);
    }

    /** Gives the pages back (munmap). */
    static void unmap(MemorySegment pages) {
        try {
            int rc = (int) MUNMAP.invokeExact(pages, pages.byteSize());
            assert rc == 0;
        } catch (Throwable t) {
            // nothing to do: the pages stay until the process ends
        }
    }
}
