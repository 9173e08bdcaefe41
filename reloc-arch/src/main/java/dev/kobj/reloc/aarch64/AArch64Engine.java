package dev.kobj.reloc.aarch64;

import dev.kobj.reloc.FixupRows;
import dev.kobj.elf.Arch;
import dev.kobj.reloc.Fixup;
import dev.kobj.reloc.FixupColumns;
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

    /**
     * An engine with the Cortex-A53 erratum 843419 workaround on or off.
     * @param erratum843419 whether to avoid Cortex-A53 erratum 843419 (ADRP at page offset 0xff8/0xffc, as Linux's CONFIG_ARM64_ERRATUM_843419)
     */
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
        applyAll(section, order, List.of(fixup), VeneerPool.none());
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
     * A section held in a writable heap array whose places increase without overlapping (the
     * common case: no fixup sees another's bytes) is instead checked whole, then written as
     * array stores ({@code HeapRows}); the result, and any refusal, are the same.
     */
    @Override
    public void applyAll(MemorySegment section, ByteOrder order, List<Fixup> fixups, VeneerPool veneers)
            throws RelocationException {
        applyRows(section, order, FixupRows.of(fixups), veneers);
    }

    /**
     * {@inheritDoc}
     *
     * <p>The same code as the list form, reading the columns: no object per relocation (a row is
     * made into a {@link Fixup} only to report its refusal, and the erratum 843419 rewrite of an
     * ADRP at page offset 0xff8/0xffc plans its words in a small array).
     */
    @Override
    public void applyAll(MemorySegment section, ByteOrder order, FixupColumns fixups, VeneerPool veneers)
            throws RelocationException {
        applyRows(section, order, new FixupRows(fixups, null), veneers);
    }

    private void applyRows(MemorySegment section, ByteOrder order, FixupRows rows, VeneerPool veneers)
            throws RelocationException {
        if (HeapRows.apply(section, order, rows, erratum843419, veneers)) {
            return; // the common case, checked then written as array stores
        }
        UndoLog log = UndoLog.open(order);
        int mark = veneers.mark();
        try {
            for (int i = 0, n = rows.columns().size(); i < n; i++) {
                plan(section, rows, i, veneers, log);
            }
        } catch (RelocationException | RuntimeException e) {
            log.rollback();
            veneers.release(mark);
            throw e;
        }
        log.close();
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
    /** {@inheritDoc} Only the types {@link #scan} counts for: GOT kinds, branches that may take a veneer, ADRPs. */
    @Override
    public boolean scans(int type) {
        AArch64Kind k = AArch64Kind.byType(type);
        return k != null && (k.needsGotEntry() || k.mayUseVeneer() || k.isAdrp());
    }

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

    /**
     * Checks row {@code i} of {@code rows}, then writes it through {@code log} (nothing for NONE).
     * Writes nothing when a check fails; takes a veneer slot from {@code veneers} only once every
     * check has passed.
     */
    private void plan(MemorySegment section, FixupRows rows, int i, VeneerPool veneers, UndoLog log)
            throws RelocationException {
        FixupColumns c = rows.columns();
        int type = c.type(i);
        AArch64Kind k = AArch64Kind.byType(type);
        if (k == null) {
            Optional<Refusals.Refusal> r = Refusals.of(type);
            throw r.isPresent() ? Errors.refused(rows.fixup(i), r.get()) : Errors.unknown(rows.fixup(i));
        }
        Field field = k.field();
        if (field == Field.NONE) {
            return;
        }
        long off = c.offset(i);
        if (off < 0 || off > section.byteSize() - field.size()) {
            throw Errors.badPlace(rows.fixup(i), field.size(), section.byteSize());
        }
        long got = c.got(i);
        long gotBase = c.gotBase(i);
        if (k.needsGotEntry() && got == 0) {
            throw Errors.missing(rows.fixup(i), "a GOT entry (count it with scan() and pass it in Fixup.got)");
        }
        if (k.needsGotBase() && gotBase == 0) {
            throw Errors.missing(rows.fixup(i), "the GOT's address (Fixup.gotBase)");
        }
        long p = c.place(i);
        long x = k.calc().compute(c.symbol(i), c.addend(i), p, got, gotBase);
        if (field.isData()) {
            if (x < k.min() || x > k.max()) {
                throw Errors.outOfRange(rows.fixup(i), x, k.min(), k.max(), "");
            }
            log.write(section, off, field, x);
            return;
        }
        if ((p & 3) != 0) {
            throw Errors.misplacedInstruction(rows.fixup(i));
        }
        int insn = section.get(INSN, off);
        if (!field.accepts(insn, k.shift())) {
            throw Errors.wrongInstruction(rows.fixup(i), insn, field);
        }
        if (k.isAdrp() && erratum843419 && Erratum843419.forbidden(p)) {
            long target = k.calc() == Calc.GOT_PAGE_PREL ? got : c.symbol(i) + c.addend(i);
            long delta = Calc.page(target) - p;
            if (Erratum843419.adrReaches(delta)) {
                log.writeInsn(section, off, insn, A64.withImm21(A64.adrpToAdr(insn), delta));
                return;
            }
            Erratum843419.Rewrite r = Erratum843419.plan(rows.fixup(i), k, insn, veneers);
            log.write(section, off, Field.ADRP21, Integer.toUnsignedLong(r.place()));
            for (int w = 0; r.veneer() != null && w < r.veneerWords().length; w++) {
                log.write(r.veneer(), 4L * w, Field.ADRP21, Integer.toUnsignedLong(r.veneerWords()[w]));
            }
            return;
        }
        long stub = c.stub(i);
        boolean viaStub = false;
        if (k.mayUseVeneer() && (x < k.min() || x > k.max()) && stub != 0) {
            viaStub = true;
            x = stub - p;
        }
        if (x < k.min() || x > k.max()) {
            throw Errors.outOfRange(rows.fixup(i), x, k.min(), k.max(),
                    viaStub ? " (through the veneer at 0x" + Long.toHexString(stub) + ")" : "");
        }
        if ((x & (k.alignment() - 1)) != 0) {
            throw Errors.misaligned(rows.fixup(i), x, k.alignment());
        }
        log.writeInsn(section, off, insn, field.insert(insn, x & k.mask(), k.shift()));
    }
}
