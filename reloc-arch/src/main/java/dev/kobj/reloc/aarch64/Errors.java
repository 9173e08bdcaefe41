package dev.kobj.reloc.aarch64;

import dev.kobj.reloc.Fixup;
import dev.kobj.reloc.RelocationException;
import dev.kobj.reloc.RelocationException.Reason;

/**
 * The messages of refused AArch64 relocations, in lld's words so that people who know lld
 * recognise them: {@code <where>: relocation R_AARCH64_CALL26 out of range: 134217728 is not in
 * [-134217728, 134217727]; references 'foo'}.
 */
final class Errors {
    private Errors() {
    }

    static String name(int type) {
        return AArch64Kind.of(type).map(AArch64Kind::relocationName)
                .or(() -> Refusals.of(type).map(r -> r.kind().name()))
                .orElse("unrecognized relocation 0x" + Integer.toHexString(type));
    }

    private static String refs(Fixup f) {
        return f.name() == null || f.name().isEmpty() ? "" : "; references '" + f.name() + "'";
    }

    static RelocationException outOfRange(Fixup f, long x, long min, long max, String tail) {
        return new RelocationException(Reason.OUT_OF_RANGE, f.type(), x, f.where() + ": relocation " + name(f.type())
                + " out of range: " + x + " is not in [" + min + ", " + max + "]" + refs(f) + tail);
    }

    static RelocationException misaligned(Fixup f, long x, long alignment) {
        return new RelocationException(Reason.MISALIGNED, f.type(), x, f.where()
                + ": improper alignment for relocation " + name(f.type()) + ": 0x" + Long.toHexString(x)
                + " is not aligned to " + alignment + " bytes" + refs(f));
    }

    static RelocationException misplacedInstruction(Fixup f) {
        return new RelocationException(Reason.MISALIGNED, f.type(), f.place(), f.where()
                + ": improper alignment for relocation " + name(f.type()) + ": the instruction's address 0x"
                + Long.toHexString(f.place()) + " is not aligned to 4 bytes" + refs(f));
    }

    static RelocationException wrongInstruction(Fixup f, int insn, Field field) {
        return new RelocationException(Reason.WRONG_INSTRUCTION, f.type(), Integer.toUnsignedLong(insn), f.where()
                + ": relocation " + name(f.type()) + " cannot patch 0x" + String.format("%08x", insn) + " ("
                + A64.describe(insn) + "): it applies to " + field.accepts() + refs(f));
    }

    static RelocationException badPlace(Fixup f, int size, long sectionSize) {
        return new RelocationException(Reason.BAD_PLACE, f.type(), f.offset(), f.where() + ": relocation "
                + name(f.type()) + " at offset 0x" + Long.toHexString(f.offset()) + " (" + size
                + " bytes) lies outside the section of " + sectionSize + " bytes" + refs(f));
    }

    static RelocationException missing(Fixup f, String what) {
        return new RelocationException(Reason.MISSING_PARTNER, f.type(), 0, f.where() + ": relocation "
                + name(f.type()) + " needs " + what + ", but the fixup carries none" + refs(f));
    }

    static RelocationException noVeneer(Fixup f, int capacity, String why) {
        return new RelocationException(Reason.MISSING_PARTNER, f.type(), capacity, f.where() + ": relocation "
                + name(f.type()) + " needs an ADRP veneer, but none of the " + capacity
                + " veneer slots is left (count them with scan() and pass a VeneerPool to applyAll)" + refs(f) + why);
    }

    static RelocationException badVeneerSlot(Fixup f, long slot, String why) {
        return new RelocationException(Reason.MISALIGNED, f.type(), slot, f.where() + ": relocation " + name(f.type())
                + ": the ADRP veneer slot at 0x" + Long.toHexString(slot)
                + " is not 4-aligned or is itself at page offset 0xff8/0xffc" + refs(f) + why);
    }

    static RelocationException unknown(Fixup f) {
        return new RelocationException(Reason.UNKNOWN_TYPE, f.type(), f.type(), f.where()
                + ": unknown relocation type " + f.type() + " (0x" + Integer.toHexString(f.type())
                + ") for aarch64" + refs(f));
    }

    static RelocationException refused(Fixup f, Refusals.Refusal r) {
        return new RelocationException(Reason.NOT_APPLICABLE, f.type(), f.type(), f.where() + ": relocation "
                + r.kind().name() + " cannot be applied: " + r.reason() + refs(f));
    }
}
