package dev.kobj.reloc.x86_64;

import dev.kobj.elf.Arch;
import dev.kobj.reloc.Fixup;
import dev.kobj.reloc.FixupColumns;
import dev.kobj.reloc.RelocationEngine;
import dev.kobj.reloc.RelocationException.Reason;
import dev.kobj.reloc.RelocationException;
import dev.kobj.reloc.RelocationBatch;
import dev.kobj.reloc.RelocationKind;
import dev.kobj.reloc.StubNeeds;
import dev.kobj.reloc.VeneerPool;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The x86-64 relocation engine (System V AMD64 psABI, "Relocation").
 *
 * <p>Each fixup is planned (kind known and appliable, place inside the section, instruction
 * of the right class for GOTPCRELX, GOT entry or PLT entry present when the formula needs one,
 * value in range) before anything is written; {@link #applyAll} plans every fixup of the
 * section, then writes them all, so a failure changes no byte. x86-64 has no paired or
 * accumulating relocations: each fixup is independent of the others.
 *
 * <p>GOT entries hold S and PLT entries reach S: the x86-64 formulas add A to the entry's or
 * stub's address ({@code G + GOT + A - P}, {@code L + A - P}, A being -4 for a disp32 that ends
 * the instruction), so {@link #stubTarget} keys them by (symbol, 0): one entry per symbol, as
 * in GNU ld. Formulas that need the GOT's own address treat {@link Fixup#gotBase()} 0 as "no
 * GOT was made".
 */
public final class X86_64Engine implements RelocationEngine {
    private static final List<RelocationKind> KINDS;

    static {
        List<RelocationKind> kinds = new ArrayList<>();
        for (X86_64Kind k : X86_64Kind.values()) {
            kinds.add(k.describe());
        }
        KINDS = List.copyOf(kinds);
    }

    /** The engine ({@link dev.kobj.reloc.RelocationEngines#forMachine} hands out one). */
    public X86_64Engine() {
    }

    @Override
    public Arch arch() {
        return Arch.X86_64;
    }

    @Override
    public Optional<RelocationKind> kind(int type) {
        return X86_64Kind.of(type).map(X86_64Kind::describe);
    }

    @Override
    public List<RelocationKind> kinds() {
        return KINDS;
    }

    @Override
    public void apply(MemorySegment section, ByteOrder order, Fixup fixup) throws RelocationException {
        applyAll(section, order, List.of(fixup));
    }

    @Override
    public void applyAll(MemorySegment section, ByteOrder order, List<Fixup> fixups) throws RelocationException {
        // Check every fixup first, then write: primitive arrays, no object per relocation.
        int n = fixups.size();
        long[] values = new long[n];
        byte[] widths = new byte[n];
        for (int i = 0; i < n; i++) {
            check(section, order, fixups.get(i), i, values, widths);
        }
        for (int i = 0; i < n; i++) {
            if (widths[i] != 0) {
                X86_64Instructions.writeField(section, fixups.get(i).offset(), widths[i], values[i]);
            }
        }
    }

    /**
     * {@inheritDoc} The common kinds (64, 32, 32S, PC32, PC64, and PLT32 when the target is in
     * reach) are checked and computed from the columns; any other row, and any row that fails
     * a check, goes through the same code as the list form, which throws its refusal.
     */
    @Override
    public void applyAll(MemorySegment section, ByteOrder order, FixupColumns fixups, VeneerPool veneers)
            throws RelocationException {
        int n = fixups.size();
        Plan plan = Plan.of(n);
        long[] values = plan.values;
        byte[] widths = plan.widths;
        long size = section.byteSize();
        boolean le = order == ByteOrder.LITTLE_ENDIAN;
        for (int i = 0; i < n; i++) {
            X86_64Kind k = X86_64Kind.byType(fixups.type(i));
            long off = fixups.offset(i);
            long v = 0;
            boolean done = false;
            if (le && k != null && off >= 0) {
                long sa = fixups.symbol(i) + fixups.addend(i);
                switch (k) {
                    case R_X86_64_64, R_X86_64_32, R_X86_64_32S -> {
                        v = sa;
                        done = true;
                    }
                    case R_X86_64_PC32, R_X86_64_PC64, R_X86_64_PLT32 -> {
                        v = sa - fixups.place(i);
                        done = true;
                    }
                    default -> {
                    }
                }
                done = done && off <= size - k.bits() / 8 && k.fits(v);
            }
            if (done) {
                widths[i] = (byte) (k.bits() / 8);
                values[i] = v;
            } else {
                widths[i] = 0;
                check(section, order, fixups.fixup(i), i, values, widths); // throws, or a slow kind
            }
        }
        // Heap memory (check, stats, tests) is written as plain array stores; any other memory
        // through the segment. Every row was checked above: all or nothing holds either way.
        byte[] array = section.isReadOnly() ? null : section.heapBase().orElse(null) instanceof byte[] b ? b : null;
        long base = section.address();
        for (int i = 0; i < n; i++) {
            if (widths[i] == 0) {
                continue;
            }
            if (array != null) {
                X86_64Instructions.writeLittleEndian(array, (int) (base + fixups.offset(i)), widths[i], values[i]);
            } else {
                X86_64Instructions.writeField(section, fixups.offset(i), widths[i], values[i]);
            }
        }
    }

    /**
     * The values and widths {@code applyAll} plans before it writes, per thread and reused from one
     * section to the next (rows above {@link #KEPT} are not kept).
     */
    private static final class Plan {
        private static final int KEPT = 1 << 16;
        private static final ThreadLocal<Plan> PLANS = ThreadLocal.withInitial(Plan::new);

        long[] values = new long[256];
        byte[] widths = new byte[256];

        /** {@return this thread's plan, with room for {@code n} rows (a new one above KEPT)} */
        static Plan of(int n) {
            if (n > KEPT) {
                Plan p = new Plan();
                p.values = new long[n];
                p.widths = new byte[n];
                return p;
            }
            Plan p = PLANS.get();
            if (p.values.length < n) {
                int m = Math.min(KEPT, Math.max(n, p.values.length * 2));
                // both made before either is replaced: an OutOfMemoryError leaves them consistent
                long[] v = new long[m];
                byte[] w = new byte[m];
                p.values = v;
                p.widths = w;
            }
            return p;
        }
    }

    /** Checks fixup {@code i} and sets its value and width (0: nothing to write), or throws. */
    private static void check(MemorySegment section, ByteOrder order, Fixup f, int i, long[] values, byte[] widths)
            throws RelocationException {
        if (order != ByteOrder.LITTLE_ENDIAN) {
            throw new RelocationException(Reason.NOT_APPLICABLE, f.type(), 0,
                    f.where() + ": x86-64 objects are little-endian, this one says big-endian");
        }
        X86_64Kind k = plan(section, f);
        if (k != null) {
            widths[i] = (byte) (k.bits() / 8);
            values[i] = value(k, f);
            if (!k.fits(values[i])) {
                throw new RelocationException(Reason.OUT_OF_RANGE, f.type(), values[i], outOfRange(k, f, values[i]));
            }
        }
    }

    /** Checks one fixup's type and place and returns its kind, or null for NONE. */
    private static X86_64Kind plan(MemorySegment section, Fixup f) throws RelocationException {
        int type = f.type();
        X86_64Kind k = X86_64Kind.byType(type);
        if (k == null) {
            throw new RelocationException(Reason.UNKNOWN_TYPE, f.type(), f.type(),
                    f.where() + ": unknown relocation type " + f.type() + " (x86-64)" + refs(f));
        }
        if (k.refusal() != null) {
            throw new RelocationException(Reason.NOT_APPLICABLE, f.type(), 0,
                    f.where() + ": relocation " + k.name() + " cannot be applied to a module: " + k.refusal()
                            + refs(f));
        }
        if (k == X86_64Kind.R_X86_64_NONE) {
            return null;
        }
        int bytes = k.bits() / 8;
        if (f.offset() < 0 || f.offset() > section.byteSize() - bytes) {
            throw new RelocationException(Reason.BAD_PLACE, f.type(), f.offset(),
                    f.where() + ": relocation " + k.name() + " writes " + bytes + " bytes at offset 0x"
                            + Long.toHexString(f.offset()) + ", outside the section of 0x"
                            + Long.toHexString(section.byteSize()) + " bytes" + refs(f));
        }
        if (k == X86_64Kind.R_X86_64_GOTPCRELX || k == X86_64Kind.R_X86_64_REX_GOTPCRELX) {
            String problem = X86_64Instructions.checkGotpcrelx(section, f.offset(),
                    k == X86_64Kind.R_X86_64_REX_GOTPCRELX);
            if (problem != null) {
                throw new RelocationException(Reason.WRONG_INSTRUCTION, f.type(), 0,
                        f.where() + ": relocation " + k.name() + " does not mark a RIP-relative load: " + problem
                                + refs(f));
            }
        }
        return k;
    }

    /** The psABI formula of {@code k}, in wrapping 64-bit arithmetic. */
    private static long value(X86_64Kind k, Fixup f) throws RelocationException {
        long s = f.symbol();
        long a = f.addend();
        long p = f.place();
        return switch (k) {
            case R_X86_64_64, R_X86_64_32, R_X86_64_32S, R_X86_64_16, R_X86_64_8 -> s + a;
            case R_X86_64_PC64, R_X86_64_PC32, R_X86_64_PC16, R_X86_64_PC8, R_X86_64_PC32_BND -> s + a - p;
            case R_X86_64_PLT32, R_X86_64_PLT32_BND -> {
                long direct = s + a - p;
                if (k.fits(direct)) {
                    yield direct;
                }
                if (f.stub() == 0) {
                    throw new RelocationException(Reason.MISSING_PARTNER, f.type(), direct,
                            outOfRange(k, f, direct) + ", and the linker made no PLT entry to reach it");
                }
                yield f.stub() + a - p;
            }
            case R_X86_64_GOTPCREL, R_X86_64_GOTPCRELX, R_X86_64_REX_GOTPCRELX, R_X86_64_GOTPCREL64 ->
                    gotEntry(k, f) + a - p;
            case R_X86_64_GOT32, R_X86_64_GOT64, R_X86_64_GOTPLT64 -> gotEntry(k, f) - gotBase(k, f) + a;
            case R_X86_64_GOTPC32, R_X86_64_GOTPC64 -> gotBase(k, f) + a - p;
            case R_X86_64_GOTOFF64 -> s + a - gotBase(k, f);
            case R_X86_64_PLTOFF64 -> (f.stub() != 0 ? f.stub() : s) - gotBase(k, f) + a;
            case R_X86_64_SIZE32, R_X86_64_SIZE64 -> f.symbolSize() + a;
            default -> throw new AssertionError(k + " is refused before its value is computed");
        };
    }

    private static long gotEntry(X86_64Kind k, Fixup f) throws RelocationException {
        if (f.got() == 0) {
            throw new RelocationException(Reason.MISSING_PARTNER, f.type(), 0, f.where() + ": relocation " + k.name()
                    + " needs a GOT entry for '" + f.name() + "', but the linker made none");
        }
        return f.got();
    }

    private static long gotBase(X86_64Kind k, Fixup f) throws RelocationException {
        if (f.gotBase() == 0) {
            throw new RelocationException(Reason.MISSING_PARTNER, f.type(), 0, f.where() + ": relocation " + k.name()
                    + " needs the address of the GOT, but the linker made no GOT" + refs(f));
        }
        return f.gotBase();
    }

    private static String outOfRange(X86_64Kind k, Fixup f, long value) {
        return f.where() + ": relocation " + k.name() + " out of range: " + value + " is not in [" + k.min() + ", "
                + k.max() + "]" + refs(f);
    }

    private static String refs(Fixup f) {
        return f.name() == null || f.name().isEmpty() ? "" : "; references '" + f.name() + "'";
    }

    @Override
    public long stubAddend(int type, long symbolIndex, long addend) {
        return 0;
    }

    /** {@inheritDoc} Only the types {@link #scan} counts an entry for: GOT and branch kinds. */
    @Override
    public boolean scans(int type) {
        X86_64Kind k = X86_64Kind.byType(type);
        return k != null && (k.needsGotEntry() || k.mayNeedPltEntry());
    }

    /**
     * GOT entries for GOT32, GOTPCREL, GOTPCRELX, REX_GOTPCRELX, GOT64, GOTPCREL64 and GOTPLT64;
     * PLT entries for PLT32 (and PLT32_BND); each keyed by {@link #stubTarget}, i.e. by symbol.
     * Unknown and refused types need nothing here: {@link #apply} reports them.
     */
    @Override
    public StubNeeds scan(RelocationBatch relocations) {
        StubNeeds needs = StubNeeds.empty(X86_64Stubs.GOT_ENTRY_SIZE, X86_64Stubs.PLT_ENTRY_SIZE);
        for (int i = 0, n = relocations.size(); i < n; i++) {
            X86_64Kind k = X86_64Kind.byType(relocations.type(i));
            if (k == null) {
                continue;
            }
            if (k.needsGotEntry()) {
                StubNeeds.add(needs.gotEntries(), relocations.symbolIndex(i), 0);
            } else if (k.mayNeedPltEntry()) {
                StubNeeds.add(needs.pltEntries(), relocations.symbolIndex(i), 0);
            }
        }
        return needs;
    }

    /**
     * Writes the 8-byte little-endian GOT entry.
     *
     * @throws IllegalArgumentException if {@code order} is big-endian
     * @throws IndexOutOfBoundsException if the entry does not fit {@code got}
     */
    @Override
    public void writeGotEntry(MemorySegment got, long offset, ByteOrder order, long value) {
        if (order != ByteOrder.LITTLE_ENDIAN) {
            throw new IllegalArgumentException("x86-64 is little-endian");
        }
        X86_64Stubs.writeGotEntry(got, offset, value);
    }

    /**
     * Writes the 16-byte PLT entry of {@link X86_64Stubs}: {@code movabs r11, target; jmp r11}.
     * It embeds the target, so it reaches it from any {@code stubAddress}; {@code gotSlot} is
     * not used.
     */
    @Override
    public void writeStub(MemorySegment plt, long offset, ByteOrder order, long stubAddress, long target,
            long gotSlot) throws RelocationException {
        if (order != ByteOrder.LITTLE_ENDIAN) {
            throw new RelocationException(Reason.NOT_APPLICABLE, X86_64Kind.R_X86_64_PLT32.type(), 0,
                    "x86-64 PLT entries are little-endian, the object says big-endian");
        }
        X86_64Stubs.writePltEntry(plt, offset, target);
    }
}
