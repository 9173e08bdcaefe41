package dev.kobj.reloc.aarch64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.kobj.reloc.Fixup;
import dev.kobj.reloc.RelocationEngine.Place;
import dev.kobj.reloc.RelocationEngine.RawRelocation;
import dev.kobj.reloc.RelocationException;
import dev.kobj.reloc.RelocationException.Reason;
import dev.kobj.reloc.StubNeeds;
import dev.kobj.reloc.VeneerPool;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Map;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

/**
 * Cortex-A53 erratum 843419 ADRP veneers: an ADRP at page offset 0xff8/0xffc whose ADR form
 * does not reach becomes a B to a veneer doing the ADRP from a safe address and branching back;
 * and the pre-scan that counts them (Linux 6.1's {@code count_plts} rule, as facts).
 * The veneers are decoded here with the test-side {@link Decode}.
 */
class AArch64AdrpVeneerTest {
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    private final AArch64Engine engine = new AArch64Engine();

    /** What the veneer computes, decoded: the register its ADRP writes, that value, and where its B goes. */
    private record Ran(int rd, long xd, long back) {
    }

    private static Ran run(MemorySegment slot, long v) {
        int adrp = slot.get(Case.LE_INT, 0);
        int b = slot.get(Case.LE_INT, 4);
        assertThat(adrp & 0x9F000000).as("ADRP").isEqualTo(0x90000000);
        assertThat(b & 0xFC000000).as("B").isEqualTo(0x14000000);
        for (long o = 8; o < slot.byteSize(); o += 4) {
            assertThat(slot.get(Case.LE_INT, o)).as("BRK #0 padding").isEqualTo(0xD4200000);
        }
        return new Ran(Decode.rd(adrp), (v & -4096L) + Decode.adrp(adrp), v + 4 + Decode.branch26(b));
    }

    private static MemorySegment adrpAt(int rd) {
        MemorySegment s = MemorySegment.ofArray(new byte[8]);
        s.set(Case.LE_INT, 0, 0x90000000 | rd);
        s.set(Case.LE_INT, 4, 0xF9400000 | rd << 5 | rd); // LDR Xrd, [Xrd]: the erratum's kind of follower
        return s;
    }

    @Property(tries = 1000)
    void aFarAdrpGoesThroughAVeneerThatComputesTheSamePageAndComesBack(@ForAll long pageSeed, @ForAll boolean ffc,
            @ForAll @LongRange(min = -(1L << 32) + (1L << 27), max = (1L << 32) - (1L << 27)) long reach,
            @ForAll @LongRange(min = -(1L << 27) + 64, max = (1L << 27) - 64) long veneerAt,
            @ForAll @IntRange(min = 0, max = 30) int rd, @ForAll boolean got) throws RelocationException {
        long p = (pageSeed & -4096L) | (ffc ? 0xFFC : 0xFF8);
        long target = p + reach;
        long page = target & -4096L;
        if (Math.abs(page - p) < (1L << 20) + 4096 || (got && target == 0)) {
            return; // the ADR rewrite: AArch64Erratum843419Test
        }
        long v = (p + veneerAt) & ~15L;
        MemorySegment s = adrpAt(rd);
        MemorySegment area = MemorySegment.ofArray(new byte[32]);
        VeneerPool pool = new VeneerPool(area, v, 16);
        Fixup f = got ? Fixup.of(311, 0, p, 0, 0, "g", "m.o").withGot(target, 0x1000)
                : Fixup.of(rd % 2 == 0 ? 275 : 276, 0, p, target - 7, 7, "s", "m.o");
        engine.applyAll(s, LE, List.of(f), pool);

        int placed = s.get(Case.LE_INT, 0);
        assertThat(placed & 0xFC000000).as("B at the place").isEqualTo(0x14000000);
        assertThat(p + Decode.branch26(placed)).as("to the veneer").isEqualTo(v);
        Ran ran = run(area.asSlice(0, 16), v);
        assertThat(ran.rd()).as("same register").isEqualTo(rd);
        assertThat(ran.xd()).as("same page as the ADRP would compute").isEqualTo(page);
        assertThat(ran.back()).as("back to the instruction after the place").isEqualTo(p + 4);
        assertThat(s.get(Case.LE_INT, 4)).as("the follower untouched").isEqualTo(0xF9400000 | rd << 5 | rd);
        assertThat(pool.used()).isEqualTo(1);
        assertThat(area.asSlice(16, 16).toArray(ValueLayout.JAVA_BYTE)).as("next slot untouched").containsOnly(0);
    }

