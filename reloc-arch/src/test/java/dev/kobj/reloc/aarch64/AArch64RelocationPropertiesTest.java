package dev.kobj.reloc.aarch64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.kobj.reloc.Fixup;
import dev.kobj.reloc.RelocationException;
import dev.kobj.reloc.RelocationException.Reason;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Assume;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * Properties of every appliable AArch64 relocation, against the test-side {@link Spec} table and
 * {@link Decode}rs: random X (edges mixed in), A, P, GOT, byte order and instruction bits of
 * the right (or, for one property, the wrong) class.
 */
class AArch64RelocationPropertiesTest {
    private final AArch64Engine engine = new AArch64Engine(false);

    // ---- in range: the field holds X, nothing else moved ------------------------------------

    @Property(tries = 4000)
    void inRangeTheFieldDecodesToXAndNothingElseChanges(@ForAll("inRange") Case c) throws RelocationException {
        assertThat(c.oracleX()).as("the generator solved S/G for X").isEqualTo(c.x());
        MemorySegment section = c.section();
        byte[] before = section.toArray(ValueLayout.JAVA_BYTE);
        engine.apply(section, c.order(), c.fixup());
        byte[] after = section.toArray(ValueLayout.JAVA_BYTE);
        int off = (int) c.offset();
        int size = c.spec().shape().size;
        for (int i = 0; i < before.length; i++) {
            if (i < off || i >= off + size) {
                assertThat(after[i]).as("byte %d outside the place", i).isEqualTo(before[i]);
            }
        }
        switch (c.spec().shape()) {
            case D64 -> assertThat(section.get(ValueLayout.JAVA_LONG_UNALIGNED.withOrder(c.order()), off))
                    .isEqualTo(c.oracleX());
            case D32 -> assertThat(section.get(ValueLayout.JAVA_INT_UNALIGNED.withOrder(c.order()), off))
                    .isEqualTo((int) c.oracleX());
            case D16 -> assertThat(section.get(ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(c.order()), off))
                    .isEqualTo((short) c.oracleX());
            default -> {
                // instructions are little-endian whatever the object's byte order
                int insn = section.get(Case.LE_INT, off);
                c.spec().assertEncodes(insn, c.oracleX());
                assertThat((insn ^ c.insn()) & ~c.spec().shape().changeable())
                        .as("bits outside the field of 0x%08x -> 0x%08x", c.insn(), insn).isZero();
            }
        }
    }

    // ---- refusals: exception, no byte changed -----------------------------------------------

    @Property(tries = 3000)
    void outOfRangeIsRefusedAndChangesNothing(@ForAll("outOfRange") Case c) {
        RelocationException e = refusedUnchanged(c);
        assertThat(e.reason()).isEqualTo(Reason.OUT_OF_RANGE);
        assertThat(e.getMessage()).isEqualTo(c.fixup().where() + ": relocation " + c.spec().kind().relocationName()
                + " out of range: " + c.x() + " is not in [" + c.spec().lo() + ", " + c.spec().hi()
                + "]; references 'sym'");
    }

    @Property(tries = 2000)
    void misalignedIsRefusedAndChangesNothing(@ForAll("misaligned") Case c) {
        RelocationException e = refusedUnchanged(c);
        assertThat(e.reason()).isEqualTo(Reason.MISALIGNED);
        assertThat(e.getMessage()).endsWith(": improper alignment for relocation " + c.spec().kind().relocationName()
                + ": 0x" + Long.toHexString(c.x()) + " is not aligned to " + c.spec().align() + " bytes; references 'sym'");
    }

    @Property(tries = 3000)
    void wrongInstructionClassIsRefusedAndChangesNothing(@ForAll("wrongClass") Case c) {
        RelocationException e = refusedUnchanged(c);
        assertThat(e.reason()).isEqualTo(Reason.WRONG_INSTRUCTION);
        assertThat(e.getMessage()).contains("cannot patch 0x" + String.format("%08x", c.insn()));
    }

    private RelocationException refusedUnchanged(Case c) {
        MemorySegment section = c.section();
        byte[] before = section.toArray(ValueLayout.JAVA_BYTE);
        RelocationException e = catchThrowableOfType(RelocationException.class,
                () -> engine.apply(section, c.order(), c.fixup()));
        assertThat(e).as("refused: %s", c).isNotNull();
        assertThat(section.toArray(ValueLayout.JAVA_BYTE)).isEqualTo(before);
        assertThat(e.type()).isEqualTo(c.spec().kind().type());
        return e;
    }

    // ---- branches through a veneer ------------------------------------------------------------

