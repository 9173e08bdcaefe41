package dev.kobj.reloc.aarch64;

import dev.kobj.reloc.Fixup;
import dev.kobj.reloc.RelocationException;
import dev.kobj.reloc.VeneerPool;

import java.lang.foreign.MemorySegment;

/**
 * The Cortex-A53 erratum 843419 workaround for an ADRP at page offset 0xff8 or 0xffc, as
 * Linux's arm64 module loader applies it ({@code reloc_insn_adrp}, {@code
 * module_emit_veneer_for_adrp}), in kobj's words:
 * <ol>
 *   <li>when Page(target) - P is within ±1 MiB, the ADRP becomes {@code ADR Xd, Page(target)}:
 *       the same value in Xd, from an instruction the erratum does not concern;</li>
 *   <li>otherwise it becomes {@code B veneer}, and the next slot of the {@link VeneerPool} gets
 * <pre>
 *   ADRP Xd, Page(target)     // same register, same page; at a 16-byte boundary, never at 0xff8
 *   B    P + 4                // back to the instruction after the original ADRP
 *   BRK  #0 ...               // the rest of the slot: a stray fall-through traps
 * </pre>
 *       (Linux's veneer has {@code ADD Xd, Xd, #0} between the two, an artefact of its shared
 *       ADRP/ADD helper that changes nothing; kobj leaves it out.)</li>
 * </ol>
 * The target is S+A, or the GOT entry for ADR_GOT_PAGE (which Linux does not apply at all).
 * Checks first: the slot must be 4-aligned and not itself at 0xff8/0xffc, the {@code B} must
 * reach the veneer and the veneer's {@code B} the return address (±128 MiB), and the veneer's
 * ADRP its page (±4 GiB); only then is a slot taken.
 */
final class Erratum843419 {
    private Erratum843419() {
    }

    private static final long ADR_MIN = -(1L << 20);
    private static final long ADR_MAX = (1L << 20) - 1;
    private static final long B_MIN = -(1L << 27);
    private static final long B_MAX = (1L << 27) - 4;
    private static final long ADRP_MIN = -(1L << 32);
    private static final long ADRP_MAX = (1L << 32) - 4096;
    private static final int B = 0x14000000;

    /** What to write: the word at the place, and the veneer's words in a taken slot (or none). */
    record Rewrite(int place, MemorySegment veneer, int[] veneerWords) {
    }

    /** {@return true when an ADRP at {@code address} is one the erratum concerns: page offset 0xff8 or 0xffc} */
    static boolean forbidden(long address) {
        return (address & 0xFFF) >= 0xFF8;
    }

    /** {@return true when an ADR reaches {@code delta} = Page(target) - P: the first, veneer-free rewrite} */
    static boolean adrReaches(long delta) {
        return delta >= ADR_MIN && delta <= ADR_MAX;
    }

    /**
     * The smallest section alignment that keeps an ADRP at section offset {@code offset} off
     * 0xff8/0xffc, or 0 when none of at most 4096 can ({@code offset}'s bits [11:3] are all
     * ones): {@code 2 << ffz(offset | 7)}.
     */
    static long safeAlignment(long offset) {
        long a = 2L << Long.numberOfTrailingZeros(~(offset | 7));
        return a > 4096 ? 0 : a;
    }

    /**
     * {@return true when an ADRP at {@code offset} of a section aligned to {@code alignment} may
     * land at page offset 0xff8/0xffc}: the bits below the alignment (at most 4096) are fixed by
     * the offset, the others are free.
     */
    static boolean mayLandForbidden(long offset, long alignment) {
        long a = alignment <= 1 ? 1 : Math.min(Long.lowestOneBit(alignment), 4096);
        return ((offset | ~(a - 1)) & 0xFF8) == 0xFF8;
    }

    /** Plans the rewrite of the ADRP {@code insn} at {@code f.place()}. Writes nothing; takes a slot last. */
    static Rewrite plan(Fixup f, AArch64Kind k, int insn, VeneerPool veneers) throws RelocationException {
        long target = k.calc() == Calc.GOT_PAGE_PREL ? f.got() : f.symbol() + f.addend();
        long page = Calc.page(target);
        long delta = page - f.place();
        if (adrReaches(delta)) {
            return new Rewrite(A64.withImm21(A64.adrpToAdr(insn), delta), null, null);
        }
        String why = " (Cortex-A53 erratum 843419: the ADRP at page offset 0x" + Long.toHexString(f.place() & 0xFFF)
                + " must move to a veneer, an ADR cannot reach Page(target): " + delta + " is not in [" + ADR_MIN + ", "
                + ADR_MAX + "])";
        if (!veneers.hasFree() || veneers.entrySize() < 8) {
            throw Errors.noVeneer(f, veneers.capacity(), why);
        }
        long v = veneers.nextAddress();
        if ((v & 3) != 0 || forbidden(v)) {
            throw Errors.badVeneerSlot(f, v, why);
        }
        long there = v - f.place();
        if (there < B_MIN || there > B_MAX) {
            throw Errors.outOfRange(f, there, B_MIN, B_MAX, " (the B to the ADRP veneer at 0x" + Long.toHexString(v)
                    + ")" + why);
        }
        long back = f.place() - v; // from the veneer's B at v + 4 to P + 4
        if (back < B_MIN || back > B_MAX) {
            throw Errors.outOfRange(f, back, B_MIN, B_MAX, " (the ADRP veneer at 0x" + Long.toHexString(v)
                    + " branching back)" + why);
        }
        long pages = page - Calc.page(v);
        if (pages < ADRP_MIN || pages > ADRP_MAX) {
            throw Errors.outOfRange(f, pages, ADRP_MIN, ADRP_MAX, " (the ADRP of the veneer at 0x" + Long.toHexString(v)
                    + ")" + why);
        }
        int[] words = new int[veneers.entrySize() / 4];
        java.util.Arrays.fill(words, A64.BRK0);
        words[0] = A64.adrp(insn & 0x1F, pages >> 12);
        words[1] = A64.withImm26(B, back);
        return new Rewrite(A64.withImm26(B, there), veneers.take(), words);
    }
}
