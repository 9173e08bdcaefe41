package dev.kobj.reloc.oracle;

import dev.kobj.elf.ElfConstants;
import dev.kobj.elf.ElfFormatException;
import dev.kobj.elf.ElfSymbol;
import dev.kobj.testkit.Placement;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Calls to an undefined weak function are where GNU ld knowingly departs from the plain
 * formula S + A - P with S = 0 (the value kobj's {@link dev.kobj.reloc.Fixup} contract gives):
 * AArch64 ld follows the AAELF64 weak-reference rule (a PC-relative reference to an undefined
 * weak symbol resolves to the place; a BL/B becomes a NOP), RISC-V ld rewrites the JALR of a
 * CALL to use x0 as base with AUIPC 0. Where the bytes differ only there, the oracle decodes
 * kobj's branch and accepts it when it reaches S + A exactly; the difference is still reported
 * as a note.
 */
final class WeakBranch {
    private WeakBranch() {
    }

    static boolean weakUndefined(Placement pl, long symbolIndex) throws ElfFormatException {
        if (symbolIndex == 0) {
            return false;
        }
        ElfSymbol s = pl.symtab.get((int) symbolIndex);
        return s.isUndefined() && s.bind() == ElfConstants.STB_WEAK;
    }

    /** {@return the width of the branch field of {@code typeName}, or 0 when it is not a call/jump this class decodes} */
    static int width(String typeName) {
        return switch (typeName) {
            case "R_AARCH64_CALL26", "R_AARCH64_JUMP26" -> 4;
            case "R_RISCV_CALL", "R_RISCV_CALL_PLT" -> 8;
            default -> 0;
        };
    }

    /** {@return where kobj's patched branch at {@code off} of {@code b} (address {@code p}) goes} */
    static long target(String typeName, byte[] b, long off, long p) {
        MemorySegment m = MemorySegment.ofArray(b);
        ValueLayout.OfInt le = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
        int i = m.get(le, off);
        if (typeName.startsWith("R_AARCH64_")) {
            long imm = ((long) i << 38) >> 36; // imm26 sign-extended, times 4
            return p + imm;
        }
        long hi = (long) (i & 0xfffff000);
        int jalr = m.get(le, off + 4);
        long lo = jalr >> 20;
        return p + hi + lo;
    }
}
