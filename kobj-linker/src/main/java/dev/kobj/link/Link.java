package dev.kobj.link;

import static dev.kobj.elf.ElfConstants.SHF_EXECINSTR;
import static dev.kobj.elf.ElfConstants.SHT_GROUP;

import dev.kobj.elf.ElfFile;
import dev.kobj.elf.ElfFormatException;
import dev.kobj.elf.RelocationTable;
import dev.kobj.elf.SectionHeader;
import dev.kobj.link.LinkException.Kind;
import dev.kobj.link.LoadedImage.LinkedSymbol;
import dev.kobj.link.LoadedImage.Part;
import dev.kobj.link.LoadedImage.PlacedSection;
import dev.kobj.link.LoadedImage.Region;
import dev.kobj.link.LoadedImage.StubKind;
import dev.kobj.link.LoadedImage.StubSection;
import dev.kobj.reloc.Fixup;
import dev.kobj.reloc.FixupColumns;
import dev.kobj.reloc.RelocationBatch;
import dev.kobj.reloc.RelocationEngine;
import dev.kobj.reloc.RelocationException;
import dev.kobj.reloc.StubNeeds;
import dev.kobj.reloc.TargetSet;
import dev.kobj.reloc.VeneerPool;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One link: the passes of {@link Linker#link} in order, each leaving its result in a field.
 * Allocations are recorded as soon as they exist so that {@link #abandon} can free them all.
 */
final class Link {

    /** Largest section or layout kobj will place (a hostile sh_size cannot make it allocate more). */
    static final long MAX_LAYOUT = 1L << 30;

    static final String GOT_NAME = ".kobj.got";
    static final String PLT_NAME = ".kobj.plt";
    static final String VENEERS_NAME = ".kobj.veneers";

    private final ElfFile elf;
    private final LinkRequest request;
    private final ByteOrder order;
    private final List<Allocation> allocations = new ArrayList<>();

    private RelocationEngine engine;
    private Resolution resolution;
    private LayoutStrategy strategy;
    private LayoutPlan plan;
    private StubNeeds needs;
    private final List<RelocationTable> tables = new ArrayList<>();
    private Placement placement;
    private Map<Integer, PlacedSection> placed;
    private List<StubSection> stubs;
    private long gotBase;
    private VeneerPool veneers = VeneerPool.none();
    private long[] values;
    /** st_size of each symbol (Z of the SIZE relocations). */
    private long[] sizes;
    private long relocations;

    Link(ElfFile elf, LinkRequest request) {
        this.elf = elf;
        this.request = request;
        this.order = elf.header().order();
    }

    /** {@return true when the kernel would load {@code s}: SHF_ALLOC, not a group, not .modinfo/__versions} */
    static boolean loaded(SectionHeader s) {
        return s.isAlloc() && s.type() != SHT_GROUP && !s.name().equals(".modinfo") && !s.name().equals("__versions");
    }

    LoadedImage run() throws LinkException {
        String step = "load checks";
        try {
            check();
            step = "stub scan";
            scan();
            step = "layout";
            lay();
            step = "allocation";
            allocate();
            step = "resolution";
            resolve();
            step = "stubs";
            writeStubs();
            step = "relocation";
            relocate();
            step = "finalization";
            LinkedImage image = finish();
            allocations.clear();
            return image;
        } catch (ElfFormatException e) {
            abandon();
            throw new LinkException(Kind.FORMAT, elf.name(), e.getMessage(), e);
        } catch (LinkException e) {
            abandon();
            if (e.file().isEmpty()) {
                // A HostMemory's own error knows neither the file nor the step: name both.
                throw new LinkException(e.kind(), elf.name(), elf.name() + ": " + step + ": " + e.getMessage(), e);
            }
            throw e;
        } catch (RuntimeException | Error e) {
            abandon();
            throw e;
        } finally {
            if (sizes != null && sizes.length <= KEPT_SYMBOLS) {
                SIZES.set(sizes); // this thread's next link takes it
            }
        }
    }

    /**
     * The st_size column of the symbols, per thread: a link takes it (a link started inside this
     * one, by a listener, makes its own) and gives it back when done. The image keeps the
     * addresses, not the sizes (it reads st_size from its copy of .symtab).
     */
    private static final ThreadLocal<long[]> SIZES = new ThreadLocal<>();
    /** Symbols whose sizes column is kept between links (512 KiB). */
    private static final int KEPT_SYMBOLS = 1 << 16;

    private static long[] takeSizes(int n) {
        long[] s = SIZES.get();
        if (s == null || s.length < n) {
            return new long[Math.max(n, 1024)];
        }
        SIZES.set(null);
        return s;
    }

    private void abandon() {
        for (Allocation a : allocations) {
            try {
                a.close();
            } catch (RuntimeException ignored) {
                // closing is best effort; the first error is the one reported
            }
        }
        allocations.clear();
    }

    // ---------------------------------------------------------------- 1. load checks

    private void check() throws LinkException {
        CheckRun c = new CheckRun(elf, request.policy(), request.symbols(), request.bindings(),
                request.listener()::warning);
        List<LinkException.Problem> problems = c.run();
        if (!problems.isEmpty()) {
            throw LinkException.of(elf.name(), problems);
        }
        engine = c.engine;
        resolution = c.resolution;
        if (engine instanceof dev.kobj.reloc.aarch64.AArch64Engine a
                && a.erratum843419() != request.erratum843419(elf)) {
            engine = new dev.kobj.reloc.aarch64.AArch64Engine(request.erratum843419(elf));
        }
    }

    // ---------------------------------------------------------------- 2. arch pre-scan

    /** One reusable pre-scan batch per thread: no object per relocation. */
    private static final ThreadLocal<RelocationBatch> BATCHES = ThreadLocal.withInitial(RelocationBatch::new);

    private void scan() throws ElfFormatException, LinkException {
        RelocationBatch batch = BATCHES.get();
        batch.clear();
        TypeFacts facts = TypeFacts.of(engine);
        long nsyms = resolution.size;
        for (RelocationTable t : elf.relocationTables()) {
            if (t.target() == null || !loaded(t.target())) {
                continue; // debug info, .modinfo...: read, not loaded, not relocated
            }
            tables.add(t);
            SectionHeader target = t.target();
            int section = target.index();
            long align = target.addralign();
            boolean code = (target.flags() & SHF_EXECINSTR) != 0;
            long[] e = Chunks.get();
            for (long from = 0, n = t.size(); from < n; from += Chunks.SIZE) {
                int k = (int) Math.min(Chunks.SIZE, n - from);
                t.read(from, k, e);
                for (int j = 0; j < 3 * k; j += 3) {
                    long symbol = t.symbolOf(e[j + 1]);
                    if (symbol >= nsyms && symbol != 0) {
                        throw badSymbol(t, from + j / 3, symbol);
                    }
                    int type = (int) t.typeOf(e[j + 1]);
                    if (facts.isScanned(type)) {
                        batch.add(type, symbol, e[j + 2], section, e[j], align, code);
                    }
                }
            }
        }
        needs = engine.scan(batch);
        batch.clearAndTrim(KEPT_ROWS); // a rare huge module: its room is not kept for the next ones
    }

    private LinkException badSymbol(RelocationTable t, long i, long symbol) {
        return new LinkException(Kind.FORMAT, elf.name(), elf.name() + ": " + t.section().name() + "[" + i
                + "]: symbol index " + symbol + " beyond the symbol table (" + resolution.size + ")", null);
    }

    /** Rows of the reusable per-thread columns kept between links (3-5 MiB per thread at most). */
    private static final int KEPT_ROWS = 1 << 16;

    // ---------------------------------------------------------------- 3. layout

    private void lay() throws LinkException {
        List<SectionHeader> load = new ArrayList<>();
        for (SectionHeader s : elf.sections()) {
            if (!loaded(s)) {
                continue;
            }
            if (s.size() < 0 || s.size() > MAX_LAYOUT || s.addralign() < 0 || s.addralign() > MAX_LAYOUT) {
                throw new LinkException(Kind.FORMAT, elf.name(), elf.name() + ": section " + s.name()
                        + ": sh_size 0x" + Long.toHexString(s.size()) + " / sh_addralign 0x"
                        + Long.toHexString(s.addralign()) + " beyond kobj's limit 0x" + Long.toHexString(MAX_LAYOUT),
                        null);
            }
            load.add(s);
        }
        strategy = request.layout() != null ? request.layout() : LayoutStrategy.forObject(elf);
        plan = strategy.plan(new LayoutInput(elf, load, needs, request.kallsymsAll(elf), request.erratum843419(elf)));
        for (LayoutPlan.Area a : plan.areas) {
            if (a.size() > MAX_LAYOUT) {
                throw new LinkException(Kind.FORMAT, elf.name(), elf.name() + ": image of 0x"
                        + Long.toHexString(a.size()) + " bytes beyond kobj's limit", null);
            }
        }
    }

    // ---------------------------------------------------------------- 4. allocation

    private void allocate() throws LinkException, ElfFormatException {
        placement = new Placement(elf, request, plan, allocations);
        placement.run(needs);
        placed = placement.placed;
        stubs = placement.stubs;
        gotBase = placement.gotBase;
        veneers = placement.veneers;
        for (PlacedSection p : placed.values()) {
            request.listener().placed(p);
        }
        for (StubSection s : stubs) {
            request.listener().stubs(s);
        }
    }

    // ---------------------------------------------------------------- 5. resolution

    private void resolve() throws ElfFormatException {
        SymbolAddresses r = new SymbolAddresses(elf, resolution, placed, placement, gotBase,
                takeSizes(resolution.size));
        values = r.values;
        sizes = r.sizes;
        linked = r.list;
        if (SymbolAddresses.HEARS_SYMBOLS.get(request.listener().getClass())) {
            for (LinkedSymbol ls : linked) {
                request.listener().resolved(ls);
            }
        }
    }

    private SymbolList linked;

    // ---------------------------------------------------------------- 6. stubs, then relocation

    private void writeStubs() throws LinkException {
        StubEntries got = null; // the first GOT (there is one at most)
        for (StubSection st : stubs) {
            if (st.kind() != StubKind.GOT) {
                continue;
            }
            StubEntries entries = (StubEntries) st.entries();
            got = got == null ? entries : got;
            Allocation core = placement.allocationOf(st.region());
            MemorySegment seg = core.segment().asSlice(st.address() - core.address(), st.size());
            TargetSet ts = entries.targets();
            for (int i = 0, n = ts.size(); i < n; i++) {
                engine.writeGotEntry(seg, entries.address(i) - st.address(), order, target(ts.symbol(i), ts.addend(i)));
            }
        }
        for (StubSection st : stubs) {
            if (st.kind() != StubKind.PLT) {
                continue;
            }
            StubEntries entries = (StubEntries) st.entries();
            Allocation core = placement.allocationOf(st.region());
            MemorySegment plt = core.segment().asSlice(st.address() - core.address(), st.size());
            TargetSet ts = entries.targets();
            for (int i = 0, n = ts.size(); i < n; i++) {
                long symbol = ts.symbol(i);
                long addend = ts.addend(i);
                long slot = got == null ? 0 : got.address(symbol, addend, 0);
                long at = entries.address(i);
                try {
                    engine.writeStub(plt, at - st.address(), order, at, target(symbol, addend), slot);
                } catch (RelocationException x) {
                    throw relocationError(x, symbolName(symbol));
                }
            }
        }
    }

    private long target(long symbolIndex, long addend) {
        return (symbolIndex == 0 ? 0 : values[(int) symbolIndex]) + addend;
    }

    /** {@return the name of symbol {@code index} for a message: a section symbol's section's} */
    private String symbolName(long index) {
        if (index == 0 || index >= resolution.size) {
            return "";
        }
        int i = (int) index;
        try {
            if ((resolution.table.info(i) & 0xf) == dev.kobj.elf.ElfConstants.STT_SECTION) {
                long shndx = resolution.table.shndx(i);
                PlacedSection p = placed.get((int) shndx);
                if (p != null) {
                    return p.name();
                }
                return elf.section(shndx).name();
            }
            return resolution.table.name(i);
        } catch (ElfFormatException e) {
            return "";
        }
    }

    /**
     * Applies each loaded section's relocations. The fixups carry no symbol name and no
     * place text (no string is built per relocation); when the engine refuses one, the
     * section's fixups are made again with them and applied again, which throws the same
     * exception with the full message ({@link RelocationEngine#applyAll} is all or nothing).
     */
    private void relocate() throws ElfFormatException, LinkException {
        gotSlots = DenseSlots.of(stubMap(StubKind.GOT), resolution.size);
        pltSlots = DenseSlots.of(stubMap(StubKind.PLT), resolution.size);
        typeFacts = TypeFacts.of(engine);
        FixupColumns columns = COLUMNS.get();
        for (RelocationTable t : tables) {
            PlacedSection sec = placed.get(t.target().index());
            Allocation a = placement.allocationOf(sec.region());
            MemorySegment bytes = a.segment().asSlice(sec.address() - a.address(),
                    thisModuleSpan(sec, a.address() + a.size() - sec.address()));
            columns.clear();
            columns.ensureCapacity((int) Math.min(t.size(), KEPT_ROWS * 64L));
            long[] rows = Chunks.get();
            for (long from = 0, n = t.size(); from < n; from += Chunks.SIZE) {
                int k = (int) Math.min(Chunks.SIZE, n - from);
                t.read(from, k, rows);
                for (int j = 0; j < 3 * k; j += 3) {
                    long info = rows[j + 1];
                    fixup(columns, sec, rows[j], (int) t.typeOf(info), t.symbolOf(info), rows[j + 2]);
                }
            }
            try {
                engine.applyAll(bytes, order, columns, veneers);
            } catch (RelocationException lean) {
                List<Fixup> fixups = new ArrayList<>();
                for (long i = 0, n = t.size(); i < n; i++) {
                    fixups.add(named(sec, t, i));
                }
                try {
                    engine.applyAll(bytes, order, fixups, veneers);
                } catch (RelocationException e) {
                    throw relocationError(e, "");
                }
            }
            relocations += columns.size();
            request.listener().relocated(sec, columns.size());
        }
        columns.clearAndTrim(KEPT_ROWS);
        if (gotSlots != null) {
            gotSlots.release();
        }
        if (pltSlots != null) {
            pltSlots.release();
        }
    }

    /** One reusable set of fixup columns per thread: no object per relocation. */
    private static final ThreadLocal<FixupColumns> COLUMNS = ThreadLocal.withInitial(FixupColumns::new);

    /**
     * {@return the bytes relocations may write in {@code sec}: its size, except a
     * {@code .gnu.linkonce.this_module} shorter than the target's sizeof(struct module) under a
     * kernel that does not compare the two (before 6.4, {@link KernelTarget#checksThisModuleSize}):
     * that kernel takes the section for a whole struct module, so the relocations of its fields
     * (init, exit) land in the bytes that follow it, as Debian's 6.1 does (KernelVerdictTest);
     * never past the allocation ({@code room})}
     */
    private long thisModuleSpan(PlacedSection sec, long room) {
        KernelTarget t = request.policy().target();
        if (t != null && !t.checksThisModuleSize() && sec.name().equals(".gnu.linkonce.this_module")
                && t.thisModuleSize() > sec.size()) {
            return Math.max(sec.size(), Math.min(t.thisModuleSize(), room));
        }
        return sec.size();
    }

    /** The GOT and PLT entries by target; null when there are none (most x86_64 modules have no GOT). */
    private DenseSlots gotSlots;
    private DenseSlots pltSlots;
    private TypeFacts typeFacts;

    private StubEntries stubMap(StubKind kind) {
        for (StubSection st : stubs) {
            if (st.kind() == kind) {
                return st.entries().isEmpty() ? null : (StubEntries) st.entries();
            }
        }
        return null;
    }

    private LinkException relocationError(RelocationException e, String symbol) {
        String msg = e.getMessage().startsWith(elf.name()) ? e.getMessage() : elf.name() + ": " + e.getMessage();
        LinkException.Problem p = new LinkException.Problem(Kind.RELOCATION, symbol, msg);
        return LinkException.of(elf.name(), List.of(p), e);
    }

    /** Adds the relocation (r_offset, type, r_sym, r_addend) to {@code out}, with its GOT entry and stub. */
    private void fixup(FixupColumns out, PlacedSection sec, long offset, int type, long symbol, long addend) {
        int sym = (int) symbol;
        long got = 0;
        long stub = 0;
        boolean branch = pltSlots != null && typeFacts.isBranch(type);
        if (gotSlots != null || branch) {
            long keyAddend = engine.stubAddend(type, symbol, addend);
            got = gotSlots == null ? 0 : gotSlots.address(symbol, keyAddend, 0);
            stub = branch ? pltSlots.address(symbol, keyAddend, 0) : 0;
        }
        long size = sym == 0 ? 0 : sizes[sym];
        out.add(type, offset, sec.address() + offset, sym == 0 ? 0 : values[sym], addend, size, got, gotBase, stub);
    }

    /** {@return relocation {@code i} of {@code t} as a fixup naming its symbol and place (for messages)} */
    private Fixup named(PlacedSection sec, RelocationTable t, long i) {
        FixupColumns one = new FixupColumns();
        fixup(one, sec, t.offset(i), (int) t.type(i), t.symbol(i), t.addend(i));
        Fixup f = one.fixup(0);
        String where = elf.name() + ": " + sec.name() + "+0x" + Long.toHexString(f.offset());
        return new Fixup(f.type(), f.offset(), f.place(), f.symbol(), f.addend(), f.symbolSize(), f.got(), f.gotBase(),
                f.stub(), symbolName((int) t.symbol(i)), where);
    }

    // ---------------------------------------------------------------- 7. finalize (W^X)

    private LinkedImage finish() throws LinkException, ElfFormatException {
        for (Region r : placement.regions) {
            if (r.size() == 0) {
                continue;
            }
            Allocation a = placement.allocationOf(r);
            var perms = r.part() == Part.RO_AFTER_INIT ? Allocation.Permissions.RW : r.permissions();
            a.protect(r.address() - a.address(), r.size(), perms);
        }
        List<PlacedSection> sections = new ArrayList<>(placed.values());
        sections.sort((x, y) -> Long.compareUnsigned(x.address(), y.address()));
        String name = CheckRun.moduleName(elf);
        LinkedImage image = new LinkedImage(elf, name, engine.arch(), request.memory(), strategy, placement, sections,
                stubs, linked, relocations);
        image.moduleFootprint(plan.moduleSize, placement.byArea.get(plan.moduleBaseArea));
        image.exports(Exports.read(elf, image, engine, name));
        return image;
    }
}
