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
    private static final Optional<MethodHandle> ISATTY = lookup();

    private Terminal() {
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
        if (ISATTY.isEmpty()) {
            return false;
        }
        try {
            return (int) ISATTY.get().invokeExact(fd) == 1;
        } catch (Throwable e) {
            return false;
        }
    }
}
