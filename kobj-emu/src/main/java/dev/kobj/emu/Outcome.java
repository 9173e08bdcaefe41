package dev.kobj.emu;

import java.util.List;

/** How a run of guest code ended. Nothing that guest code does escapes as a JVM failure. */
public sealed interface Outcome {

    /** {@return true when the function returned to its caller} */
    default boolean completed() {
        return this instanceof Returned;
    }

    /** {@return one line for people} */
    String describe();

    /** The function returned {@code value} (the full return register; C {@code int} is its low half). */
    record Returned(long value) implements Outcome {
        @Override
        public String describe() {
            return "returned " + (int) value;
        }
    }

    /**
     * The guest faulted: {@code kind} (unmapped read, write to read-only, invalid instruction,
     * stack overflow, CPU exception...), the data address (the PC for fetches and instructions),
     * the PC, the bytes there and the nearest symbol of the PC.
     */
    record Fault(String kind, long address, long pc, byte[] instruction, String symbol) implements Outcome {
        @Override
        public String describe() {
            StringBuilder hex = new StringBuilder();
            for (byte b : instruction) {
                hex.append(String.format("%02x", b & 0xff));
            }
            return String.format("fault: %s at 0x%x, pc 0x%x <%s> (bytes %s)", kind, address, pc, symbol,
                    hex.isEmpty() ? "unreadable" : hex);
        }
    }

    /** A function without a handler was called (and unhandled calls are not answered with 0). */
    record Unhandled(String name, long caller, String callerSymbol, List<Long> args) implements Outcome {
        public Unhandled {
            args = List.copyOf(args);
        }

        @Override
        public String describe() {
            StringBuilder a = new StringBuilder();
            for (long v : args) {
                a.append(a.isEmpty() ? "" : ", ").append(String.format("0x%x", v));
            }
            return String.format("unhandled kernel function %s(%s) called from 0x%x <%s>", name, a, caller,
                    callerSymbol);
        }
    }

    /** The instruction budget ran out. */
    record BudgetExhausted(long instructions) implements Outcome {
        @Override
        public String describe() {
            return "instruction budget of " + instructions + " exhausted";
        }
    }

    /** The wall-clock limit passed. */
    record TimedOut(long millis) implements Outcome {
        @Override
        public String describe() {
            return "timed out after " + millis + " ms";
        }
    }

    /** A handler stopped the run ({@link Call#stop}): BUG(), panic(), a handler's refusal. */
    record Stopped(String function, String reason) implements Outcome {
        @Override
        public String describe() {
            return "stopped in " + function + ": " + reason;
        }
    }
}
