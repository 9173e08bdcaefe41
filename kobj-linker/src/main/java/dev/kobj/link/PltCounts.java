package dev.kobj.link;

import static dev.kobj.elf.ElfConstants.SHF_EXECINSTR;
import static dev.kobj.elf.ElfConstants.SHT_RELA;

import dev.kobj.elf.ElfFile;
import dev.kobj.elf.ElfFormatException;
import dev.kobj.elf.RelocationTable;
import dev.kobj.elf.SectionHeader;
import dev.kobj.elf.SymbolTable;
import dev.kobj.reloc.TargetSlots;
import java.util.Arrays;

/**
 * How many PLT (and GOT) entries the kernel's module loader reserves for a module, counted as
 * arm64's {@code module_frob_arch_sections} and riscv's do, from the relocation tables read in
 * place: primitive columns reused per thread, no object per relocation. {@link KernelSections}
 * sizes the {@code .plt}, {@code .init.plt}, {@code .got} and {@code .got.plt} sections with them.
 */
final class PltCounts {
    private PltCounts() {
    }

    private static final int JUMP26 = 282;
    private static final int CALL26 = 283;
    /** Columns above this many rows are not kept for the next module. */
    private static final int KEPT = 1 << 16;
    /** Relocation entries read in one bulk copy. */
    private static final int CHUNK = 1024;

    /** One table's relocations, column by column, reused per thread. */
    private static final class Columns {
        long[] type = new long[256];
        long[] sym = new long[256];
        long[] addend = new long[256];
        long[] offset = new long[256];
        long[] shndx = new long[256];
        /** The (type, symbol) keys of the front part's rows of addend 0, open addressing, live where {@code stamp == gen}. */
        long[] set = new long[256];
        int[] stamp = new int[256];
        int gen;
        /** The last row of the front part in {@code cmp_rela} order. */
        long lastType;
        long lastSym;
        long lastAddend;

        void ensureSet(int n) {
            if (set.length < n) {
                long[] s = new long[n];
                int[] t = new int[n];
                set = s;
                stamp = t;
            }
        }

        /** r_offset, r_info, r_addend of up to {@link #CHUNK} entries, as {@link RelocationTable#read} fills it. */
        final long[] chunk = new long[3 * CHUNK];

        void ensure(int n) {
            if (type.length < n) {
                int m = Math.max(n, type.length * 2);
                // all made before any is replaced: an OutOfMemoryError leaves the columns consistent
                long[] t = new long[m];
                long[] s = new long[m];
                long[] a = new long[m];
                long[] o = new long[m];
                type = t;
                sym = s;
                addend = a;
                offset = o;
            }
        }

        /** Fills rows [0, num) from {@code t}, read in chunks of {@link #CHUNK} entries. */
        void read(RelocationTable t, int num) {
            long[] e = chunk;
            for (int from = 0; from < num; from += CHUNK) {
                int k = Math.min(CHUNK, num - from);
                t.read(from, k, e);
                for (int r = 0; r < k; r++) {
                    long info = e[3 * r + 1];
                    offset[from + r] = e[3 * r];
                    type[from + r] = t.typeOf(info);
                    sym[from + r] = t.symbolOf(info);
                    addend[from + r] = e[3 * r + 2];
                }
            }
        }

        void swap(int i, int j) {
            long t = type[i];
            type[i] = type[j];
            type[j] = t;
            t = sym[i];
            sym[i] = sym[j];
            sym[j] = t;
            t = addend[i];
            addend[i] = addend[j];
            addend[j] = t;
            t = offset[i];
            offset[i] = offset[j];
            offset[j] = t;
        }
    }

    private static final ThreadLocal<Columns> COLUMNS = ThreadLocal.withInitial(Columns::new);

