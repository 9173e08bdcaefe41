package dev.kobj.reloc.aarch64;

import static dev.kobj.elf.ByteOrderLayouts.LE32;

import dev.kobj.reloc.FixupColumns;
import dev.kobj.reloc.FixupRows;
import dev.kobj.reloc.RelocationException;
import dev.kobj.reloc.VeneerPool;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

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
 * overlapping the one before. An ADRP that needs an erratum 843419 veneer is planned once every
 * other row has passed, in table order, as the engine's own path takes the slots (a refusal
 * there gives the slots back and writes nothing). Instructions are little-endian (aaelf64
 * 5.7.1); data words are of the object's byte order.
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
    private static final byte VENEER = 5;


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
     * @param rows     the rows, in relocation-table order
     * @param erratum  whether ADRPs at page offset 0xff8/0xffc are rewritten (Cortex-A53 843419)
     * @param veneers  where an erratum 843419 veneer is taken from
     * @return true when every row was written; false when nothing was (not a writable heap
     *         section, a row out of order, a refusal): the caller then applies the rows its own way
     * @throws RelocationException when an erratum 843419 veneer cannot be made, as the engine's
     *                             own path throws it; nothing is written and no slot kept
     */
    static boolean apply(MemorySegment section, ByteOrder order, FixupRows rows, boolean erratum,
            VeneerPool veneers) throws RelocationException {
        FixupColumns c = rows.columns();
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
        int veneerRows = 0;
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
                    what[i] = VENEER; // planned below, once every row has passed
                    values[i] = insn;
                    veneerRows++;
                    continue;
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
        if (veneerRows > 0) {
            planVeneers(rows, n, what, values, veneers, veneerRows);
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

    /**
     * Plans the erratum 843419 veneer of each row marked {@link #VENEER} (whose value holds the
     * ADRP), in table order, taking the slots as the engine's own path does; writes the veneers
     * and turns each row into the {@code B} to its veneer. On a refusal gives every slot back.
     */
    private static void planVeneers(FixupRows rows, int n, byte[] what, long[] values, VeneerPool veneers,
            int count) throws RelocationException {
        int mark = veneers.mark();
        List<Erratum843419.Rewrite> planned = new ArrayList<>(count);
        try {
            for (int i = 0; i < n; i++) {
                if (what[i] == VENEER) {
                    AArch64Kind k = AArch64Kind.byType(rows.columns().type(i));
                    planned.add(Erratum843419.plan(rows.fixup(i), k, (int) values[i], veneers));
                }
            }
        } catch (RelocationException | RuntimeException e) {
            veneers.release(mark);
            throw e;
        }
        for (int i = 0, r = 0; i < n; i++) {
            if (what[i] == VENEER) {
                Erratum843419.Rewrite rw = planned.get(r++);
                what[i] = INSN;
                values[i] = rw.place();
                for (int w = 0; rw.veneer() != null && w < rw.veneerWords().length; w++) {
                    rw.veneer().set(LE32, 4L * w, rw.veneerWords()[w]);
                }
            }
        }
    }
}
