package dev.kobj.reloc.aarch64;

import dev.kobj.reloc.RelocationEngine.RawRelocation;
import dev.kobj.reloc.RelocationException;
import dev.kobj.reloc.RelocationException.Reason;
import dev.kobj.reloc.StubNeeds;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.List;

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

    /** Counts GOT entries and veneers, each deduplicated by (symbol, addend). */
    static StubNeeds scan(List<RawRelocation> relocations) {
        StubNeeds needs = StubNeeds.empty(GOT_ENTRY_SIZE, VENEER_SIZE);
        for (RawRelocation r : relocations) {
            AArch64Kind.of(r.type()).ifPresent(k -> {
                StubNeeds.Target t = new StubNeeds.Target(r.symbolIndex(), r.addend());
                if (k.needsGotEntry()) {
                    needs.gotEntries().add(t);
                }
                if (k.mayUseVeneer()) {
                    needs.pltEntries().add(t);
                }
            });
        }
        return needs;
    }

    static void writeGotEntry(MemorySegment got, long offset, ByteOrder order, long value) {
        got.set(ValueLayout.JAVA_LONG_UNALIGNED.withOrder(order), offset, value);
    }

    /**
     * Writes the veneer at {@code offset} of {@code plt}, which will live at {@code stubAddress}
     * and jump to {@code target}. Checks first: a misaligned veneer or a target beyond ±4 GiB of
     * the veneer's page throws and writes nothing.
     */
    static void writeVeneer(MemorySegment plt, long offset, long stubAddress, long target) throws RelocationException {
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
            throw new RelocationException(Reason.OUT_OF_RANGE, 0, pages, "veneer at 0x"
                    + Long.toHexString(stubAddress) + ": target 0x" + Long.toHexString(target)
                    + " out of ADRP range: " + pages + " is not in [" + -(1L << 32) + ", " + ((1L << 32) - 1) + "]");
        }
        plt.set(INSN, offset, A64.adrp(IP0, pages >> 12));
        plt.set(INSN, offset + 4, A64.addImm64(IP0, IP0, target & 0xFFF));
        plt.set(INSN, offset + 8, A64.br(IP0));
        plt.set(INSN, offset + 12, A64.BRK0);
    }
}
