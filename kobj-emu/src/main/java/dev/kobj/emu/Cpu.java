package dev.kobj.emu;

import dev.kobj.emu.unicorn.Engine;
import dev.kobj.emu.unicorn.Unicorn;
import java.util.Optional;

/**
 * The three guest CPUs, chosen by an object's {@code e_machine}, with what the machine needs of
 * each: the Unicorn arch/mode, the registers of the calling convention (SysV x86-64 psABI §3.2.3;
 * AAPCS64 §6.8.2 with the Linux variadic rule: variadic arguments as named ones; RISC-V psABI
 * "Integer Calling Convention", LP64), the return instruction the kernel stubs are made of, and
 * where the kernel area sits. Register ids are {@code unicorn/x86.h}, {@code arm64.h},
 * {@code riscv.h} of Unicorn 2.0.1.
 */
public enum Cpu {
    /** x86-64, long mode, kernel at the top 2 GiB (the kernel code model needs it). */
    X86_64(62, Unicorn.ARCH_X86, Unicorn.MODE_64, 0xffff_ffff_8000_0000L,
            new int[] {39, 43, 40, 38, 106, 107}, 35, 41, 44, new byte[] {(byte) 0xc3}),
    /** AArch64 at EL1h (Unicorn 2.0.1 resets to PSTATE 0x3c5, set again), FP/SIMD enabled in CPACR_EL1. */
    AARCH64(183, Unicorn.ARCH_ARM64, Unicorn.MODE_ARM, 0xffff_8000_0800_0000L,
            new int[] {199, 200, 201, 202, 203, 204, 205, 206}, 199, 260, 4, le32(0xd65f03c0)),
    /** RV64GC in machine mode (Unicorn's default privilege), LP64. */
    RISCV64(243, Unicorn.ARCH_RISCV, Unicorn.MODE_RISCV64, 0xffff_ffff_8000_0000L,
            new int[] {11, 12, 13, 14, 15, 16, 17, 18}, 11, 190, 3, le32(0x00008067));

    final int machine;
    final int ucArch;
    final int ucMode;
    /**
     * x86-64's gs base: the per-CPU page (fixed_percpu_data, the stack canary at +40); the guest's
     * data slots, heap and modules are mirrored at this offset so that {@code %gs:x} reads {@code x}.
     * A canonical lower-half address, far from both the kernel area's mirror (just below it) and 0.
     */
    static final long GS_BASE = 0x0000_4000_0000_0000L;

    /** The stack canary at %gs:40 (Linux draws it at boot; any value works, a zero one would hide nothing). */
    static final long STACK_CANARY = 0x6b6f_626a_2d65_6d75L;

    /** Base of the kernel area: stubs, data slots, task, stack, heap; modules from {@link #moduleBase()}. */
    final long kernelBase;
    final int[] argRegs;
    final int retReg;
    final int pcReg;
    final int spReg;
    final byte[] ret;

    Cpu(int machine, int ucArch, int ucMode, long kernelBase, int[] argRegs, int retReg, int pcReg, int spReg,
            byte[] ret) {
        this.machine = machine;
        this.ucArch = ucArch;
        this.ucMode = ucMode;
        this.kernelBase = kernelBase;
        this.argRegs = argRegs;
        this.retReg = retReg;
        this.pcReg = pcReg;
        this.spReg = spReg;
        this.ret = ret;
    }

    private static byte[] le32(int v) {
        return new byte[] {(byte) v, (byte) (v >> 8), (byte) (v >> 16), (byte) (v >> 24)};
    }

    /** {@return the CPU for ELF {@code e_machine}, if it is one of the three} */
    public static Optional<Cpu> forMachine(int eMachine) {
        for (Cpu c : values()) {
            if (c.machine == eMachine) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    /** {@return where the memory places images it chooses the address of} */
    public long moduleBase() {
        return kernelBase + GuestMap.MODULES;
    }

    /** {@return the number of integer arguments passed in registers} */
    int registerArgs() {
        return argRegs.length;
    }

    /** {@return the return address of the current call, read at the first instruction of the callee} */
    long returnAddress(Engine e) throws EmuException {
        return switch (this) {
            case X86_64 -> Guest.le64(e.read(e.reg(spReg), 8), 0);
            case AARCH64 -> e.reg(2); // x30, the link register
            case RISCV64 -> e.reg(2); // x1 (ra) is UC_RISCV_REG_X1 = 2
        };
    }

    /** {@return the address of stack argument {@code i} (0-based after the register ones) at entry} */
    long stackArg(Engine e, int i) throws EmuException {
        long sp = e.reg(spReg);
        // x86-64: [rsp] is the return address, the 7th argument at rsp+8 (psABI figure 3.5)
        return this == X86_64 ? sp + 8 + 8L * i : sp + 8L * i;
    }

    /**
     * Sets the CPU to kernel mode with {@code task} as {@code current} and the stack at
     * {@code sp}, and makes a call return to {@code returnTo}; then the PC is set by uc_emu_start.
     */
    void enter(Engine e, long sp, long task, long returnTo) throws EmuException {
        switch (this) {
            case X86_64 -> {
                // the per-CPU area: %gs:40 the canary, %gs:x the mirror of x (Machine.mapKernel)
                e.reg(251, GS_BASE); // UC_X86_REG_GS_BASE
                e.reg(spReg, sp - 8);
                e.write(sp - 8, Guest.le64(returnTo));
            }
            case AARCH64 -> {
                e.reg(265, 0x3c5); // PSTATE: EL1h, DAIF masked
                e.reg(261, 3L << 20); // CPACR_EL1.FPEN = 0b11: no trap of FP/SIMD at EL1
                e.reg(270, task); // SP_EL0 = current (arm64 keeps the task pointer there)
                e.reg(264, 0); // TPIDR_EL1 = per-CPU offset 0
                e.reg(spReg, sp);
                e.reg(2, returnTo);
            }
            case RISCV64 -> {
                e.reg(5, task); // tp = current
                e.reg(spReg, sp);
                e.reg(2, returnTo);
            }
        }
    }

    /** {@return the code of an x86 {@code __x86_indirect_thunk_REG} ({@code jmp *%REG}) or null} */
    byte[] thunk(String name) {
        if (this != X86_64 || !name.startsWith("__x86_indirect_thunk_")) {
            return null;
        }
        String[] regs = {"rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi", "r8", "r9", "r10", "r11", "r12",
            "r13", "r14", "r15"};
        String reg = name.substring("__x86_indirect_thunk_".length());
        for (int i = 0; i < regs.length; i++) {
            if (regs[i].equals(reg)) {
                // FF /4 jmp r/m64, ModRM 0xE0 | reg; REX.B (0x41) for r8-r15
                return i < 8 ? new byte[] {(byte) 0xff, (byte) (0xe0 | i)}
                        : new byte[] {0x41, (byte) 0xff, (byte) (0xe0 | (i - 8))};
            }
        }
        return null;
    }
}
