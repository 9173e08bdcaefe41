package dev.kobj.reloc.aarch64;

import dev.kobj.reloc.RelocationKind;
import dev.kobj.reloc.RelocationKind.Category;

import java.util.Optional;

/**
 * The AArch64 (LP64) relocations kobj applies, as aaelf64 ("Static AArch64 relocations",
 * "Static Data relocations", "GOT-relative instruction relocations") defines them. Each
 * constant's Javadoc gives: formula, field, width, accepted range of X (checked before any
 * byte is written), and alignment. "unchecked" means an {@code _NC} (or 64-bit) kind whose
 * overflow aaelf64 forbids diagnosing; alignment is still checked where aaelf64 says a
 * linker should.
 *
 * <p>The types kobj knows but refuses (dynamic, TLS, ILP32) are not constants here; the engine's
 * {@link AArch64Engine#kinds()} lists them beside these, and applying one throws
 * {@code NOT_APPLICABLE} with the reason.
 */
public enum AArch64Kind {
    /** R_AARCH64_NONE (0): no operation. */
    NONE(0, "R_AARCH64_NONE", Category.MARKER, Calc.NONE, Field.NONE, 0, -1, Long.MIN_VALUE, Long.MAX_VALUE, 1),
    /** 256, withdrawn, readelf's R_AARCH64_NULL: aaelf64 says treat as R_AARCH64_NONE. */
    NULL(256, "R_AARCH64_NULL", Category.MARKER, Calc.NONE, Field.NONE, 0, -1, Long.MIN_VALUE, Long.MAX_VALUE, 1),

    /** S + A → 64-bit data word [63:0]; unchecked; any alignment. */
    ABS64(257, "R_AARCH64_ABS64", Category.DATA, Calc.ABS, Field.DATA64, 0, -1, Long.MIN_VALUE, Long.MAX_VALUE, 1),
    /** S + A → 32-bit data word [31:0]; -2^31 ≤ X &lt; 2^32 (signed or unsigned). */
    ABS32(258, "R_AARCH64_ABS32", Category.DATA, Calc.ABS, Field.DATA32, 0, -1, -(1L << 31), (1L << 32) - 1, 1),
    /** S + A → 16-bit data word [15:0]; -2^15 ≤ X &lt; 2^16. */
    ABS16(259, "R_AARCH64_ABS16", Category.DATA, Calc.ABS, Field.DATA16, 0, -1, -(1L << 15), (1L << 16) - 1, 1),
    /** S + A - P → 64-bit data word; unchecked. */
    PREL64(260, "R_AARCH64_PREL64", Category.DATA, Calc.PREL, Field.DATA64, 0, -1, Long.MIN_VALUE, Long.MAX_VALUE, 1),
    /** S + A - P → 32-bit data word; -2^31 ≤ X &lt; 2^32. */
    PREL32(261, "R_AARCH64_PREL32", Category.DATA, Calc.PREL, Field.DATA32, 0, -1, -(1L << 31), (1L << 32) - 1, 1),
    /** S + A - P → 16-bit data word; -2^15 ≤ X &lt; 2^16. */
    PREL16(262, "R_AARCH64_PREL16", Category.DATA, Calc.PREL, Field.DATA16, 0, -1, -(1L << 15), (1L << 16) - 1, 1),
    /** S + A - P → 32-bit data word; -2^31 ≤ X &lt; 2^31 (a function's offset; no veneer is made). */
    PLT32(314, "R_AARCH64_PLT32", Category.DATA, Calc.PREL, Field.DATA32, 0, -1, -(1L << 31), (1L << 31) - 1, 1),
    /** S + A - GOT → 64-bit data word; unchecked. */
    GOTREL64(307, "R_AARCH64_GOTREL64", Category.DATA, Calc.GOTREL, Field.DATA64, 0, -1, Long.MIN_VALUE, Long.MAX_VALUE, 1),
    /** S + A - GOT → 32-bit data word; -2^31 ≤ X &lt; 2^31. */
    GOTREL32(308, "R_AARCH64_GOTREL32", Category.DATA, Calc.GOTREL, Field.DATA32, 0, -1, -(1L << 31), (1L << 31) - 1, 1),

