package dev.kobj.reloc.aarch64;

import dev.kobj.reloc.RelocationBatch;
import dev.kobj.reloc.RelocationException;
import dev.kobj.reloc.RelocationException.Reason;
import dev.kobj.reloc.StubNeeds;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * AArch64 GOT entries and branch veneers.
 *
 * <p>A GOT entry is one 8-byte word holding S+A, in the object's byte order (aaelf64: "the
 * GOT and each entry in it must be 64-bit aligned for ELF64").
 *
 * <p>A veneer is the 16-byte sequence
 * <pre>
 *   ADRP x16, Page(target) - Page(veneer)   // ±4 GiB from the veneer
 *   ADD  x16, x16, #(target &amp; 0xfff)
 *   BR   x16
 *   BRK  #0                                 // padding: a stray fall-through traps
 * </pre>
 * or, for a target beyond ±4 GiB of the veneer, the 16-byte
 * <pre>
 *   LDR  x16, #8                            // the literal below
 *   BR   x16
 *   .xword target                           // in the object's byte order
 * </pre>
 * It clobbers only IP0 (x16), which aaelf64 ("Call and Jump relocations") allows a linker
 * veneer to corrupt, and BR through x16/x17 is what a BTI "c" landing pad accepts. Laid out at
 * 16-byte boundaries, its ADRP never sits at page offset 0xff8/0xffc (Cortex-A53 erratum
 * 843419), and it is followed by ADD, not by a load or store, anyway.
 */
final class AArch64Stubs {
    private AArch64Stubs() {
    }

    static final int GOT_ENTRY_SIZE = 8;
    static final int VENEER_SIZE = 16;
    private static final int IP0 = 16;

    private static final ValueLayout.OfInt INSN = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /**
     * Counts GOT entries and branch veneers, each deduplicated by (symbol, addend), and, with the
     * erratum 843419 workaround on, the ADRP veneers (one per ADRP that may land at page offset
     * 0xff8/0xffc) and the code sections whose alignment keeps the others off those offsets.
     */
    static StubNeeds scan(RelocationBatch relocations, boolean erratum843419) {
        StubNeeds needs = StubNeeds.empty(GOT_ENTRY_SIZE, VENEER_SIZE);
        Map<Integer, Long> alignments = new TreeMap<>();
        // the relocations come table by table: the largest alignment of the current section is
        // kept here and merged into the map when the section changes (not one merge per ADRP)
        int alignSection = -1;
        long alignMax = 0;
        int adrpVeneers = 0;
        for (int i = 0, n = relocations.size(); i < n; i++) {
            AArch64Kind k = AArch64Kind.byType(relocations.type(i));
            if (k == null) {
                continue;
            }
            long symbol = relocations.symbolIndex(i);
            long addend = relocations.addend(i);
            if (k.needsGotEntry()) {
                StubNeeds.add(needs.gotEntries(), symbol, addend);
            }
            if (k.mayUseVeneer()) {
                StubNeeds.add(needs.pltEntries(), symbol, addend);
            }
            if (k.isAdrp() && erratum843419) {
                boolean placed = relocations.hasPlace(i);
                boolean code = placed && relocations.executable(i);
                long safe = code ? Erratum843419.safeAlignment(relocations.offset(i)) : 0;
                if (safe != 0) {
                    int section = relocations.section(i);
                    if (section != alignSection) {
                        if (alignSection >= 0) {
                            alignments.merge(alignSection, alignMax, Math::max);
                        }
                        alignSection = section;
                        alignMax = safe;
                    } else {
                        alignMax = Math.max(alignMax, safe);
                    }
                } else if (!placed || code
                        || Erratum843419.mayLandForbidden(relocations.offset(i), relocations.alignment(i))) {
                    adrpVeneers++;
                }
            }
        }
        if (alignSection >= 0) {
            alignments.merge(alignSection, alignMax, Math::max);
        }
        return needs.withVeneers(adrpVeneers, alignments);
    }

    static void writeGotEntry(MemorySegment got, long offset, ByteOrder order, long value) {
        DataWords.set64(got, order, offset, value);
    }

    /**
     * Writes the veneer at {@code offset} of {@code plt}, which will live at {@code stubAddress}
     * and jump to {@code target}: the ADRP/ADD/BR form when the target's page is within ±4 GiB of
     * the veneer's, else {@code LDR x16, #8; BR x16} and the target as an 8-byte literal in the
     * object's byte order. Linux 6.1 always writes the ADRP form and, for a target beyond ±4 GiB
     * (a weak undefined symbol, 0, called from a module at 0xffff8000_0xxxxxxx), truncates the
     * page offset to 32 bits: its veneer goes to a wrong address, or holds a BRK; kobj's goes to
     * the target, and a call through it faults at 0 as a call through a null pointer does. The
     * literal is 8-aligned when the veneer is (the linker lays veneers out at 16). Checks
     * first: a misaligned veneer throws and writes nothing.
     */
    static void writeVeneer(MemorySegment plt, long offset, ByteOrder order, long stubAddress, long target)
            throws RelocationException {
        if ((stubAddress & 3) != 0) {
            throw new RelocationException(Reason.MISALIGNED, 0, stubAddress, "veneer at 0x"
                    + Long.toHexString(stubAddress) + ": improper alignment: not aligned to 4 bytes");
        }
        if (offset < 0 || offset > plt.byteSize() - VENEER_SIZE) {
            throw new RelocationException(Reason.BAD_PLACE, 0, offset, "veneer at offset 0x"
                    + Long.toHexString(offset) + " (16 bytes) lies outside the stub section of "
                    + plt.byteSize() + " bytes");
        }
        long pages = Calc.page(target) - Calc.page(stubAddress);
        if (pages < -(1L << 32) || pages >= (1L << 32)) {
            plt.set(INSN, offset, A64.ldrXLiteral(IP0, 8));
            plt.set(INSN, offset + 4, A64.br(IP0));
            DataWords.set64(plt, order, offset + 8, target);
            return;
        }
        plt.set(INSN, offset, A64.adrp(IP0, pages >> 12));
        plt.set(INSN, offset + 4, A64.addImm64(IP0, IP0, target & 0xFFF));
        plt.set(INSN, offset + 8, A64.br(IP0));
        plt.set(INSN, offset + 12, A64.BRK0);
    }
}
