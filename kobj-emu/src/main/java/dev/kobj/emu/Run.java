package dev.kobj.emu;

import java.util.OptionalInt;

/**
 * One run of a guest function: its name and address, how it ended, the kernel functions it
 * called, the instructions it ran (when counted) and the wall-clock time.
 *
 * @param function     the symbol run
 * @param address      its address
 * @param outcome      how it ended
 * @param calls        the number of kernel function calls answered
 * @param instructions the instructions run, or -1 when not counted ({@link Options#countInstructions})
 * @param nanos        wall-clock time of the run
 */
public record Run(String function, long address, Outcome outcome, long calls, long instructions, long nanos) {

    /** {@return the C {@code int} value returned, when the run completed} */
    public OptionalInt returned() {
        return outcome instanceof Outcome.Returned r ? OptionalInt.of((int) r.value()) : OptionalInt.empty();
    }
}
