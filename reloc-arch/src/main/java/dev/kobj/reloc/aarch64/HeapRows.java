package dev.kobj.reloc.aarch64;

import dev.kobj.reloc.FixupColumns;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;

/**
 * The common case of {@link AArch64Engine}'s {@code applyAll}, done as plain array loads and
 * stores: a section held in a writable heap {@code byte[]} (check, stats, the tests) whose
 * relocations lie at increasing, non-overlapping places (what compilers and assemblers emit for
 * almost every section). Then no row reads bytes an earlier row wrote, so every row can be
 * checked against the section as it is, and written afterwards: all or nothing without an undo
 * log, and without a memory-segment access per relocation (which C1 does not fold into a load).
 *
 * <p>{@link #apply} computes exactly what {@code AArch64Engine.plan} computes (aaelf64's
 * formulas in {@link Calc}, the field checks of {@link Field}, the erratum 843419 ADR rewrite),
 * and gives up, having written nothing, on anything else: a refusal of any kind (the engine then
 * runs its own path, which throws the refusal with its message), a row out of order or
 * overlapping the one before, an ADRP that needs an erratum 843419 veneer. Instructions are
 * little-endian (aaelf64 5.7.1); data words are of the object's byte order.
 */
final class HeapRows {
    private HeapRows() {
    }

    /** Rows above this many are not kept for the next section. */
    private static final int KEPT = 1 << 16;

    private static final byte NOTHING = 0;
    private static final byte DATA64 = 1;
    private static final byte DATA32 = 2;
    private static final byte DATA16 = 3;
    private static final byte INSN = 4;

    /** Per row: what to write ({@link #NOTHING}, a data width, {@link #INSN}) and the value. */
    private static final class Plan {
        byte[] what = new byte[256];
        long[] values = new long[256];

        void ensure(int n) {
            if (what.length < n) {
                int m = Math.max(n, what.length * 2);
                // both made before either is replaced: an OutOfMemoryError leaves them consistent
                byte[] w = new byte[m];
                long[] v = new long[m];
                what = w;
                values = v;
            }
        }
    }

    private static final ThreadLocal<Plan> PLANS = ThreadLocal.withInitial(Plan::new);

    /**
     * Checks every row of {@code c} against {@code section} and, when all pass, writes them.
     *
     * @param section  the section's bytes
     * @param order    the object's byte order (data words)
     * @param c        the rows, in relocation-table order
     * @param erratum  whether ADRPs at page offset 0xff8/0xffc are rewritten (Cortex-A53 843419)
     * @return true when every row was written; false when nothing was (not a writable heap
     *         section, a row out of order, a refusal, an erratum veneer): the caller then
     *         applies the rows its own way
     */
    static boolean apply(MemorySegment section, ByteOrder order, FixupColumns c, boolean erratum) {
        if (section.isReadOnly() || !(section.heapBase().orElse(null) instanceof byte[] array)) {
            return false;
        }
        long size = section.byteSize();
        long address = section.address();
        if (address < 0 || address + size > array.length) {
            return false;
        }
        int base = (int) address;
        int n = c.size();
        Plan plan = PLANS.get();
        plan.ensure(n);
        byte[] what = plan.what;
        long[] values = plan.values;
        long end = 0; // the end of the last place written so far
        for (int i = 0; i < n; i++) {
            AArch64Kind k = AArch64Kind.byType(c.type(i));
            if (k == null) {
                return false;
            }
            Field field = k.field();
            if (field == Field.NONE) {
                what[i] = NOTHING;
                continue;
            }
            long off = c.offset(i);
            int width = field.size();
            if (off < end || off > size - width) {
                return false;
            }
            end = off + width;
            long got = c.got(i);
            long gotBase = c.gotBase(i);
            if ((k.needsGotEntry() && got == 0) || (k.needsGotBase() && gotBase == 0)) {
                return false;
            }
            long p = c.place(i);
            long x = k.calc().compute(c.symbol(i), c.addend(i), p, got, gotBase);
            if (field.isData()) {
                if (x < k.min() || x > k.max()) {
                    return false;
                }
                what[i] = width == 8 ? DATA64 : width == 4 ? DATA32 : DATA16;
                values[i] = x;
                continue;
            }
            if ((p & 3) != 0) {
                return false;
            }
            int at = base + (int) off;
            int insn = (array[at] & 0xFF) | (array[at + 1] & 0xFF) << 8 | (array[at + 2] & 0xFF) << 16
                    | array[at + 3] << 24;
            if (!field.accepts(insn, k.shift())) {
                return false;
            }
            what[i] = INSN;
            if (k.isAdrp() && erratum && Erratum843419.forbidden(p)) {
                long target = k.calc() == Calc.GOT_PAGE_PREL ? got : c.symbol(i) + c.addend(i);
                long delta = Calc.page(target) - p;
                if (!Erratum843419.adrReaches(delta)) {
                    return false; // a veneer from the pool: the engine's own path
                }
                values[i] = A64.withImm21(A64.adrpToAdr(insn), delta);
                continue;
            }
            long stub = c.stub(i);
            if (k.mayUseVeneer() && (x < k.min() || x > k.max()) && stub != 0) {
                x = stub - p;
            }
            if (x < k.min() || x > k.max() || (x & (k.alignment() - 1)) != 0) {
                return false;
            }
            values[i] = field.insert(insn, x & k.mask(), k.shift());
        }
        boolean le = order == ByteOrder.LITTLE_ENDIAN;
        for (int i = 0; i < n; i++) {
            byte w = what[i];
            if (w == NOTHING) {
                continue;
            }
            int at = base + (int) c.offset(i);
            long v = values[i];
            if (w == INSN || le) {
                int bytes = w == DATA64 ? 8 : w == DATA16 ? 2 : 4;
                for (int b = 0; b < bytes; b++) {
                    array[at + b] = (byte) (v >>> (8 * b));
                }
            } else {
                int bytes = w == DATA64 ? 8 : w == DATA32 ? 4 : 2;
                for (int b = 0; b < bytes; b++) {
                    array[at + bytes - 1 - b] = (byte) (v >>> (8 * b));
                }
            }
        }
        if (what.length > KEPT) {
            PLANS.remove();
        }
        return true;
    }
}
