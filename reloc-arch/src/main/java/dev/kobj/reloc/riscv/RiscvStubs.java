package dev.kobj.reloc.riscv;

import dev.kobj.reloc.RelocationBatch;
import dev.kobj.reloc.RelocationException;
import dev.kobj.reloc.RelocationException.Reason;
import dev.kobj.reloc.StubNeeds;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import java.util.List;

/**
 * GOT entries and PLT stubs (riscv-elf-psabi, "Procedure Linkage Table"). A GOT entry is one
 * XLEN-bit word in the object's byte order. A PLT stub is 16 bytes of little-endian
 * instructions:
 *
 * <pre>
 *   with a GOT slot:             without (the target within ±2 GiB):
 *   auipc t3, hi(slot - stub)     auipc t3, hi(target - stub)
 *   l[w|d] t3, lo(slot - stub)(t3) jalr  x0, lo(target - stub)(t3)
 *   jalr  t1, 0(t3)               nop
 *   nop                           nop
 * </pre>
 *
 * The caller's auipc+jalr (CALL/CALL_PLT) has already put the return address in its own link
 * register; the stub jumps without touching it (t1, as the psABI's PLT does, or x0).
 */
final class RiscvStubs {
    static final int STUB_SIZE = 16;
    private final int xlen;

    RiscvStubs(int xlen) {
        this.xlen = xlen;
    }

    int gotEntrySize() {
        return xlen / 8;
    }

    /**
     * GOT entries for GOT_HI20, PLT stubs for CALL/CALL_PLT, each deduplicated by (symbol,
     * addend). On RV32 an auipc+jalr reaches the whole address space modulo 2^32, so no call
     * ever needs a stub and none is counted.
     */
    StubNeeds scan(RelocationBatch relocations) {
        StubNeeds needs = StubNeeds.empty(gotEntrySize(), STUB_SIZE);
        for (int i = 0, n = relocations.size(); i < n; i++) {
            RiscvKind k = RiscvKind.of(relocations.type(i));
            if (k == RiscvKind.GOT_HI20) {
                StubNeeds.add(needs.gotEntries(), relocations.symbolIndex(i), relocations.addend(i));
            } else if ((k == RiscvKind.CALL || k == RiscvKind.CALL_PLT) && xlen == 64) {
                StubNeeds.add(needs.pltEntries(), relocations.symbolIndex(i), relocations.addend(i));
            }
        }
        return needs;
    }

    void writeGotEntry(MemorySegment got, long offset, ByteOrder order, long value) {
        PendingWrites view = PendingWrites.open(got);
        if (offset < 0 || offset > got.byteSize() - gotEntrySize()) {
            throw new IndexOutOfBoundsException("GOT entry at 0x%x (%d bytes) lies outside the GOT of 0x%x bytes"
                    .formatted(offset, gotEntrySize(), got.byteSize()));
        }
        view.write(offset, gotEntrySize(), order, value);
        view.commit();
    }

    void writeStub(MemorySegment plt, long offset, long stubAddress, long target, long gotSlot)
            throws RelocationException {
        int callPlt = RiscvKind.CALL_PLT.type();
        if (offset < 0 || offset > plt.byteSize() - STUB_SIZE) {
            throw new RelocationException(Reason.BAD_PLACE, callPlt, offset,
                    "PLT stub at 0x%x (%d bytes) lies outside the stub section of 0x%x bytes"
                            .formatted(offset, STUB_SIZE, plt.byteSize()));
        }
        long to = gotSlot != 0 ? gotSlot : target;
        long d = xlen == 32 ? (int) (to - stubAddress) : to - stubAddress;
        long min = Integer.MIN_VALUE - 0x800L;
        long max = Integer.MAX_VALUE - 0x800L;
        if (xlen == 64 && (d < min || d > max)) {
            throw new RelocationException(Reason.OUT_OF_RANGE, callPlt, d,
                    "PLT stub at 0x%x: %s 0x%x out of range: %d is not in [%d, %d]"
                            .formatted(stubAddress, gotSlot != 0 ? "GOT slot" : "target", to, d, min, max));
        }
        int hi = RiscvInstructions.hi20(d);
        int lo = (int) (d << 52 >> 52);
        int t3 = RiscvInstructions.T3;
        int[] insns = gotSlot != 0
                ? new int[] {RiscvInstructions.auipc(t3, hi), RiscvInstructions.loadWord(xlen, t3, t3, lo),
                        RiscvInstructions.jalr(RiscvInstructions.T1, t3, 0), RiscvInstructions.NOP}
                : new int[] {RiscvInstructions.auipc(t3, hi), RiscvInstructions.jalr(0, t3, lo), RiscvInstructions.NOP,
                        RiscvInstructions.NOP};
        PendingWrites view = PendingWrites.open(plt);
        for (int i = 0; i < insns.length; i++) {
            view.writeInsn(offset + 4L * i, 4, insns[i]);
        }
        view.commit();
    }
}
