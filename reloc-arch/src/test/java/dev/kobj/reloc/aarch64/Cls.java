package dev.kobj.reloc.aarch64;

import java.util.List;

/**
 * Test-side A64 instruction classes, each a list of (mask, value) encodings taken from the Arm
 * ARM, independent of the main code's predicates. {@link #make} forces the class's fixed bits
 * onto garbage, so every other bit (registers, the immediate field, condition, size...) is
 * random. The alternatives are disjoint: e.g. {@link #LDLIT} never yields {@code LDR Xt}
 * (that is {@link #LDLIT_X}) and {@link #LDST3} never yields {@code LDR Xt, [Xn, #imm]}.
 */
enum Cls {
    MOVN(enc(0x7F800000, 0x12800000)),
    MOVZ(enc(0x7F800000, 0x52800000)),
    MOVK(enc(0x7F800000, 0x72800000)),
    /** LDR Wt, LDRSW, PRFM, LDR St, LDR Dt, LDR Qt (literal). */
    LDLIT(enc(0xFF000000, 0x18000000), enc(0xFF000000, 0x98000000), enc(0xFF000000, 0xD8000000),
            enc(0xFF000000, 0x1C000000), enc(0xFF000000, 0x5C000000), enc(0xFF000000, 0x9C000000)),
    /** LDR Xt (literal). */
    LDLIT_X(enc(0xFF000000, 0x58000000)),
    ADR(enc(0x9F000000, 0x10000000)),
    ADRP(enc(0x9F000000, 0x90000000)),
    /** ADD Wd/Xd, Wn/Xn, #imm12 (no shift). */
    ADD(enc(0x7FC00000, 0x11000000)),
    /** ADD #imm12, LSL #12: the wrong shape for a LO12 relocation. */
    ADD_LSL12(enc(0x7FC00000, 0x11400000)),
    SUB_IMM(enc(0x7FC00000, 0x51000000)),
    LDST0(ldst(0, 0, 0), ldst(0, 0, 1), ldst(0, 0, 2), ldst(0, 0, 3), ldst(0, 1, 0), ldst(0, 1, 1)),
    LDST1(ldst(1, 0, 0), ldst(1, 0, 1), ldst(1, 0, 2), ldst(1, 0, 3), ldst(1, 1, 0), ldst(1, 1, 1)),
    LDST2(ldst(2, 0, 0), ldst(2, 0, 1), ldst(2, 0, 2), ldst(2, 1, 0), ldst(2, 1, 1)),
    /** STR Xt, PRFM, STR Dt, LDR Dt (unsigned immediate): 8-byte accesses other than LDR Xt. */
    LDST3(ldst(3, 0, 0), ldst(3, 0, 2), ldst(3, 1, 0), ldst(3, 1, 1)),
    /** STR Qt, LDR Qt (unsigned immediate). */
    LDST4(ldst(0, 1, 2), ldst(0, 1, 3)),
    /** LDR Xt, [Xn, #imm]. */
    LDR_X(enc(0xFFC00000, 0xF9400000)),
    TBZ(enc(0x7E000000, 0x36000000)),
    BCOND(enc(0xFF000000, 0x54000000)),
    CBZ(enc(0x7E000000, 0x34000000)),
    B(enc(0xFC000000, 0x14000000)),
    BL(enc(0xFC000000, 0x94000000)),
    NOP(enc(0xFFFFFFFF, 0xD503201F));

    private final List<long[]> encodings;

    Cls(long[]... encodings) {
        this.encodings = List.of(encodings);
    }

    private static long[] enc(long mask, long value) {
        return new long[] {mask, value};
    }

    private static long[] ldst(int size, int v, int opc) {
        return enc(0xFFC00000L, ((long) size << 30) | 0x39000000L | ((long) v << 26) | ((long) opc << 22));
    }

    /** {@return an instruction of this class: alternative {@code pick}, garbage elsewhere} */
    int make(int pick, int garbage) {
        long[] e = encodings.get(Math.floorMod(pick, encodings.size()));
        return (int) ((garbage & ~e[0]) | e[1]);
    }
}
