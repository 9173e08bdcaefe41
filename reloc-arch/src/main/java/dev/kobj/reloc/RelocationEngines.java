package dev.kobj.reloc;

import dev.kobj.elf.Arch;
import java.util.Optional;

/** The one registry of engines: an ELF machine and class turn into an engine here and nowhere else. */
public final class RelocationEngines {
    private RelocationEngines() {
    }

    /**
     * {@return the engine for e_machine {@code machine} and ELF class {@code bits}, if kobj has one}
     * @param machine the ELF {@code e_machine}
     * @param bits 32 or 64: the ELF class
     */
    public static Optional<RelocationEngine> forMachine(int machine, int bits) {
        Arch arch = Arch.of(machine, bits);
        if (arch == null) {
            return Optional.empty();
        }
        return Optional.ofNullable(switch (arch) {
            case X86_64 -> new dev.kobj.reloc.x86_64.X86_64Engine();
            case AARCH64 -> new dev.kobj.reloc.aarch64.AArch64Engine();
            case RISCV64 -> dev.kobj.reloc.riscv.RiscvEngine.rv64();
            case RISCV32 -> dev.kobj.reloc.riscv.RiscvEngine.rv32();
        });
    }
}