    @Property(tries = 1000)
    void outOfRangeBranchWithAStubGoesToTheStub(@ForAll("branchOutOfRange") Case c, @ForAll("stubDelta") long delta)
            throws RelocationException {
        MemorySegment section = c.section();
        long stub = c.place() + delta;
        Assume.that(stub != 0);
        engine.apply(section, c.order(), c.fixup().withStub(stub));
        int insn = section.get(Case.LE_INT, c.offset());
        assertThat(c.place() + Decode.branch26(insn)).isEqualTo(stub);
        assertThat((insn ^ c.insn()) & 0xFC000000).isZero();
    }

    @Property(tries = 1000)
    void inRangeBranchIgnoresTheStub(@ForAll("branchInRange") Case c) throws RelocationException {
        MemorySegment section = c.section();
        engine.apply(section, c.order(), c.fixup().withStub(c.place() + 64));
        assertThat(Decode.branch26(section.get(Case.LE_INT, c.offset()))).isEqualTo(c.x());
    }

    // ---- applyAll: all or nothing ---------------------------------------------------------------

    @Property(tries = 500)
    void applyAllIsAllOrNothing(@ForAll("batch") List<Case> good, @ForAll("outOfRange") Case bad,
            @ForAll("position") int position) {
        MemorySegment section = MemorySegment.ofArray(new byte[8 * (good.size() + 1)]);
        List<Fixup> fixups = new ArrayList<>();
        for (int i = 0; i < good.size(); i++) {
            fixups.add(placeAt(good.get(i), section, 8 * i));
        }
        fixups.add(Math.min(position, fixups.size()), placeAt(bad, section, 8 * good.size()));
        byte[] before = section.toArray(ValueLayout.JAVA_BYTE);
        ByteOrder order = good.isEmpty() ? ByteOrder.LITTLE_ENDIAN : good.getFirst().order();
        RelocationException e = catchThrowableOfType(RelocationException.class,
                () -> engine.applyAll(section, order, fixups));
        assertThat(e).isNotNull();
        assertThat(section.toArray(ValueLayout.JAVA_BYTE)).isEqualTo(before);
    }

    @Property(tries = 500)
    void applyAllEqualsApplyingOneByOne(@ForAll("batch") List<Case> good) throws RelocationException {
        MemorySegment a = MemorySegment.ofArray(new byte[8 * good.size()]);
        List<Fixup> fixups = new ArrayList<>();
        for (int i = 0; i < good.size(); i++) {
            fixups.add(placeAt(good.get(i), a, 8 * i));
        }
        MemorySegment b = MemorySegment.ofArray(a.toArray(ValueLayout.JAVA_BYTE));
        ByteOrder order = good.isEmpty() ? ByteOrder.LITTLE_ENDIAN : good.getFirst().order();
        engine.applyAll(a, order, fixups);
        for (Fixup f : fixups) {
            engine.apply(b, order, f);
        }
        assertThat(a.toArray(ValueLayout.JAVA_BYTE)).isEqualTo(b.toArray(ValueLayout.JAVA_BYTE));
    }

    /** Copies the case's place into {@code section} at {@code offset} and returns its fixup there. */
    private static Fixup placeAt(Case c, MemorySegment section, long offset) {
        MemorySegment.copy(c.section(), c.offset(), section, offset, 8);
        Fixup f = c.fixup();
        return new Fixup(f.type(), offset, f.place(), f.symbol(), f.addend(), 0, f.got(), f.gotBase(), 0, f.name(),
                f.where());
    }

    // ---- generators ---------------------------------------------------------------------------

    static long alignDown(long v, long align) {
        return v & -align;
    }

    @Provide
    Arbitrary<Case> inRange() {
        return Arbitraries.of(Spec.ALL).flatMap(spec -> cases(spec, inRangeX(spec), spec.accepted()));
    }

    @Provide
    Arbitrary<Case> outOfRange() {
        return Arbitraries.of(Spec.ALL.stream().filter(Spec::checked).toList())
                .flatMap(spec -> cases(spec, outOfRangeX(spec), spec.accepted()));
    }

    @Provide
    Arbitrary<Case> misaligned() {
        return Arbitraries.of(Spec.ALL.stream().filter(s -> s.align() > 1 && s.shape() != Spec.Shape.ADRP).toList())
                .flatMap(spec -> cases(spec, inRangeX(spec).flatMap(x -> Arbitraries.longs().between(1, spec.align() - 1)
                        .map(r -> x + r > spec.hi() || x + r < x ? x - spec.align() + r : x + r)), spec.accepted()));
    }

