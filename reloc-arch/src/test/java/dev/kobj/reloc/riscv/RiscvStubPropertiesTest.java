package dev.kobj.reloc.riscv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kobj.reloc.Fixup;
import dev.kobj.reloc.RelocationEngine.RawRelocation;
import dev.kobj.reloc.RelocationException;
import dev.kobj.reloc.RelocationException.Reason;
import dev.kobj.reloc.StubNeeds;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import java.util.List;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

/**
 * PLT stubs decoded by the test's own decoder reach their GOT slot or target; calls out of
 * range go through their stub; the pre-scan counts GOT and PLT entries deduplicated by
 * (symbol, addend); GOT entries are XLEN/8 bytes in the object's byte order.
 */
class RiscvStubPropertiesTest {

    /** Decodes a 16-byte stub; returns the address it loads from (GOT form) or jumps to (direct form). */
    static long decodeStub(Section s, int off, long stub, int xlen, boolean viaGot) {
        int auipc = s.insn32(off);
        int second = s.insn32(off + 4);
        int third = s.insn32(off + 8);
        int fourth = s.insn32(off + 12);
        assertThat(auipc & 0xfff).as("auipc t3").isEqualTo((28 << 7) | 0x17);
        long hi = ImmediateLayout.U.decode(auipc);
        if (viaGot) {
            int funct3 = xlen == 64 ? 3 : 2; // ld / lw
            assertThat(second & 0xfffff).as("l[w|d] t3, lo(t3)").isEqualTo((28 << 15) | (funct3 << 12) | (28 << 7) | 0x03);
            assertThat(third).as("jalr t1, 0(t3)").isEqualTo((28 << 15) | (6 << 7) | 0x67);
            assertThat(fourth).as("nop").isEqualTo(0x13);
        } else {
            assertThat(second & 0xfffff).as("jalr x0, lo(t3)").isEqualTo((28 << 15) | 0x67);
            assertThat(third).as("nop").isEqualTo(0x13);
            assertThat(fourth).as("nop").isEqualTo(0x13);
        }
        long sum = stub + hi + ImmediateLayout.I.decode(second);
        return xlen == 32 ? sum & 0xffff_ffffL : sum;
    }

    @Property(tries = 1000, edgeCases = EdgeCasesMode.NONE)
    void stubsReachTheirSlotOrTarget(@ForAll long stubRaw, @ForAll @LongRange(min = -(1L << 31) - 0x800,
            max = (1L << 31) - 0x801) long distance, @ForAll boolean viaGot, @ForAll boolean rv64) {
        int xlen = rv64 ? 64 : 32;
        long stub = rv64 ? stubRaw & ~3L : stubRaw & 0xffff_fffcL;
        long to = stub + distance;
        if (!rv64) {
            to &= 0xffff_ffffL;
        }
        if (viaGot && to == 0) {
            return;
        }
        Section s = new Section(48, stub - 16, stubRaw);
        byte[] before = s.copy();
        RiscvEngine e = rv64 ? RiscvEngine.rv64() : RiscvEngine.rv32();
        try {
            e.writeStub(MemorySegment.ofArray(s.bytes), 16, ByteOrder.LITTLE_ENDIAN, stub, viaGot ? 0x1234 : to, viaGot ? to : 0);
        } catch (RelocationException x) {
            throw new AssertionError(x);
        }
        assertThat(decodeStub(s, 16, stub, xlen, viaGot)).isEqualTo(to);
        RiscvDataPropertiesTest.assertUntouchedOutside(before, s.bytes, 16, 16);
    }

    @Test
    void aStubTooFarFromItsTargetIsRefusedUntouched() {
        Section s = new Section(32, 0x1000, 1);
        byte[] before = s.copy();
        long far = 0x1000 + (1L << 31) - 0x800;
        assertThatThrownBy(() -> RiscvEngine.rv64().writeStub(MemorySegment.ofArray(s.bytes), 0, ByteOrder.LITTLE_ENDIAN,
                0x1000, far, 0))
                .isInstanceOf(RelocationException.class)
                .hasMessage("PLT stub at 0x1000: target 0x80000800 out of range: 2147481600 is not in [-2147485696, 2147481599]");
        assertThat(s.bytes).isEqualTo(before);
    }

