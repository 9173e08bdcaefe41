package dev.kobj.cli;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.Optional;

/**
 * Whether a file descriptor is a terminal: POSIX {@code isatty(3)}, called through the FFM API.
 * {@link System#console()} cannot say it for stderr alone (it looks at stdin and stdout).
 * Any failure (no native access, no libc symbol) answers false: no progress bar.
 */
final class Terminal {
    private Terminal() {
    }

    /** The downcall handle, made on first use only (where /proc cannot answer). */
    private static final class Holder {
        static final Optional<MethodHandle> ISATTY = lookup();
    }

    /** {@return whether /proc/self/fd/{@code fd} names a terminal; null when /proc cannot say} */
    private static Boolean procLink(int fd) {
        try {
            String t = java.nio.file.Files.readSymbolicLink(java.nio.file.Path.of("/proc/self/fd/" + fd)).toString();
            return t.startsWith("/dev/pts/") || t.startsWith("/dev/tty") || t.equals("/dev/console");
        } catch (java.io.IOException | RuntimeException e) {
            return null;
        }
    }

    private static Optional<MethodHandle> lookup() {
        try {
            Linker linker = Linker.nativeLinker();
            return linker.defaultLookup().find("isatty").map(a -> linker.downcallHandle(a,
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT)));
        } catch (RuntimeException | LinkageError e) {
            return Optional.empty();
        }
    }

    /** {@return true when file descriptor {@code fd} (2 for stderr) is a terminal} */
    static boolean isTerminal(int fd) {
        // On Linux, /proc/self/fd/N names what the descriptor is open on: a terminal is a
        // /dev/pts/N or /dev/ttyX device (or /dev/console); anything else (a pipe, a file,
        // /dev/null) is not. One readlink instead of making a native downcall stub, which
        // costs a whole-tree command about 0.1 s of CPU (classes spun and compiled).
        Boolean linux = procLink(fd);
        if (linux != null) {
            return linux;
        }
        if (Holder.ISATTY.isEmpty()) {
            return false;
        }
        try {
            return (int) Holder.ISATTY.get().invokeExact(fd) == 1;
        } catch (Throwable e) {
            return false;
        }
    }
}
