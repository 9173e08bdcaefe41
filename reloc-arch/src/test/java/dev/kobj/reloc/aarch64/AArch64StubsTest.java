package dev.kobj.reloc.aarch64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.kobj.reloc.Fixup;
import dev.kobj.reloc.RelocationEngine.RawRelocation;
import dev.kobj.reloc.RelocationException;
import dev.kobj.reloc.RelocationException.Reason;
import dev.kobj.reloc.StubNeeds;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.List;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

/** Veneers decoded by the test-side decoders, GOT entries, and the pre-scan. */
class AArch64StubsTest {
    private final AArch64Engine engine = new AArch64Engine();

    /** Runs the veneer at {@code stub} in test code: ADRP x16; ADD x16, x16; BR x16. */
    private static long veneerTarget(MemorySegment plt, long offset, long stub) {
        int adrp = plt.get(Case.LE_INT, offset);
        int add = plt.get(Case.LE_INT, offset + 4);
        int br = plt.get(Case.LE_INT, offset + 8);
        assertThat(adrp & 0x9F000000).as("ADRP").isEqualTo(0x90000000);
        assertThat(Decode.rd(adrp)).isEqualTo(16);
        assertThat(add & 0xFFC00000).as("ADD X, X, #imm12").isEqualTo(0x91000000);
        assertThat(Decode.rd(add)).isEqualTo(16);
        assertThat(Decode.rn(add)).isEqualTo(16);
        assertThat(br & 0xFFFFFC1F).as("BR").isEqualTo(0xD61F0000);
        assertThat(Decode.rn(br)).isEqualTo(16);
        assertThat(plt.get(Case.LE_INT, offset + 12)).as("BRK #0 padding").isEqualTo(0xD4200000);
        long x16 = (stub & -4096L) + Decode.adrp(adrp);
        return x16 + Decode.imm12(add);
    }

    @Property(tries = 2000)
    void theVeneerReachesItsTarget(@ForAll long stubSeed, @ForAll @LongRange(min = -(1L << 32), max = (1L << 32) - 1) long d,
            @ForAll boolean bigEndian) throws RelocationException {
        long stub = stubSeed & ~15L;
        long target = (stub & -4096L) + d;
        if (((target & -4096L) - (stub & -4096L)) >= (1L << 32)) {
            target -= 4096;
        }
        MemorySegment plt = MemorySegment.ofArray(new byte[48]);
        engine.writeStub(plt, 16, bigEndian ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN, stub, target, 0);
        assertThat(veneerTarget(plt, 16, stub)).isEqualTo(target);
        assertThat(plt.asSlice(0, 16).toArray(ValueLayout.JAVA_BYTE)).containsOnly(0);
        assertThat(plt.asSlice(32, 16).toArray(ValueLayout.JAVA_BYTE)).containsOnly(0);
    }

    @Test
    void theVeneerEdgesOfAdrpRange() throws RelocationException {
        long stub = 0x10_0000_0000L;
        MemorySegment plt = MemorySegment.ofArray(new byte[16]);
        long far = stub + (1L << 32) - 4096 + 0xABC;
        engine.writeStub(plt, 0, ByteOrder.LITTLE_ENDIAN, stub, far, 0);
        assertThat(veneerTarget(plt, 0, stub)).isEqualTo(far);
        long low = stub - (1L << 32);
        engine.writeStub(plt, 0, ByteOrder.LITTLE_ENDIAN, stub, low, 0);
        assertThat(veneerTarget(plt, 0, stub)).isEqualTo(low);
    }

    /** Runs the literal veneer at {@code offset} in test code: LDR x16, #8; BR x16; .xword target. */
    private static long literalVeneerTarget(MemorySegment plt, long offset, ByteOrder order) {
        int ldr = plt.get(Case.LE_INT, offset);
        int br = plt.get(Case.LE_INT, offset + 4);
        assertThat(ldr & 0xFF000000).as("LDR Xt, literal").isEqualTo(0x58000000);
        assertThat(Decode.rd(ldr)).isEqualTo(16);
        assertThat(Decode.imm19(ldr)).as("the literal is 8 bytes on").isEqualTo(8);
        assertThat(br & 0xFFFFFC1F).as("BR").isEqualTo(0xD61F0000);
        assertThat(Decode.rn(br)).isEqualTo(16);
        return plt.get(ValueLayout.JAVA_LONG_UNALIGNED.withOrder(order), offset + 8);
    }

    @Property(tries = 500)
    void aTargetBeyondFourGibOfTheVeneerGetsALiteralVeneer(@ForAll long stubSeed, @ForAll long target,
            @ForAll boolean bigEndian) throws RelocationException {
        long stub = stubSeed & ~15L;
        long pages = (target & -4096L) - (stub & -4096L);
        if (pages >= -(1L << 32) && pages < (1L << 32)) {
            return; // the ADRP form: theVeneerReachesItsTarget
        }
        ByteOrder order = bigEndian ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        MemorySegment plt = MemorySegment.ofArray(new byte[16]);
        engine.writeStub(plt, 0, order, stub, target, 0);
        assertThat(literalVeneerTarget(plt, 0, order)).isEqualTo(target);
    }

