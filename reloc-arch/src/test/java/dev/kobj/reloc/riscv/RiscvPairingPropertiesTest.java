package dev.kobj.reloc.riscv;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kobj.reloc.Fixup;
import dev.kobj.reloc.RelocationException;
import dev.kobj.reloc.RelocationException.Reason;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/**
 * What applyAll adds to single fixups: %pcrel_lo pairing by the auipc's address whatever the
 * table order, accumulation of ADD/SUB/SET at one place, SET_ULEB128/SUB_ULEB128 pairs, and
 * all-or-nothing.
 */
class RiscvPairingPropertiesTest {
    static final long BASE = 0xffff_ffff_8000_0000L;

    /** One auipc with a PCREL_HI20 or GOT_HI20, and one or two loads/stores/addis with a PCREL_LO12 naming it. */
    record Sequence(List<Fixup> fixups, int hiOffset, List<Integer> loOffsets, long value) {
    }

    static List<Sequence> sequences(Section sec, Random r, int count) {
        List<Sequence> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int off = 16 * i;
            sec.putInsn32(off, (r.nextInt() & ~0x7f) | 0x17);
            List<Fixup> fx = new ArrayList<>();
            long p = sec.addr(off);
            long value = r.nextLong(-(1L << 31), (1L << 31) - 0x800);
            boolean got = r.nextBoolean();
            String where = "t.o: .text+0x" + Integer.toHexString(off);
            if (got) {
                fx.add(new Fixup(RiscvKind.GOT_HI20.type(), off, p, 0x5555, 0, 0, p + value, 0, 0, "g" + i, where));
            } else {
                long a = r.nextLong(-4096, 4096);
                fx.add(new Fixup(RiscvKind.PCREL_HI20.type(), off, p, p + value - a, a, 0, 0, 0, 0, "s" + i, where));
            }
            List<Integer> los = new ArrayList<>();
            for (int j = 0; j < 1 + r.nextInt(2); j++) {
                int lo = off + 4 + 4 * j;
                boolean store = r.nextBoolean();
                sec.putInsn32(lo, (r.nextInt() & ~0x7f) | (store ? 0x23 : 0x13));
                RiscvKind k = store ? RiscvKind.PCREL_LO12_S : RiscvKind.PCREL_LO12_I;
                fx.add(new Fixup(k.type(), lo, sec.addr(lo), p, 0, 0, 0, 0, 0, ".L0 ", "t.o: .text+0x" + Integer.toHexString(lo)));
                los.add(lo);
            }
            out.add(new Sequence(fx, off, los, value));
        }
        return out;
    }

    @Property(tries = 300, edgeCases = EdgeCasesMode.NONE)
    void pcrelLo12PairsByAddressWhateverTheOrder(@ForAll long seed, @ForAll @IntRange(min = 1, max = 8) int count) {
        Random r = new Random(seed);
        Section inOrder = new Section(16 * count + 16, BASE + 0x1000, seed);
        List<Sequence> seqs = sequences(inOrder, r, count);
        Section shuffled = new Section(inOrder.bytes.length, inOrder.base, 0);
        System.arraycopy(inOrder.bytes, 0, shuffled.bytes, 0, inOrder.bytes.length);
        List<Fixup> all = new ArrayList<>();
        seqs.forEach(q -> all.addAll(q.fixups()));
        List<Fixup> mixed = new ArrayList<>(all);
        Collections.shuffle(mixed, r);

        assertThat(inOrder.applyAll(RiscvEngine.rv64(), ByteOrder.LITTLE_ENDIAN, all)).isNull();
        assertThat(shuffled.applyAll(RiscvEngine.rv64(), ByteOrder.LITTLE_ENDIAN, mixed)).isNull();
        assertThat(shuffled.bytes).isEqualTo(inOrder.bytes);
        for (Sequence q : seqs) {
            long hi = ImmediateLayout.U.decode(inOrder.insn32(q.hiOffset()));
            for (int lo : q.loOffsets()) {
                int insn = inOrder.insn32(lo);
                long low = (insn & 0x7f) == 0x23 ? ImmediateLayout.S.decode(insn) : ImmediateLayout.I.decode(insn);
                assertThat(hi + low).as("auipc at 0x%x + lo at 0x%x", q.hiOffset(), lo).isEqualTo(q.value());
            }
        }
    }

    @Property(tries = 100, edgeCases = EdgeCasesMode.NONE)
    void aMissingHi20IsNamedByAddressAndChangesNothing(@ForAll long seed, @ForAll @IntRange(min = 1, max = 6) int count) {
        Random r = new Random(seed);
        Section sec = new Section(16 * count + 16, BASE, seed);
        List<Sequence> seqs = sequences(sec, r, count);
        List<Fixup> all = new ArrayList<>();
        seqs.forEach(q -> all.addAll(q.fixups()));
        Sequence victim = seqs.get(r.nextInt(count));
        all.remove(victim.fixups().get(0));
        Collections.shuffle(all, r);
        byte[] before = sec.copy();
        RelocationException x = sec.applyAll(RiscvEngine.rv64(), ByteOrder.LITTLE_ENDIAN, all);
        assertThat(x.reason()).isEqualTo(Reason.MISSING_PARTNER);
        assertThat(x.getMessage()).contains("no R_RISCV_PCREL_HI20 or R_RISCV_GOT_HI20 at 0x"
                + Long.toHexString(sec.addr(victim.hiOffset())));
        assertThat(sec.bytes).isEqualTo(before);
    }

    /** ADDn of label1 and SUBn of label2 at one place, interleaved with other places, in any order: V + label1 - label2. */
    @Property(tries = 500, edgeCases = EdgeCasesMode.NONE)
    void addSubPairsAccumulateToTheDifference(@ForAll long seed, @ForAll @IntRange(min = 0, max = 4) int w,
            @ForAll boolean zeroFirst, @ForAll boolean bigEndian) {
        Random r = new Random(seed);
        ByteOrder order = bigEndian ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        RiscvKind add = new RiscvKind[] {RiscvKind.ADD8, RiscvKind.ADD16, RiscvKind.ADD32, RiscvKind.ADD64, RiscvKind.SET6}[w];
        RiscvKind sub = new RiscvKind[] {RiscvKind.SUB8, RiscvKind.SUB16, RiscvKind.SUB32, RiscvKind.SUB64, RiscvKind.SUB6}[w];
        int width = new int[] {1, 2, 4, 8, 1}[w];
        Section sec = new Section(8 * 8, BASE, seed);
        List<Fixup> all = new ArrayList<>();
        long[] expected = new long[8];
        long[] old = new long[8];
        for (int i = 0; i < 8; i++) {
            int off = 8 * i;
            if (zeroFirst) {
                sec.putWord(off, width, order, 0);
            }
            old[i] = sec.word(off, width, order);
            long s1 = r.nextLong();
            long a1 = r.nextLong(-1000, 1000);
            long s2 = s1 - r.nextLong(-100_000, 100_000);
            long a2 = r.nextLong(-1000, 1000);
            long diff = (s1 + a1) - (s2 + a2);
            long mask = width == 8 ? -1L : (1L << (8 * width)) - 1;
            expected[i] = add == RiscvKind.SET6 ? (old[i] & 0xc0) | (diff & 0x3f) : (old[i] + diff) & mask;
            all.add(new Fixup(add.type(), off, sec.addr(off), s1, a1, 0, 0, 0, 0, "l1", "t.o: .data"));
            all.add(new Fixup(sub.type(), off, sec.addr(off), s2, a2, 0, 0, 0, 0, "l2", "t.o: .data"));
        }
        if (add != RiscvKind.SET6) { // SET then SUB is ordered; ADD and SUB commute
            Collections.shuffle(all, r);
        }
        assertThat(sec.applyAll(RiscvEngine.rv64(), order, all)).isNull();
        for (int i = 0; i < 8; i++) {
            assertThat(sec.word(8 * i, width, order)).as("place %d", i).isEqualTo(expected[i]);
            if (zeroFirst && add != RiscvKind.SET6) {
                long mask = width == 8 ? -1L : (1L << (8 * width)) - 1;
                assertThat(Section.signExtend(sec.word(8 * i, width, order), 8 * width))
                        .isEqualTo(Section.signExtend(expected[i] & mask, 8 * width));
            }
        }
    }

    /** The test's own ULEB128 reader (DWARF 5, 7.6): value and byte count. */
    static long[] readUleb(byte[] b, int off) {
        long v = 0;
        int i = 0;
        while (true) {
            int x = b[off + i] & 0xff;
            v |= (long) (x & 0x7f) << (7 * i);
            i++;
            if ((x & 0x80) == 0) {
                return new long[] {v, i};
            }
        }
    }

    @Property(tries = 800, edgeCases = EdgeCasesMode.NONE)
    void uleb128PairsFitTheExistingBytesOrChangeNothing(@ForAll long seed, @ForAll @IntRange(min = 1, max = 10) int len,
            @ForAll @LongRange(min = 0, max = 62) long bits, @ForAll boolean rv64) {
        Random r = new Random(seed);
        Section sec = new Section(24, 0x8000_0000L, seed);
        for (int i = 0; i < len; i++) {
            sec.bytes[4 + i] = (byte) (r.nextInt(128) | (i < len - 1 ? 0x80 : 0));
        }
        long diff = bits == 0 ? 0 : r.nextLong(1L << bits);
        if (r.nextInt(8) == 0) {
            diff = -diff; // a negative difference: a huge unsigned value
        }
        long s2 = r.nextLong(0, 1L << 31);
        long s1 = s2 + diff - 7;
        byte[] before = sec.copy();
        List<Fixup> pair = List.of(
                new Fixup(RiscvKind.SET_ULEB128.type(), 4, sec.addr(4), s1, 7, 0, 0, 0, 0, ".Lend", "t.o: .gcc_except_table+0x4"),
                new Fixup(RiscvKind.SUB_ULEB128.type(), 4, sec.addr(4), s2, 0, 0, 0, 0, 0, ".Lstart", "t.o: .gcc_except_table+0x4"));
        RelocationException x = sec.applyAll(rv64 ? RiscvEngine.rv64() : RiscvEngine.rv32(), ByteOrder.LITTLE_ENDIAN, pair);
        long value = rv64 ? diff : diff & 0xffff_ffffL;
        boolean fits = 7 * len >= 64 || Long.compareUnsigned(value, 1L << (7 * len)) < 0;
        if (!fits) {
            assertThat(x.reason()).isEqualTo(Reason.OUT_OF_RANGE);
            assertThat(x.getMessage()).contains("R_RISCV_SUB_ULEB128 out of range: " + Long.toUnsignedString(value))
                    .contains("the " + len + "-byte ULEB128");
            assertThat(sec.bytes).isEqualTo(before);
            return;
        }
        assertThat(x).isNull();
        long[] read = readUleb(sec.bytes, 4);
        assertThat(read[0]).isEqualTo(value);
        assertThat(read[1]).isEqualTo(len);
        RiscvDataPropertiesTest.assertUntouchedOutside(before, sec.bytes, 4, len);
    }

    @Property(tries = 200, edgeCases = EdgeCasesMode.NONE)
    void oneBadFixupLeavesTheWholeSectionUntouched(@ForAll long seed, @ForAll @IntRange(min = 1, max = 6) int count) {
        Random r = new Random(seed);
        Section sec = new Section(16 * count + 16, BASE, seed);
        List<Fixup> all = new ArrayList<>();
        sequences(sec, r, count).forEach(q -> all.addAll(q.fixups()));
        int jal = 16 * count;
        sec.putInsn32(jal, (r.nextInt() & ~0x7f) | 0x6f);
        all.add(new Fixup(RiscvKind.JAL.type(), jal, sec.addr(jal), sec.addr(jal) + (1 << 20), 0, 0, 0, 0, 0, "far", "t.o"));
        Collections.shuffle(all, r);
        byte[] before = sec.copy();
        RelocationException x = sec.applyAll(RiscvEngine.rv64(), ByteOrder.LITTLE_ENDIAN, all);
        assertThat(x.getMessage()).isEqualTo("t.o: relocation R_RISCV_JAL out of range: 1048576 is not in [-1048576, 1048575]; references 'far'");
        assertThat(sec.bytes).isEqualTo(before);
    }
}
