package dev.kobj.reloc.riscv;

/**
 * Instruction classes and immediate encoders (The RISC-V Instruction Set Manual, Volume I:
 * "Base Instruction Formats", "Immediate Encoding Variants", and the "C" chapter's
 * "Compressed Instruction Formats"). Instructions are always little-endian parcels, whatever
 * the byte order of the object's data.
 *
 * <p>Every encoder takes the instruction and the value, and replaces exactly the immediate
 * bits, leaving opcode, registers and funct fields as they were. The callers check range and
 * alignment first: the encoders only keep the bits the field holds.
 */
final class RiscvInstructions {
    private RiscvInstructions() {
    }

    static final int OP_LOAD = 0x03;
    static final int OP_LOAD_FP = 0x07;
    static final int OP_IMM = 0x13;
    static final int OP_AUIPC = 0x17;
    static final int OP_IMM_32 = 0x1b;
    static final int OP_STORE = 0x23;
    static final int OP_STORE_FP = 0x27;
    static final int OP_LUI = 0x37;
    static final int OP_BRANCH = 0x63;
    static final int OP_JALR = 0x67;
    static final int OP_JAL = 0x6f;

    /** Registers of the stubs: t1 = x6, t3 = x28. */
    static final int T1 = 6;
    static final int T3 = 28;
    static final int NOP = 0x0000_0013; // addi x0, x0, 0

    /** {@return the major opcode: bits 6:0 of a 32-bit instruction} */
    static int opcode(int insn) {
        return insn & 0x7f;
    }

    /** {@return funct3: bits 14:12 of a 32-bit instruction, bits 15:13 of a 16-bit one} */
    static int funct3(int insn) {
        return (insn >>> 12) & 7;
    }

    static boolean isBranch(int insn) {
        int f3 = funct3(insn);
        return opcode(insn) == OP_BRANCH && f3 != 2 && f3 != 3;
    }

    static boolean isJal(int insn) {
        return opcode(insn) == OP_JAL;
    }

    static boolean isJalr(int insn) {
        return opcode(insn) == OP_JALR && funct3(insn) == 0;
    }

    static boolean isAuipc(int insn) {
        return opcode(insn) == OP_AUIPC;
    }

    static boolean isLui(int insn) {
        return opcode(insn) == OP_LUI;
    }

    /** I-type instructions whose imm[11:0] is an address offset: loads, addi(w) and friends, jalr. */
    static boolean isIType(int insn) {
        int op = opcode(insn);
        return op == OP_LOAD || op == OP_LOAD_FP || op == OP_IMM || op == OP_IMM_32 || isJalr(insn);
    }

    /** S-type: integer and floating-point stores. */
    static boolean isSType(int insn) {
        int op = opcode(insn);
        return op == OP_STORE || op == OP_STORE_FP;
    }

    /** c.beqz (funct3 110) or c.bnez (111) in quadrant 1. */
    static boolean isCBranch(int half) {
        int f3 = (half >>> 13) & 7;
        return (half & 3) == 1 && (f3 == 6 || f3 == 7);
    }

    /** c.j (funct3 101) in quadrant 1; on RV32 also c.jal (001), which is c.addiw on RV64. */
    static boolean isCJump(int half, int xlen) {
        int f3 = (half >>> 13) & 7;
        return (half & 3) == 1 && (f3 == 5 || (xlen == 32 && f3 == 1));
    }

    /** {@return the 20-bit upper immediate that, with a sign-extended 12-bit low part, makes v} */
    static int hi20(long v) {
        return (int) ((v + 0x800) >> 12) & 0xfffff;
    }

    /** U-type: imm[31:12] at bits 31:12. */
    static int encodeU(int insn, long v) {
        return (insn & 0xfff) | (hi20(v) << 12);
    }

    /** I-type: imm[11:0] at bits 31:20; only the low 12 bits of v are kept. */
    static int encodeI(int insn, long v) {
        return (insn & 0x000f_ffff) | ((int) v << 20);
    }

    /** S-type: imm[11:5] at bits 31:25, imm[4:0] at bits 11:7. */
    static int encodeS(int insn, long v) {
        int imm = (int) v & 0xfff;
        return (insn & 0x01ff_f07f) | ((imm >>> 5) << 25) | ((imm & 0x1f) << 7);
    }

    /** B-type: imm[12] at 31, imm[10:5] at 30:25, imm[4:1] at 11:8, imm[11] at 7. */
    static int encodeB(int insn, long v) {
        int imm = (int) v;
        int bits = (((imm >>> 12) & 1) << 31)
                | (((imm >>> 5) & 0x3f) << 25)
                | (((imm >>> 1) & 0xf) << 8)
                | (((imm >>> 11) & 1) << 7);
        return (insn & 0x01ff_f07f) | bits;
    }

    /** J-type: imm[20] at 31, imm[10:1] at 30:21, imm[11] at 20, imm[19:12] at 19:12. */
    static int encodeJ(int insn, long v) {
        int imm = (int) v;
        int bits = (((imm >>> 20) & 1) << 31)
                | (((imm >>> 1) & 0x3ff) << 21)
                | (((imm >>> 11) & 1) << 20)
                | (((imm >>> 12) & 0xff) << 12);
        return (insn & 0xfff) | bits;
    }

    /** CB (c.beqz/c.bnez): offset[8|4:3] at bits 12:10, offset[7:6|2:1|5] at bits 6:2. */
    static int encodeCB(int half, long v) {
        int off = (int) v;
        int bits = (((off >>> 8) & 1) << 12)
                | (((off >>> 3) & 3) << 10)
                | (((off >>> 6) & 3) << 5)
                | (((off >>> 1) & 3) << 3)
                | (((off >>> 5) & 1) << 2);
        return (half & 0xe383) | bits;
    }

    /** CJ (c.j/c.jal): offset[11|4|9:8|10|6|7|3:1|5] at bits 12:2. */
    static int encodeCJ(int half, long v) {
        int off = (int) v;
        int bits = (((off >>> 11) & 1) << 12)
                | (((off >>> 4) & 1) << 11)
                | (((off >>> 8) & 3) << 9)
                | (((off >>> 10) & 1) << 8)
                | (((off >>> 6) & 1) << 7)
                | (((off >>> 7) & 1) << 6)
                | (((off >>> 1) & 7) << 3)
                | (((off >>> 5) & 1) << 2);
        return (half & 0xe003) | bits;
    }

    /** {@return auipc rd, imm20} */
    static int auipc(int rd, int imm20) {
        return (imm20 << 12) | (rd << 7) | OP_AUIPC;
    }

    /** {@return jalr rd, imm12(rs1)} */
    static int jalr(int rd, int rs1, int imm12) {
        return (imm12 << 20) | (rs1 << 15) | (rd << 7) | OP_JALR;
    }

    /** {@return ld (xlen 64) or lw (xlen 32) rd, imm12(rs1)} */
    static int loadWord(int xlen, int rd, int rs1, int imm12) {
        int funct3 = xlen == 64 ? 3 : 2;
        return (imm12 << 20) | (rs1 << 15) | (funct3 << 12) | (rd << 7) | OP_LOAD;
    }
}