    @Provide
    Arbitrary<Case> wrongClass() {
        return Arbitraries.of(Spec.ALL.stream().filter(s -> !s.shape().isData()).toList()).flatMap(spec -> {
            Set<Cls> wrong = EnumSet.complementOf(EnumSet.copyOf(spec.accepted()));
            return cases(spec, inRangeX(spec), wrong);
        });
    }

    @Provide
    Arbitrary<Case> branchOutOfRange() {
        return Arbitraries.of(Spec.ALL.stream().filter(s -> s.shape() == Spec.Shape.B26).toList())
                .flatMap(spec -> cases(spec, outOfRangeX(spec), spec.accepted()));
    }

    @Provide
    Arbitrary<Case> branchInRange() {
        return Arbitraries.of(Spec.ALL.stream().filter(s -> s.shape() == Spec.Shape.B26).toList())
                .flatMap(spec -> cases(spec, inRangeX(spec), spec.accepted()));
    }

    @Provide
    Arbitrary<Long> stubDelta() {
        return Arbitraries.oneOf(Arbitraries.of(-(1L << 27), (1L << 27) - 4, 0L),
                Arbitraries.longs().between(-(1L << 27), (1L << 27) - 4).map(v -> alignDown(v, 4)));
    }

    @Provide
    Arbitrary<List<Case>> batch() {
        return inRange().list().ofMaxSize(6);
    }

    @Provide
    Arbitrary<Integer> position() {
        return Arbitraries.integers().between(0, 6);
    }

    private static Arbitrary<Case> cases(Spec spec, Arbitrary<Long> xs, Set<Cls> classes) {
        Arbitrary<Integer> insns = classes.isEmpty() ? Arbitraries.just(0) : Arbitraries.of(classes)
                .flatMap(cls -> Combinators.combine(Arbitraries.integers(), Arbitraries.integers()).as(cls::make));
        Arbitrary<Long> gots = Arbitraries.longs().map(v -> v & ~7L).filter(v -> v != 0);
        Arbitrary<ByteOrder> orders = Arbitraries.of(ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN);
        return Combinators.combine(xs, Arbitraries.longs(), places(), gots, Arbitraries.longs(), insns, orders,
                Arbitraries.integers().between(0, 7))
                .as((x, a, p, got, low, insn, order, slot) -> new Case(spec, x, a, p, got, low, insn, order, slot))
                .filter(Case::valid);
    }

    /** P: anywhere, or near page ends (where the 843419 erratum bites), or near 0 / the top. */
    private static Arbitrary<Long> places() {
        return Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.longs()),
                Tuple.of(1, Arbitraries.longs().map(v -> (v & -4096L) | 0xFF8)),
                Tuple.of(1, Arbitraries.longs().map(v -> (v & -4096L) | 0xFFC)),
                Tuple.of(1, Arbitraries.longs().between(-64, 64)));
    }

    /** X in [lo, hi], aligned; the edges lo and alignDown(hi), and 0, ±align when in range. */
    static Arbitrary<Long> inRangeX(Spec spec) {
        long lo = spec.lo();
        long hi = alignDown(spec.hi(), spec.align());
        List<Long> edges = new ArrayList<>(List.of(lo, hi));
        for (long v : new long[] {0, spec.align(), -spec.align(), 0xFFF, 0x1000, 0xFFFF, 0x10000}) {
            long aligned = alignDown(v, spec.align());
            if (aligned >= lo && aligned <= hi) {
                edges.add(aligned);
            }
        }
        return Arbitraries.frequencyOf(
                Tuple.of(1, Arbitraries.of(edges)),
                Tuple.of(4, Arbitraries.longs().between(lo, hi).map(v -> alignDown(v, spec.align()))),
                Tuple.of(1, Arbitraries.longs().between(-1 << 20, 1 << 20)
                        .map(v -> Math.clamp(alignDown(v, spec.align()), lo, hi))));
    }

    /** X just outside [lo, hi] on either side, or anywhere beyond; aligned, so the error is the range. */
    static Arbitrary<Long> outOfRangeX(Spec spec) {
        long align = spec.align();
        List<Arbitrary<Long>> sides = new ArrayList<>();
        sides.add(Arbitraries.just(spec.hi() + 1));
        sides.add(Arbitraries.longs().between(spec.hi() + 1, Long.MAX_VALUE - 8192)
                .map(v -> alignDown(v + align - 1, align)));
        if (spec.lo() > Long.MIN_VALUE + 8192) {
            sides.add(Arbitraries.just(spec.lo() - align));
            sides.add(Arbitraries.longs().between(Long.MIN_VALUE, spec.lo() - 1).map(v -> alignDown(v, align)));
        }
        return Arbitraries.oneOf(sides);
    }
}
