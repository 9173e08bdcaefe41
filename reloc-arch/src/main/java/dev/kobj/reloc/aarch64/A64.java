package dev.kobj.reloc.aarch64;

/**
 * A64 instruction classes and field encoders: the only place that knows where an immediate
 * lives inside an instruction word. Everything here works on the 32-bit instruction as an
 * {@code int}; A64 instructions are always stored little-endian, whatever the data byte
 * order (Arm ARM: instruction fetches ignore SCTLR_ELx.EE; {@code testdata/special/be64-aarch64.o}
 * shows an aarch64_be assembler writing {@code bl} as the bytes {@code 00 00 00 94}).
 *
 * <p>Encodings are those of the Arm Architecture Reference Manual, "A64 Instruction Set
 * Encoding"; each class predicate names the fixed bits it matches. Decoders are deliberately
 * absent: the tests decode with their own code so that an encoder bug cannot hide itself.
 */
final class A64 {
    private A64() {
    }

    // ---- class predicates -------------------------------------------------------------------

    /** B imm26: {@code 0 00101 imm26}. */
    static boolean isB(int insn) {
        return (insn & 0xFC000000) == 0x14000000;
    }

    /** BL imm26: {@code 1 00101 imm26}. */
    static boolean isBl(int insn) {
        return (insn & 0xFC000000) == 0x94000000;
    }

    /** B.cond / BC.cond imm19: {@code 0101010 0 imm19 o0 cond}. */
    static boolean isBcond(int insn) {
        return (insn & 0xFF000000) == 0x54000000;
    }

    /** CBZ/CBNZ imm19: {@code sf 011010 op imm19 Rt}. */
    static boolean isCbz(int insn) {
        return (insn & 0x7E000000) == 0x34000000;
    }

    /** TBZ/TBNZ imm14: {@code b5 011011 op b40 imm14 Rt}. */
    static boolean isTbz(int insn) {
        return (insn & 0x7E000000) == 0x36000000;
    }

    /** ADR: {@code 0 immlo 10000 immhi Rd}. */
    static boolean isAdr(int insn) {
        return (insn & 0x9F000000) == 0x10000000;
    }

    /** ADRP: {@code 1 immlo 10000 immhi Rd}. */
    static boolean isAdrp(int insn) {
        return (insn & 0x9F000000) == 0x90000000;
    }

    /** ADD (immediate), 32 or 64 bit, no shift, flags not set: {@code sf 0 0 100010 0 imm12 Rn Rd}. */
    static boolean isAddImm(int insn) {
        return (insn & 0x7FC00000) == 0x11000000;
    }

    /** Load register (literal), any size, incl. PRFM: {@code opc 011 V 00 imm19 Rt}. */
    static boolean isLoadLiteral(int insn) {
        return (insn & 0x3B000000) == 0x18000000;
    }

    /** LDR Xt, label (64-bit general register literal load): {@code 01 011 0 00 imm19 Rt}. */
    static boolean isLdrXLiteral(int insn) {
        return (insn & 0xFF000000) == 0x58000000;
    }

    /**
     * Load/store register (unsigned immediate): {@code size 111 V 01 opc imm12 Rn Rt}.
     *
     * @return log2 of the access size in bytes (0 = byte ... 4 = 128-bit Q register), or -1
     *         when {@code insn} is not of this class
     */
    static int ldstScale(int insn) {
        if ((insn & 0x3B000000) != 0x39000000) {
            return -1;
        }
        int size = insn >>> 30;
        boolean simd = (insn & (1 << 26)) != 0;
        boolean opcHigh = (insn & (1 << 23)) != 0;
        if (simd && size == 0 && opcHigh) {
            return 4;
        }
        return size;
    }

    /** LDR Xt, [Xn, #imm] (64-bit general register, unsigned immediate): {@code 11 111 0 01 01 imm12 Rn Rt}. */
    static boolean isLdrXUnsignedImm(int insn) {
        return (insn & 0xFFC00000) == 0xF9400000;
    }

    /** Move wide immediate: {@code sf opc 100101 hw imm16 Rd}; opc 01 is unallocated. */
    static boolean isMoveWide(int insn) {
        return (insn & 0x1F800000) == 0x12800000 && movOpc(insn) != 1;
    }

    static boolean isMovz(int insn) {
        return isMoveWide(insn) && movOpc(insn) == MOVZ;
    }

    static boolean isMovk(int insn) {
        return isMoveWide(insn) && movOpc(insn) == MOVK;
    }

    static boolean isMovn(int insn) {
        return isMoveWide(insn) && movOpc(insn) == MOVN;
    }

    static final int MOVN = 0;
    static final int MOVZ = 2;
    static final int MOVK = 3;

