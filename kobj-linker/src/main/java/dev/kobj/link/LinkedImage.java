package dev.kobj.link;

import dev.kobj.elf.Arch;
import dev.kobj.elf.ElfConstants;
import dev.kobj.elf.ElfFile;
import dev.kobj.symtab.KernelSymbol;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/** The {@link LoadedImage} a {@link Link} returns. */
final class LinkedImage implements LoadedImage {
    private final ElfFile elf;
    private final String name;
    private final Arch arch;
    private final HostMemory memory;
    private final Map<String, Allocation> allocations;
    private final Map<Region, String> areaOfRegion;
    private final List<Area> allAreas;
    private final LayoutStrategy strategy;
    private long moduleSize;
    private long moduleBase;
    private final List<Region> allRegions;
    private final List<PlacedSection> sections;
    /** Sections by index, made on first use (a check never asks). */
    private Map<Integer, PlacedSection> byIndex;
    private final List<StubSection> stubs;
    private final List<LinkedSymbol> symbols;
    /** The indexes of {@link #symbol} and {@link #symbolAt}, made on first use (a check never asks). */
    private SymbolIndex index;
    private final long relocations;
    private boolean initDone;
    private boolean closed;

    LinkedImage(ElfFile elf, String name, Arch arch, HostMemory memory, LayoutStrategy strategy, Placement placement,
            List<PlacedSection> sections, List<StubSection> stubs, List<LinkedSymbol> symbols, long relocations) {
        this.elf = elf;
        this.name = name;
        this.arch = arch;
        this.memory = memory;
        this.strategy = strategy;
        this.allocations = new LinkedHashMap<>(placement.byArea);
        this.areaOfRegion = placement.areaOfRegion; // by identity (look-ups pass its own regions); the link is done with it
        this.allAreas = List.copyOf(placement.areas);
        this.allRegions = List.copyOf(placement.regions);
        this.sections = List.copyOf(sections);
        this.stubs = List.copyOf(stubs);
        this.symbols = symbols;
        this.relocations = relocations;
    }

    /** Defined named symbols by name (globals first) and by address. */
    private record SymbolIndex(Map<String, Long> globals, Map<String, Long> locals, LinkedSymbol[] sorted) {
        static SymbolIndex of(List<LinkedSymbol> symbols) {
            Map<String, Long> globals = new HashMap<>();
            Map<String, Long> locals = new HashMap<>();
            List<LinkedSymbol> defined = new ArrayList<>();
            for (LinkedSymbol s : symbols) {
                if (s.source() != Source.DEFINED || s.wasUndefined() || s.name().isEmpty()
                        || s.symbol().type() == ElfConstants.STT_SECTION
                        || s.symbol().type() == ElfConstants.STT_FILE) {
                    continue;
                }
                defined.add(s);
                if (s.symbol().bind() == ElfConstants.STB_LOCAL) {
                    locals.putIfAbsent(s.name(), s.address());
                } else {
                    globals.putIfAbsent(s.name(), s.address());
                }
            }
            defined.sort((a, b) -> Long.compareUnsigned(a.address(), b.address()));
            return new SymbolIndex(globals, locals, defined.toArray(LinkedSymbol[]::new));
        }
    }