    /** S + A → MOVZ/MOVK imm16 [20:5] = X[15:0]; 0 ≤ X &lt; 2^16. */
    MOVW_UABS_G0(263, "R_AARCH64_MOVW_UABS_G0", Category.INSTRUCTION, Calc.ABS, Field.MOVW_KEEP, 0, -1, 0, (1L << 16) - 1, 1),
    /** S + A → MOVZ/MOVK imm16 = X[15:0]; unchecked. */
    MOVW_UABS_G0_NC(264, "R_AARCH64_MOVW_UABS_G0_NC", Category.INSTRUCTION, Calc.ABS, Field.MOVW_KEEP, 0, -1, Long.MIN_VALUE, Long.MAX_VALUE, 1),
    /** S + A → MOVZ/MOVK imm16 = X[31:16]; 0 ≤ X &lt; 2^32. */
    MOVW_UABS_G1(265, "R_AARCH64_MOVW_UABS_G1", Category.INSTRUCTION, Calc.ABS, Field.MOVW_KEEP, 16, -1, 0, (1L << 32) - 1, 1),
    /** S + A → MOVZ/MOVK imm16 = X[31:16]; unchecked. */
    MOVW_UABS_G1_NC(266, "R_AARCH64_MOVW_UABS_G1_NC", Category.INSTRUCTION, Calc.ABS, Field.MOVW_KEEP, 16, -1, Long.MIN_VALUE, Long.MAX_VALUE, 1),
    /** S + A → MOVZ/MOVK imm16 = X[47:32]; 0 ≤ X &lt; 2^48. */
    MOVW_UABS_G2(267, "R_AARCH64_MOVW_UABS_G2", Category.INSTRUCTION, Calc.ABS, Field.MOVW_KEEP, 32, -1, 0, (1L << 48) - 1, 1),
    /** S + A → MOVZ/MOVK imm16 = X[47:32]; unchecked. */
    MOVW_UABS_G2_NC(268, "R_AARCH64_MOVW_UABS_G2_NC", Category.INSTRUCTION, Calc.ABS, Field.MOVW_KEEP, 32, -1, Long.MIN_VALUE, Long.MAX_VALUE, 1),
    /** S + A → MOVZ/MOVK imm16 = X[63:48]; no check needed. */
    MOVW_UABS_G3(269, "R_AARCH64_MOVW_UABS_G3", Category.INSTRUCTION, Calc.ABS, Field.MOVW_KEEP, 48, -1, Long.MIN_VALUE, Long.MAX_VALUE, 1),
    /** S + A → MOVZ imm16 = X[15:0] if X ≥ 0, else MOVN imm16 = ~X[15:0]; -2^16 ≤ X &lt; 2^16. */
    MOVW_SABS_G0(270, "R_AARCH64_MOVW_SABS_G0", Category.INSTRUCTION, Calc.ABS, Field.MOVW_SIGNED, 0, -1, -(1L << 16), (1L << 16) - 1, 1),
    /** S + A → MOVZ/MOVN by sign, imm16 = X[31:16] or ~X[31:16]; -2^32 ≤ X &lt; 2^32. */
    MOVW_SABS_G1(271, "R_AARCH64_MOVW_SABS_G1", Category.INSTRUCTION, Calc.ABS, Field.MOVW_SIGNED, 16, -1, -(1L << 32), (1L << 32) - 1, 1),
    /** S + A → MOVZ/MOVN by sign, imm16 = X[47:32] or ~X[47:32]; -2^48 ≤ X &lt; 2^48. */
    MOVW_SABS_G2(272, "R_AARCH64_MOVW_SABS_G2", Category.INSTRUCTION, Calc.ABS, Field.MOVW_SIGNED, 32, -1, -(1L << 48), (1L << 48) - 1, 1),
    /** S + A - P → MOVZ/MOVN by sign, imm16 = X[15:0] or ~X[15:0]; -2^16 ≤ X &lt; 2^16. */
    MOVW_PREL_G0(287, "R_AARCH64_MOVW_PREL_G0", Category.INSTRUCTION, Calc.PREL, Field.MOVW_SIGNED, 0, -1, -(1L << 16), (1L << 16) - 1, 1),
    /** S + A - P → MOVK (or MOVZ) imm16 = X[15:0]; unchecked. */
    MOVW_PREL_G0_NC(288, "R_AARCH64_MOVW_PREL_G0_NC", Category.INSTRUCTION, Calc.PREL, Field.MOVW_KEEP, 0, -1, Long.MIN_VALUE, Long.MAX_VALUE, 1),
    /** S + A - P → MOVZ/MOVN by sign, X[31:16]; -2^32 ≤ X &lt; 2^32. */
    MOVW_PREL_G1(289, "R_AARCH64_MOVW_PREL_G1", Category.INSTRUCTION, Calc.PREL, Field.MOVW_SIGNED, 16, -1, -(1L << 32), (1L << 32) - 1, 1),
    /** S + A - P → MOVK (or MOVZ) imm16 = X[31:16]; unchecked. */
    MOVW_PREL_G1_NC(290, "R_AARCH64_MOVW_PREL_G1_NC", Category.INSTRUCTION, Calc.PREL, Field.MOVW_KEEP, 16, -1, Long.MIN_VALUE, Long.MAX_VALUE, 1),
    /** S + A - P → MOVZ/MOVN by sign, X[47:32]; -2^48 ≤ X &lt; 2^48. */
    MOVW_PREL_G2(291, "R_AARCH64_MOVW_PREL_G2", Category.INSTRUCTION, Calc.PREL, Field.MOVW_SIGNED, 32, -1, -(1L << 48), (1L << 48) - 1, 1),
    /** S + A - P → MOVK (or MOVZ) imm16 = X[47:32]; unchecked. */
    MOVW_PREL_G2_NC(292, "R_AARCH64_MOVW_PREL_G2_NC", Category.INSTRUCTION, Calc.PREL, Field.MOVW_KEEP, 32, -1, Long.MIN_VALUE, Long.MAX_VALUE, 1),
    /** S + A - P → MOVZ/MOVN by sign, X[63:48]; no check. */
    MOVW_PREL_G3(293, "R_AARCH64_MOVW_PREL_G3", Category.INSTRUCTION, Calc.PREL, Field.MOVW_SIGNED, 48, -1, Long.MIN_VALUE, Long.MAX_VALUE, 1),

