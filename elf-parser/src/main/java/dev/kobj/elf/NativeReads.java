package dev.kobj.elf;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Path;

/**
 * Whole-file reads straight into a Java array with Linux's {@code openat}, {@code lseek},
 * {@code pread64} and {@code close} system calls, made through the C library's {@code syscall(2)}
 * called by the FFM API as a critical downcall that may take heap memory
 * ({@link Linker.Option#critical(boolean)}): the kernel copies the page cache into the array
 * itself. A {@code FileChannel} read into a heap buffer goes through a temporary direct buffer
 * (one more copy of every byte, and a native buffer the size of the largest file kept per
 * thread), and makes a channel, a file descriptor object and a cleaner per file; for a tree of
 * 4,000 modules (issue 9) those were a visible part of a run.
 *
 * <p>The same downcall lists directories for {@link DirectoryReader} ({@code openat} with
 * {@code O_DIRECTORY | O_NOFOLLOW}, then {@code getdents64}).
 *
 * <p>One downcall serves the four calls: {@code syscall} is variadic, so each call passes the
 * same five words (the call's number, then {@code a, p, b, c}; a call ignores the words past its
 * own arguments). The JDK makes a stub per shape of downcall on its first use, spinning a class
 * and some dozens of method-handle forms: four shapes spun about 60 classes in a cold process,
 * one spins about 25 (a check or stats of one module 10-16 ms sooner on a 2 vCPU VM). The
 * numbers are the kernel's stable ABI: x86-64's own table, and asm-generic's for AArch64 and
 * RISC-V.
 *
 * <p>Where the JVM is given {@code -D}{@value #JNI_PROPERTY}{@code =PATH}, the path of this
 * machine's build of {@code src/main/c/kobjelf.c} (the kobjdump launcher gives it), the same calls
 * go through that library's one JNI method instead, with the same arguments and answers. A JNI
 * method is bound by its name at its first call, where the FFM downcall spins its stub first: in a
 * cold JVM that stub took 25-28 ms of a {@code kobjdump stats} start, on the main thread before the
 * walk could list a directory. A library that cannot be loaded, or lacks the method, is not used.
 *
 * <p>Linux only (the {@code O_CLOEXEC} value and the file name encoding are Linux's), on those
 * three machines, and only when native access is enabled for this module (the launcher's
 * manifest and the tests enable it). Every failure answers -1 and nothing else: the caller then
 * reads the file with a {@code FileChannel}, which reports the error in Java's words
 * ({@code NoSuchFileException}, "Is a directory", ...), as before.
 */
final class NativeReads {
    /** The system property that names the JNI library (an absolute path) to call instead of the FFM downcall. */
    static final String JNI_PROPERTY = "dev.kobj.elf.jni";
    /** openat(2) flags: O_RDONLY | O_CLOEXEC (asm-generic/fcntl.h, x86-64's and arm64's and riscv's). */
    private static final int O_RDONLY_CLOEXEC = 0x80000;
    /** openat(2): a relative name is taken from the working directory (linux/fcntl.h). */
    private static final long AT_FDCWD = -100;
    private static final long SEEK_END = 2;
    /** The most one pread copies, so that a call stays short (a critical call holds off the collector). */
    private static final int CHUNK = 4 << 20;

    private NativeReads() {
    }

    /**
     * {@code syscall(number, a, p == null ? NULL : &p[offset], b, c)} in the JNI library
     * ({@code kobjelf.c}), {@code p} pinned for the call.
     */
    private static native long syscall(long number, long a, byte[] p, int offset, long b, long c);

    /** How the system calls are made, and this machine's numbers for them; decided on first use. */
    private static final class Lib {
        /** Whether the calls go to the JNI library. */
        static final boolean JNI;
        /** {@code long syscall(long number, long a, void *p, long b, long c)}, or null (JNI, or no native calls). */
        static final MethodHandle SYSCALL;
        static final long OPENAT;
        static final long CLOSE;
        static final long LSEEK;
        static final long PREAD64;
        static final long GETDENTS64;
        /** openat(2) flags for a directory: O_RDONLY | O_CLOEXEC | O_DIRECTORY | O_NOFOLLOW (arm64 has its own two). */
        static final long O_DIRECTORY_FLAGS;

        static {
            MethodHandle syscall = null;
            boolean jni = false;
            // openat, close, lseek, pread64, getdents64: arch/x86/entry/syscalls/syscall_64.tbl;
            // include/uapi/asm-generic/unistd.h (arm64, riscv). Then the directory's openat flags:
            // O_DIRECTORY and O_NOFOLLOW from asm-generic/fcntl.h, arm64's own from its asm/fcntl.h.
            long[] numbers = switch (System.getProperty("os.arch", "")) {
                case "amd64", "x86_64" -> new long[] {257, 3, 8, 17, 217, O_RDONLY_CLOEXEC | 0x10000 | 0x20000};
                case "riscv64" -> new long[] {56, 57, 62, 67, 61, O_RDONLY_CLOEXEC | 0x10000 | 0x20000};
                case "aarch64" -> new long[] {56, 57, 62, 67, 61, O_RDONLY_CLOEXEC | 0x4000 | 0x8000};
                default -> null;
            };
            try {
                // Only where native access is allowed already: otherwise the first downcall (or
                // System.load) would print the JDK's warning on a library user's stderr.
                if (numbers != null && NativeReads.class.getModule().isNativeAccessEnabled()
                        && System.getProperty("os.name", "").equals("Linux")
                        && "UTF-8".equals(System.getProperty("sun.jnu.encoding"))) {
                    jni = loadJni(numbers[1]);
                    if (!jni) {
                        Linker linker = Linker.nativeLinker();
                        syscall = linker.downcallHandle(linker.defaultLookup().find("syscall").orElseThrow(),
                                FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG,
                                        ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG),
                                Linker.Option.firstVariadicArg(1), Linker.Option.critical(true));
                    }
                }
            } catch (RuntimeException | LinkageError e) {
                syscall = null; // no native access, another C library: FileChannel does the work
            }
            JNI = jni;
            SYSCALL = syscall;
            boolean usable = jni || syscall != null;
            OPENAT = usable ? numbers[0] : -1;
            CLOSE = usable ? numbers[1] : -1;
            LSEEK = usable ? numbers[2] : -1;
            PREAD64 = usable ? numbers[3] : -1;
            GETDENTS64 = usable ? numbers[4] : -1;
            O_DIRECTORY_FLAGS = usable ? numbers[5] : -1;
        }

