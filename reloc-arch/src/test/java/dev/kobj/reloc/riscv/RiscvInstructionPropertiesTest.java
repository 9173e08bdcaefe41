package dev.kobj.reloc.riscv;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kobj.reloc.Fixup;
import dev.kobj.reloc.RelocationException;
import dev.kobj.reloc.RelocationException.Reason;
import java.nio.ByteOrder;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Assume;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.statistics.StatisticsReport;

/**
 * Every instruction relocation, for RV64 and RV32: random S, A, P around the range's edges and
 * a random instruction of the right class at the place. In range: the test's own decoder
 * ({@link ImmediateLayout}, not the engine's encoders) reads back the psABI formula's value, and
 * every bit outside the field, and every other byte of the section, is unchanged. Out of range
 * or misaligned: the exception has the right reason and no byte changed.
 */
class RiscvInstructionPropertiesTest {
    static final int OFF = 8;

    /** How the test, independently of the engine, knows one instruction relocation. */
    enum Family {
        BRANCH(RiscvKind.BRANCH, 4, -4096, 4095, 2),
        JAL(RiscvKind.JAL, 4, -(1 << 20), (1 << 20) - 1, 2),
        RVC_BRANCH(RiscvKind.RVC_BRANCH, 2, -256, 255, 2),
        RVC_JUMP(RiscvKind.RVC_JUMP, 2, -2048, 2047, 2),
        PCREL_HI20(RiscvKind.PCREL_HI20, 4, 0, 0, 1),
        GOT_HI20(RiscvKind.GOT_HI20, 4, 0, 0, 1),
        HI20(RiscvKind.HI20, 4, 0, 0, 1),
        LO12_I(RiscvKind.LO12_I, 4, 0, 0, 1),
        LO12_S(RiscvKind.LO12_S, 4, 0, 0, 1),
        CALL(RiscvKind.CALL, 8, 0, 0, 1),
        CALL_PLT(RiscvKind.CALL_PLT, 8, 0, 0, 1);

        final RiscvKind kind;
        final int width;
        final long min;
        final long max;
        final long align;

        Family(RiscvKind kind, int width, long min, long max, long align) {
            this.kind = kind;
            this.width = width;
            this.min = min;
            this.max = max;
            this.align = align;
        }

        boolean hi20Range() {
            return this == PCREL_HI20 || this == GOT_HI20 || this == HI20 || this == CALL || this == CALL_PLT;
        }

        boolean pcRelative() {
            return this != HI20 && this != LO12_I && this != LO12_S;
        }

        /** The test's own range rule: null when v is encodable, else why not. */
        Reason refusal(long v, int xlen) {
            if (hi20Range()) {
                return xlen == 32 || (v + 0x800 >= Integer.MIN_VALUE && v + 0x800 <= Integer.MAX_VALUE) ? null
                        : Reason.OUT_OF_RANGE;
            }
            if (this == LO12_I || this == LO12_S) {
                return null;
            }
            if (v < min || v > max) {
                return Reason.OUT_OF_RANGE;
            }
            return v % align != 0 ? Reason.MISALIGNED : null;
        }

        /** The value's typical scale, to aim S + A - P at the edges. */
        long edge() {
            return hi20Range() ? (1L << 31) : (this == LO12_I || this == LO12_S) ? (1L << 40) : max + 1;
        }
    }

    record Case(int xlen, Family family, int insn, int jalr, long p, long a, long delta, long fill) {
    }

    /**
     * S + A - P (or S + A) is aimed at the family's edges: exactly on them, one or two past,
     * anywhere within twice the range, or anywhere at all.
     */
    static long delta(Family fam, int pick, long raw) {
        long e = fam.edge();
        long[] edges = {-e, e - 1, -e - 1, e, -e - 2, e + 1, -e + 1, e - 2, -0x800L - e, e - 0x800 - 1, e - 0x800,
                -e - 0x801, 0, 1, -1};
        return switch (pick % 3) {
            case 0 -> edges[(int) Math.floorMod(raw, (long) edges.length)];
            case 1 -> Math.floorMod(raw, 4 * e + 1) - 2 * e;
            default -> raw;
        };
    }