    @Property(tries = 500, edgeCases = EdgeCasesMode.NONE)
    void aCallOutOfRangeGoesThroughItsStub(@ForAll @LongRange(min = 1L << 31, max = 1L << 60) long far,
            @ForAll @LongRange(min = -(1L << 30), max = 1L << 30) long stubDistance, @ForAll boolean plt) {
        long p = 0xffff_ffff_c000_0000L;
        Section s = new Section(16, p, far);
        s.putInsn32(0, (1 << 7) | 0x17); // auipc ra, 0
        s.putInsn32(4, (1 << 15) | (1 << 7) | 0x67); // jalr ra, 0(ra)
        RiscvKind k = plt ? RiscvKind.CALL_PLT : RiscvKind.CALL;
        Fixup f = Fixup.of(k.type(), 0, p, p + far, 0, "far_away", "m.o: .text+0x0");
        byte[] before = s.copy();
        RelocationException x = s.applyAll(RiscvEngine.rv64(), ByteOrder.LITTLE_ENDIAN, List.of(f));
        assertThat(x.reason()).isEqualTo(Reason.OUT_OF_RANGE);
        assertThat(x.getMessage()).startsWith("m.o: .text+0x0: relocation " + k.psabiName() + " out of range: " + far);
        assertThat(s.bytes).isEqualTo(before);

        assertThat(s.applyAll(RiscvEngine.rv64(), ByteOrder.LITTLE_ENDIAN, List.of(f.withStub(p + stubDistance)))).isNull();
        long reached = p + ImmediateLayout.U.decode(s.insn32(0)) + ImmediateLayout.I.decode(s.insn32(4));
        assertThat(reached).isEqualTo(p + stubDistance);
    }

    @Test
    void aCallInRangeIgnoresItsStub() {
        long p = 0x10_0000;
        Section s = new Section(8, p, 3);
        s.putInsn32(0, (6 << 7) | 0x17); // auipc t1, 0
        s.putInsn32(4, (6 << 15) | 0x67); // jr 0(t1)
        assertThat(s.applyAll(RiscvEngine.rv64(), ByteOrder.LITTLE_ENDIAN,
                List.of(Fixup.of(RiscvKind.CALL_PLT.type(), 0, p, p + 0x1234, 0, "near", "m.o").withStub(p + 0x40)))).isNull();
        assertThat(ImmediateLayout.U.decode(s.insn32(0)) + ImmediateLayout.I.decode(s.insn32(4))).isEqualTo(0x1234);
    }

    @Test
    void scanCountsGotAndPltEntriesDedupedBySymbolAndAddend() {
        List<RawRelocation> rs = List.of(
                new RawRelocation(RiscvKind.GOT_HI20.type(), 5, 0),
                new RawRelocation(RiscvKind.GOT_HI20.type(), 5, 0),
                new RawRelocation(RiscvKind.GOT_HI20.type(), 5, 8),
                new RawRelocation(RiscvKind.PCREL_LO12_I.type(), 40, 0),
                new RawRelocation(RiscvKind.CALL_PLT.type(), 7, 0),
                new RawRelocation(RiscvKind.CALL.type(), 7, 0),
                new RawRelocation(RiscvKind.CALL_PLT.type(), 9, 0),
                new RawRelocation(RiscvKind.JAL.type(), 9, 0),
                new RawRelocation(RiscvKind.ABS64.type(), 3, 0));
        StubNeeds n64 = RiscvEngine.rv64().scan(rs);
        assertThat(n64.gotEntries()).containsExactly(new StubNeeds.Target(5, 0), new StubNeeds.Target(5, 8));
        assertThat(n64.pltEntries()).containsExactly(new StubNeeds.Target(7, 0), new StubNeeds.Target(9, 0));
        assertThat(n64.gotSize()).isEqualTo(16);
        assertThat(n64.pltSize()).isEqualTo(32);
        StubNeeds n32 = RiscvEngine.rv32().scan(rs);
        assertThat(n32.gotSize()).isEqualTo(8);
        assertThat(n32.pltEntries()).as("RV32 calls reach everything modulo 2^32").isEmpty();
    }

    @Test
    void gotEntriesAreXlenWideInTheObjectsByteOrder() {
        byte[] got = new byte[16];
        RiscvEngine.rv64().writeGotEntry(MemorySegment.ofArray(got), 8, ByteOrder.BIG_ENDIAN, 0x0102_0304_0506_0708L);
        assertThat(got).containsExactly(0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8);
        byte[] got32 = new byte[8];
        RiscvEngine.rv32().writeGotEntry(MemorySegment.ofArray(got32), 4, ByteOrder.LITTLE_ENDIAN, 0x8765_4321L);
        assertThat(got32).containsExactly(0, 0, 0, 0, 0x21, 0x43, 0x65, 0x87);
    }

    @Test
    void theGotHi20PartnerOfAPcrelLo12UsesItsGotEntry() {
        long p = 0x2000;
        Section s = new Section(8, p, 4);
        s.putInsn32(0, (10 << 7) | 0x17); // auipc a0, 0
        s.putInsn32(4, (10 << 15) | (3 << 12) | (10 << 7) | 0x03); // ld a0, 0(a0)
        long slot = p + 0x12_3ff8;
        List<Fixup> fx = List.of(
                Fixup.of(RiscvKind.PCREL_LO12_I.type(), 4, p + 4, p, 0, ".L0 ", "m.o: .text+0x4"),
                Fixup.of(RiscvKind.GOT_HI20.type(), 0, p, 0x9999, 0, "ext", "m.o: .text+0x0").withGot(slot, 0));
        assertThat(s.applyAll(RiscvEngine.rv64(), ByteOrder.LITTLE_ENDIAN, fx)).isNull();
        assertThat(p + ImmediateLayout.U.decode(s.insn32(0)) + ImmediateLayout.I.decode(s.insn32(4))).isEqualTo(slot);
    }
}
