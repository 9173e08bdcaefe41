package dev.kobj.emu;

import dev.kobj.emu.unicorn.Engine;
import java.util.Arrays;

/**
 * One call of a kernel function, as a {@link KernelFunction} sees it: the arguments by the
 * calling convention of the guest CPU ({@link Cpu}), the caller, guest memory and the kernel's
 * services. Arguments are read when asked; {@link #argsRead()} tells which ones were (the call
 * trace prints those).
 */
public final class Call {
    private final Engine engine;
    private final Cpu cpu;
    private final String name;
    private final long caller;
    private final Kernel kernel;
    private long[] args = new long[0];
    private int read;
    private String stop;

    Call(Engine engine, Cpu cpu, String name, long caller, Kernel kernel) {
        this.engine = engine;
        this.cpu = cpu;
        this.name = name;
        this.caller = caller;
        this.kernel = kernel;
    }

    /** {@return the called function's name} */
    public String name() {
        return name;
    }

    /** {@return the return address: the instruction after the call} */
    public long caller() {
        return caller;
    }

    /** {@return the CPU of the guest} */
    public Cpu cpu() {
        return cpu;
    }

    /**
     * {@return integer argument {@code i}} (0-based), from its register or, past the registers
     * (6 on x86-64, 8 on AArch64 and RISC-V), from the caller's stack. Linux passes variadic
     * arguments as named ones on all three (AAPCS64 without Apple's rule; RISC-V LP64 integer).
     */
    public long arg(int i) throws EmuException {
        if (i < 0 || i > 64) {
            throw new IllegalArgumentException("argument index " + i);
        }
        if (i >= args.length) {
            int n = args.length;
            args = Arrays.copyOf(args, i + 1);
            for (int k = n; k <= i; k++) {
                args[k] = k < cpu.registerArgs() ? engine.reg(cpu.argRegs[k])
                        : new Guest(engine).readLong(cpu.stackArg(engine, k - cpu.registerArgs()));
            }
        }
        read = Math.max(read, i + 1);
        return args[i];
    }

    /** {@return argument {@code i} as a C {@code int}} */
    public int intArg(int i) throws EmuException {
        return (int) arg(i);
    }

    /** {@return the NUL-terminated string argument {@code i} points to} */
    public String stringArg(int i) throws EmuException {
        return guest().cstring(arg(i));
    }

    /** {@return the arguments the handler read, in order} */
    public long[] argsRead() {
        return Arrays.copyOf(args, read);
    }

    /** {@return guest memory} */
    public Guest guest() {
        return new Guest(engine);
    }

    /** {@return the kernel's services: heap, console, registrations, symbols} */
    public Kernel kernel() {
        return kernel;
    }

    /**
     * Ends the run after this call returns {@code reason} as a {@link Outcome.Stopped} (a module
     * that calls {@code BUG()}, {@code panic}, or a handler's own refusal).
     */
    public void stop(String reason) {
        this.stop = reason;
    }

    String stopReason() {
        return stop;
    }
}
