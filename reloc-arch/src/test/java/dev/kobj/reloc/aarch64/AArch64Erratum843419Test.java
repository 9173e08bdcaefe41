package dev.kobj.reloc.aarch64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.kobj.reloc.Fixup;
import dev.kobj.reloc.RelocationException;
import dev.kobj.reloc.RelocationException.Reason;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Cortex-A53 erratum 843419: an ADRP at page offset 0xff8/0xffc becomes an ADR of the same
 * page address when that is within ±1 MiB; otherwise it needs a veneer (AArch64AdrpVeneerTest),
 * which {@code apply} without a pool cannot have.
 */
class AArch64Erratum843419Test {
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    private final AArch64Engine on = new AArch64Engine();
    private final AArch64Engine off = new AArch64Engine(false);

    private static MemorySegment adrp(int rd) {
        MemorySegment s = MemorySegment.ofArray(new byte[4]);
        s.set(Case.LE_INT, 0, 0x90000000 | rd);
        return s;
    }

    @Test
    void theWorkaroundIsOnByDefault() {
        assertThat(on.erratum843419()).isTrue();
        assertThat(off.erratum843419()).isFalse();
    }

    @Property(tries = 1000)
    void anAdrpAtAForbiddenOffsetBecomesAnAdrOfTheSamePage(@ForAll long pageSeed, @ForAll boolean ffc,
            @ForAll @LongRange(min = -(1L << 20) + 8, max = (1L << 20) - 4096 + 8) long reach,
            @ForAll @IntRange(min = 0, max = 30) int rd, @ForAll @IntRange(min = 0, max = 0xFFF) int low,
            @ForAll boolean got) throws RelocationException {
        long p = (pageSeed & -4096L) | (ffc ? 0xFFC : 0xFF8);
        long targetPage = (p + reach) & -4096L;
        if (targetPage - p < -(1L << 20) || targetPage - p >= (1L << 20)) {
            return; // rounding took it out of ADR's reach: the refusal test covers that
        }
        long target = targetPage + low;
        if (got && target == 0) {
            return; // a GOT entry at address 0 means "none"
        }
        MemorySegment s = adrp(rd);
        Fixup f = got ? Fixup.of(311, 0, p, 0, 0, "g", "m.o").withGot(target, 0x1000)
                : Fixup.of(275, 0, p, target - 5, 5, "s", "m.o");
        on.apply(s, LE, f);
        int insn = s.get(Case.LE_INT, 0);
        assertThat(insn & 0x9F000000).as("ADR").isEqualTo(0x10000000);
        assertThat(Decode.rd(insn)).isEqualTo(rd);
        assertThat(p + Decode.adr(insn)).as("Xd = Page(target)").isEqualTo(targetPage);
    }

    @ParameterizedTest
    @ValueSource(longs = {0xFF0, 0xFF4, 0x000, 0x004})
    void otherOffsetsKeepTheAdrp(long pageOffset) throws RelocationException {
        long p = 0x4000_0000L | pageOffset;
        MemorySegment s = adrp(3);
        on.apply(s, LE, Fixup.of(275, 0, p, p + 0x5000, 0, "s", "m.o"));
        int insn = s.get(Case.LE_INT, 0);
        assertThat(insn & 0x9F000000).isEqualTo(0x90000000);
        assertThat(Decode.adrp(insn)).isEqualTo(((p + 0x5000) & -4096L) - (p & -4096L));
    }

    @Test
    void withTheWorkaroundOffAnAdrpStaysAnAdrp() throws RelocationException {
        long p = 0x4000_0FF8L;
        MemorySegment s = adrp(3);
        off.apply(s, LE, Fixup.of(275, 0, p, p + 0x5000, 0, "s", "m.o"));
        assertThat(s.get(Case.LE_INT, 0) & 0x9F000000).isEqualTo(0x90000000);
    }

    @Test
    void theEdgesOfAdrReach() throws RelocationException {
        long p = 0x4000_0FF8L;
        // Page(target) - P is 8 mod 4096: the extremes within [-2^20, 2^20) are -2^20 + 8 and 2^20 - 4096 + 8
        for (long d : new long[] {-(1L << 20) + 8, (1L << 20) - 4096 + 8}) {
            MemorySegment s = adrp(1);
            on.apply(s, LE, Fixup.of(275, 0, p, p + d + 0x123, 0, "s", "m.o"));
            assertThat(Decode.adr(s.get(Case.LE_INT, 0))).isEqualTo(d);
        }
        for (long d : new long[] {-(1L << 20) + 8 - 4096, (1L << 20) + 8}) {
            MemorySegment s = adrp(1);
            RelocationException e = catchThrowableOfType(RelocationException.class,
                    () -> on.apply(s, LE, Fixup.of(275, 0, p, p + d, 0, "far", "m.o: .text+0x0")));
            assertThat(e.reason()).as("no veneer pool with apply()").isEqualTo(Reason.MISSING_PARTNER);
            assertThat(e.getMessage()).startsWith("m.o: .text+0x0: relocation R_AARCH64_ADR_PREL_PG_HI21 needs an ADRP"
                    + " veneer, but none of the 0 veneer slots is left");
            assertThat(e.getMessage()).contains("references 'far' (Cortex-A53 erratum 843419").contains(
                    d + " is not in [-1048576, 1048575]");
            assertThat(s.get(Case.LE_INT, 0)).as("unchanged").isEqualTo(0x90000001);
        }
    }

    @Test
    void applyAllUndoesARewriteWhenALaterFixupFails() {
        long p = 0x4000_0FF8L;
        MemorySegment s = MemorySegment.ofArray(new byte[8]);
        s.set(Case.LE_INT, 0, 0x90000002);
        s.set(Case.LE_INT, 4, 0x94000000);
        byte[] before = s.toArray(ValueLayout.JAVA_BYTE);
        RelocationException e = catchThrowableOfType(RelocationException.class, () -> on.applyAll(s, LE,
                java.util.List.of(Fixup.of(275, 0, p, p + 0x100, 0, "s", "m.o"),
                        Fixup.of(283, 4, p + 4, p + (1L << 30), 0, "far", "m.o"))));
        assertThat(e.reason()).isEqualTo(Reason.OUT_OF_RANGE);
        assertThat(s.toArray(ValueLayout.JAVA_BYTE)).isEqualTo(before);
    }
}
