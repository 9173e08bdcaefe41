package dev.kobj.link;

import static dev.kobj.elf.ElfConstants.SHN_ABS;
import static dev.kobj.elf.ElfConstants.SHN_UNDEF;
import static dev.kobj.elf.ElfConstants.SHN_XINDEX;

import dev.kobj.elf.ElfFile;
import dev.kobj.elf.ElfFormatException;
import dev.kobj.elf.SectionHeader;
import dev.kobj.elf.SymbolTable;
import dev.kobj.link.LoadedImage.LinkedSymbol;
import dev.kobj.link.LoadedImage.PlacedSection;
import dev.kobj.link.LoadedImage.Source;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.HashMap;
import java.util.Map;

/**
 * The resolution pass of a {@link Link} (step 5): every symbol's final address, in primitive
 * columns, and the image's symbol list over them ({@link SymbolList}).
 */
final class SymbolAddresses {

    /** The listener classes that override {@link LinkListener#resolved} (the others are not told of each symbol). */
    static final ClassValue<Boolean> HEARS_SYMBOLS = new ClassValue<>() {
        @Override
        protected Boolean computeValue(Class<?> type) {
            try {
                return type.getMethod("resolved", LinkedSymbol.class).getDeclaringClass() != LinkListener.class;
            } catch (NoSuchMethodException e) {
                return true;
            }
        }
    };

    /**
     * Per symbol: its final address, st_size (Z of the SIZE relocations; the array may be longer
     * than the table) and {@link Source} ordinal.
     */
    final long[] values;
    final long[] sizes;
    private final byte[] sources;
    /** The image's symbols, made from these columns when asked for. */
    final SymbolList list;

    private final ElfFile elf;
    private final Resolution resolution;
    private final Map<Integer, PlacedSection> placed;
    private final Placement placement;

    /**
     * Gives every symbol its final address and source, from the table's fields read in chunks
     * (no object per symbol): undefined ones what {@link Resolution} found ({@code gotBase} for
     * {@code _GLOBAL_OFFSET_TABLE_}), SHN_ABS ones their st_value, the others their section's
     * address plus st_value, or st_value alone in a section that is not loaded.
     */
    SymbolAddresses(ElfFile elf, Resolution resolution, Map<Integer, PlacedSection> placed, Placement placement,
            long gotBase) throws ElfFormatException {
        this(elf, resolution, placed, placement, gotBase, new long[resolution.size]);
    }

    /** As the other constructor, with {@code sizes} (at least as long as the table; the link's, reused) for st_size. */
    SymbolAddresses(ElfFile elf, Resolution resolution, Map<Integer, PlacedSection> placed, Placement placement,
            long gotBase, long[] sizes) throws ElfFormatException {
        this.elf = elf;
        this.resolution = resolution;
        this.placed = placed;
        this.placement = placement;
        int n = resolution.size;
        values = new long[n];
        this.sizes = sizes;
        sources = new byte[n];
        PlacedSection[] bySection = new PlacedSection[elf.sections().size()];
        for (PlacedSection p : placed.values()) {
            if (p.index() >= 0 && p.index() < bySection.length) {
                bySection[p.index()] = p;
            }
        }
        Map<Integer, Long> extended = Map.of();
        long[] f = Chunks.get();
        int u = 0;
        for (int from = 0; from < n; from += Chunks.SIZE) {
            int k = Math.min(Chunks.SIZE, n - from);
            resolution.table.read(from, k, f);
            for (int j = 0; j < k; j++) {
                int i = from + j;
                long w = f[3 * j];
                long value = f[3 * j + 1];
                int raw = SymbolTable.rawShndxOf(w);
                sizes[i] = f[3 * j + 2];
                Source source;
                if (i == 0) {
                    source = Source.NULL;
                } else if (raw == SHN_UNDEF) {
                    while (u < resolution.count && resolution.index[u] < i) {
                        u++;
                    }
                    if (u < resolution.count && resolution.index[u] == i) {
                        values[i] = resolution.address[u];
                        source = resolution.source[u];
                    } else if (resolution.gotSymbols.contains(i)) {
                        values[i] = gotBase;
                        source = Source.DEFINED;
                    } else {
                        source = Source.WEAK_UNDEFINED; // nameless undefined entries: 0
                    }
                } else {
                    long shndx = raw;
                    if (raw == SHN_XINDEX) {
                        shndx = resolution.table.shndx(i);
                        if (extended.isEmpty()) {
                            extended = new HashMap<>();
                        }
                        extended.put(i, shndx);
                    }
                    PlacedSection p = shndx >= 0 && shndx < bySection.length ? bySection[(int) shndx] : null;
                    if (shndx == SHN_ABS) {
                        values[i] = value;
                        source = Source.ABSOLUTE;
                    } else if (p != null) {
                        values[i] = p.address() + value;
                        source = Source.DEFINED;
                    } else {
                        values[i] = value;
                        source = Source.NOT_LOADED;
                    }
                }
                sources[i] = (byte) source.ordinal();
            }
        }
        list = symbolList(extended);
    }

    /**
     * {@return the image's symbol list}: over the image's copies of .symtab and .strtab when the
     * layout placed both with their bytes, else over copies of the file's (the file's memory may be
     * reused once the link returns)
     */
    private SymbolList symbolList(Map<Integer, Long> extended) throws ElfFormatException {
        MemorySegment symtab = MemorySegment.NULL;
        MemorySegment strtab = MemorySegment.NULL;
        if (resolution.table != null) {
            SectionHeader sh = resolution.table.section();
            SectionHeader st = resolution.table.strings().section();
            symtab = imageCopy(sh);
            strtab = imageCopy(st);
            if (symtab == null) {
                symtab = MemorySegment.ofArray(elf.contents(sh).toArray(ValueLayout.JAVA_BYTE));
            }
            if (strtab == null) {
                strtab = MemorySegment.ofArray(resolution.names.toArray(ValueLayout.JAVA_BYTE));
            }
        }
        return new SymbolList(elf.header().is64(), elf.header().order(), symtab, strtab, values, sources, resolution, extended);
    }

    /** {@return the bytes of section {@code s} as placed and copied into the image, or null} */
    private MemorySegment imageCopy(SectionHeader s) {
        PlacedSection p = placed.get(s.index());
        if (p == null || p.size() != s.size() || s.type() == dev.kobj.elf.ElfConstants.SHT_NOBITS) {
            return null;
        }
        Allocation a = placement.allocationOf(p.region());
        return a.segment().asSlice(p.address() - a.address(), p.size());
    }
}