    /** S + A - P → LDR (literal) imm19 [23:5] = X[20:2]; -2^20 ≤ X &lt; 2^20; 4-aligned. */
    LD_PREL_LO19(273, "R_AARCH64_LD_PREL_LO19", Category.INSTRUCTION, Calc.PREL, Field.LDLIT19, 0, -1, -(1L << 20), (1L << 20) - 1, 4),
    /** S + A - P → ADR immhi:immlo [23:5]:[30:29] = X[20:0]; -2^20 ≤ X &lt; 2^20. */
    ADR_PREL_LO21(274, "R_AARCH64_ADR_PREL_LO21", Category.INSTRUCTION, Calc.PREL, Field.ADR21, 0, -1, -(1L << 20), (1L << 20) - 1, 1),
    /**
     * Page(S + A) - Page(P) → ADRP immhi:immlo = X[32:12]; -2^32 ≤ X &lt; 2^32 (±4 GiB). With the
     * Cortex-A53 erratum 843419 workaround, an ADRP at page offset 0xff8/0xffc becomes ADR.
     */
    ADR_PREL_PG_HI21(275, "R_AARCH64_ADR_PREL_PG_HI21", Category.INSTRUCTION, Calc.PAGE_PREL, Field.ADRP21, 0, -1, -(1L << 32), (1L << 32) - 1, 4096),
    /** Page(S + A) - Page(P) → ADRP imm = X[32:12]; unchecked. */
    ADR_PREL_PG_HI21_NC(276, "R_AARCH64_ADR_PREL_PG_HI21_NC", Category.INSTRUCTION, Calc.PAGE_PREL, Field.ADRP21, 0, -1, Long.MIN_VALUE, Long.MAX_VALUE, 4096),
    /** S + A → ADD (immediate, no shift) imm12 [21:10] = X[11:0]; unchecked. */
    ADD_ABS_LO12_NC(277, "R_AARCH64_ADD_ABS_LO12_NC", Category.INSTRUCTION, Calc.ABS, Field.ADD12, 0, 0xFFF, Long.MIN_VALUE, Long.MAX_VALUE, 1),
    /** S + A → LDRB/STRB/LDRSB (unsigned immediate, 1-byte access) imm12 = X[11:0]; unchecked. */
    LDST8_ABS_LO12_NC(278, "R_AARCH64_LDST8_ABS_LO12_NC", Category.INSTRUCTION, Calc.ABS, Field.LDST12, 0, 0xFFF, Long.MIN_VALUE, Long.MAX_VALUE, 1),
    /** S + A → 2-byte load/store imm12 = X[11:1]; unchecked; 2-aligned. */
    LDST16_ABS_LO12_NC(284, "R_AARCH64_LDST16_ABS_LO12_NC", Category.INSTRUCTION, Calc.ABS, Field.LDST12, 1, 0xFFF, Long.MIN_VALUE, Long.MAX_VALUE, 2),
    /** S + A → 4-byte load/store imm12 = X[11:2]; unchecked; 4-aligned. */
    LDST32_ABS_LO12_NC(285, "R_AARCH64_LDST32_ABS_LO12_NC", Category.INSTRUCTION, Calc.ABS, Field.LDST12, 2, 0xFFF, Long.MIN_VALUE, Long.MAX_VALUE, 4),
    /** S + A → 8-byte load/store (X, D, PRFM) imm12 = X[11:3]; unchecked; 8-aligned. */
    LDST64_ABS_LO12_NC(286, "R_AARCH64_LDST64_ABS_LO12_NC", Category.INSTRUCTION, Calc.ABS, Field.LDST12, 3, 0xFFF, Long.MIN_VALUE, Long.MAX_VALUE, 8),
    /** S + A → 16-byte load/store (Q) imm12 = X[11:4]; unchecked; 16-aligned. */
    LDST128_ABS_LO12_NC(299, "R_AARCH64_LDST128_ABS_LO12_NC", Category.INSTRUCTION, Calc.ABS, Field.LDST12, 4, 0xFFF, Long.MIN_VALUE, Long.MAX_VALUE, 16),

