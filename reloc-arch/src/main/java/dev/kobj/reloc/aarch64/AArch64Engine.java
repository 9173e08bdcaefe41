package dev.kobj.reloc.aarch64;

import dev.kobj.elf.Arch;
import dev.kobj.reloc.Fixup;
import dev.kobj.reloc.RelocationEngine;
import dev.kobj.reloc.RelocationException;
import dev.kobj.reloc.RelocationKind;
import dev.kobj.reloc.RelocationBatch;
import dev.kobj.reloc.StubNeeds;
import dev.kobj.reloc.VeneerPool;

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
 * Page(target) - P is within ±1 MiB; when it is not, the ADRP becomes a {@code B} to a veneer
 * taken from the {@link VeneerPool} given to {@link #applyAll(MemorySegment, ByteOrder, List,
 * VeneerPool)}, which does the ADRP from a safe address and branches back (see
 * {@link Erratum843419}). That is what Linux's arm64 module loader does. Whether the ADRP is
 * followed by a load or store is not examined: both rewrites are always equivalent.
 */
public final class AArch64Engine implements RelocationEngine {
    private static final ValueLayout.OfInt INSN = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

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
        List<Write> writes = new ArrayList<>(1);
        plan(section, fixup, VeneerPool.none(), writes);
        for (Write w : writes) {
            w.write(order);
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>Without a pool, an ADRP that needs a Cortex-A53 erratum 843419 veneer fails with
     * {@code MISSING_PARTNER}.
     */
    @Override
    public void applyAll(MemorySegment section, ByteOrder order, List<Fixup> fixups) throws RelocationException {
        applyAll(section, order, fixups, VeneerPool.none());
    }

    /**
     * {@inheritDoc}
     *
     * <p>AArch64 has no paired or accumulating relocations: the fixups are applied in order, each
     * seeing the bytes its predecessors wrote. The original bytes of every place and veneer slot
     * are kept, and put back in reverse order when a fixup fails; the slots go back to the pool.
     */
    @Override
    public void applyAll(MemorySegment section, ByteOrder order, List<Fixup> fixups, VeneerPool veneers)
            throws RelocationException {
        List<Write> undo = new ArrayList<>();
        List<Write> writes = new ArrayList<>(5);
        int mark = veneers.mark();
        try {
            for (Fixup f : fixups) {
                writes.clear();
                plan(section, f, veneers, writes);
                for (Write w : writes) {
                    undo.add(w.snapshot(order));
                    w.write(order);
                }
            }
        } catch (RelocationException | RuntimeException e) {
            for (int i = undo.size() - 1; i >= 0; i--) {
                undo.get(i).write(order);
            }
            veneers.release(mark);
            throw e;
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>With the erratum 843419 workaround on, each ADRP relocation (ADR_PREL_PG_HI21, its _NC
     * form, ADR_GOT_PAGE) is placed as Linux's arm64 module loader places it: in a code section,
     * the section's alignment is raised to {@code 2 << ffz(r_offset | 7)} (the first zero bit of
     * bits [11:3] of r_offset, plus one: then the address equals r_offset in that bit and below, so
     * its bits [11:3] are not all ones) when that is at most 4096, and otherwise (bits [11:3] of
     * r_offset all ones) one veneer is counted; outside code, or when the place is unknown, a
     * veneer is counted whenever the section's own alignment lets the ADRP land at 0xff8/0xffc.
     */
    @Override
    public StubNeeds scan(RelocationBatch relocations) {
        return AArch64Stubs.scan(relocations, erratum843419);
    }

    @Override
    public void writeGotEntry(MemorySegment got, long offset, ByteOrder order, long value) {
        AArch64Stubs.writeGotEntry(got, offset, order, value);
    }

    /**
     * {@inheritDoc} The veneer is {@code ADRP x16; ADD x16; BR x16; BRK #0} when {@code target} is
     * within ±4 GiB of it, else {@code LDR x16, #8; BR x16; .xword target} (a weak undefined
     * symbol, 0, from a module at a kernel address); {@code gotSlot} is unused.
     */
    @Override
    public void writeStub(MemorySegment plt, long offset, ByteOrder order, long stubAddress, long target, long gotSlot)
            throws RelocationException {
        AArch64Stubs.writeVeneer(plt, offset, order, stubAddress, target);
    }

    /** One checked write: a data word of the object's order, or a little-endian instruction. */
    private record Write(MemorySegment segment, long offset, Field field, long value) {
        void write(ByteOrder order) {
            switch (field) {
                case DATA64 -> DataWords.set64(segment, order, offset, value);
                case DATA32 -> DataWords.set32(segment, order, offset, (int) value);
                case DATA16 -> DataWords.set16(segment, order, offset, (short) value);
                default -> segment.set(INSN, offset, (int) value);
            }
        }

        Write snapshot(ByteOrder order) {
            long old = switch (field) {
                case DATA64 -> DataWords.get64(segment, order, offset);
                case DATA32 -> DataWords.get32(segment, order, offset);
                case DATA16 -> DataWords.get16(segment, order, offset);
                default -> segment.get(INSN, offset);
            };
            return new Write(segment, offset, field, old);
        }
    }

    /**
     * Checks everything and adds to {@code out} what to write (nothing for NONE). Writes nothing;
     * takes a veneer slot from {@code veneers} only once every check has passed.
     */
    private void plan(MemorySegment section, Fixup f, VeneerPool veneers, List<Write> out)
            throws RelocationException {
        AArch64Kind k = AArch64Kind.byType(f.type());
        if (k == null) {
            Optional<Refusals.Refusal> r = Refusals.of(f.type());
            throw r.isPresent() ? Errors.refused(f, r.get()) : Errors.unknown(f);
        }
        Field field = k.field();
        if (field == Field.NONE) {
            return;
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
            out.add(new Write(section, f.offset(), field, x));
            return;
        }
        if ((f.place() & 3) != 0) {
            throw Errors.misplacedInstruction(f);
        }
        int insn = section.get(INSN, f.offset());
        if (!field.accepts(insn, k.shift())) {
            throw Errors.wrongInstruction(f, insn, field);
        }
        if (k.isAdrp() && erratum843419 && Erratum843419.forbidden(f.place())) {
            Erratum843419.Rewrite r = Erratum843419.plan(f, k, insn, veneers);
            out.add(new Write(section, f.offset(), Field.ADRP21, Integer.toUnsignedLong(r.place())));
            for (int i = 0; r.veneer() != null && i < r.veneerWords().length; i++) {
                out.add(new Write(r.veneer(), 4L * i, Field.ADRP21, Integer.toUnsignedLong(r.veneerWords()[i])));
            }
            return;
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
        out.add(new Write(section, f.offset(), field,
                Integer.toUnsignedLong(field.insert(insn, x & k.mask(), k.shift()))));
    }

    private static void checkRange(Fixup f, AArch64Kind k, long x, String tail) throws RelocationException {
        if (x < k.min() || x > k.max()) {
            throw Errors.outOfRange(f, x, k.min(), k.max(), tail);
        }
    }
}