    @Test
    void eachFarAdrpTakesItsOwnSlot() throws RelocationException {
        long p = 0x4000_1FF8L;
        MemorySegment s = MemorySegment.ofArray(new byte[8]);
        s.set(Case.LE_INT, 0, 0x90000003);
        s.set(Case.LE_INT, 4, 0x90000004);
        long v = 0x4100_0000L;
        MemorySegment area = MemorySegment.ofArray(new byte[32]);
        VeneerPool pool = new VeneerPool(area, v, 16);
        long far = p + (1L << 30);
        engine.applyAll(s, LE, List.of(Fixup.of(275, 0, p, far, 0, "a", "m.o"),
                Fixup.of(275, 4, p + 4, far, 0, "a", "m.o")), pool);
        assertThat(pool.used()).isEqualTo(2);
        assertThat(p + Decode.branch26(s.get(Case.LE_INT, 0))).isEqualTo(v);
        assertThat(p + 4 + Decode.branch26(s.get(Case.LE_INT, 4))).isEqualTo(v + 16);
        assertThat(run(area.asSlice(0, 16), v)).isEqualTo(new Ran(3, far & -4096L, p + 4));
        assertThat(run(area.asSlice(16, 16), v + 16)).isEqualTo(new Ran(4, far & -4096L, p + 8));
    }

    @Test
    void whenTheAdrReachesNoSlotIsTaken() throws RelocationException {
        long p = 0x4000_0FFCL;
        MemorySegment s = adrpAt(5);
        VeneerPool pool = new VeneerPool(MemorySegment.ofArray(new byte[16]), 0x4010_0000L, 16);
        engine.applyAll(s, LE, List.of(Fixup.of(275, 0, p, p + 0x8000, 0, "near", "m.o")), pool);
        assertThat(s.get(Case.LE_INT, 0) & 0x9F000000).as("ADR").isEqualTo(0x10000000);
        assertThat(pool.used()).isZero();
    }

    @Test
    void anExhaustedPoolFailsAndNothingChanges() {
        long p = 0x4000_0FF8L;
        MemorySegment s = MemorySegment.ofArray(new byte[8]);
        s.set(Case.LE_INT, 0, 0x90000001);
        s.set(Case.LE_INT, 4, 0x90000002);
        MemorySegment area = MemorySegment.ofArray(new byte[16]);
        VeneerPool pool = new VeneerPool(area, 0x4010_0000L, 16);
        byte[] before = s.toArray(ValueLayout.JAVA_BYTE);
        RelocationException e = catchThrowableOfType(RelocationException.class, () -> engine.applyAll(s, LE,
                List.of(Fixup.of(275, 0, p, p + (1L << 30), 0, "a", "m.o: .text+0xff8"),
                        Fixup.of(275, 4, p + 4, p + (1L << 30), 0, "b", "m.o: .text+0xffc")), pool));
        assertThat(e.reason()).isEqualTo(Reason.MISSING_PARTNER);
        assertThat(e.getMessage()).startsWith("m.o: .text+0xffc: relocation R_AARCH64_ADR_PREL_PG_HI21 needs an ADRP"
                + " veneer, but none of the 1 veneer slots is left");
        assertThat(s.toArray(ValueLayout.JAVA_BYTE)).as("the place unchanged").isEqualTo(before);
        assertThat(area.toArray(ValueLayout.JAVA_BYTE)).as("the slot unchanged").containsOnly(0);
        assertThat(pool.used()).as("the slot given back").isZero();
    }

    @Test
    void aVeneerBeyondBranchRangeIsRefusedWithoutTakingASlot() {
        long p = 0x4000_0FF8L;
        MemorySegment s = adrpAt(1);
        MemorySegment area = MemorySegment.ofArray(new byte[16]);
        VeneerPool pool = new VeneerPool(area, p + (1L << 27) + 8, 16);
        RelocationException e = catchThrowableOfType(RelocationException.class, () -> engine.applyAll(s, LE,
                List.of(Fixup.of(275, 0, p, p + (1L << 30), 0, "a", "m.o")), pool));
        assertThat(e.reason()).isEqualTo(Reason.OUT_OF_RANGE);
        assertThat(e.getMessage()).contains("is not in [-134217728, 134217724]").contains("the B to the ADRP veneer");
        assertThat(s.get(Case.LE_INT, 0)).isEqualTo(0x90000001);
        assertThat(area.toArray(ValueLayout.JAVA_BYTE)).containsOnly(0);
        assertThat(pool.used()).isZero();
    }