    /** S + A - P → TBZ/TBNZ imm14 [18:5] = X[15:2]; -2^15 ≤ X &lt; 2^15 (±32 KiB); 4-aligned. */
    TSTBR14(279, "R_AARCH64_TSTBR14", Category.BRANCH, Calc.PREL, Field.BR14, 0, -1, -(1L << 15), (1L << 15) - 1, 4),
    /** S + A - P → B.cond/CBZ/CBNZ imm19 [23:5] = X[20:2]; -2^20 ≤ X &lt; 2^20 (±1 MiB); 4-aligned. */
    CONDBR19(280, "R_AARCH64_CONDBR19", Category.BRANCH, Calc.PREL, Field.BR19, 0, -1, -(1L << 20), (1L << 20) - 1, 4),
    /**
     * S + A - P → B imm26 [25:0] = X[27:2]; -2^27 ≤ X &lt; 2^27 (±128 MiB); 4-aligned. Out of range,
     * the branch goes to the fixup's veneer when it has one.
     */
    JUMP26(282, "R_AARCH64_JUMP26", Category.BRANCH, Calc.PREL, Field.JUMP26, 0, -1, -(1L << 27), (1L << 27) - 1, 4),
    /** As {@link #JUMP26}, for BL. */
    CALL26(283, "R_AARCH64_CALL26", Category.BRANCH, Calc.PREL, Field.CALL26, 0, -1, -(1L << 27), (1L << 27) - 1, 4),