    /** A random instruction of the family's class, from random bits (the class's own generator would need flatMap). */
    static int shape(Family fam, int xlen, int raw, int pick) {
        return switch (fam) {
            case BRANCH -> (raw & ~0x707f) | (new int[] {0, 1, 4, 5, 6, 7}[pick % 6] << 12) | 0x63;
            case JAL -> (raw & ~0x7f) | 0x6f;
            case PCREL_HI20, GOT_HI20, CALL, CALL_PLT -> (raw & ~0x7f) | 0x17;
            case HI20 -> (raw & ~0x7f) | 0x37;
            case LO12_I -> pick % 5 == 4 ? (raw & ~0x707f) | 0x67 : (raw & ~0x7f) | new int[] {0x03, 0x07, 0x13, 0x1b}[pick % 5];
            case LO12_S -> (raw & ~0x7f) | (pick % 2 == 0 ? 0x23 : 0x27);
            case RVC_BRANCH -> (raw & 0x1ffc) | ((6 + pick % 2) << 13) | 1;
            case RVC_JUMP -> (raw & 0x1ffc) | ((xlen == 32 && pick % 2 == 1 ? 1 : 5) << 13) | 1;
        };
    }

    @Provide
    Arbitrary<Case> cases() {
        Arbitrary<Long> anyLong = Arbitraries.longs();
        return Combinators.combine(Arbitraries.of(32, 64), Arbitraries.of(Family.class),
                        Arbitraries.integers().between(0, 1 << 20), Arbitraries.integers(), anyLong, anyLong, anyLong,
                        anyLong)
                .as((xlen, fam, pick, raw, p, a, d, fill) -> new Case(xlen, fam, shape(fam, xlen, raw, pick),
                        (raw & ~0x707f) | 0x67, (xlen == 32 ? p & 0xffff_ffffL : p) & ~1L, a % (1L << 33),
                        delta(fam, pick >>> 3, d), fill));
    }

    @Property(tries = 3000, edgeCases = EdgeCasesMode.NONE)
    @StatisticsReport(onFailureOnly = true)
    void encodedFieldDecodesToTheFormulaAndNothingElseChanges(@ForAll("cases") Case c) {
        Family fam = c.family();
        RiscvEngine engine = c.xlen() == 64 ? RiscvEngine.rv64() : RiscvEngine.rv32();
        Section sec = new Section(32, c.p() - OFF, c.fill());
        if (fam.width == 2) {
            sec.putInsn16(OFF, c.insn());
        } else {
            sec.putInsn32(OFF, c.insn());
        }
        if (fam == Family.CALL || fam == Family.CALL_PLT) {
            sec.putInsn32(OFF + 4, c.jalr());
        }
        long p = sec.addr(OFF);
        long target = fam.pcRelative() ? p + c.delta() : c.delta();
        long s = target - c.a();
        long got = 0;
        if (fam == Family.GOT_HI20) {
            got = target;
            s = 0x1234_5678L; // S does not enter the value: the GOT entry does
        }
        if (c.xlen() == 32) {
            s &= 0xffff_ffffL;
            got &= 0xffff_ffffL;
        }
        Assume.that(fam != Family.GOT_HI20 || got != 0); // 0 means "no GOT entry" in the contract
        Fixup f = new Fixup(fam.kind.type(), OFF, p, s, fam == Family.GOT_HI20 ? 0 : c.a(), 0, got, 0, 0, "foo",
                "t.o: .text+0x8");
        long v = c.xlen() == 32 ? (int) c.delta() : c.delta();
        byte[] before = sec.copy();
        RelocationException x = sec.applyAll(engine, ByteOrder.LITTLE_ENDIAN, List.of(f));
        Reason expected = fam.refusal(v, c.xlen());
        Statistics.collect(fam, c.xlen(), expected);
        Statistics.coverage(checker -> {
            for (Family fm : Family.values()) {
                for (int xlen : new int[] {32, 64}) {
                    checker.check(fm, xlen, null).count(n -> n > 0);
                    if (fm != Family.LO12_I && fm != Family.LO12_S && !(xlen == 32 && fm.hi20Range())) {
                        checker.check(fm, xlen, Reason.OUT_OF_RANGE).count(n -> n > 0);
                    }
                    if (fm.align > 1) {
                        checker.check(fm, xlen, Reason.MISALIGNED).count(n -> n > 0);
                    }
                }
            }
        });
        if (expected != null) {
            assertThat(x).as("value %d", v).isNotNull();
            assertThat(x.reason()).isEqualTo(expected);
            assertThat(x.getMessage()).startsWith("t.o: .text+0x8: ").contains(fam.kind.psabiName()).endsWith("references 'foo'");
            assertThat(sec.bytes).isEqualTo(before);
            return;
        }
        assertThat(x).as("value %d", v).isNull();
        checkDecoded(fam, c.xlen(), before, sec, v);
    }

