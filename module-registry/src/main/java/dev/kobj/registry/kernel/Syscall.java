package dev.kobj.registry.kernel;

/**
 * The body of a system call in the {@link SimulatedKernel}: up to {@link #MAX_ARGS} register-sized
 * arguments in, one register-sized result out. As on Linux, a negative result in [-4095, -1] is
 * {@code -errno}; anything else is a value.
 *
 * <p>Native system calls (a function in a linked module) are wrapped in a {@code Syscall} that
 * calls the code through FFM ({@link SyscallTable.Entry#nativeAddress()} keeps the address).
 */
@FunctionalInterface
public interface Syscall {

    /** Arguments a system call receives: those of the x86_64 and AArch64 Linux system-call ABIs. */
    int MAX_ARGS = 6;

    /**
     * {@return the result} of the call.
     *
     * @param args exactly {@link #MAX_ARGS} arguments; those the caller did not pass are 0
     */
    long call(long[] args);
}