    @Test
    void aWeakUndefinedCalleeFromAKernelAddressIsReachedThroughALiteralVeneer() throws RelocationException {
        long text = 0xffff_8000_0400_0000L; // Linux 6.1 arm64 modules: 64 MiB below kernel text
        long stub = text + 0x1000;
        MemorySegment t = MemorySegment.ofArray(new byte[4]);
        t.set(Case.LE_INT, 0, 0x94000000);
        MemorySegment plt = MemorySegment.ofArray(new byte[16]);
        engine.writeStub(plt, 0, ByteOrder.LITTLE_ENDIAN, stub, 0, 0);
        engine.apply(t, ByteOrder.LITTLE_ENDIAN, Fixup.of(283, 0, text, 0, 0, "optional_hook", "m.o").withStub(stub));
        assertThat(text + Decode.branch26(t.get(Case.LE_INT, 0))).isEqualTo(stub);
        assertThat(literalVeneerTarget(plt, 0, ByteOrder.LITTLE_ENDIAN)).as("S = 0").isZero();
    }

    @Test
    void aMisplacedVeneerIsRefusedAndNothingWritten() {
        MemorySegment plt = MemorySegment.ofArray(new byte[16]);
        assertThat(catchThrowableOfType(RelocationException.class,
                () -> engine.writeStub(plt, 8, ByteOrder.LITTLE_ENDIAN, 0x1000, 0x2000, 0)).reason())
                .isEqualTo(Reason.BAD_PLACE);
        assertThat(catchThrowableOfType(RelocationException.class,
                () -> engine.writeStub(plt, 0, ByteOrder.LITTLE_ENDIAN, 0x1002, 0x2000, 0)).reason())
                .isEqualTo(Reason.MISALIGNED);
        assertThat(plt.toArray(ValueLayout.JAVA_BYTE)).containsOnly(0);
    }

    @Test
    void aFarCallGoesThroughTheVeneerToItsTarget() throws RelocationException {
        long text = 0x4000_0000L;
        long stub = text + 0x100_0000;
        long callee = text + (3L << 30) + 0x1234;
        MemorySegment t = MemorySegment.ofArray(new byte[8]);
        t.set(Case.LE_INT, 4, 0x94000000);
        MemorySegment plt = MemorySegment.ofArray(new byte[16]);
        engine.writeStub(plt, 0, ByteOrder.LITTLE_ENDIAN, stub, callee, 0);
        engine.apply(t, ByteOrder.LITTLE_ENDIAN, Fixup.of(283, 4, text + 4, callee, 0, "far", "m.o").withStub(stub));
        long reached = text + 4 + Decode.branch26(t.get(Case.LE_INT, 4));
        assertThat(reached).isEqualTo(stub);
        assertThat(veneerTarget(plt, 0, reached)).isEqualTo(callee);
    }

    @Test
    void gotEntriesAreWordsOfTheObjectsByteOrder() {
        MemorySegment got = MemorySegment.ofArray(new byte[16]);
        engine.writeGotEntry(got, 0, ByteOrder.LITTLE_ENDIAN, 0x0102030405060708L);
        engine.writeGotEntry(got, 8, ByteOrder.BIG_ENDIAN, 0x0102030405060708L);
        assertThat(got.toArray(ValueLayout.JAVA_BYTE)).containsExactly(8, 7, 6, 5, 4, 3, 2, 1, 1, 2, 3, 4, 5, 6, 7, 8);
    }

    @Test
    void scanCountsGotEntriesAndVeneersDedupedBySymbolAndAddend() {
        StubNeeds needs = engine.scan(List.of(
                new RawRelocation(311, 5, 0), // ADR_GOT_PAGE
                new RawRelocation(312, 5, 0), // LD64_GOT_LO12_NC, same entry
                new RawRelocation(313, 5, 8), // LD64_GOTPAGE_LO15, other addend
                new RawRelocation(309, 6, 0), // GOT_LD_PREL19
                new RawRelocation(301, 7, 0), // MOVW_GOTOFF_G0_NC
                new RawRelocation(310, 7, 0), // LD64_GOTOFF_LO15, same entry
                new RawRelocation(283, 5, 0), // CALL26
                new RawRelocation(282, 5, 0), // JUMP26, same veneer
                new RawRelocation(283, 9, 4), // CALL26 elsewhere
                new RawRelocation(280, 9, 0), // CONDBR19: no veneer
                new RawRelocation(257, 5, 0), // ABS64: nothing
                new RawRelocation(1025, 5, 0), // GLOB_DAT: refused, nothing
                new RawRelocation(4000, 5, 0))); // unknown: nothing
        assertThat(needs.gotEntries()).containsExactly(new StubNeeds.Target(5, 0), new StubNeeds.Target(5, 8),
                new StubNeeds.Target(6, 0), new StubNeeds.Target(7, 0));
        assertThat(needs.pltEntries()).containsExactly(new StubNeeds.Target(5, 0), new StubNeeds.Target(9, 4));
        assertThat(needs.gotEntrySize()).isEqualTo(8);
        assertThat(needs.pltEntrySize()).isEqualTo(16);
        assertThat(needs.gotSize()).isEqualTo(32);
        assertThat(needs.pltSize()).isEqualTo(32);
        assertThat(needs.veneers()).as("the ADR_GOT_PAGE, whose place is unknown").isEqualTo(1);
        assertThat(needs.veneerSize()).isEqualTo(16);
    }
}
