package dev.kobj.link;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * The few libc calls native memory needs: {@code mmap}, {@code mprotect}, {@code munmap},
 * {@code sysconf(_SC_PAGESIZE)} and {@code strerror}, as downcalls that capture {@code errno}.
 * Constants are the Linux values (asm-generic/mman-common.h, the same on x86_64, AArch64 and
 * RISC-V); the JVM's own libc is used, so this runs only where the JVM runs: Linux.
 */
final class Posix {

    static final int PROT_NONE = 0;
    static final int PROT_READ = 1;
    static final int PROT_WRITE = 2;
    static final int PROT_EXEC = 4;

    static final int MAP_PRIVATE = 0x02;
    static final int MAP_ANONYMOUS = 0x20;
    /** Linux 4.17+: like MAP_FIXED but fails with EEXIST instead of replacing a mapping. */
    static final int MAP_FIXED_NOREPLACE = 0x100000;

    static final int EEXIST = 17;
    private static final int SC_PAGESIZE = 30;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");

    private static final MethodHandle MMAP = downcall("mmap", FunctionDescriptor.of(ValueLayout.ADDRESS,
            ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
            ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG), CAPTURE_ERRNO);
    private static final MethodHandle MPROTECT = downcall("mprotect", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT), CAPTURE_ERRNO);
    private static final MethodHandle MUNMAP = downcall("munmap", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.ADDRESS, ValueLayout.JAVA_LONG), CAPTURE_ERRNO);
    private static final MethodHandle SYSCONF = downcall("sysconf", FunctionDescriptor.of(ValueLayout.JAVA_LONG,
            ValueLayout.JAVA_INT));
    private static final MethodHandle STRERROR = downcall("strerror", FunctionDescriptor.of(
            ValueLayout.ADDRESS.withTargetLayout(MemoryLayout.sequenceLayout(256, ValueLayout.JAVA_BYTE)),
            ValueLayout.JAVA_INT));

    /** The system page size, read once. */
    static final long PAGE_SIZE = pageSize();

    private Posix() {
    }

    /** The outcome of a call: its return value and the errno it left. */
    record Result(long value, int errno) {
    }

    private static MethodHandle downcall(String name, FunctionDescriptor fd, Linker.Option... options) {
        MemorySegment fn = LINKER.defaultLookup().find(name)
                .orElseThrow(() -> new UnsatisfiedLinkError("libc has no " + name));
        return LINKER.downcallHandle(fn, fd, options);
    }

    private static long pageSize() {
        try {
            long p = (long) SYSCONF.invokeExact(SC_PAGESIZE);
            return p > 0 && Long.bitCount(p) == 1 ? p : 4096;
        } catch (Throwable t) {
            throw new ExceptionInInitializerError(t);
        }
    }

    /** {@code mmap(addr, len, prot, flags, -1, 0)}: value is the address, or -1 (MAP_FAILED). */
    static Result mmapAnonymous(long addr, long len, int prot, int flags) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment state = a.allocate(CAPTURE);
            MemorySegment r = (MemorySegment) MMAP.invokeExact(state, MemorySegment.ofAddress(addr), len, prot,
                    flags | MAP_ANONYMOUS | MAP_PRIVATE, -1, 0L);
            return new Result(r.address(), (int) ERRNO.get(state, 0L));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** {@code mprotect(addr, len, prot)}: value 0 or -1. */
    static Result mprotect(long addr, long len, int prot) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment state = a.allocate(CAPTURE);
            int r = (int) MPROTECT.invokeExact(state, MemorySegment.ofAddress(addr), len, prot);
            return new Result(r, (int) ERRNO.get(state, 0L));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** {@code munmap(addr, len)}: value 0 or -1. */
    static Result munmap(long addr, long len) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment state = a.allocate(CAPTURE);
            int r = (int) MUNMAP.invokeExact(state, MemorySegment.ofAddress(addr), len);
            return new Result(r, (int) ERRNO.get(state, 0L));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** {@return libc's text for an errno value, e.g. "File exists"} */
    static String strerror(int errno) {
        try {
            MemorySegment s = (MemorySegment) STRERROR.invokeExact(errno);
            return s.equals(MemorySegment.NULL) ? "errno " + errno : s.getString(0) + " (errno " + errno + ")";
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** {@return {@code PROT_*} bits for a permission} */
    static int prot(Allocation.Permissions p) {
        return switch (p) {
            case R -> PROT_READ;
            case RW -> PROT_READ | PROT_WRITE;
            case RX -> PROT_READ | PROT_EXEC;
        };
    }

    static long pageUp(long n) {
        return (n + PAGE_SIZE - 1) & -PAGE_SIZE;
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            return r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException(t);
    }
}
