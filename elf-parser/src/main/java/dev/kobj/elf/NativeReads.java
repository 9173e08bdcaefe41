package dev.kobj.elf;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Whole-file reads straight into a Java array with the C library's {@code open}, {@code lseek},
 * {@code pread} and {@code close} (POSIX.1-2017), called through the FFM API as critical
 * downcalls that may take heap memory ({@link Linker.Option#critical(boolean)}): the kernel
 * copies the page cache into the array itself. A {@code FileChannel} read into a heap buffer
 * goes through a temporary direct buffer (one more copy of every byte, and a native buffer the
 * size of the largest file kept per thread), and makes a channel, a file descriptor object and a
 * cleaner per file; for a tree of 4,000 modules (issue 9) those were a visible part of a run.
 *
 * <p>Linux only (the {@code O_CLOEXEC} value and the file name encoding are Linux's), and only
 * when native access is enabled for this module (the launcher's manifest and the tests enable it). Every failure answers -1 and nothing else: the caller then reads the file with
 * a {@code FileChannel}, which reports the error in Java's words ({@code NoSuchFileException},
 * "Is a directory", ...), as before.
 */
final class NativeReads {
    /** open(2) flags: O_RDONLY | O_CLOEXEC (asm-generic/fcntl.h, x86-64's and arm64's and riscv's). */
    private static final int O_RDONLY_CLOEXEC = 0x80000;
    private static final int SEEK_END = 2;
    /** The most one pread copies, so that a call stays short (a critical call holds off the collector). */
    private static final int CHUNK = 4 << 20;

    private NativeReads() {
    }

    /** The downcalls, or null when they cannot be made. Made on first use. */
    private static final class Lib {
        static final MethodHandle OPEN;
        static final MethodHandle LSEEK;
        static final MethodHandle PREAD;
        static final MethodHandle CLOSE;

        static {
            MethodHandle open = null;
            MethodHandle lseek = null;
            MethodHandle pread = null;
            MethodHandle close = null;
            try {
                // Only where native access is allowed already: otherwise the first downcall
                // would print the JDK's warning on a library user's stderr.
                if (NativeReads.class.getModule().isNativeAccessEnabled()
                        && System.getProperty("os.name", "").equals("Linux")
                        && "UTF-8".equals(System.getProperty("sun.jnu.encoding"))) {
                    Linker linker = Linker.nativeLinker();
                    var libc = linker.defaultLookup();
                    Linker.Option heap = Linker.Option.critical(true);
                    open = linker.downcallHandle(libc.find("open").orElseThrow(),
                            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT), heap);
                    lseek = linker.downcallHandle(libc.find("lseek").orElseThrow(), FunctionDescriptor.of(
                            ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT),
                            Linker.Option.critical(false));
                    pread = linker.downcallHandle(libc.find("pread").orElseThrow(), FunctionDescriptor.of(
                            ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG,
                            ValueLayout.JAVA_LONG), heap);
                    close = linker.downcallHandle(libc.find("close").orElseThrow(),
                            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
                }
            } catch (RuntimeException | LinkageError e) {
                open = null; // no native access, another C library: FileChannel does the work
            }
            OPEN = open;
            LSEEK = lseek;
            PREAD = pread;
            CLOSE = close;
        }
    }

    /** {@return whether the C library can be called} */
    static boolean available() {
        return Lib.OPEN != null;
    }

    /** {@return a file descriptor open for reading {@code path}, or -1} */
    static int open(Path path) {
        byte[] name = path.toString().getBytes(StandardCharsets.UTF_8);
        byte[] c = new byte[name.length + 1]; // NUL-terminated (a Path holds no NUL)
        System.arraycopy(name, 0, c, 0, name.length);
        try {
            return (int) Lib.OPEN.invokeExact(MemorySegment.ofArray(c), O_RDONLY_CLOEXEC);
        } catch (Throwable e) {
            return -1;
        }
    }

    /** {@return the size of the file open as {@code fd} (its end, by lseek), or -1} */
    static long size(int fd) {
        try {
            return (long) Lib.LSEEK.invokeExact(fd, 0L, SEEK_END);
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
        MemorySegment dest = MemorySegment.ofArray(b);
        int at = 0;
        try {
            while (at < length) {
                long n = (long) Lib.PREAD.invokeExact(fd, dest.asSlice(at), (long) Math.min(CHUNK, length - at),
                        (long) at);
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
            int ignored = (int) Lib.CLOSE.invokeExact(fd);
        } catch (Throwable e) {
            // nothing to do
        }
    }
}
