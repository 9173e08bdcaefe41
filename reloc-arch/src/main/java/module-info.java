/** Relocation engines for x86_64, AArch64 and RISC-V: the psABI formulas, range checks, instruction encoders and stub needs. */
module dev.kobj.reloc {
    requires transitive dev.kobj.elf;

    exports dev.kobj.reloc;
    exports dev.kobj.reloc.x86_64;
    exports dev.kobj.reloc.aarch64;
    exports dev.kobj.reloc.riscv;
}
