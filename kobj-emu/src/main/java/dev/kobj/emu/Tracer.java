package dev.kobj.emu;

/** What a machine tells of a run: each kernel function call, and each basic block when asked. */
public interface Tracer {

    /** Tells nothing. */
    Tracer NONE = new Tracer() {
    };

    /** A kernel function was called from {@code caller} with the arguments its handler read and returned {@code result}. */
    default void call(String name, long caller, long[] args, long result) {
    }

    /** {@return true to be told of every basic block (a hook on all code: slower)} */
    default boolean blocks() {
        return false;
    }

    /** A basic block of {@code size} bytes at {@code address} ({@code symbol}+offset) is about to run. */
    default void block(long address, int size, String symbol) {
    }
}