    /**
     * arm64 {@code count_plts}, summed per RELA section into plts[0] (core) and plts[1] (init),
     * as arch/arm64/kernel/module-plts.c counts (facts, 6.1): the branch relocations that need a
     * PLT (JUMP26/CALL26 to a symbol of another section) are first partitioned to the front
     * ({@code partition_branch_plt_relas}: two indices moving towards each other, swapping; the
     * element where they meet is never looked at, so the last such relocation may stay outside
     * the front part), the front part is sorted by type, symbol and addend, and each relocation
     * counts unless it equals the one before it ({@code duplicate_rel}). A relocation left
     * outside the sorted part can so count twice (6.1 arm64 vitesse: 10 distinct core targets,
     * 11 counted, a 12-entry .plt in the real kernel).
     *
     * <p>kobj does not sort: what the count of the sorted front part comes to is counted with a
     * hash set of its (type, symbol) keys ({@link #countFront}), and its last row in sorted order
     * kept for the comparison of the row after it.
     *
     * <p>A symbol's section is read once per module ({@code shndx} below); the first look-up of
     * each decodes the whole symbol, so a malformed one fails here as before.
     */
    static void countArm64(ElfFile elf, boolean erratum, long[] plts) throws ElfFormatException {
        SymbolTable syms = elf.symbolTable().orElse(null);
        Columns c = COLUMNS.get();
        int nsyms = syms == null ? 0 : syms.size();
        if (c.shndx.length < nsyms) {
            c.shndx = new long[Math.max(nsyms, c.shndx.length * 2)];
        }
        Arrays.fill(c.shndx, 0, nsyms, Long.MIN_VALUE); // not read yet
        for (RelocationTable t : elf.relocationTables()) {
            SectionHeader dst = t.target();
            if (t.section().type() != SHT_RELA || dst == null || (dst.flags() & SHF_EXECINSTR) == 0) {
                continue;
            }
            int num = (int) Math.min(t.size(), Integer.MAX_VALUE);
            c.ensure(num);
            c.read(t, num);
            int i = 0;
            int j = num - 1;
            while (i < j) {
                if (needsPlt(syms, c, i, dst)) {
                    i++;
                } else if (needsPlt(syms, c, j, dst)) {
                    c.swap(i, j);
                } else {
                    j--;
                }
            }
            long n = countFront(c, i);
            // rows [i, num): by the partition, only row i may be a branch needing a PLT entry; the
            // kernel compares it with the row before it, the last of the sorted front part
            for (int k = i; k < num; k++) {
                long type = c.type[k];
                if (type == JUMP26 || type == CALL26) {
                    if (sameSection(syms, c, k, dst)) {
                        continue;
                    }
                    boolean differs = k == 0 || (k == i
                            ? type != c.lastType || c.sym[k] != c.lastSym || c.addend[k] != c.lastAddend
                            : cmpRela(c, k, k - 1) != 0);
                    if (c.addend[k] != 0 || differs) {
                        n++;
                    }
                } else if (erratum && (type == 275 || type == 276)) { // ADR_PREL_PG_HI21(_NC)
                    long minAlign = 2L << Long.numberOfTrailingZeros(~(c.offset[k] | 0x7));
                    if (minAlign > 4096) {
                        n++;
                    }
                }
            }
            if (erratum) {
                n += Math.ceilDiv(n, 4096 / KernelSections.PLT_ENTRY);
            }
            plts[dst.name().startsWith(".init") ? 1 : 0] += n;
        }
        if (c.type.length > KEPT || c.shndx.length > KEPT || c.set.length > KEPT) {
            COLUMNS.remove();
        }
    }