    private synchronized SymbolIndex index() {
        if (index == null) {
            index = SymbolIndex.of(symbols);
        }
        return index;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public ElfFile object() {
        return elf;
    }

    @Override
    public Arch arch() {
        return arch;
    }

    @Override
    public HostMemory memory() {
        return memory;
    }

    void moduleFootprint(long size, Allocation base) {
        this.moduleSize = size;
        this.moduleBase = base == null ? 0 : base.address();
    }

    @Override
    public LayoutStrategy layout() {
        return strategy;
    }

    @Override
    public synchronized List<Area> areas() {
        if (!initDone) {
            return allAreas;
        }
        return allAreas.stream().filter(a -> a.layout() == Layout.CORE).toList();
    }

    @Override
    public long moduleSize() {
        return moduleSize;
    }

    @Override
    public long moduleBase() {
        return moduleBase;
    }

    @Override
    public synchronized List<Region> regions() {
        if (!initDone) {
            return allRegions;
        }
        return allRegions.stream().filter(r -> r.layout() == Layout.CORE).toList();
    }

    @Override
    public List<PlacedSection> sections() {
        return sections;
    }

    @Override
    public synchronized Optional<PlacedSection> section(int index) {
        if (byIndex == null) {
            byIndex = new HashMap<>();
            for (PlacedSection p : sections) {
                byIndex.put(p.index(), p);
            }
        }
        return Optional.ofNullable(byIndex.get(index));
    }

    @Override
    public Optional<PlacedSection> section(String sectionName) {
        for (PlacedSection p : sections) {
            if (p.name().equals(sectionName)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    @Override
    public List<StubSection> stubs() {
        return stubs;
    }

    @Override
    public List<LinkedSymbol> symbols() {
        return symbols;
    }

    @Override
    public OptionalLong symbol(String symbolName) {
        SymbolIndex ix = index();
        Long a = ix.globals().get(symbolName);
        if (a == null) {
            a = ix.locals().get(symbolName);
        }
        return a == null ? OptionalLong.empty() : OptionalLong.of(a);
    }

    @Override
    public Optional<LinkedSymbol> symbolAt(long address) {
        if (regionOf(address) == null) {
            return Optional.empty();
        }
        LinkedSymbol[] sorted = index().sorted();
        int lo = 0;
        int hi = sorted.length - 1;
        int found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (Long.compareUnsigned(sorted[mid].address(), address) <= 0) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        if (found < 0) {
            return Optional.empty();
        }
        // among equal addresses prefer a global one
        long at = sorted[found].address();
        int best = found;
        for (int i = found; i >= 0 && sorted[i].address() == at; i--) {
            if (sorted[i].symbol().bind() != ElfConstants.STB_LOCAL) {
                best = i;
                break;
            }
        }
        return Optional.of(sorted[best]);
    }

    private List<KernelSymbol> exports = List.of();

    void exports(List<KernelSymbol> list) {
        this.exports = List.copyOf(list);
    }

    @Override
    public List<KernelSymbol> exports() {
        return exports;
    }

    @Override
    public long relocationCount() {
        return relocations;
    }

    private synchronized Region regionOf(long address) {
        return regionOf(address, 1);
    }

    /** The region holding all of {@code [address, address+length)} (kobj's areas may be placed to overlap). */
    private synchronized Region regionOf(long address, long length) {
        Region first = null;
        List<Region> all = regions();
        for (int i = 0, n = all.size(); i < n; i++) { // by index: no iterator per look-up
            Region r = all.get(i);
            if (r.contains(address)) {
                if (Long.compareUnsigned(address - r.address() + Math.max(length, 0), r.size()) <= 0) {
                    return r;
                }
                first = first == null ? r : first;
            }
        }
        return first;
    }

    private Region regionFor(long address, long length) {
        if (closed) {
            throw new IllegalStateException(name + ": image is closed");
        }
        Region r = regionOf(address, length);
        if (r == null || length < 0 || Long.compareUnsigned(address - r.address() + length, r.size()) > 0) {
            throw new IllegalArgumentException(String.format("%s: [0x%x, +0x%x) is not inside one region", name,
                    address, length));
        }
        return r;
    }

    @Override
    public MemorySegment segment(long address, long length) {
        Region r = regionFor(address, length);
        Allocation a = allocations.get(areaOfRegion.get(r));
        MemorySegment view = a.segment().asSlice(address - a.address(), length);
        // A write into an R or RX page of native memory does not throw: it kills the process.
        // Hand out a read-only view unless the region is writable now.
        boolean writable = r.permissions().writable() || (r.part() == Part.RO_AFTER_INIT && !initDone);
        return writable ? view : view.asReadOnly();
    }

    @Override
    public byte[] read(long address, int length) {
        return segment(address, length).toArray(ValueLayout.JAVA_BYTE);
    }

    /**
     * Copies what {@link #read} reads into {@code dst}; {@return false, copying nothing, where it
     * would throw} (the bytes are not inside one region, or the image is closed)
     */
    synchronized boolean readInto(long address, byte[] dst, int offset, int length) {
        Region r = closed ? null : regionOf(address, length);
        if (r == null || length < 0 || Long.compareUnsigned(address - r.address() + length, r.size()) > 0) {
            return false;
        }
        Allocation a = allocations.get(areaOfRegion.get(r));
        MemorySegment.copy(a.segment(), ValueLayout.JAVA_BYTE, address - a.address(), dst, offset, length);
        return true;
    }

    @Override
    public synchronized void write(long address, byte[] bytes) {
        Region r = regionFor(address, bytes.length);
        boolean writable = r.permissions().writable() || (r.part() == Part.RO_AFTER_INIT && !initDone);
        if (!writable) {
            throw new IllegalStateException(String.format("%s: 0x%x is in %s, which is %s", name, address, r.name(),
                    r.permissions()));
        }
        MemorySegment.copy(MemorySegment.ofArray(bytes), 0, segment(address, bytes.length), 0, bytes.length);
    }

    /** The symbols may read the image's copy of .symtab: copied out before the memory holding it is freed. */
    private void keepSymbols() {
        if (symbols instanceof SymbolList l) {
            l.keep();
        }
    }

    @Override
    public synchronized void completeInit() throws LinkException {
        if (initDone || closed) {
            return;
        }
        for (Region r : allRegions) {
            if (r.part() == Part.RO_AFTER_INIT && r.layout() == Layout.CORE && r.size() > 0) {
                Allocation a = allocations.get(areaOfRegion.get(r));
                a.protect(r.address() - a.address(), r.size(), Allocation.Permissions.R);
            }
        }
        keepSymbols();
        for (Area area : allAreas) {
            if (area.layout() == Layout.INIT) {
                Allocation init = allocations.remove(area.name());
                if (init != null) {
                    init.close();
                }
            }
        }
        initDone = true;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        keepSymbols();
        for (Allocation a : allocations.values()) {
            a.close();
        }
        allocations.clear();
    }

    @Override
    public String toString() {
        return "LoadedImage[" + name + ", " + arch.displayName() + ", " + memory.kind() + ", " + sections.size()
                + " sections]";
    }
}
