package dev.kobj.link;

import dev.kobj.elf.ElfFile;
import dev.kobj.elf.ElfFormatException;
import dev.kobj.link.LinkException.Kind;
import dev.kobj.link.LoadedImage.Area;
import dev.kobj.link.LoadedImage.PlacedSection;
import dev.kobj.link.LoadedImage.Region;
import dev.kobj.link.LoadedImage.StubKind;
import dev.kobj.link.LoadedImage.StubSection;
import dev.kobj.reloc.StubNeeds;
import dev.kobj.reloc.TargetSet;
import dev.kobj.reloc.VeneerPool;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Pass 4 of a link: makes the allocations a {@link LayoutPlan} asks for, in its order, and
 * copies the sections in. An area's address is, first, the base the request gives for its name
 * ({@link LinkRequest#bases}); the first area otherwise takes {@link LinkRequest#base} (0: the
 * memory chooses); every other area follows the previous one after that one's guard (one page
 * for a kernel's vmalloc allocation, as when nothing else sits in between). Each allocation is
 * recorded in {@code allocations} as soon as it exists, so that a failed link frees it.
 */
final class Placement {

    final Map<String, Allocation> byArea = new LinkedHashMap<>();
    final List<Area> areas = new ArrayList<>();
    final List<Region> regions = new ArrayList<>();
    /** By identity: every look-up passes one of the regions made here (a record's hashCode is not free). */
    final Map<Region, String> areaOfRegion = new java.util.IdentityHashMap<>();
    final Map<Integer, PlacedSection> placed = new LinkedHashMap<>();
    final List<StubSection> stubs = new ArrayList<>();
    long gotBase;
    VeneerPool veneers = VeneerPool.none();

    private final ElfFile elf;
    private final LinkRequest request;
    private final LayoutPlan plan;
    private final List<Allocation> allocations;
    private final Map<String, Region> regionsByName = new HashMap<>();

    Placement(ElfFile elf, LinkRequest request, LayoutPlan plan, List<Allocation> allocations) {
        this.elf = elf;
        this.request = request;
        this.plan = plan;
        this.allocations = allocations;
    }

    void run(StubNeeds needs) throws LinkException, ElfFormatException {
        checkBases();
        allocateAll();
        for (LayoutPlan.Slot slot : plan.slots) {
            Allocation a = byArea.get(slot.area());
            Region r = regionsByName.get(slot.span());
            var s = slot.section();
            PlacedSection p = new PlacedSection(s.name(), s.index(), a.address() + slot.offset(), slot.size(), r, s);
            placed.put(s.index(), p);
            if (slot.copy() && s.size() > 0) {
                copy(s, a.segment(), slot.offset(), Math.min(s.size(), slot.size()));
            }
        }
        if (plan.got != null) {
            StubSection g = stub(Link.GOT_NAME, StubKind.GOT, plan.got, needs.gotSize(), needs.gotEntrySize(),
                    TargetSet.of(needs.gotEntries()));
            stubs.add(g);
            gotBase = g.address();
        } else {
            gotBase = byArea.values().iterator().next().address();
        }
        if (plan.plt != null) {
            stubs.add(stub(Link.PLT_NAME, StubKind.PLT, plan.plt, needs.pltSize(), needs.pltEntrySize(),
                    TargetSet.of(needs.pltEntries())));
        }
        if (plan.veneers != null) {
            StubSection v = stub(Link.VENEERS_NAME, StubKind.VENEER, plan.veneers, needs.veneerSize(),
                    needs.pltEntrySize(), new TargetSet());
            stubs.add(v);
            veneers = new VeneerPool(byArea.get(plan.veneers.area()).segment().asSlice(plan.veneers.offset(),
                    needs.veneerSize()), v.address(), needs.pltEntrySize());
        }
    }

    /**
     * Copies the first {@code n} bytes of section {@code s}'s contents to {@code to} at {@code at}:
     * straight from the file when they are stored there as they are (not SHF_COMPRESSED, not
     * NOBITS, inside the file), else through {@link ElfFile#contents}, which decompresses them or
     * throws what is wrong (a view per section was the most common object a link made).
     */
    private void copy(dev.kobj.elf.SectionHeader s, MemorySegment to, long at, long n) throws ElfFormatException {
        MemorySegment file = elf.bytes();
        if (!s.isCompressed() && s.type() != dev.kobj.elf.ElfConstants.SHT_NOBITS && s.offset() >= 0
                && s.size() >= 0 && s.offset() <= file.byteSize() && s.size() <= file.byteSize() - s.offset()) {
            MemorySegment.copy(file, s.offset(), to, at, n);
        } else {
            MemorySegment.copy(elf.contents(s), 0, to, at, n);
        }
    }

    private void checkBases() throws LinkException {
        for (var e : request.bases().entrySet()) {
            if (plan.area(e.getKey()) == null) {
                List<String> names = plan.areas.stream().map(LayoutPlan.Area::name).toList();
                throw new LinkException(Kind.MEMORY, elf.name(), elf.name() + ": no region '" + e.getKey()
                        + "' in this image (its regions: " + String.join(", ", names) + ")", null);
            }
        }
    }

    private void allocateAll() throws LinkException {
        boolean strict = request.base() != 0 || !request.bases().isEmpty();
        Allocation previous = null;
        long guard = 0;
        long highest = 0;
        for (LayoutPlan.Area area : plan.areas) {
            Long asked = request.bases().get(area.name());
            if (asked == null && previous == null) {
                asked = request.base();
            }
            Allocation a;
            if (asked != null) {
                a = allocate(area, asked);
            } else {
                // kobj's extra areas go above everything placed so far: a base given for a kernel area
                // (init reusing a hole below core, say) must not make them overlap it
                long after = area.kernel() ? previous.address() + previous.size() : highest;
                long next = Layout.align(after + guard, Linker.PAGE_SIZE);
                a = strict ? allocate(area, next) : allocateNear(area, next);
            }
            allocations.add(a);
            byArea.put(area.name(), a);
            if (Long.compareUnsigned(a.address() + a.size(), highest) > 0) {
                highest = a.address() + a.size();
            }
            List<Region> rs = new ArrayList<>();
            for (LayoutPlan.Span s : area.spans()) {
                Region r = new Region(s.name(), area.layout(), s.part(), a.address() + s.offset(), s.size(), s.used(),
                        s.part().permissions());
                regions.add(r);
                rs.add(r);
                regionsByName.put(s.name(), r);
                areaOfRegion.put(r, area.name());
            }
            areas.add(new Area(area.name(), area.layout(), a.address(), a.size(), area.kernelSize(), area.kernel(),
                    List.copyOf(rs)));
            previous = a;
            guard = area.guard();
        }
    }

    private Allocation allocate(LayoutPlan.Area area, long address) throws LinkException {
        if (area.name().equals("percpu")) { // the kernel's per-CPU area: any address its alignment allows
            long align = 1;
            for (LayoutPlan.Slot s : plan.slots) {
                if (s.area().equals("percpu")) {
                    align = Math.max(align, Math.max(1, s.section().addralign()));
                }
            }
            if (Long.remainderUnsigned(address, align) != 0) {
                throw new LinkException(Kind.MEMORY, elf.name(), elf.name() + ": base 0x" + Long.toHexString(address)
                        + " of region percpu is not " + align + "-aligned", null);
            }
            return request.memory().allocate(address, area.size(), align);
        }
        if (address % Linker.PAGE_SIZE != 0) {
            throw new LinkException(Kind.MEMORY, elf.name(), elf.name() + ": base 0x" + Long.toHexString(address)
                    + " of region " + area.name() + " is not page-aligned", null);
        }
        return request.memory().allocate(address, area.size(), Linker.PAGE_SIZE);
    }

    /** Next to the previous area when the memory agrees (branches between them stay short), else where it likes. */
    private Allocation allocateNear(LayoutPlan.Area area, long next) throws LinkException {
        try {
            return request.memory().allocate(next, area.size(), Linker.PAGE_SIZE);
        } catch (LinkException e) {
            return request.memory().allocate(0, area.size(), Linker.PAGE_SIZE);
        }
    }

    private StubSection stub(String name, StubKind kind, LayoutPlan.Stub at, long size, int entrySize,
            TargetSet keys) {
        long base = byArea.get(at.area()).address() + at.offset();
        return new StubSection(name, kind, base, size, entrySize, regionsByName.get(at.span()),
                new StubEntries(keys, base, entrySize));
    }

    /** {@return the allocation holding region {@code r}} */
    Allocation allocationOf(Region r) {
        return byArea.get(areaOfRegion.get(r));
    }
}