    /** G - GOT → MOVZ/MOVN by sign, X[15:0]; -2^16 ≤ X &lt; 2^16. */
    MOVW_GOTOFF_G0(300, "R_AARCH64_MOVW_GOTOFF_G0", Category.GOT, Calc.GOT_OFF, Field.MOVW_SIGNED, 0, -1, -(1L << 16), (1L << 16) - 1, 1),
    /** G - GOT → MOVK (or MOVZ) imm16 = X[15:0]; unchecked. */
    MOVW_GOTOFF_G0_NC(301, "R_AARCH64_MOVW_GOTOFF_G0_NC", Category.GOT, Calc.GOT_OFF, Field.MOVW_KEEP, 0, -1, Long.MIN_VALUE, Long.MAX_VALUE, 1),
    /** G - GOT → MOVZ/MOVN by sign, X[31:16]; -2^32 ≤ X &lt; 2^32. */
    MOVW_GOTOFF_G1(302, "R_AARCH64_MOVW_GOTOFF_G1", Category.GOT, Calc.GOT_OFF, Field.MOVW_SIGNED, 16, -1, -(1L << 32), (1L << 32) - 1, 1),
    /** G - GOT → MOVK (or MOVZ) imm16 = X[31:16]; unchecked. */
    MOVW_GOTOFF_G1_NC(303, "R_AARCH64_MOVW_GOTOFF_G1_NC", Category.GOT, Calc.GOT_OFF, Field.MOVW_KEEP, 16, -1, Long.MIN_VALUE, Long.MAX_VALUE, 1),
    /** G - GOT → MOVZ/MOVN by sign, X[47:32]; -2^48 ≤ X &lt; 2^48. */
    MOVW_GOTOFF_G2(304, "R_AARCH64_MOVW_GOTOFF_G2", Category.GOT, Calc.GOT_OFF, Field.MOVW_SIGNED, 32, -1, -(1L << 48), (1L << 48) - 1, 1),
    /** G - GOT → MOVK (or MOVZ) imm16 = X[47:32]; unchecked. */
    MOVW_GOTOFF_G2_NC(305, "R_AARCH64_MOVW_GOTOFF_G2_NC", Category.GOT, Calc.GOT_OFF, Field.MOVW_KEEP, 32, -1, Long.MIN_VALUE, Long.MAX_VALUE, 1),
    /** G - GOT → MOVZ/MOVN by sign, X[63:48]; no check. */
    MOVW_GOTOFF_G3(306, "R_AARCH64_MOVW_GOTOFF_G3", Category.GOT, Calc.GOT_OFF, Field.MOVW_SIGNED, 48, -1, Long.MIN_VALUE, Long.MAX_VALUE, 1),
    /** G - P → LDR Xt (literal) imm19 = X[20:2]; -2^20 ≤ X &lt; 2^20; 4-aligned. */
    GOT_LD_PREL19(309, "R_AARCH64_GOT_LD_PREL19", Category.GOT, Calc.GOT_PREL, Field.LDLIT19_X, 0, -1, -(1L << 20), (1L << 20) - 1, 4),
    /** G - GOT → LDR Xt (unsigned immediate) imm12 = X[14:3]; 0 ≤ X &lt; 2^15; 8-aligned. */
    LD64_GOTOFF_LO15(310, "R_AARCH64_LD64_GOTOFF_LO15", Category.GOT, Calc.GOT_OFF, Field.LDST12_X, 3, -1, 0, (1L << 15) - 1, 8),
    /** Page(G) - Page(P) → ADRP imm = X[32:12]; -2^32 ≤ X &lt; 2^32; 843419 rewrite as for ADR_PREL_PG_HI21. */
    ADR_GOT_PAGE(311, "R_AARCH64_ADR_GOT_PAGE", Category.GOT, Calc.GOT_PAGE_PREL, Field.ADRP21, 0, -1, -(1L << 32), (1L << 32) - 1, 4096),
    /** G → LDR Xt (unsigned immediate) imm12 = X[11:3]; unchecked; 8-aligned. */
    LD64_GOT_LO12_NC(312, "R_AARCH64_LD64_GOT_LO12_NC", Category.GOT, Calc.GOT, Field.LDST12_X, 3, 0xFFF, Long.MIN_VALUE, Long.MAX_VALUE, 8),
    /** G - Page(GOT) → LDR Xt (unsigned immediate) imm12 = X[14:3]; 0 ≤ X &lt; 2^15; 8-aligned. */
    LD64_GOTPAGE_LO15(313, "R_AARCH64_LD64_GOTPAGE_LO15", Category.GOT, Calc.GOT_PAGE_OFF, Field.LDST12_X, 3, -1, 0, (1L << 15) - 1, 8);

