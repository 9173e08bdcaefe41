package dev.kobj.reloc.aarch64;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * What aaelf64 says of each appliable relocation, written out again in test code, apart from
 * {@link AArch64Kind}: the operation, the instruction shape and the accepted instruction
 * classes, the checked range [lo, hi] of X and its alignment. The properties compare the
 * engine against this table and the test-side {@link Decode}rs.
 */
record Spec(AArch64Kind kind, Op op, Shape shape, int shift, long lo, long hi, long align, Set<Cls> accepted) {

    static final long ANY_LO = Long.MIN_VALUE;
    static final long ANY_HI = Long.MAX_VALUE;

    /** The relocation operations, with inputs (S, A, P, G, GOT). */
    enum Op {
        ABS, PREL, PAGE_PREL, GOTREL, GOT, GOT_PREL, GOT_PAGE_PREL, GOT_OFF, GOT_PAGE_OFF;

        static long page(long v) {
            return v & -4096L;
        }

        long x(long s, long a, long p, long g, long got) {
            return switch (this) {
                case ABS -> s + a;
                case PREL -> s + a - p;
                case PAGE_PREL -> page(s + a) - page(p);
                case GOTREL -> s + a - got;
                case GOT -> g;
                case GOT_PREL -> g - p;
                case GOT_PAGE_PREL -> page(g) - page(p);
                case GOT_OFF -> g - got;
                case GOT_PAGE_OFF -> g - page(got);
            };
        }

        boolean usesG() {
            return this == GOT || this == GOT_PREL || this == GOT_PAGE_PREL || this == GOT_OFF || this == GOT_PAGE_OFF;
        }

        /**
         * {@return inputs {S, G} making X = {@code x} with the given A, P, GOT} ({@code low} are
         * the bits below the page that a Page() drops, to vary them too)
         */
        long[] solve(long x, long a, long p, long got, long low) {
            long lowBits = low & 0xFFF;
            return switch (this) {
                case ABS -> new long[] {x - a, 0};
                case PREL -> new long[] {x + p - a, 0};
                case PAGE_PREL -> new long[] {page(p) + x + lowBits - a, 0};
                case GOTREL -> new long[] {x + got - a, 0};
                case GOT -> new long[] {low, x};
                case GOT_PREL -> new long[] {low, x + p};
                case GOT_PAGE_PREL -> new long[] {low, page(p) + x + lowBits};
                case GOT_OFF -> new long[] {low, x + got};
                case GOT_PAGE_OFF -> new long[] {low, x + page(got)};
            };
        }
    }

    /** Where X goes; {@link #changeable} is every instruction bit the relocation may alter. */
    enum Shape {
        D64(8), D32(4), D16(2), MOV_KEEP(4), MOV_SIGNED(4), LIT19(4), ADR(4), ADRP(4), ADD(4), LDST(4), LO15(4),
        TBZ(4), BR19(4), B26(4);

        final int size;

        Shape(int size) {
            this.size = size;
        }

        boolean isData() {
            return this == D64 || this == D32 || this == D16;
        }

        int changeable() {
            return switch (this) {
                case D64, D32, D16 -> -1;
                case MOV_KEEP -> 0xFFFF << 5;
                case MOV_SIGNED -> (0xFFFF << 5) | (1 << 30);
                case LIT19, BR19 -> 0x7FFFF << 5;
                case ADR, ADRP -> (0x7FFFF << 5) | (3 << 29);
                case ADD, LDST, LO15 -> 0xFFF << 10;
                case TBZ -> 0x3FFF << 5;
                case B26 -> 0x03FFFFFF;
            };
        }
    }

