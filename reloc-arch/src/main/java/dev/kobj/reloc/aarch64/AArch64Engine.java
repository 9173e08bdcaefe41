package dev.kobj.reloc.aarch64;

import dev.kobj.reloc.Arch;
import dev.kobj.reloc.Fixup;
import dev.kobj.reloc.RelocationEngine;
import dev.kobj.reloc.RelocationException;
import dev.kobj.reloc.RelocationKind;
import dev.kobj.reloc.StubNeeds;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The AArch64 (LP64) relocation engine: aaelf64's static relocations as listed in
 * {@link AArch64Kind}, checked then written.
 *
 * <p>For each fixup, in this order: the type is known and appliable ({@code UNKNOWN_TYPE},
 * {@code NOT_APPLICABLE}); the place lies inside the section ({@code BAD_PLACE}); a GOT entry
 * or GOT address the formula reads is present ({@code MISSING_PARTNER}); an instruction's place
 * is 4-aligned and the instruction is of the class the relocation patches
 * ({@code WRONG_INSTRUCTION}, {@code MISALIGNED}); X fits the range ({@code OUT_OF_RANGE}) and is
 * a multiple of the alignment ({@code MISALIGNED}). Only then is the place written. Data words
 * use the object's byte order; instructions are always little-endian.
 *
 * <p>Branches: a JUMP26/CALL26 whose S+A-P is out of ±128 MiB goes to {@link Fixup#stub()}
 * instead when the fixup has one (a veneer written by {@link #writeStub}).
 *
 * <p>Cortex-A53 erratum 843419: with the workaround on (the default), an ADRP
 * (ADR_PREL_PG_HI21, its _NC form, ADR_GOT_PAGE) whose address has page offset 0xff8 or 0xffc
 * is rewritten as {@code ADR Xd, Page(target)}, which leaves the same value in Xd, when
 * Page(target) - P is within ±1 MiB. When it is not, kobj does not build the "ADRP in a veneer"
 * fallback (its veneer would depend on the register and the return address, which the stub
 * contract cannot express); the fixup fails with {@code OUT_OF_RANGE}, saying so. Whether the
 * ADRP is followed by a load or store is not examined: the rewrite is always equivalent.
 */
public final class AArch64Engine implements RelocationEngine {
    private static final ValueLayout.OfInt INSN = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final long ADR_MIN = -(1L << 20);
    private static final long ADR_MAX = (1L << 20) - 1;

    private static final List<RelocationKind> KINDS;

    static {
        List<RelocationKind> all = new ArrayList<>();
        for (AArch64Kind k : AArch64Kind.values()) {
            all.add(k.kind());
        }
        for (Refusals.Refusal r : Refusals.all()) {
            all.add(r.kind());
        }
        all.sort(Comparator.comparingInt(RelocationKind::type));
        KINDS = List.copyOf(all);
    }

    private final boolean erratum843419;

    /** An engine with the Cortex-A53 erratum 843419 workaround on. */
    public AArch64Engine() {
        this(true);
    }

    /** An engine with the Cortex-A53 erratum 843419 workaround on or off. */
    public AArch64Engine(boolean erratum843419) {
        this.erratum843419 = erratum843419;
    }

    /** {@return whether ADRPs at page offsets 0xff8/0xffc are rewritten (Cortex-A53 erratum 843419)} */
    public boolean erratum843419() {
        return erratum843419;
    }

    @Override
    public Arch arch() {
        return Arch.AARCH64;
    }

    @Override
    public Optional<RelocationKind> kind(int type) {
        return AArch64Kind.of(type).map(AArch64Kind::kind).or(() -> Refusals.of(type).map(Refusals.Refusal::kind));
    }

    @Override
    public List<RelocationKind> kinds() {
        return KINDS;
    }

    @Override
    public void apply(MemorySegment section, ByteOrder order, Fixup fixup) throws RelocationException {
        Write w = plan(section, fixup);
        if (w != null) {
            w.write(section, order);
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>AArch64 has no paired or accumulating relocations: the fixups are applied in order, each
     * seeing the bytes its predecessors wrote. The original bytes of every place are kept, and
     * put back in reverse order when a fixup fails.
     */
    @Override
    public void applyAll(MemorySegment section, ByteOrder order, List<Fixup> fixups) throws RelocationException {
        List<Write> undo = new ArrayList<>();
        try {
            for (Fixup f : fixups) {
                Write w = plan(section, f);
                if (w != null) {
                    undo.add(w.snapshot(section, order));
                    w.write(section, order);
                }
            }
        } catch (RelocationException | RuntimeException e) {
            for (int i = undo.size() - 1; i >= 0; i--) {
                undo.get(i).write(section, order);
            }
            throw e;
        }
    }

    @Override
    public StubNeeds scan(List<RawRelocation> relocations) {
        return AArch64Stubs.scan(relocations);
    }

    @Override
    public void writeGotEntry(MemorySegment got, long offset, ByteOrder order, long value) {
        AArch64Stubs.writeGotEntry(got, offset, order, value);
    }

    /** {@inheritDoc} The veneer is {@code ADRP x16; ADD x16; BR x16; BRK #0}; {@code gotSlot} is unused. */
    @Override
    public void writeStub(MemorySegment plt, long offset, ByteOrder order, long stubAddress, long target, long gotSlot)
            throws RelocationException {
        AArch64Stubs.writeVeneer(plt, offset, stubAddress, target);
    }

    /** One checked write at {@code offset}: a data word of the object's order, or a little-endian instruction. */
    private record Write(long offset, Field field, long value) {
        void write(MemorySegment s, ByteOrder order) {
            switch (field) {
                case DATA64 -> s.set(ValueLayout.JAVA_LONG_UNALIGNED.withOrder(order), offset, value);
                case DATA32 -> s.set(ValueLayout.JAVA_INT_UNALIGNED.withOrder(order), offset, (int) value);
                case DATA16 -> s.set(ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(order), offset, (short) value);
                default -> s.set(INSN, offset, (int) value);
            }
        }

        Write snapshot(MemorySegment s, ByteOrder order) {
            long old = switch (field) {
                case DATA64 -> s.get(ValueLayout.JAVA_LONG_UNALIGNED.withOrder(order), offset);
                case DATA32 -> s.get(ValueLayout.JAVA_INT_UNALIGNED.withOrder(order), offset);
                case DATA16 -> s.get(ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(order), offset);
                default -> s.get(INSN, offset);
            };
            return new Write(offset, field, old);
        }
    }

    /** Checks everything and returns what to write, or null for NONE. Writes nothing. */
    private Write plan(MemorySegment section, Fixup f) throws RelocationException {
        AArch64Kind k = AArch64Kind.of(f.type()).orElse(null);
        if (k == null) {
            Optional<Refusals.Refusal> r = Refusals.of(f.type());
            throw r.isPresent() ? Errors.refused(f, r.get()) : Errors.unknown(f);
        }
        Field field = k.field();
        if (field == Field.NONE) {
            return null;
        }
        if (f.offset() < 0 || f.offset() > section.byteSize() - field.size()) {
            throw Errors.badPlace(f, field.size(), section.byteSize());
        }
        if (k.needsGotEntry() && f.got() == 0) {
            throw Errors.missing(f, "a GOT entry (count it with scan() and pass it in Fixup.got)");
        }
        if (k.needsGotBase() && f.gotBase() == 0) {
            throw Errors.missing(f, "the GOT's address (Fixup.gotBase)");
        }
        long x = k.calc().compute(f);
        if (field.isData()) {
            checkRange(f, k, x, "");
            return new Write(f.offset(), field, x);
        }
        if ((f.place() & 3) != 0) {
            throw Errors.misplacedInstruction(f);
        }
        int insn = section.get(INSN, f.offset());
        if (!field.accepts(insn, k.shift())) {
            throw Errors.wrongInstruction(f, insn, field);
        }
        if (k.isAdrp() && erratum843419 && (f.place() & 0xFFF) >= 0xFF8) {
            return new Write(f.offset(), field, adrInsteadOfAdrp(f, k, insn));
        }
        String tail = "";
        if (k.mayUseVeneer() && (x < k.min() || x > k.max()) && f.stub() != 0) {
            tail = " (through the veneer at 0x" + Long.toHexString(f.stub()) + ")";
            x = f.stub() - f.place();
        }
        checkRange(f, k, x, tail);
        if ((x & (k.alignment() - 1)) != 0) {
            throw Errors.misaligned(f, x, k.alignment());
        }
        return new Write(f.offset(), field, Integer.toUnsignedLong(field.insert(insn, x & k.mask(), k.shift())));
    }

    private static void checkRange(Fixup f, AArch64Kind k, long x, String tail) throws RelocationException {
        if (x < k.min() || x > k.max()) {
            throw Errors.outOfRange(f, x, k.min(), k.max(), tail);
        }
    }

    /**
     * Cortex-A53 erratum 843419: {@code ADR Xd, Page(target)} computes what {@code ADRP Xd,
     * target} would, from an ADRP's place at page offset 0xff8/0xffc.
     */
    private static int adrInsteadOfAdrp(Fixup f, AArch64Kind k, int insn) throws RelocationException {
        long target = k.calc() == Calc.GOT_PAGE_PREL ? f.got() : f.symbol() + f.addend();
        long delta = Calc.page(target) - f.place();
        if (delta < ADR_MIN || delta > ADR_MAX) {
            throw Errors.outOfRange(f, delta, ADR_MIN, ADR_MAX, " (Cortex-A53 erratum 843419: the ADRP at page offset 0x"
                    + Long.toHexString(f.place() & 0xFFF) + " must become an ADR, which cannot reach Page(target);"
                    + " kobj makes no ADRP veneer: lay the section out so that no ADRP falls at 0xff8/0xffc,"
                    + " or turn the workaround off)");
        }
        return A64.withImm21(A64.adrpToAdr(insn), delta);
    }
}
