package dev.kobj.reloc.aarch64;

/**
 * Where a relocation's value goes: a data word of the object's byte order, or one immediate
 * field of one class of A64 instruction (always little-endian). Each constant knows which
 * instructions it may patch and how to insert an already-checked value; {@link A64} holds the
 * bit layouts.
 */
enum Field {
    /** No field: R_AARCH64_NONE. */
    NONE(0, "nothing"),
    /** 64-bit data word, the object's byte order, any alignment. */
    DATA64(8, "a 64-bit data word"),
    /** 32-bit data word. */
    DATA32(4, "a 32-bit data word"),
    /** 16-bit data word. */
    DATA16(2, "a 16-bit data word"),
    /** imm16 of MOVZ or MOVK, opcode kept (unsigned and non-checking group relocations). */
    MOVW_KEEP(4, "MOVZ or MOVK"),
    /** imm16 of MOVN or MOVZ, the opcode chosen by the sign of X (checking signed groups). */
    MOVW_SIGNED(4, "MOVN or MOVZ"),
    /** imm19 of a load-literal (LDR, LDRSW, PRFM, LDR S/D/Q). */
    LDLIT19(4, "LDR (literal)"),
    /** imm19 of LDR Xt, label. */
    LDLIT19_X(4, "LDR Xt (literal)"),
    /** immhi:immlo of ADR. */
    ADR21(4, "ADR"),
    /** immhi:immlo of ADRP, in pages. */
    ADRP21(4, "ADRP"),
    /** imm12 of ADD (immediate) without shift. */
    ADD12(4, "ADD (immediate)"),
    /** imm12 of a load/store (unsigned immediate), scaled by the access size. */
    LDST12(4, "LDR/STR (unsigned immediate)"),
    /** imm12 of LDR Xt, [Xn, #imm] (8-byte scale). */
    LDST12_X(4, "LDR Xt (unsigned immediate)"),
    /** imm14 of TBZ/TBNZ. */
    BR14(4, "TBZ or TBNZ"),
    /** imm19 of B.cond, CBZ or CBNZ. */
    BR19(4, "B.cond, CBZ or CBNZ"),
    /** imm26 of B. */
    JUMP26(4, "B"),
    /** imm26 of BL. */
    CALL26(4, "BL");

    private final int size;
    private final String accepts;

    Field(int size, String accepts) {
        this.size = size;
        this.accepts = accepts;
    }

    /** {@return the bytes the place occupies} */
    int size() {
        return size;
    }

    /** {@return the instruction classes (or data width) this field accepts, for messages} */
    String accepts() {
        return accepts;
    }

    /** {@return true for data words, written in the object's byte order} */
    boolean isData() {
        return this == DATA64 || this == DATA32 || this == DATA16;
    }

    /**
     * {@return whether {@code insn} is of the class this field patches}; {@code scale} is the
     * log2 access size an LDST12 relocation expects.
     */
    boolean accepts(int insn, int scale) {
        return switch (this) {
            case NONE, DATA64, DATA32, DATA16 -> true;
            case MOVW_KEEP -> A64.isMovz(insn) || A64.isMovk(insn);
            case MOVW_SIGNED -> A64.isMovz(insn) || A64.isMovn(insn);
            case LDLIT19 -> A64.isLoadLiteral(insn);
            case LDLIT19_X -> A64.isLdrXLiteral(insn);
            case ADR21 -> A64.isAdr(insn);
            case ADRP21 -> A64.isAdrp(insn);
            case ADD12 -> A64.isAddImm(insn);
            case LDST12 -> A64.ldstScale(insn) == scale;
            case LDST12_X -> A64.isLdrXUnsignedImm(insn);
            case BR14 -> A64.isTbz(insn);
            case BR19 -> A64.isBcond(insn) || A64.isCbz(insn);
            case JUMP26 -> A64.isB(insn);
            case CALL26 -> A64.isBl(insn);
        };
    }

    /**
     * {@return {@code insn} with this field set from the checked value {@code x}}: {@code shift}
     * selects the bits of x the field holds (16·n for MOVW group n, log2 of the access size for
     * LDST12, 12 for ADRP, 2 for branches and literals).
     */
    int insert(int insn, long x, int shift) {
        return switch (this) {
            case NONE, DATA64, DATA32, DATA16 -> throw new IllegalStateException("not an instruction field: " + this);
            case MOVW_KEEP -> A64.withImm16(insn, x >> shift);
            case MOVW_SIGNED -> x >= 0
                    ? A64.withImm16(A64.withMovOpc(insn, A64.MOVZ), x >> shift)
                    : A64.withImm16(A64.withMovOpc(insn, A64.MOVN), ~x >> shift);
            case LDLIT19, LDLIT19_X, BR19 -> A64.withImm19(insn, x);
            case ADR21 -> A64.withImm21(insn, x);
            case ADRP21 -> A64.withImm21(insn, x >> 12);
            case ADD12 -> A64.withImm12(insn, x);
            case LDST12, LDST12_X -> A64.withImm12(insn, x >> shift);
            case BR14 -> A64.withImm14(insn, x);
            case JUMP26, CALL26 -> A64.withImm26(insn, x);
        };
    }
}
