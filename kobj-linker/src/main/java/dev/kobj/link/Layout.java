package dev.kobj.link;

import static dev.kobj.elf.ElfConstants.SHF_EXECINSTR;
import static dev.kobj.elf.ElfConstants.SHF_WRITE;

import dev.kobj.elf.SectionHeader;
import dev.kobj.link.LoadedImage.Part;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Offsets of every loaded section inside its layout (core or init), by the rules of Linux 6.1's
 * {@code layout_sections} (kernel/module/main.c), read as facts:
 * <ul>
 * <li>a section is loaded when it has SHF_ALLOC, except {@code .modinfo} and {@code __versions},
 *     whose SHF_ALLOC the kernel drops ({@code rewrite_section_headers}), and SHT_GROUP;</li>
 * <li>names starting with ".init" go to the init layout ({@code module_init_section}); .exit.*
 *     stays in core (CONFIG_MODULE_UNLOAD, as Debian builds);</li>
 * <li>each layout is text (SHF_EXECINSTR), then read-only data (no SHF_WRITE), then
 *     ro_after_init ({@code .data..ro_after_init} and {@code __jump_table}, which the kernel marks
 *     SHF_RO_AFTER_INIT in {@code layout_and_allocate}), then writable data; within a part the
 *     sections keep file order, each at its sh_addralign ({@code module_get_offset});</li>
 * <li>each part starts on a page boundary (CONFIG_STRICT_MODULE_RWX) so it can be protected.</li>
 * </ul>
 * kobj departs in two documented ways: writable NOBITS sections form a bss part of their own
 * after data (Linux keeps them in file order among the data; the ELF writer then has a
 * PT_LOAD with no file bytes), and the stubs: the PLT/veneers go at the end of core text (RX),
 * the GOT at the end of core rodata (R: it is written while linking, as RISC-V Linux's
 * {@code .got} which it marks SHF_ALLOC without SHF_WRITE). Both are 16-byte aligned. The
 * place-specific veneers (AArch64 Cortex-A53 erratum 843419 ADRP veneers) follow the PLT, also
 * in core text; Linux keeps separate {@code .plt} and {@code .init.plt} sections, kobj one area.
 *
 * <p>A section's alignment is the larger of its sh_addralign and what the relocation engine's
 * pre-scan asked for ({@code StubNeeds.alignments}): on AArch64, as Linux's arm64
 * {@code count_plts} raises the sh_addralign of code sections holding ADRPs so that none lands at
 * page offset 0xff8/0xffc unless its r_offset's bits [11:3] are all ones.
 */
final class Layout {

    /** One section's place: its layout, part and offset from the layout's start. */
    record Slot(SectionHeader section, LoadedImage.Layout layout, Part part, long offset) {
    }

    /** One part of one layout: offset of its first byte from the layout's start, and bytes used. */
    record Span(LoadedImage.Layout layout, Part part, long offset, long used, boolean occupied) {
        long size() {
            return align(used, Linker.PAGE_SIZE);
        }
    }

    static final int STUB_ALIGN = 16;

    final List<Slot> slots = new ArrayList<>();
    final Map<LoadedImage.Layout, Map<Part, Span>> spans = new EnumMap<>(LoadedImage.Layout.class);
    final Map<LoadedImage.Layout, Long> sizes = new EnumMap<>(LoadedImage.Layout.class);
    /** Offsets in the core layout. */
    final long pltOffset;
    final long veneerOffset;
    final long gotOffset;

    Layout(List<SectionHeader> sections, long pltSize, long gotSize) {
        this(sections, pltSize, 0, gotSize, Map.of());
    }

    /**
     * @param veneerSize bytes of place-specific veneers ({@code .kobj.veneers}), right after the PLT
     * @param alignments section index → the smallest alignment the relocation engine needs for it
     *                   ({@code StubNeeds.alignments}); the section is placed at the larger of
     *                   that and its sh_addralign, as Linux's arm64 {@code module_frob_arch_sections}
     *                   raises sh_addralign before {@code layout_sections}
     */
    Layout(List<SectionHeader> sections, long pltSize, long veneerSize, long gotSize, Map<Integer, Long> alignments) {
        long plt = 0;
        long veneer = 0;
        long got = 0;
        for (LoadedImage.Layout l : LoadedImage.Layout.values()) {
            Map<Part, Span> m = new EnumMap<>(Part.class);
            long start = 0;
            for (Part p : Part.values()) {
                long cursor = 0;
                boolean occupied = false;
                for (SectionHeader s : sections) {
                    if (layoutOf(s) != l || partOf(s) != p) {
                        continue;
                    }
                    long a = Math.max(Math.max(1, s.addralign()), alignments.getOrDefault(s.index(), 1L));
                    cursor = align(cursor, a);
                    slots.add(new Slot(s, l, p, start + cursor));
                    occupied = true;
                    cursor += s.size();
                }
                if (l == LoadedImage.Layout.CORE && p == Part.TEXT && pltSize > 0) {
                    cursor = align(cursor, STUB_ALIGN);
                    plt = start + cursor;
                    occupied = true;
                    cursor += pltSize;
                }
                if (l == LoadedImage.Layout.CORE && p == Part.TEXT && veneerSize > 0) {
                    cursor = align(cursor, STUB_ALIGN);
                    veneer = start + cursor;
                    occupied = true;
                    cursor += veneerSize;
                }
                if (l == LoadedImage.Layout.CORE && p == Part.RODATA && gotSize > 0) {
                    cursor = align(cursor, STUB_ALIGN);
                    got = start + cursor;
                    occupied = true;
                    cursor += gotSize;
                }
                Span span = new Span(l, p, start, cursor, occupied);
                m.put(p, span);
                start += span.size();
            }
            spans.put(l, m);
            sizes.put(l, start);
        }
        this.pltOffset = plt;
        this.veneerOffset = veneer;
        this.gotOffset = got;
        slots.sort((x, y) -> {
            int c = x.layout().compareTo(y.layout());
            return c != 0 ? c : Long.compare(x.offset(), y.offset());
        });
    }

    static LoadedImage.Layout layoutOf(SectionHeader s) {
        return s.name().startsWith(".init") ? LoadedImage.Layout.INIT : LoadedImage.Layout.CORE;
    }

    static Part partOf(SectionHeader s) {
        long f = s.flags();
        if ((f & SHF_EXECINSTR) != 0) {
            return Part.TEXT;
        }
        if ((f & SHF_WRITE) == 0) {
            return Part.RODATA;
        }
        if (s.name().equals(".data..ro_after_init") || s.name().equals("__jump_table")) {
            return Part.RO_AFTER_INIT;
        }
        return s.isNobits() ? Part.BSS : Part.DATA;
    }

    /** {@return v rounded up to a multiple of a (sh_addralign need not be a power of two in a hostile file)} */
    static long align(long v, long a) {
        if (a <= 1) {
            return v;
        }
        if ((a & (a - 1)) == 0) {
            return (v + a - 1) & -a;
        }
        return Math.ceilDiv(v, a) * a;
    }
}