    @Test
    void aSlotAtAForbiddenOffsetIsRefused() {
        long p = 0x4000_0FF8L;
        MemorySegment s = adrpAt(1);
        VeneerPool pool = new VeneerPool(MemorySegment.ofArray(new byte[16]), 0x4010_0FF8L, 16);
        RelocationException e = catchThrowableOfType(RelocationException.class, () -> engine.applyAll(s, LE,
                List.of(Fixup.of(275, 0, p, p + (1L << 30), 0, "a", "m.o")), pool));
        assertThat(e.reason()).isEqualTo(Reason.MISALIGNED);
        assertThat(pool.used()).isZero();
    }

    // ---------------------------------------------------------------- the pre-scan

    private static RawRelocation adrpAt(int section, long offset, long align, boolean code) {
        return new RawRelocation(275, 1, 0, new Place(section, offset, align, code));
    }

    @Test
    void inCodeTheSectionAlignmentGrowsAsLinuxDoesAndOnlyBits3To11AllOnesCountAVeneer() {
        StubNeeds n = engine.scan(List.of(
                adrpAt(2, 0x0, 4, true), // ffz(0x7) = 3: 16
                adrpAt(2, 0x18, 4, true), // 0x1f: ffz 5: 64
                adrpAt(2, 0x7f8, 4, true), // 0x7ff: ffz 11: 4096
                adrpAt(2, 0xff8, 4, true), // bits [11:3] all ones: a veneer
                adrpAt(2, 0x1ffc, 4, true), // likewise
                adrpAt(3, 0x8, 8, true), // 0xf: ffz 4: 32
                new RawRelocation(277, 1, 0, new Place(4, 0xff8, 4, true)), // ADR_PREL_LO21: not an ADRP
                new RawRelocation(276, 1, 0, new Place(5, 0x3f8, 4, true)))); // _NC: 0x3ff: ffz 10: 2048
        assertThat(n.alignments()).isEqualTo(Map.of(2, 4096L, 3, 32L, 5, 2048L));
        assertThat(n.veneers()).isEqualTo(2);
    }

    @Test
    void outsideCodeOrWithoutAPlaceAVeneerIsCountedWheneverTheAdrpMayLandAtAForbiddenOffset() {
        StubNeeds n = engine.scan(List.of(
                adrpAt(6, 0x10, 16, false), // bits [3:0] fixed 0: never
                adrpAt(6, 0x18, 16, false), // bit 3 set, others free: may
                adrpAt(6, 0x7f8, 4096, false), // fixed, not all ones: never
                adrpAt(6, 0xffc, 4096, false), // fixed at 0xffc: yes
                adrpAt(6, 0x0, 0, false), // free: may
                new RawRelocation(275, 1, 0))); // unknown place: may
        assertThat(n.alignments()).isEmpty();
        assertThat(n.veneers()).isEqualTo(4);
    }

    @Property(tries = 2000)
    void withTheAlignmentItAskedForAnAdrpNotCountedNeverLandsAtAForbiddenOffset(
            @ForAll @LongRange(min = 0, max = 1 << 20) long offset4, @ForAll @LongRange(min = 0, max = 1 << 20) long base) {
        long offset = offset4 & ~3L;
        StubNeeds n = engine.scan(List.of(adrpAt(1, offset, 4, true)));
        if (n.veneers() == 1) {
            assertThat(offset & 0xFF8).isEqualTo(0xFF8);
            return;
        }
        long align = n.alignments().get(1);
        long address = base * align + offset; // any placement honouring the alignment
        assertThat(address & 0xFFF).isLessThan(0xFF8);
    }

    @Test
    void withTheWorkaroundOffNothingIsCounted() {
        StubNeeds n = new AArch64Engine(false).scan(List.of(adrpAt(2, 0xff8, 4, true), adrpAt(2, 0x8, 4, true)));
        assertThat(n.veneers()).isZero();
        assertThat(n.alignments()).isEmpty();
    }
}
