package dev.kobj.reloc.x86_64;

import dev.kobj.reloc.RelocationException;
import dev.kobj.reloc.RelocationException.Reason;
import java.lang.foreign.MemorySegment;

/**
 * The GOT entry and the PLT entry kobj makes on x86-64.
 *
 * <p>A GOT entry is one little-endian word64 holding S (the GOT formulas add A outside it).
 *
 * <p>A PLT entry is 16 bytes that embed the target, so it needs no GOT slot and reaches any
 * 64-bit address from anywhere:
 * <pre>
 *   +0  49 BB imm64    movabs r11, target   (REX.W+B, B8+3: r11)
 *   +10 41 FF E3       jmp    r11           (REX.B, FF /4, ModRM 11 100 011)
 *   +13 CC CC CC       int3 padding
 * </pre>
 * r11 is the psABI's scratch register that no call passes an argument in; rax would not do,
 * since a variadic call (printk) passes the number of vector registers used in al. A kernel
 * built with retpolines or IBT wants its own thunk or an endbr64 at the target; kobj's stub is
 * a plain indirect jump.
 */
final class X86_64Stubs {
    /** Bytes per GOT entry. */
    static final int GOT_ENTRY_SIZE = 8;
    /** Bytes per PLT entry. */
    static final int PLT_ENTRY_SIZE = 16;

    private X86_64Stubs() {
    }

    /** Writes the PLT entry jumping to {@code target} at {@code offset} of {@code plt}. */
    static void writePltEntry(MemorySegment plt, long offset, long target) throws RelocationException {
        if (offset < 0 || offset > plt.byteSize() - PLT_ENTRY_SIZE) {
            throw new RelocationException(Reason.BAD_PLACE, X86_64Kind.R_X86_64_PLT32.type(), offset,
                    "PLT entry of " + PLT_ENTRY_SIZE + " bytes at offset 0x" + Long.toHexString(offset)
                            + " does not fit the PLT section of 0x" + Long.toHexString(plt.byteSize()) + " bytes");
        }
        // 49 BB imm64 (movabs r11, target), 41 FF E3 (jmp r11), CC CC CC (int3): the 16 bytes as
        // two little-endian words, bytes 0-7 and 8-15
        long low = 0x49L | 0xBBL << 8 | target << 16;
        long high = target >>> 48 | 0x41L << 16 | 0xFFL << 24 | 0xE3L << 32 | 0xCCCCCCL << 40;
        X86_64Instructions.writeField(plt, offset, 8, low);
        X86_64Instructions.writeField(plt, offset + 8, 8, high);
    }

    /** Writes the GOT entry holding {@code value} at {@code offset} of {@code got}. */
    static void writeGotEntry(MemorySegment got, long offset, long value) {
        if (offset < 0 || offset > got.byteSize() - GOT_ENTRY_SIZE) {
            throw new IndexOutOfBoundsException("GOT entry at offset 0x" + Long.toHexString(offset)
                    + " does not fit the GOT of 0x" + Long.toHexString(got.byteSize()) + " bytes");
        }
        X86_64Instructions.writeField(got, offset, GOT_ENTRY_SIZE, value);
    }
}
