package dev.kobj.reloc.aarch64;

/**
 * Test-side decoders of A64 immediates, written from the Arm ARM apart from the main
 * encoders: each returns the field's value scaled back to a byte offset or address bits, so
 * that it can be compared with X.
 */
final class Decode {
    private Decode() {
    }

    static long sext(long v, int bits) {
        return (v << (64 - bits)) >> (64 - bits);
    }

    static int bits(int insn, int hi, int lo) {
        return (int) ((Integer.toUnsignedLong(insn) >>> lo) & ((1L << (hi - lo + 1)) - 1));
    }

    /** B, BL: imm26 × 4. */
    static long branch26(int insn) {
        return sext(bits(insn, 25, 0), 26) << 2;
    }

    /** B.cond, CBZ, LDR literal: imm19 at [23:5] × 4. */
    static long imm19(int insn) {
        return sext(bits(insn, 23, 5), 19) << 2;
    }

    /** TBZ: imm14 at [18:5] × 4. */
    static long imm14(int insn) {
        return sext(bits(insn, 18, 5), 14) << 2;
    }

    /** ADR: immhi:immlo. */
    static long adr(int insn) {
        return sext(((long) bits(insn, 23, 5) << 2) | bits(insn, 30, 29), 21);
    }

    /** ADRP: immhi:immlo × 4096. */
    static long adrp(int insn) {
        return adr(insn) << 12;
    }

    /** ADD/LDR/STR: imm12 at [21:10], unscaled. */
    static int imm12(int insn) {
        return bits(insn, 21, 10);
    }

    /** MOVN/MOVZ/MOVK: imm16 at [20:5]. */
    static int imm16(int insn) {
        return bits(insn, 20, 5);
    }

    /** Move wide opc at [30:29]: 0 MOVN, 2 MOVZ, 3 MOVK. */
    static int movOpc(int insn) {
        return bits(insn, 30, 29);
    }

    static int rd(int insn) {
        return bits(insn, 4, 0);
    }

    static int rn(int insn) {
        return bits(insn, 9, 5);
    }
}
