package dev.kobj.reloc.riscv;

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
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The RISC-V relocation engine, for RV64 or RV32 (one class, parameterised by XLEN). The kinds,
 * their formulas and ranges are in {@link RiscvKind}; the instruction fields in
 * {@link RiscvInstructions}; the stubs in {@link RiscvStubs}.
 *
 * <p>{@link #applyAll} keeps the psABI's pairings, whatever the order of the relocation table:
 * <ul>
 *   <li>a PCREL_LO12_I/S's symbol is the address of the auipc that carries a PCREL_HI20 or
 *       GOT_HI20 (its label); its value is the low 12 bits of that HI20's value. The partner
 *       is found by address among the section's fixups; none is MISSING_PARTNER.</li>
 *   <li>ADD/SUB/SET at one place accumulate in table order, starting from the place's
 *       contents; each wraps modulo its width, and the section sees one final write.</li>
 *   <li>a SET_ULEB128 must be immediately followed by a SUB_ULEB128 at the same offset; the
 *       difference is written once, in the byte count of the ULEB128 already there.</li>
 * </ul>
 * Every fixup is computed against a view of pending writes; the section changes only when all
 * succeeded. kobj does not relax: RELAX is a no-op and ALIGN is checked, never satisfied by
 * deleting bytes.
 */
public final class RiscvEngine implements RelocationEngine {
    private final Arch arch;
    private final int xlen;
    private final RiscvFixups fixups;
    private final RiscvStubs stubs;
    private final List<RelocationKind> kinds;

    private RiscvEngine(Arch arch) {
        this.arch = arch;
        this.xlen = arch.bits();
        this.fixups = new RiscvFixups(xlen);
        this.stubs = new RiscvStubs(xlen);
        List<RelocationKind> all = new ArrayList<>();
        for (RiscvKind k : RiscvKind.values()) {
            all.add(fixups.describe(k));
        }
        this.kinds = List.copyOf(all);
    }

    private static final RiscvEngine RV64 = new RiscvEngine(Arch.RISCV64);
    private static final RiscvEngine RV32 = new RiscvEngine(Arch.RISCV32);

    /** {@return the engine of RV64 (ELFCLASS64) objects} */
    public static RiscvEngine rv64() {
        return RV64;
    }

    /** {@return the engine of RV32 (ELFCLASS32) objects} */
    public static RiscvEngine rv32() {
        return RV32;
    }

    /** {@return XLEN: 64 or 32} */
    public int xlen() {
        return xlen;
    }

    @Override
    public Arch arch() {
        return arch;
    }

    @Override
    public Optional<RelocationKind> kind(int type) {
        RiscvKind k = RiscvKind.of(type);
        return k == null ? Optional.empty() : Optional.of(fixups.describe(k));
    }

    @Override
    public List<RelocationKind> kinds() {
        return kinds;
    }

    /**
     * {@return true if kobj applies relocation type {@code type} for this XLEN}
     * @param type an ELF R_RISCV_* type number
     */
    public boolean appliable(int type) {
        RiscvKind k = RiscvKind.of(type);
        return k != null && k.appliable(xlen);
    }

    /**
     * Applies one fixup. PCREL_LO12_I/S and SET_ULEB128/SUB_ULEB128 are refused with
     * MISSING_PARTNER: their value comes from another relocation, which only
     * {@link #applyAll} sees.
     */
    @Override
    public void apply(MemorySegment section, ByteOrder order, Fixup fixup) throws RelocationException {
        RiscvKind k = RiscvKind.of(fixup.type());
        if (k == RiscvKind.PCREL_LO12_I || k == RiscvKind.PCREL_LO12_S) {
            throw RiscvErrors.missingPartner(fixup, fixup.symbol(), ("apply() sees one fixup, but its value is that of "
                    + "the R_RISCV_PCREL_HI20 or R_RISCV_GOT_HI20 at 0x%x: apply the section's fixups with applyAll()")
                    .formatted(fixup.symbol()));
        }
        if (k == RiscvKind.SET_ULEB128 || k == RiscvKind.SUB_ULEB128) {
            throw RiscvErrors.missingPartner(fixup, fixup.offset(), "apply() sees one fixup, but a SET_ULEB128/"
                    + "SUB_ULEB128 pair is applied together: apply the section's fixups with applyAll()");
        }
        applyAll(section, order, List.of(fixup));
    }

    @Override
    public void applyAll(MemorySegment section, ByteOrder order, List<Fixup> all) throws RelocationException {
        applyRows(section, order, FixupRows.of(all));
    }

    /**
     * {@inheritDoc}
     *
     * <p>The same code as the list form, reading the columns: no object per relocation (a row is
     * made into a {@link Fixup} only to report its refusal). The pool is not used: RISC-V needs no
     * place-specific veneer.
     */
    @Override
    public void applyAll(MemorySegment section, ByteOrder order, FixupColumns fixups, VeneerPool veneers)
            throws RelocationException {
        applyRows(section, order, new FixupRows(fixups, null));
    }

    private void applyRows(MemorySegment section, ByteOrder order, FixupRows rows) throws RelocationException {
        FixupColumns c = rows.columns();
        int n = c.size();
        int his = 0;
        for (int i = 0; i < n; i++) {
            if (isHi20(RiscvKind.of(c.type(i)))) {
                his++;
            }
        }
        PlaceIndex hi20ByAddress = PlaceIndex.open(his);
        for (int i = 0; his > 0 && i < n; i++) {
            if (isHi20(RiscvKind.of(c.type(i)))) {
                hi20ByAddress.putIfAbsent(c.place(i), i);
            }
        }
        PendingWrites view = PendingWrites.open(section);
        try {
            for (int i = 0; i < n; i++) {
                RiscvKind k = RiscvKind.of(c.type(i));
                if (k == null) {
                    throw RiscvErrors.unknown(rows.fixup(i));
                }
                switch (k) {
                    case PCREL_LO12_I, PCREL_LO12_S -> {
                        long label = c.symbol(i);
                        int hi = hi20ByAddress.get(label);
                        if (hi < 0) {
                            throw RiscvErrors.missingPartner(rows.fixup(i), label, ("no R_RISCV_PCREL_HI20 or "
                                    + "R_RISCV_GOT_HI20 at 0x%x, the address its %%pcrel_lo label names").formatted(label));
                        }
                        fixups.writeLo12(view, rows, i, k, fixups.partnerValue(rows, i, hi));
                    }
                    case SET_ULEB128 -> {
                        if (i + 1 >= n || RiscvKind.of(c.type(i + 1)) != RiscvKind.SUB_ULEB128
                                || c.offset(i + 1) != c.offset(i)) {
                            throw RiscvErrors.missingPartner(rows.fixup(i), c.offset(i),
                                    "it is not immediately followed by an R_RISCV_SUB_ULEB128 at the same offset");
                        }
                        applyUlebPair(view, rows, i, i + 1);
                        i++;
                    }
                    case SUB_ULEB128 -> throw RiscvErrors.missingPartner(rows.fixup(i), c.offset(i),
                            "it is not immediately preceded by an R_RISCV_SET_ULEB128 at the same offset");
                    default -> fixups.apply(view, order, rows, i, k);
                }
            }
        } catch (RelocationException | RuntimeException e) {
            view.rollback();
            throw e;
        }
        view.commit();
    }

    private static boolean isHi20(RiscvKind k) {
        return k == RiscvKind.PCREL_HI20 || k == RiscvKind.GOT_HI20 || k == RiscvKind.TLS_GOT_HI20
                || k == RiscvKind.TLS_GD_HI20;
    }

    /** SET_ULEB128 S1 + A1 then SUB_ULEB128 V - S2 - A2, written once in the existing ULEB128's bytes. */
    private void applyUlebPair(PendingWrites view, FixupRows rows, int set, int sub) throws RelocationException {
        FixupColumns c = rows.columns();
        long off = c.offset(set);
        int len = off < 0 || off >= view.size() ? -1 : Uleb128.length(view, off);
        if (len < 0) {
            throw RiscvErrors.badPlace(rows.fixup(set), view.size(), 1);
        }
        long v = (c.symbol(set) + c.addend(set)) - (c.symbol(sub) + c.addend(sub));
        if (xlen == 32) {
            v &= 0xffff_ffffL;
        }
        if (!Uleb128.fits(v, len)) {
            Fixup named = rows.fixup(sub);
            throw new RelocationException(RelocationException.Reason.OUT_OF_RANGE, named.type(), v,
                    "%s: relocation R_RISCV_SUB_ULEB128 out of range: %s is not in [0, %s] (the %d-byte ULEB128 at this place)%s"
                            .formatted(named.where(), Long.toUnsignedString(v), Long.toUnsignedString(Uleb128.max(len)), len,
                                    RiscvErrors.references(named)));
        }
        Uleb128.write(view, off, len, v);
    }

    @Override
    public StubNeeds scan(RelocationBatch relocations) {
        return stubs.scan(relocations);
    }

    /** Writes the XLEN/8-byte GOT entry {@code value} at {@code offset} of {@code got}, in byte order {@code order}. */
    @Override
    public void writeGotEntry(MemorySegment got, long offset, ByteOrder order, long value) {
        stubs.writeGotEntry(got, offset, order, value);
    }

    /**
     * Writes a 16-byte PLT stub: through GOT slot {@code gotSlot} when it is not 0, else an
     * auipc+jalr straight to {@code target}. Instructions are little-endian whatever {@code order}.
     */
    @Override
    public void writeStub(MemorySegment plt, long offset, ByteOrder order, long stubAddress, long target, long gotSlot)
            throws RelocationException {
        stubs.writeStub(plt, offset, stubAddress, target, gotSlot);
    }
}