    /** Asserts that the relocated instruction {@code after} encodes X = {@code x}. */
    void assertEncodes(int after, long x) {
        String what = kind + " X=" + x + " insn=0x" + Integer.toHexString(after);
        switch (shape) {
            case MOV_KEEP -> assertThat(Decode.imm16(after)).as(what).isEqualTo((int) ((x >>> shift) & 0xFFFF));
            case MOV_SIGNED -> {
                if (x >= 0) {
                    assertThat(Decode.movOpc(after)).as(what + " MOVZ").isEqualTo(2);
                    assertThat(Decode.imm16(after)).as(what).isEqualTo((int) ((x >>> shift) & 0xFFFF));
                } else {
                    assertThat(Decode.movOpc(after)).as(what + " MOVN").isEqualTo(0);
                    assertThat(Decode.imm16(after)).as(what).isEqualTo((int) ((~x >>> shift) & 0xFFFF));
                }
            }
            case LIT19, BR19 -> assertThat(Decode.imm19(after)).as(what).isEqualTo(Decode.sext(x, 21) & ~3L);
            case ADR -> assertThat(Decode.adr(after)).as(what).isEqualTo(Decode.sext(x, 21));
            case ADRP -> assertThat(Decode.adrp(after)).as(what).isEqualTo(Decode.sext(x, 33) & -4096L);
            case ADD -> assertThat(Decode.imm12(after)).as(what).isEqualTo((int) (x & 0xFFF));
            case LDST -> assertThat(Decode.imm12(after) << shift).as(what).isEqualTo((int) (x & 0xFFF));
            case LO15 -> assertThat((long) Decode.imm12(after) << 3).as(what).isEqualTo(x);
            case TBZ -> assertThat(Decode.imm14(after)).as(what).isEqualTo(Decode.sext(x, 16) & ~3L);
            case B26 -> assertThat(Decode.branch26(after)).as(what).isEqualTo(Decode.sext(x, 28) & ~3L);
            default -> throw new AssertionError("data shape " + shape);
        }
        if (lo != ANY_LO || hi != ANY_HI) {
            // a checked kind loses nothing: the decoded field is X itself
            switch (shape) {
                case LIT19, BR19 -> assertThat(Decode.imm19(after)).isEqualTo(x);
                case ADR -> assertThat(Decode.adr(after)).isEqualTo(x);
                case ADRP -> assertThat(Decode.adrp(after)).isEqualTo(x);
                case TBZ -> assertThat(Decode.imm14(after)).isEqualTo(x);
                case B26 -> assertThat(Decode.branch26(after)).isEqualTo(x);
                default -> {
                }
            }
        }
    }

    boolean checked() {
        return lo != ANY_LO || hi != ANY_HI;
    }

    private static Spec s(AArch64Kind k, Op op, Shape shape, int shift, long lo, long hi, long align, Cls... cls) {
        Set<Cls> set = EnumSet.noneOf(Cls.class);
        set.addAll(List.of(cls));
        return new Spec(k, op, shape, shift, lo, hi, align, set);
    }

    private static final long P16 = 1L << 16;
    private static final long P32 = 1L << 32;
    private static final long P48 = 1L << 48;

