package dev.kobj.reloc.riscv;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kobj.reloc.Fixup;
import dev.kobj.reloc.RelocationException;
import dev.kobj.reloc.RelocationException.Reason;
import java.nio.ByteOrder;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Data words and arithmetic relocations, in both byte orders, for RV64 and RV32: the word at
 * the place reads back as the psABI formula (modulo the width for ADD/SUB/SET, checked for
 * 32/32_PCREL/PLT32; 64, ADD64 and SUB64 apply on RV32 too), the rest of the section is untouched, out-of-range values change nothing.
 */
class RiscvDataPropertiesTest {
    static final int OFF = 8;

    @Provide
    Arbitrary<ByteOrder> orders() {
        return Arbitraries.of(ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN);
    }

    @Provide
    Arbitrary<Long> values() {
        return Arbitraries.oneOf(Arbitraries.longs(),
                Arbitraries.of(Integer.MIN_VALUE - 1L, (long) Integer.MIN_VALUE, (long) Integer.MAX_VALUE,
                        Integer.MAX_VALUE + 1L, 0xffff_ffffL, 0x1_0000_0000L, 0L, -1L),
                Arbitraries.longs().between(-(1L << 34), 1L << 34));
    }

    @Property(tries = 1500, edgeCases = EdgeCasesMode.NONE)
    void dataWords(@ForAll("values") long v, @ForAll long p, @ForAll long a, @ForAll("orders") ByteOrder order,
            @ForAll boolean rv64, @ForAll @IntRange(min = 0, max = 3) int which, @ForAll long fill) {
        RiscvKind kind = new RiscvKind[] {RiscvKind.ABS32, RiscvKind.ABS64, RiscvKind.PCREL32, RiscvKind.PLT32}[which];
        int xlen = rv64 ? 64 : 32;
        long place = rv64 ? p : p & 0xffff_ffffL;
        boolean pcrel = kind == RiscvKind.PCREL32 || kind == RiscvKind.PLT32;
        long s = (pcrel ? place + v : v) - a;
        if (!rv64) {
            s &= 0xffff_ffffL;
        }
        Section sec = new Section(24, place - OFF, fill);
        byte[] before = sec.copy();
        RelocationException x = sec.applyAll(rv64 ? RiscvEngine.rv64() : RiscvEngine.rv32(), order,
                List.of(new Fixup(kind.type(), OFF, place, s, a, 0, 0, 0, 0, "d", "t.o: .data+0x8")));
        int width = kind == RiscvKind.ABS64 ? 8 : 4;
        if (kind == RiscvKind.ABS64) {
            v = s + a; // RV32: the 32-bit address plus the addend, not wrapped
        }
        boolean fits = switch (kind) {
            case ABS32 -> xlen == 32 || (v >= Integer.MIN_VALUE && v <= 0xffff_ffffL);
            case PCREL32, PLT32 -> xlen == 32 || v == (int) v;
            default -> true;
        };
        if (!fits) {
            assertThat(x.reason()).isEqualTo(Reason.OUT_OF_RANGE);
            assertThat(x.getMessage()).isEqualTo("t.o: .data+0x8: relocation %s out of range: %d is not in [%d, %d]; references 'd'"
                    .formatted(kind.psabiName(), v, Integer.MIN_VALUE, kind == RiscvKind.ABS32 ? 0xffff_ffffL : Integer.MAX_VALUE));
            assertThat(sec.bytes).isEqualTo(before);
            return;
        }
        assertThat(x).isNull();
        long mask = width == 8 ? -1L : 0xffff_ffffL;
        assertThat(sec.word(OFF, width, order)).isEqualTo(v & mask);
        assertUntouchedOutside(before, sec.bytes, OFF, width);
    }

    static final RiscvKind[] ARITH = {RiscvKind.ADD8, RiscvKind.ADD16, RiscvKind.ADD32, RiscvKind.ADD64, RiscvKind.SUB8,
        RiscvKind.SUB16, RiscvKind.SUB32, RiscvKind.SUB64, RiscvKind.SET8, RiscvKind.SET16, RiscvKind.SET32,
        RiscvKind.SET6, RiscvKind.SUB6};

    @Property(tries = 1500, edgeCases = EdgeCasesMode.NONE)
    void arithmeticWrapsModuloItsWidth(@ForAll long s, @ForAll long a, @ForAll("orders") ByteOrder order,
            @ForAll boolean rv64, @ForAll @IntRange(min = 0, max = 12) int which, @ForAll long fill) {
        RiscvKind kind = ARITH[which];
        Section sec = new Section(24, 0x4000, fill);
        byte[] before = sec.copy();
        int width = switch (kind) {
            case ADD8, SUB8, SET8, SET6, SUB6 -> 1;
            case ADD16, SUB16, SET16 -> 2;
            case ADD32, SUB32, SET32 -> 4;
            default -> 8;
        };
        long old = sec.word(OFF, width, order);
        RelocationException x = sec.applyAll(rv64 ? RiscvEngine.rv64() : RiscvEngine.rv32(), order,
                List.of(new Fixup(kind.type(), OFF, sec.addr(OFF), s, a, 0, 0, 0, 0, "d", "t.o: .data+0x8")));
        assertThat(x).isNull();
        long mask = width == 8 ? -1L : (1L << (8 * width)) - 1;
        long expected = switch (kind) {
            case ADD8, ADD16, ADD32, ADD64 -> (old + s + a) & mask;
            case SUB8, SUB16, SUB32, SUB64 -> (old - s - a) & mask;
            case SET8, SET16, SET32 -> (s + a) & mask;
            case SET6 -> (old & 0xc0) | ((s + a) & 0x3f);
            case SUB6 -> (old & 0xc0) | (((old & 0x3f) - s - a) & 0x3f);
            default -> throw new AssertionError(kind);
        };
        assertThat(sec.word(OFF, width, order)).isEqualTo(expected);
        assertUntouchedOutside(before, sec.bytes, OFF, width);
    }

    static void assertUntouchedOutside(byte[] before, byte[] after, int off, int width) {
        for (int i = 0; i < before.length; i++) {
            if (i < off || i >= off + width) {
                assertThat(after[i]).as("byte %d", i).isEqualTo(before[i]);
            }
        }
    }
}