        /**
         * {@return whether the library {@value NativeReads#JNI_PROPERTY} names is loaded and answers}: its
         * method is bound at the first call, so a {@code close(-1)} (EBADF, nothing closed) finds
         * a library without it here rather than at a read
         */
        private static boolean loadJni(long close) {
            String lib = System.getProperty(JNI_PROPERTY, "");
            if (lib.isEmpty()) {
                return false;
            }
            try {
                System.load(lib);
                return syscall(close, -1, null, 0, 0, 0) == -1;
            } catch (UnsatisfiedLinkError | RuntimeException e) {
                return false; // not there, another machine's, not this library
            }
        }
    }

    /** {@return whether the C library can be called} */
    static boolean available() {
        return Lib.JNI || Lib.SYSCALL != null;
    }

    /** {@return whether the calls go through the JNI library rather than the FFM downcall} */
    static boolean viaJni() {
        return Lib.JNI;
    }

    /** The system call {@code number} with {@code p[offset]}'s address (or 0, {@code p} null) as its third word. */
    private static long call(long number, long a, byte[] p, int offset, long b, long c) throws Throwable {
        if (Lib.JNI) {
            return syscall(number, a, p, offset, b, c);
        }
        MemorySegment at = p == null ? MemorySegment.NULL : MemorySegment.ofArray(p).asSlice(offset);
        return (long) Lib.SYSCALL.invokeExact(number, a, at, b, c);
    }

    /**
     * {@return {@code path}'s name as the kernel takes it (UTF-8, NUL-terminated; a path holds no
     * NUL), or null when {@code path} is not of the default file system} (a zip file system's
     * path names an entry, not the file of the same name)
     */
    private static byte[] cName(Path path) {
        if (path.getFileSystem() != FileSystems.getDefault()) {
            return null;
        }
        byte[] name = path.toString().getBytes(StandardCharsets.UTF_8);
        byte[] c = new byte[name.length + 1];
        System.arraycopy(name, 0, c, 0, name.length);
        return c;
    }

    /** {@return a file descriptor open for reading {@code path}, or -1} */
    static int open(Path path) {
        return openat(path, O_RDONLY_CLOEXEC);
    }

    /** {@return a file descriptor open for listing the directory {@code path} (not a link to one), or -1} */
    static int openDirectory(Path path) {
        return openat(path, Lib.O_DIRECTORY_FLAGS);
    }

    /** {@return {@code openat(AT_FDCWD, path, flags)}: a file descriptor, or -1} */
    private static int openat(Path path, long flags) {
        byte[] c = cName(path);
        if (c == null) {
            return -1;
        }
        try {
            return (int) call(Lib.OPENAT, AT_FDCWD, c, 0, flags, 0L);
        } catch (Throwable e) {
            return -1;
        }
    }

    /**
     * Reads the next entries of the directory open as {@code fd} into {@code b} as the kernel's
     * {@code linux_dirent64} records.
     *
     * @return the bytes filled, 0 at the end of the directory, or -1 on an error
     */
    static int entries(int fd, byte[] b) {
        try {
            long n = call(Lib.GETDENTS64, fd, b, 0, b.length, 0L);
            return n < 0 ? -1 : (int) n;
        } catch (Throwable e) {
            return -1;
        }
    }

    /** {@return the size of the file open as {@code fd} (its end, by lseek), or -1} */
    static long size(int fd) {
        try {
            // lseek(fd, 0, SEEK_END): the offset 0 goes in the pointer's word, as NULL
            return call(Lib.LSEEK, fd, null, 0, SEEK_END, 0L);
        } catch (Throwable e) {
            return -1;
        }
    }

    /**
     * Reads from offset 0 of {@code fd} into {@code b[0, length)} until {@code length} bytes or the end of the file.
     *
     * @return the bytes read, or -1 on an error
     */
    static int read(int fd, byte[] b, int length) {
        if (length < 0 || length > b.length) {
            return -1; // the kernel would write past the array
        }
        int at = 0;
        try {
            while (at < length) {
                long n = call(Lib.PREAD64, fd, b, at, Math.min(CHUNK, length - at), at);
                if (n < 0) {
                    return -1; // EINTR among them: the FileChannel read that follows retries
                }
                if (n == 0) {
                    break;
                }
                at += (int) n;
            }
            return at;
        } catch (Throwable e) {
            return -1;
        }
    }

    /** Closes {@code fd}; a failure is ignored (a read-only descriptor has nothing to flush). */
    static void close(int fd) {
        try {
            call(Lib.CLOSE, fd, null, 0, 0L, 0L);
        } catch (Throwable e) {
            // nothing to do
        }
    }
}
