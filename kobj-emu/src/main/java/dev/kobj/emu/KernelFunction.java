package dev.kobj.emu;

/**
 * A kernel function answered in Java: the SPI of kobj-emu's handlers. A module's call to an
 * undefined function lands in a stub of the guest's kernel area; the machine calls
 * {@link #call} with the arguments read by the calling convention, and the value returned is
 * put in the return register before the stub returns to the caller.
 *
 * <p>Register one under a name with {@link Handlers#put}: it replaces the library's handler of
 * that name (override) or adds one (extend).
 */
@FunctionalInterface
public interface KernelFunction {

    /**
     * Answers one call.
     *
     * @return the value of the return register (ignored by the caller of a void function)
     * @throws EmuException to stop the run with a fault of the guest (an unmapped pointer...)
     */
    long call(Call call) throws EmuException;
}