    /**
     * {@return what {@code count_plts} counts over rows [0, n) once {@code sort()} has put them in
     * {@code cmp_rela} order (type, symbol index, addend), without sorting}: they are all JUMP26
     * or CALL26 to another section (the partition put them there), and a row counts unless its
     * addend is 0 and the row before it in that order is equal ({@code duplicate_rel}): so every
     * row of addend other than 0 counts, and each distinct (type, symbol) once more if one of its
     * rows has addend 0. Also leaves the last row of that order in {@code lastType},
     * {@code lastSym}, {@code lastAddend}, for the row after the front part to be compared with.
     */
    private static long countFront(Columns c, int n) {
        int cap = Integer.highestOneBit(Math.max(8, 4 * n - 1)); // at most half full
        c.ensureSet(cap);
        int mask = cap - 1;
        int gen = ++c.gen;
        if (gen == 0) { // wrapped: every stamp is stale again
            Arrays.fill(c.stamp, 0);
            gen = c.gen = 1;
        }
        long count = 0;
        long maxKey = -1;
        long maxAddend = Long.MIN_VALUE;
        for (int k = 0; k < n; k++) {
            long key = (c.type[k] - JUMP26) << 32 | c.sym[k]; // 33 bits: type 282/283, r_sym < 2^32
            long addend = c.addend[k];
            if (addend != 0) {
                count++;
            } else {
                int h = (int) ((key * 0x9E3779B97F4A7C15L) >>> 32) & mask;
                while (c.stamp[h] == gen && c.set[h] != key) {
                    h = (h + 1) & mask;
                }
                if (c.stamp[h] != gen) {
                    c.stamp[h] = gen;
                    c.set[h] = key;
                    count++;
                }
            }
            if (key > maxKey || (key == maxKey && addend > maxAddend)) {
                maxKey = key;
                maxAddend = addend;
            }
        }
        c.lastType = JUMP26 + (maxKey >>> 32);
        c.lastSym = maxKey & 0xFFFF_FFFFL;
        c.lastAddend = maxAddend;
        return count;
    }

    private static boolean sameSection(SymbolTable syms, Columns c, int k, SectionHeader dst)
            throws ElfFormatException {
        long sym = c.sym[k];
        if (syms == null || sym >= syms.size()) {
            return false;
        }
        long shndx = c.shndx[(int) sym];
        if (shndx == Long.MIN_VALUE) {
            // what get(sym) checks (the name inside the string table and terminated there, the
            // extended index present), without making the symbol or its name
            syms.nameLength((int) sym);
            shndx = syms.shndx((int) sym);
            c.shndx[(int) sym] = shndx;
        }
        return shndx == dst.index();
    }

    /** {@code branch_rela_needs_plt}: a JUMP26/CALL26 to a symbol outside the section. */
    private static boolean needsPlt(SymbolTable syms, Columns c, int k, SectionHeader dst)
            throws ElfFormatException {
        return (c.type[k] == JUMP26 || c.type[k] == CALL26) && !sameSection(syms, c, k, dst);
    }

    /** {@code cmp_rela}: by type, then symbol index, then addend. */
    private static int cmpRela(Columns c, int x, int y) {
        int r = Long.compareUnsigned(c.type[x], c.type[y]);
        if (r == 0) {
            r = Long.compareUnsigned(c.sym[x], c.sym[y]);
        }
        return r != 0 ? r : Long.compare(c.addend[x], c.addend[y]);
    }

    /**
     * riscv {@code count_max_entries}: distinct (type, symbol, addend) per RELA section of an
     * executable section, of R_RISCV_CALL_PLT (and R_RISCV_PLT32 when {@code plt32}) into plts[0]
     * and of R_RISCV_GOT_HI20 into gots[0].
     */
    static void countRiscv(ElfFile elf, boolean plt32, long[] plts, long[] gots) throws ElfFormatException {
        TargetSlots seen = new TargetSlots();
        long[] e = COLUMNS.get().chunk;
        for (RelocationTable t : elf.relocationTables()) {
            SectionHeader dst = t.target();
            if (t.section().type() != SHT_RELA || dst == null || (dst.flags() & SHF_EXECINSTR) == 0) {
                continue;
            }
            seen.clear();
            for (long from = 0, n = t.size(); from < n; from += CHUNK) {
                int k = (int) Math.min(CHUNK, n - from);
                t.read(from, k, e);
                for (int r = 0; r < k; r++) {
                    long info = e[3 * r + 1];
                    long type = t.typeOf(info);
                    boolean plt = type == 19 || (plt32 && type == 59); // CALL_PLT, PLT32
                    boolean got = type == 20; // GOT_HI20
                    // r_sym < 2^32 and the type < 2^32 on ELF64 (< 2^8 on ELF32): one key per (type, symbol)
                    if ((plt || got) && seen.putIfAbsent(type << 32 | t.symbolOf(info), e[3 * r + 2], 1)) {
                        if (plt) {
                            plts[0]++;
                        } else {
                            gots[0]++;
                        }
                    }
                }
            }
        }
    }
}