    private static int movOpc(int insn) {
        return (insn >>> 29) & 3;
    }

    /** {@return a short name of the instruction's class, for messages} */
    static String describe(int insn) {
        if (isB(insn)) {
            return "B";
        }
        if (isBl(insn)) {
            return "BL";
        }
        if (isBcond(insn)) {
            return "B.cond";
        }
        if (isCbz(insn)) {
            return (insn & (1 << 24)) == 0 ? "CBZ" : "CBNZ";
        }
        if (isTbz(insn)) {
            return (insn & (1 << 24)) == 0 ? "TBZ" : "TBNZ";
        }
        if (isAdr(insn)) {
            return "ADR";
        }
        if (isAdrp(insn)) {
            return "ADRP";
        }
        if (isAddImm(insn)) {
            return "ADD (immediate)";
        }
        if ((insn & 0x1F000000) == 0x11000000) {
            return "ADD/SUB (immediate, shifted or flag-setting)";
        }
        if (isLoadLiteral(insn)) {
            return "LDR (literal)";
        }
        int scale = ldstScale(insn);
        if (scale >= 0) {
            return "LDR/STR (unsigned immediate, " + (1 << scale) + "-byte)";
        }
        if (isMovn(insn)) {
            return "MOVN";
        }
        if (isMovz(insn)) {
            return "MOVZ";
        }
        if (isMovk(insn)) {
            return "MOVK";
        }
        return "unrecognised instruction";
    }

    // ---- field encoders: each returns insn with one field replaced ---------------------------

    /** imm26 at [25:0] (B, BL), from a byte offset already checked to be 4-aligned. */
    static int withImm26(int insn, long byteOffset) {
        return (insn & ~0x03FFFFFF) | (int) ((byteOffset >> 2) & 0x03FFFFFF);
    }

    /** imm19 at [23:5] (B.cond, CBZ, LDR literal), from a 4-aligned byte offset. */
    static int withImm19(int insn, long byteOffset) {
        return (insn & ~(0x7FFFF << 5)) | (int) (((byteOffset >> 2) & 0x7FFFF) << 5);
    }

    /** imm14 at [18:5] (TBZ, TBNZ), from a 4-aligned byte offset. */
    static int withImm14(int insn, long byteOffset) {
        return (insn & ~(0x3FFF << 5)) | (int) (((byteOffset >> 2) & 0x3FFF) << 5);
    }

    /** immlo at [30:29] and immhi at [23:5] (ADR, ADRP): the low 21 bits of {@code imm21}. */
    static int withImm21(int insn, long imm21) {
        int lo = (int) (imm21 & 3);
        int hi = (int) ((imm21 >> 2) & 0x7FFFF);
        return (insn & ~((3 << 29) | (0x7FFFF << 5))) | (lo << 29) | (hi << 5);
    }

    /** imm12 at [21:10] (ADD immediate, load/store unsigned immediate). */
    static int withImm12(int insn, long imm12) {
        return (insn & ~(0xFFF << 10)) | (int) ((imm12 & 0xFFF) << 10);
    }

    /** imm16 at [20:5] (MOVN, MOVZ, MOVK). */
    static int withImm16(int insn, long imm16) {
        return (insn & ~(0xFFFF << 5)) | (int) ((imm16 & 0xFFFF) << 5);
    }

    /** opc at [30:29] of a move wide: {@link #MOVN}, {@link #MOVZ} or {@link #MOVK}. */
    static int withMovOpc(int insn, int opc) {
        return (insn & ~(3 << 29)) | (opc << 29);
    }

    /** ADRP turned ADR (bit 31 cleared), keeping Rd; the immediate is set by {@link #withImm21}. */
    static int adrpToAdr(int insn) {
        return insn & 0x7FFFFFFF;
    }

    // ---- whole instructions, for stubs ------------------------------------------------------

    /** {@code ADRP Xd, #imm21 pages}. */
    static int adrp(int rd, long pages) {
        return withImm21(0x90000000 | rd, pages);
    }

    /** {@code ADD Xd, Xn, #imm12} (64-bit, no shift). */
    static int addImm64(int rd, int rn, long imm12) {
        return withImm12(0x91000000 | (rn << 5) | rd, imm12);
    }

    /** {@code LDR Xt, #byteOffset} (literal, 64-bit), from a 4-aligned byte offset within ±1 MiB. */
    static int ldrXLiteral(int rt, long byteOffset) {
        return withImm19(0x58000000 | rt, byteOffset);
    }

    /** {@code BR Xn}. */
    static int br(int rn) {
        return 0xD61F0000 | (rn << 5);
    }

    /** {@code BRK #0}: fills the padding of a veneer so that a stray jump traps. */
    static final int BRK0 = 0xD4200000;
}