    private final int type;
    private final String relocationName;
    private final Category category;
    private final Calc calc;
    private final Field field;
    private final int shift;
    private final long mask;
    private final long min;
    private final long max;
    private final long alignment;

    AArch64Kind(int type, String name, Category category, Calc calc, Field field, int shift, long mask, long min,
            long max, long alignment) {
        this.type = type;
        this.relocationName = name;
        this.category = category;
        this.calc = calc;
        this.field = field;
        this.shift = shift;
        this.mask = mask;
        this.min = min;
        this.max = max;
        this.alignment = alignment;
    }

    /** {@return the raw ELF type number} */
    public int type() {
        return type;
    }

    /** {@return the readelf name} */
    public String relocationName() {
        return relocationName;
    }

    /** {@return the smallest X accepted} */
    public long min() {
        return min;
    }

    /** {@return the largest X accepted} */
    public long max() {
        return max;
    }

    /** {@return X must be a multiple of this} */
    public long alignment() {
        return alignment;
    }

    /** {@return true when X's range is checked (false for _NC and full-width kinds)} */
    public boolean checked() {
        return min != Long.MIN_VALUE || max != Long.MAX_VALUE;
    }

    /** {@return true when the relocation needs a GOT entry for (symbol, addend)} */
    public boolean needsGotEntry() {
        return calc.needsGotEntry();
    }

    /** {@return true when the relocation reads the GOT's own address} */
    public boolean needsGotBase() {
        return calc.needsGotBase();
    }

    /** {@return true for JUMP26 and CALL26, which may go through a PLT veneer} */
    public boolean mayUseVeneer() {
        return this == JUMP26 || this == CALL26;
    }

    /** {@return true for the ADRP kinds the Cortex-A53 erratum 843419 workaround rewrites} */
    public boolean isAdrp() {
        return field == Field.ADRP21;
    }

    /** {@return the generic description of this kind} */
    public RelocationKind kind() {
        return new RelocationKind(type, relocationName, calc.formula(), category, bits(), min, max, alignment);
    }

    /** {@return the width in bits of the field written} */
    public int bits() {
        return switch (field) {
            case NONE -> 0;
            case DATA64 -> 64;
            case DATA32 -> 32;
            case DATA16, MOVW_KEEP, MOVW_SIGNED -> 16;
            case LDLIT19, LDLIT19_X, BR19 -> 19;
            case ADR21, ADRP21 -> 21;
            case ADD12, LDST12, LDST12_X -> 12;
            case BR14 -> 14;
            case JUMP26, CALL26 -> 26;
        };
    }

    Calc calc() {
        return calc;
    }

    Field field() {
        return field;
    }

    /** {@return the shift that selects the field's bits of X: 16·n for MOVW Gn, log2 size for LDST} */
    int shift() {
        return shift;
    }

    /** {@return the mask applied to X before shifting (0xFFF for the LO12 kinds, else -1)} */
    long mask() {
        return mask;
    }

    private static final AArch64Kind[] BY_TYPE = new AArch64Kind[1024];

    static {
        for (AArch64Kind k : values()) {
            BY_TYPE[k.type] = k;
        }
    }

    /** {@return the appliable kind with ELF type {@code type}, if kobj applies it} */
    public static Optional<AArch64Kind> of(int type) {
        return Optional.ofNullable(byType(type));
    }

    /** {@return the appliable kind with ELF type {@code type}, or null when kobj does not apply it} */
    static AArch64Kind byType(int type) {
        return type >= 0 && type < BY_TYPE.length ? BY_TYPE[type] : null;
    }
}
