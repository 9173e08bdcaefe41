package dev.kobj.reloc.riscv;

import static dev.kobj.reloc.riscv.RiscvErrors.missingPartner;
import static dev.kobj.reloc.riscv.RiscvErrors.misaligned;
import static dev.kobj.reloc.riscv.RiscvErrors.notApplicable;
import static dev.kobj.reloc.riscv.RiscvErrors.outOfRange;
import static dev.kobj.reloc.riscv.RiscvErrors.wrongInstruction;

import dev.kobj.reloc.Fixup;
import dev.kobj.reloc.FixupColumns;
import dev.kobj.reloc.FixupRows;
import dev.kobj.reloc.RelocationException;
import dev.kobj.reloc.RelocationException.Reason;
import dev.kobj.reloc.RelocationKind;
import java.nio.ByteOrder;

/**
 * One fixup of one kind, computed, checked and written into a {@link PendingWrites} view:
 * the formulas of {@link RiscvKind}, for one XLEN. Pairing (PCREL_LO12 with its HI20,
 * SET_ULEB128 with SUB_ULEB128) is the caller's; here the partner's value arrives computed.
 */
final class RiscvFixups {
    private final int xlen;
    private final RelocationKind[] described = new RelocationKind[RiscvKind.values().length];

    RiscvFixups(int xlen) {
        this.xlen = xlen;
        for (RiscvKind k : RiscvKind.values()) {
            described[k.ordinal()] = k.describe(xlen);
        }
    }

    /** {@return the contract's description of {@code k} for this XLEN} */
    RelocationKind describe(RiscvKind k) {
        return described[k.ordinal()];
    }

    /** {@return v as an address difference of this XLEN: sign-extended from 32 bits on RV32} */
    long wrap(long v) {
        return xlen == 32 ? (int) v : v;
    }

    /** Applies row {@code f} of {@code rows}, of kind {@code k} (neither PCREL_LO12 nor ULEB128), to {@code view}. */
    void apply(PendingWrites view, ByteOrder order, FixupRows rows, int f, RiscvKind k) throws RelocationException {
        refuseIfNotAppliable(rows, f, k);
        if (k == RiscvKind.NONE || k == RiscvKind.RELAX) {
            return;
        }
        if (k == RiscvKind.ALIGN) {
            checkAlign(view, rows, f);
            return;
        }
        checkPlace(view, rows, f, k.field().bytes);
        FixupColumns c = rows.columns();
        long s = c.symbol(f);
        long a = c.addend(f);
        long p = c.place(f);
        long off = c.offset(f);
        switch (k) {
            case ABS32 -> view.write(off, 4, order, checked(rows, f, k, wrap(s + a)));
            case ABS64 -> view.write(off, 8, order, s + a);
            case PCREL32, PLT32 -> view.write(off, 4, order, checked(rows, f, k, wrap(s + a - p)));
            case ADD8, ADD16, ADD32, ADD64 -> {
                int n = k.field().bytes;
                view.write(off, n, order, view.read(off, n, order) + s + a);
            }
            case SUB8, SUB16, SUB32, SUB64 -> {
                int n = k.field().bytes;
                view.write(off, n, order, view.read(off, n, order) - s - a);
            }
            case SET8, SET16, SET32 -> view.write(off, k.field().bytes, order, s + a);
            case SET6 -> view.writeByte(off, (view.readByte(off) & 0xc0) | (int) ((s + a) & 0x3f));
            case SUB6 -> {
                int old = view.readByte(off);
                view.writeByte(off, (old & 0xc0) | (int) (((old & 0x3f) - s - a) & 0x3f));
            }
            case BRANCH -> {
                int insn = insn32(view, rows, f, RiscvInstructions::isBranch, "a conditional branch (opcode 0x63)");
                view.writeInsn(off, 4, RiscvInstructions.encodeB(insn, checked(rows, f, k, wrap(s + a - p))));
            }
            case JAL -> {
                int insn = insn32(view, rows, f, RiscvInstructions::isJal, "a jal (opcode 0x6f)");
                view.writeInsn(off, 4, RiscvInstructions.encodeJ(insn, checked(rows, f, k, wrap(s + a - p))));
            }
            case RVC_BRANCH -> {
                int half = view.readInsn(off, 2);
                if (!RiscvInstructions.isCBranch(half)) {
                    throw wrongInstruction(rows.fixup(f), half, 2, "a c.beqz or c.bnez");
                }
                view.writeInsn(off, 2, RiscvInstructions.encodeCB(half, checked(rows, f, k, wrap(s + a - p))));
            }
            case RVC_JUMP -> {
                int half = view.readInsn(off, 2);
                if (!RiscvInstructions.isCJump(half, xlen)) {
                    throw wrongInstruction(rows.fixup(f), half, 2, xlen == 32 ? "a c.j or c.jal" : "a c.j");
                }
                view.writeInsn(off, 2, RiscvInstructions.encodeCJ(half, checked(rows, f, k, wrap(s + a - p))));
            }
            case CALL, CALL_PLT -> applyCall(view, rows, f, k);
            case GOT_HI20 -> {
                int insn = insn32(view, rows, f, RiscvInstructions::isAuipc, "an auipc (opcode 0x17)");
                view.writeInsn(off, 4, RiscvInstructions.encodeU(insn, checked(rows, f, k, gotValue(rows, f))));
            }
            case PCREL_HI20 -> {
                int insn = insn32(view, rows, f, RiscvInstructions::isAuipc, "an auipc (opcode 0x17)");
                view.writeInsn(off, 4, RiscvInstructions.encodeU(insn, checked(rows, f, k, wrap(s + a - p))));
            }
            case HI20 -> {
                int insn = insn32(view, rows, f, RiscvInstructions::isLui, "a lui (opcode 0x37)");
                view.writeInsn(off, 4, RiscvInstructions.encodeU(insn, checked(rows, f, k, wrap(s + a))));
            }
            case LO12_I -> writeLo12(view, rows, f, k, wrap(s + a));
            case LO12_S -> writeLo12(view, rows, f, k, wrap(s + a));
            default -> throw new IllegalStateException("not a single fixup kind: " + k);
        }
    }