    static void checkDecoded(Family fam, int xlen, byte[] beforeBytes, Section after, long v) {
        Section before = new Section(beforeBytes.length, after.base, 0);
        System.arraycopy(beforeBytes, 0, before.bytes, 0, beforeBytes.length);
        ImmediateLayout layout = switch (fam) {
            case BRANCH -> ImmediateLayout.B;
            case JAL -> ImmediateLayout.J;
            case RVC_BRANCH -> ImmediateLayout.CB;
            case RVC_JUMP -> ImmediateLayout.CJ;
            case PCREL_HI20, GOT_HI20, HI20, CALL, CALL_PLT -> ImmediateLayout.U;
            case LO12_I -> ImmediateLayout.I;
            case LO12_S -> ImmediateLayout.S;
        };
        int oldInsn = fam.width == 2 ? before.insn16(OFF) : before.insn32(OFF);
        int newInsn = fam.width == 2 ? after.insn16(OFF) : after.insn32(OFF);
        assertThat((oldInsn ^ newInsn) & ~layout.mask()).as("bits outside the field").isZero();
        long lo = Section.signExtend(v, 12);
        long decoded = switch (fam) {
            case PCREL_HI20, GOT_HI20, HI20 -> layout.decode(newInsn) + lo;
            case CALL, CALL_PLT -> {
                int oldJalr = before.insn32(OFF + 4);
                int newJalr = after.insn32(OFF + 4);
                assertThat((oldJalr ^ newJalr) & ~ImmediateLayout.I.mask()).as("jalr bits outside the field").isZero();
                yield layout.decode(newInsn) + ImmediateLayout.I.decode(newJalr);
            }
            case LO12_I, LO12_S -> {
                assertThat(layout.decode(newInsn)).isEqualTo(lo);
                yield v;
            }
            default -> layout.decode(newInsn);
        };
        if (xlen == 32) {
            decoded = (int) decoded;
        }
        assertThat(decoded).as("decoded field of %s", fam).isEqualTo(v);
        for (int i = 0; i < beforeBytes.length; i++) {
            if (i < OFF || i >= OFF + fam.width) {
                assertThat(after.bytes[i]).as("byte %d outside the place", i).isEqualTo(beforeBytes[i]);
            }
        }
    }

    /** An instruction of another class at the place: WRONG_INSTRUCTION, no byte changed. */
    @Property(tries = 1000, edgeCases = EdgeCasesMode.NONE)
    void wrongInstructionClassIsRefusedUntouched(@ForAll("wrongCases") Case c) {
        Family fam = c.family();
        RiscvEngine engine = c.xlen() == 64 ? RiscvEngine.rv64() : RiscvEngine.rv32();
        Section sec = new Section(32, 0x1000, c.fill());
        sec.putInsn32(OFF, c.insn());
        sec.putInsn32(OFF + 4, c.jalr());
        Fixup f = new Fixup(fam.kind.type(), OFF, sec.addr(OFF), sec.addr(OFF), 0, 0, sec.addr(0), 0, 0, "foo", "w");
        byte[] before = sec.copy();
        RelocationException x = sec.applyAll(engine, ByteOrder.LITTLE_ENDIAN, List.of(f));
        assertThat(x).isNotNull();
        assertThat(x.reason()).isEqualTo(Reason.WRONG_INSTRUCTION);
        assertThat(x.getMessage()).contains("is not");
        assertThat(sec.bytes).isEqualTo(before);
    }

    @Provide
    Arbitrary<Case> wrongCases() {
        return Combinators.combine(Arbitraries.of(32, 64), Arbitraries.of(Family.class),
                Arbitraries.integers().between(Integer.MIN_VALUE, Integer.MAX_VALUE), Arbitraries.longs())
                .filter((xlen, fam, insn, fill) -> !rightClass(fam, xlen, insn))
                .as((xlen, fam, insn, fill) -> new Case(xlen, fam, insn, 0x13, 0, 0, 0, fill));
    }

    /** The test's own idea of the classes, from the opcode map of the ISA manual. */
    static boolean rightClass(Family fam, int xlen, int insn) {
        int op = insn & 0x7f;
        int f3 = (insn >>> 12) & 7;
        int c3 = (insn >>> 13) & 7;
        return switch (fam) {
            case BRANCH -> op == 0x63 && f3 != 2 && f3 != 3;
            case JAL -> op == 0x6f;
            case PCREL_HI20, GOT_HI20, CALL, CALL_PLT -> op == 0x17;
            case HI20 -> op == 0x37;
            case LO12_I -> op == 0x03 || op == 0x07 || op == 0x13 || op == 0x1b || (op == 0x67 && f3 == 0);
            case LO12_S -> op == 0x23 || op == 0x27;
            case RVC_BRANCH -> (insn & 3) == 1 && (c3 == 6 || c3 == 7);
            case RVC_JUMP -> (insn & 3) == 1 && (c3 == 5 || (xlen == 32 && c3 == 1));
        };
    }
}
