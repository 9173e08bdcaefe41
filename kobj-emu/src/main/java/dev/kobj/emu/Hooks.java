package dev.kobj.emu;

import dev.kobj.emu.unicorn.Engine;
import dev.kobj.emu.unicorn.Unicorn;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The hooks of a machine and the run loop. Kernel functions are caught by one UC_HOOK_CODE on
 * the stub range only (the module's own code runs without hooks unless a block trace or an
 * instruction count is asked); faults by UC_HOOK_MEM_UNMAPPED|UC_HOOK_MEM_PROT, UC_HOOK_INTR and
 * UC_HOOK_INSN_INVALID. Each sets the run's {@link Outcome} and stops the CPU.
 */
final class Hooks {
    private final Engine engine;
    private final Cpu cpu;
    private final Kernel kernel;
    private final Options options;
    private Outcome outcome;
    private long calls;
    private long instructions;

    Hooks(Engine engine, Cpu cpu, Kernel kernel, Options options) throws EmuException {
        this.engine = engine;
        this.cpu = cpu;
        this.kernel = kernel;
        this.options = options;
        engine.hookCode(false, kernel.stubsStart(), kernel.stubsEnd() - 1, (a, s) -> stub(a));
        engine.hookMemInvalid(this::memory);
        engine.hookIntr(this::interrupt);
        engine.hookInvalidInstruction(() -> fault("invalid instruction", pcOrZero()));
        if (options.tracer().blocks()) {
            engine.hookCode(true, 1, 0, (a, s) -> options.tracer().block(a, s, kernel.symbolize(a)));
        }
        if (options.countInstructions()) {
            engine.hookCode(false, 1, 0, (a, s) -> instructions++);
        }
    }

    Run run(String label, long address, long[] args) throws EmuException {
        outcome = null;
        calls = 0;
        instructions = 0;
        long ret = kernel.returnAddress();
        cpu.enter(engine, kernel.stackTop(), kernel.task(), ret);
        for (int i = 0; i < args.length; i++) {
            engine.reg(cpu.argRegs[i], args[i]);
        }
        long timeoutMicros = Math.max(1, options.timeout().toNanos() / 1000);
        long t0 = System.nanoTime();
        int err = engine.start(address, ret, timeoutMicros, options.maxInstructions());
        long nanos = System.nanoTime() - t0;
        Throwable t = engine.takeHookFailure();
        if (outcome == null && t != null) {
            outcome = new Outcome.Stopped("a hook", String.valueOf(t));
        }
        if (outcome == null && err != 0) {
            long pc = pcOrZero();
            outcome = new Outcome.Fault(engine.strerror(err), pc, pc, bytes(pc), kernel.symbolize(pc));
        }
        if (outcome == null) {
            long pc = engine.reg(cpu.pcReg);
            if (pc == ret) {
                outcome = new Outcome.Returned(engine.reg(cpu.retReg));
            } else if (nanos / 1000 >= timeoutMicros) {
                outcome = new Outcome.TimedOut(nanos / 1_000_000);
            } else {
                outcome = new Outcome.BudgetExhausted(options.maxInstructions());
            }
        }
        return new Run(label, address, outcome, calls, options.countInstructions() ? instructions : -1, nanos);
    }

    private void stub(long address) throws EmuException {
        String name = kernel.stubAt(address);
        if (name == null || outcome != null) {
            return;
        }
        long caller = cpu.returnAddress(engine);
        Call call = new Call(engine, cpu, name, caller, kernel);
        Optional<KernelFunction> handler = kernel.handlers().get(name);
        if (handler.isEmpty()) {
            if (options.unhandledZero()) {
                engine.reg(cpu.retReg, 0);
                calls++;
                options.tracer().call(name, caller, new long[0], 0);
                return;
            }
            List<Long> args = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                args.add(call.arg(i));
            }
            outcome = new Outcome.Unhandled(name, caller, kernel.symbolize(caller), args);
            engine.stop();
            return;
        }
        long result;
        try {
            result = handler.get().call(call);
        } catch (EmuException | RuntimeException e) {
            outcome = new Outcome.Stopped(name, "handler failed: " + e.getMessage());
            engine.stop();
            return;
        }
        engine.reg(cpu.retReg, result);
        calls++;
        options.tracer().call(name, caller, call.argsRead(), result);
        if (call.stopReason() != null) {
            outcome = new Outcome.Stopped(name, call.stopReason());
            engine.stop();
        }
    }

    private void memory(int type, long address, int size, long value) {
        String kind = switch (type) {
            case Unicorn.MEM_READ_UNMAPPED -> "read of unmapped memory";
            case Unicorn.MEM_WRITE_UNMAPPED -> "write to unmapped memory";
            case Unicorn.MEM_FETCH_UNMAPPED -> "fetch from unmapped memory";
            case Unicorn.MEM_WRITE_PROT -> "write to read-only memory";
            case Unicorn.MEM_READ_PROT -> "read of unreadable memory";
            case Unicorn.MEM_FETCH_PROT -> "fetch from non-executable memory";
            default -> "memory access " + type;
        };
        long guard = cpu.kernelBase + GuestMap.GUARD;
        if (address - guard >= 0 && address - guard < GuestMap.PAGE) {
            kind = "stack overflow (" + kind + " in the guard page below the stack)";
        } else if (Long.compareUnsigned(address, GuestMap.PAGE) < 0) {
            kind = "NULL pointer dereference (" + kind + ")";
        }
        String detail = size > 0 ? String.format(" of %d bytes", size) : "";
        fault(kind + detail, address);
    }

    private void interrupt(int intno) {
        String kind = switch (cpu) {
            case X86_64 -> switch (intno) {
                case 0 -> "divide error (#DE)";
                case 3 -> "breakpoint (int3)";
                case 6 -> "invalid opcode (#UD: ud2 is BUG())";
                case 13 -> "general protection (#GP)";
                case 14 -> "page fault (#PF)";
                default -> "CPU exception " + intno;
            };
            case AARCH64 -> switch (intno) {
                case 1 -> "undefined instruction";
                case 2 -> "svc";
                case 7 -> "brk (BUG() is brk #0x800)";
                default -> "CPU exception " + intno;
            };
            case RISCV64 -> switch (intno) {
                case 2 -> "illegal instruction";
                case 3 -> "ebreak (BUG())";
                case 8, 9, 11 -> "ecall";
                default -> "CPU exception (cause " + intno + ")";
            };
        };
        long pc = pcOrZero();
        fault(kind, pc);
    }

    private void fault(String kind, long address) {
        if (outcome == null) {
            long pc = pcOrZero();
            outcome = new Outcome.Fault(kind, address, pc, bytes(pc), kernel.symbolize(pc));
        }
        engine.stop();
    }

    private long pcOrZero() {
        try {
            return engine.reg(cpu.pcReg);
        } catch (EmuException e) {
            return 0;
        }
    }

    private byte[] bytes(long pc) {
        int n = cpu == Cpu.X86_64 ? 8 : 4;
        try {
            return engine.read(pc, n);
        } catch (EmuException e) {
            return new byte[0];
        }
    }
}