    /**
     * {@return the value of the HI20 at row {@code hi} that the PCREL_LO12 at row {@code lo} pairs
     * with; the LO12's own addend is ignored, as lld does}
     */
    long partnerValue(FixupRows rows, int lo, int hi) throws RelocationException {
        FixupColumns c = rows.columns();
        RiscvKind hk = RiscvKind.of(c.type(hi));
        return switch (hk) {
            case PCREL_HI20 -> wrap(c.symbol(hi) + c.addend(hi) - c.place(hi));
            case GOT_HI20 -> {
                if (c.got(hi) == 0) {
                    throw missingPartner(rows.fixup(lo), c.place(hi), "its R_RISCV_GOT_HI20 at 0x%x has no GOT entry for '%s'"
                            .formatted(c.place(hi), rows.fixup(hi).name()));
                }
                yield gotValue(rows, hi);
            }
            default -> throw notApplicable(rows.fixup(lo), "it pairs with the TLS relocation %s at 0x%x"
                    .formatted(hk.psabiName(), c.place(hi)));
        };
    }

    /** Writes the low 12 bits of {@code value} into the I- or S-type instruction of row {@code f}, a (PCREL_)LO12_I/S. */
    void writeLo12(PendingWrites view, FixupRows rows, int f, RiscvKind k, long value) throws RelocationException {
        checkPlace(view, rows, f, 4);
        boolean store = k == RiscvKind.LO12_S || k == RiscvKind.PCREL_LO12_S;
        int insn = store
                ? insn32(view, rows, f, RiscvInstructions::isSType, "a store (S-type, opcode 0x23 or 0x27)")
                : insn32(view, rows, f, RiscvInstructions::isIType,
                        "a load, addi, addiw or jalr (I-type, opcode 0x03, 0x07, 0x13, 0x1b or 0x67)");
        view.writeInsn(rows.columns().offset(f), 4,
                store ? RiscvInstructions.encodeS(insn, value) : RiscvInstructions.encodeI(insn, value));
    }

    private long gotValue(FixupRows rows, int f) throws RelocationException {
        FixupColumns c = rows.columns();
        if (c.got(f) == 0) {
            throw missingPartner(rows.fixup(f), 0, "no GOT entry was made for this symbol and addend");
        }
        return wrap(c.got(f) - c.place(f));
    }

