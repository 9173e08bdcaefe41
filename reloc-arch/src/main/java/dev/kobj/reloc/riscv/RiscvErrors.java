package dev.kobj.reloc.riscv;

import dev.kobj.reloc.Fixup;
import dev.kobj.reloc.RelocationException;
import dev.kobj.reloc.RelocationException.Reason;

/**
 * The messages of refused RISC-V relocations, in lld's words: {@code <where>: relocation
 * R_RISCV_JAL out of range: 1048576 is not in [-1048576, 1048575]; references 'foo'}.
 */
final class RiscvErrors {
    private RiscvErrors() {
    }

    static String references(Fixup f) {
        return f.name() == null || f.name().isEmpty() ? "" : "; references '" + f.name() + "'";
    }

    static String typeName(Fixup f) {
        RiscvKind k = RiscvKind.of(f.type());
        return k == null ? "R_RISCV_<" + f.type() + ">" : k.psabiName();
    }

    static RelocationException outOfRange(Fixup f, long value, long min, long max) {
        return new RelocationException(Reason.OUT_OF_RANGE, f.type(), value, "%s: relocation %s out of range: %d is not in [%d, %d]%s"
                .formatted(f.where(), typeName(f), value, min, max, references(f)));
    }

    static RelocationException misaligned(Fixup f, long value, long alignment) {
        return new RelocationException(Reason.MISALIGNED, f.type(), value,
                "%s: improper alignment for relocation %s: 0x%x is not aligned to %d bytes%s"
                        .formatted(f.where(), typeName(f), value, alignment, references(f)));
    }

    static RelocationException wrongInstruction(Fixup f, int insn, int width, String expected) {
        String shown = width == 2 ? "0x%04x".formatted(insn & 0xffff) : "0x%08x".formatted(insn);
        return new RelocationException(Reason.WRONG_INSTRUCTION, f.type(), insn,
                "%s: relocation %s: the instruction %s at this place is not %s%s"
                        .formatted(f.where(), typeName(f), shown, expected, references(f)));
    }

    static RelocationException unknown(Fixup f) {
        return new RelocationException(Reason.UNKNOWN_TYPE, f.type(), f.type(),
                "%s: unknown relocation (%d) for RISC-V%s".formatted(f.where(), f.type(), references(f)));
    }

    static RelocationException notApplicable(Fixup f, String why) {
        return new RelocationException(Reason.NOT_APPLICABLE, f.type(), f.type(),
                "%s: relocation %s cannot be applied by kobj: %s%s".formatted(f.where(), typeName(f), why, references(f)));
    }

    static RelocationException missingPartner(Fixup f, long value, String what) {
        return new RelocationException(Reason.MISSING_PARTNER, f.type(), value,
                "%s: relocation %s: %s%s".formatted(f.where(), typeName(f), what, references(f)));
    }

    static RelocationException badPlace(Fixup f, long size, int width) {
        return new RelocationException(Reason.BAD_PLACE, f.type(), f.offset(),
                "%s: relocation %s: the place 0x%x (%d bytes) lies outside the section of 0x%x bytes%s"
                        .formatted(f.where(), typeName(f), f.offset(), width, size, references(f)));
    }
}