    /** aaelf64's tables, row by row. */
    static final List<Spec> ALL = List.of(
            s(AArch64Kind.ABS64, Op.ABS, Shape.D64, 0, ANY_LO, ANY_HI, 1),
            s(AArch64Kind.ABS32, Op.ABS, Shape.D32, 0, -(1L << 31), P32 - 1, 1),
            s(AArch64Kind.ABS16, Op.ABS, Shape.D16, 0, -(1L << 15), P16 - 1, 1),
            s(AArch64Kind.PREL64, Op.PREL, Shape.D64, 0, ANY_LO, ANY_HI, 1),
            s(AArch64Kind.PREL32, Op.PREL, Shape.D32, 0, -(1L << 31), P32 - 1, 1),
            s(AArch64Kind.PREL16, Op.PREL, Shape.D16, 0, -(1L << 15), P16 - 1, 1),
            s(AArch64Kind.PLT32, Op.PREL, Shape.D32, 0, -(1L << 31), (1L << 31) - 1, 1),
            s(AArch64Kind.GOTREL64, Op.GOTREL, Shape.D64, 0, ANY_LO, ANY_HI, 1),
            s(AArch64Kind.GOTREL32, Op.GOTREL, Shape.D32, 0, -(1L << 31), (1L << 31) - 1, 1),

            s(AArch64Kind.MOVW_UABS_G0, Op.ABS, Shape.MOV_KEEP, 0, 0, P16 - 1, 1, Cls.MOVZ, Cls.MOVK),
            s(AArch64Kind.MOVW_UABS_G0_NC, Op.ABS, Shape.MOV_KEEP, 0, ANY_LO, ANY_HI, 1, Cls.MOVZ, Cls.MOVK),
            s(AArch64Kind.MOVW_UABS_G1, Op.ABS, Shape.MOV_KEEP, 16, 0, P32 - 1, 1, Cls.MOVZ, Cls.MOVK),
            s(AArch64Kind.MOVW_UABS_G1_NC, Op.ABS, Shape.MOV_KEEP, 16, ANY_LO, ANY_HI, 1, Cls.MOVZ, Cls.MOVK),
            s(AArch64Kind.MOVW_UABS_G2, Op.ABS, Shape.MOV_KEEP, 32, 0, P48 - 1, 1, Cls.MOVZ, Cls.MOVK),
            s(AArch64Kind.MOVW_UABS_G2_NC, Op.ABS, Shape.MOV_KEEP, 32, ANY_LO, ANY_HI, 1, Cls.MOVZ, Cls.MOVK),
            s(AArch64Kind.MOVW_UABS_G3, Op.ABS, Shape.MOV_KEEP, 48, ANY_LO, ANY_HI, 1, Cls.MOVZ, Cls.MOVK),
            s(AArch64Kind.MOVW_SABS_G0, Op.ABS, Shape.MOV_SIGNED, 0, -P16, P16 - 1, 1, Cls.MOVZ, Cls.MOVN),
            s(AArch64Kind.MOVW_SABS_G1, Op.ABS, Shape.MOV_SIGNED, 16, -P32, P32 - 1, 1, Cls.MOVZ, Cls.MOVN),
            s(AArch64Kind.MOVW_SABS_G2, Op.ABS, Shape.MOV_SIGNED, 32, -P48, P48 - 1, 1, Cls.MOVZ, Cls.MOVN),
            s(AArch64Kind.MOVW_PREL_G0, Op.PREL, Shape.MOV_SIGNED, 0, -P16, P16 - 1, 1, Cls.MOVZ, Cls.MOVN),
            s(AArch64Kind.MOVW_PREL_G0_NC, Op.PREL, Shape.MOV_KEEP, 0, ANY_LO, ANY_HI, 1, Cls.MOVZ, Cls.MOVK),
            s(AArch64Kind.MOVW_PREL_G1, Op.PREL, Shape.MOV_SIGNED, 16, -P32, P32 - 1, 1, Cls.MOVZ, Cls.MOVN),
            s(AArch64Kind.MOVW_PREL_G1_NC, Op.PREL, Shape.MOV_KEEP, 16, ANY_LO, ANY_HI, 1, Cls.MOVZ, Cls.MOVK),
            s(AArch64Kind.MOVW_PREL_G2, Op.PREL, Shape.MOV_SIGNED, 32, -P48, P48 - 1, 1, Cls.MOVZ, Cls.MOVN),
            s(AArch64Kind.MOVW_PREL_G2_NC, Op.PREL, Shape.MOV_KEEP, 32, ANY_LO, ANY_HI, 1, Cls.MOVZ, Cls.MOVK),
            s(AArch64Kind.MOVW_PREL_G3, Op.PREL, Shape.MOV_SIGNED, 48, ANY_LO, ANY_HI, 1, Cls.MOVZ, Cls.MOVN),
            s(AArch64Kind.MOVW_GOTOFF_G0, Op.GOT_OFF, Shape.MOV_SIGNED, 0, -P16, P16 - 1, 1, Cls.MOVZ, Cls.MOVN),
            s(AArch64Kind.MOVW_GOTOFF_G0_NC, Op.GOT_OFF, Shape.MOV_KEEP, 0, ANY_LO, ANY_HI, 1, Cls.MOVZ, Cls.MOVK),
            s(AArch64Kind.MOVW_GOTOFF_G1, Op.GOT_OFF, Shape.MOV_SIGNED, 16, -P32, P32 - 1, 1, Cls.MOVZ, Cls.MOVN),
            s(AArch64Kind.MOVW_GOTOFF_G1_NC, Op.GOT_OFF, Shape.MOV_KEEP, 16, ANY_LO, ANY_HI, 1, Cls.MOVZ, Cls.MOVK),
            s(AArch64Kind.MOVW_GOTOFF_G2, Op.GOT_OFF, Shape.MOV_SIGNED, 32, -P48, P48 - 1, 1, Cls.MOVZ, Cls.MOVN),
            s(AArch64Kind.MOVW_GOTOFF_G2_NC, Op.GOT_OFF, Shape.MOV_KEEP, 32, ANY_LO, ANY_HI, 1, Cls.MOVZ, Cls.MOVK),
            s(AArch64Kind.MOVW_GOTOFF_G3, Op.GOT_OFF, Shape.MOV_SIGNED, 48, ANY_LO, ANY_HI, 1, Cls.MOVZ, Cls.MOVN),

            s(AArch64Kind.LD_PREL_LO19, Op.PREL, Shape.LIT19, 0, -(1L << 20), (1L << 20) - 1, 4, Cls.LDLIT, Cls.LDLIT_X),
            s(AArch64Kind.ADR_PREL_LO21, Op.PREL, Shape.ADR, 0, -(1L << 20), (1L << 20) - 1, 1, Cls.ADR),
            s(AArch64Kind.ADR_PREL_PG_HI21, Op.PAGE_PREL, Shape.ADRP, 0, -P32, P32 - 1, 4096, Cls.ADRP),
            s(AArch64Kind.ADR_PREL_PG_HI21_NC, Op.PAGE_PREL, Shape.ADRP, 0, ANY_LO, ANY_HI, 4096, Cls.ADRP),
            s(AArch64Kind.ADD_ABS_LO12_NC, Op.ABS, Shape.ADD, 0, ANY_LO, ANY_HI, 1, Cls.ADD),
            s(AArch64Kind.LDST8_ABS_LO12_NC, Op.ABS, Shape.LDST, 0, ANY_LO, ANY_HI, 1, Cls.LDST0),
            s(AArch64Kind.LDST16_ABS_LO12_NC, Op.ABS, Shape.LDST, 1, ANY_LO, ANY_HI, 2, Cls.LDST1),
            s(AArch64Kind.LDST32_ABS_LO12_NC, Op.ABS, Shape.LDST, 2, ANY_LO, ANY_HI, 4, Cls.LDST2),
            s(AArch64Kind.LDST64_ABS_LO12_NC, Op.ABS, Shape.LDST, 3, ANY_LO, ANY_HI, 8, Cls.LDST3, Cls.LDR_X),
            s(AArch64Kind.LDST128_ABS_LO12_NC, Op.ABS, Shape.LDST, 4, ANY_LO, ANY_HI, 16, Cls.LDST4),
            s(AArch64Kind.TSTBR14, Op.PREL, Shape.TBZ, 0, -(1L << 15), (1L << 15) - 1, 4, Cls.TBZ),
            s(AArch64Kind.CONDBR19, Op.PREL, Shape.BR19, 0, -(1L << 20), (1L << 20) - 1, 4, Cls.BCOND, Cls.CBZ),
            s(AArch64Kind.JUMP26, Op.PREL, Shape.B26, 0, -(1L << 27), (1L << 27) - 1, 4, Cls.B),
            s(AArch64Kind.CALL26, Op.PREL, Shape.B26, 0, -(1L << 27), (1L << 27) - 1, 4, Cls.BL),

            s(AArch64Kind.GOT_LD_PREL19, Op.GOT_PREL, Shape.LIT19, 0, -(1L << 20), (1L << 20) - 1, 4, Cls.LDLIT_X),
            s(AArch64Kind.LD64_GOTOFF_LO15, Op.GOT_OFF, Shape.LO15, 3, 0, (1L << 15) - 1, 8, Cls.LDR_X),
            s(AArch64Kind.ADR_GOT_PAGE, Op.GOT_PAGE_PREL, Shape.ADRP, 0, -P32, P32 - 1, 4096, Cls.ADRP),
            s(AArch64Kind.LD64_GOT_LO12_NC, Op.GOT, Shape.LDST, 3, ANY_LO, ANY_HI, 8, Cls.LDR_X),
            s(AArch64Kind.LD64_GOTPAGE_LO15, Op.GOT_PAGE_OFF, Shape.LO15, 3, 0, (1L << 15) - 1, 8, Cls.LDR_X));
}