    /**
     * auipc+jalr: S + A - P, or the stub's address - P when that is out of range and the
     * linker made a stub (which reaches S + A).
     */
    private void applyCall(PendingWrites view, FixupRows rows, int f, RiscvKind k) throws RelocationException {
        FixupColumns c = rows.columns();
        long off = c.offset(f);
        long p = c.place(f);
        long stub = c.stub(f);
        int auipc = insn32(view, rows, f, RiscvInstructions::isAuipc, "an auipc (opcode 0x17) followed by a jalr");
        int jalr = view.readInsn(off + 4, 4);
        if (!RiscvInstructions.isJalr(jalr)) {
            throw wrongInstruction(rows.fixup(f), jalr, 4, "the jalr (opcode 0x67, funct3 0) that must follow the auipc");
        }
        RelocationKind d = describe(k);
        long v = wrap(c.symbol(f) + c.addend(f) - p);
        if ((v < d.min() || v > d.max()) && stub != 0) {
            long viaStub = wrap(stub - p);
            if (viaStub >= d.min() && viaStub <= d.max()) {
                v = viaStub;
            } else {
                Fixup named = rows.fixup(f);
                throw new RelocationException(Reason.OUT_OF_RANGE, named.type(), v,
                        "%s: relocation %s out of range: %d is not in [%d, %d], nor is its stub's %d%s"
                                .formatted(named.where(), k.psabiName(), v, d.min(), d.max(), viaStub,
                                        RiscvErrors.references(named)));
            }
        }
        checked(rows, f, k, v);
        view.writeInsn(off, 4, RiscvInstructions.encodeU(auipc, v));
        view.writeInsn(off + 4, 4, RiscvInstructions.encodeI(jalr, v));
    }

    /**
     * R_RISCV_ALIGN: A bytes of nops at P pad an instruction at P + A to N, the least power of
     * two above A. kobj deletes no byte, so P + A must already be N-aligned.
     */
    private void checkAlign(PendingWrites view, FixupRows rows, int f) throws RelocationException {
        FixupColumns c = rows.columns();
        long a = c.addend(f);
        long off = c.offset(f);
        if (a < 0 || off < 0 || off > view.size() - a) {
            throw RiscvErrors.badPlace(rows.fixup(f), view.size(), (int) Math.min(Integer.MAX_VALUE, Math.max(a, 0)));
        }
        long n = alignmentOf(a);
        long target = c.place(f) + a;
        if ((target & (n - 1)) != 0) {
            throw new RelocationException(Reason.MISALIGNED, c.type(f), target, ("%s: relocation R_RISCV_ALIGN: the "
                    + "instruction after the %d bytes of nops, at 0x%x, is not aligned to %d bytes, and kobj does not "
                    + "delete bytes (no linker relaxation): build with -mno-relax, or place the section so that it holds")
                    .formatted(rows.fixup(f).where(), a, target, n));
        }
    }

    /** {@return the alignment an R_RISCV_ALIGN of addend {@code a} asks for: the least power of two greater than a} */
    static long alignmentOf(long a) {
        return a <= 0 ? 1 : Long.highestOneBit(a) << 1;
    }

    private void refuseIfNotAppliable(FixupRows rows, int f, RiscvKind k) throws RelocationException {
        if (k.appliable(xlen)) {
            return;
        }
        String why = switch (k) {
            case RELATIVE, COPY, JUMP_SLOT, IRELATIVE -> "it is a dynamic relocation, which only a dynamic linker applies";
            case RVC_LUI -> "c.lui relocations are not implemented (they only come from linker relaxation)";
            case GPREL_I, GPREL_S -> "gp-relative addressing needs __global_pointer$, which a module does not have";
            default -> "thread-local storage is not supported in modules";
        };
        throw notApplicable(rows.fixup(f), why);
    }

    private static void checkPlace(PendingWrites view, FixupRows rows, int f, int width) throws RelocationException {
        long off = rows.columns().offset(f);
        if (off < 0 || off > view.size() - width) {
            throw RiscvErrors.badPlace(rows.fixup(f), view.size(), width);
        }
    }

    private static int insn32(PendingWrites view, FixupRows rows, int f, java.util.function.IntPredicate isClass,
            String expected) throws RelocationException {
        int insn = view.readInsn(rows.columns().offset(f), 4);
        if (!isClass.test(insn)) {
            throw wrongInstruction(rows.fixup(f), insn, 4, expected);
        }
        return insn;
    }

    /** {@return v after checking it against the range and alignment of {@code k} for this XLEN} */
    private long checked(FixupRows rows, int f, RiscvKind k, long v) throws RelocationException {
        RelocationKind d = describe(k);
        if (v < d.min() || v > d.max()) {
            throw outOfRange(rows.fixup(f), v, d.min(), d.max());
        }
        if (d.alignment() > 1 && Math.floorMod(v, d.alignment()) != 0) {
            throw misaligned(rows.fixup(f), v, d.alignment());
        }
        return v;
    }
}
