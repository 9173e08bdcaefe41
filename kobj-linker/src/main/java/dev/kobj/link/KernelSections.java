package dev.kobj.link;

import static dev.kobj.elf.ElfConstants.EM_AARCH64;
import static dev.kobj.elf.ElfConstants.EM_RISCV;
import static dev.kobj.elf.ElfConstants.SHF_ALLOC;
import static dev.kobj.elf.ElfConstants.SHF_EXECINSTR;
import static dev.kobj.elf.ElfConstants.SHF_WRITE;
import static dev.kobj.elf.ElfConstants.SHT_NOBITS;

import dev.kobj.elf.ElfFile;
import dev.kobj.elf.ElfFormatException;
import dev.kobj.elf.SectionHeader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The module's sections as the kernel sees them when it lays them out, read as facts from
 * Linux's {@code layout_and_allocate} (kernel/module/main.c) and the architectures'
 * {@code module_frob_arch_sections}:
 * <ul>
 * <li>{@code .modinfo}, {@code __versions} (rewrite_section_headers) and the per-CPU section
 *     {@code .data..percpu} lose SHF_ALLOC: they are not laid out;</li>
 * <li>{@code .data..ro_after_init} and {@code __jump_table} get SHF_RO_AFTER_INIT;</li>
 * <li>a section is init when its name starts with ".init" ({@code module_init_layout_section}
 *     with CONFIG_MODULE_UNLOAD, so {@code .exit.*} stays in core);</li>
 * <li>arm64 (arch/arm64/kernel/module-plts.c): {@code .plt} and {@code .init.plt} become
 *     SHT_NOBITS, SHF_EXECINSTR|SHF_ALLOC, aligned to L1_CACHE_BYTES (64), of
 *     (count + 1) × 12 bytes, the count being {@code count_plts} over the RELA sections of
 *     executable sections, core and init apart: one per JUMP26/CALL26 against a symbol of
 *     another section, repeats of (type, symbol) with addend 0 counted once per section; with the
 *     Cortex-A53 erratum 843419 workaround one more per ADRP whose safe alignment exceeds 4 KiB,
 *     and one slot of slack per 341 counted; {@code .text.ftrace_trampoline} and
 *     {@code .init.text.ftrace_trampoline} become NR_FTRACE_PLTS × 12 bytes, aligned to 4
 *     (NR_FTRACE_PLTS: 2 in 6.1, 1 from 6.2);</li>
 * <li>riscv (arch/riscv/kernel/module-sections.c): {@code .plt} (SHF_EXECINSTR|SHF_ALLOC,
 *     (plts + 1) × 12), {@code .got} ((gots + 1) × 8 on RV64) and {@code .got.plt}
 *     ((plts + 1) × 8), all SHT_NOBITS aligned to 64, plts counting the distinct (r_info,
 *     r_addend) CALL_PLT relocations (and PLT32 from 6.8) of each RELA section of an executable
 *     section, gots the distinct GOT_HI20 ones.</li>
 * </ul>
 * The placed section of such a stub section carries the header as the kernel left it (NOBITS,
 * its flags, size and alignment); kobj's own stubs are elsewhere, so its bytes stay zero.
 */
final class KernelSections {

    /** L1_CACHE_BYTES on arm64 and riscv: the alignment the frobbed stub sections get. */
    static final long STUB_SECTION_ALIGN = 64;
    /** sizeof(struct plt_entry) on arm64 (ADRP, ADD, BR) and riscv (AUIPC, LD, JR). */
    static final long PLT_ENTRY = 12;

    /**
     * One section as laid out.
     *
     * @param header      the header as read
     * @param flags       sh_flags after the kernel's changes
     * @param size        sh_size after them
     * @param align       sh_addralign after them, raised to what the relocation engine needs
     * @param copy        false when the kernel made it SHT_NOBITS (or it was)
     * @param roAfterInit marked SHF_RO_AFTER_INIT
     * @param init        in the init allocation(s)
     */
    record Sec(SectionHeader header, long flags, long size, long align, boolean copy, boolean roAfterInit,
            boolean init) {

        /**
         * {@return which pass of {@code layout_sections} takes it}: 0 text (SHF_EXECINSTR), 1 rodata
         * (no SHF_WRITE), 2 ro_after_init, 3 data (ARCH_SHF_SMALL is 0 on x86, arm64, riscv, so pass
         * 4 takes nothing)
         */
        int pass() {
            if ((flags & SHF_EXECINSTR) != 0) {
                return 0;
            }
            if ((flags & SHF_WRITE) == 0) {
                return 1;
            }
            return roAfterInit ? 2 : 3;
        }
    }

    final List<Sec> sections = new ArrayList<>();
    /** By section header index (an array: KallsymsCopy asks once per symbol). */
    private final Sec[] byIndex;
    /** The per-CPU section, if any (laid out by kobj in an area of its own). */
    SectionHeader percpu;

    /**
     * @param ftracePlts NR_FTRACE_PLTS of the target (arm64)
     * @param plt32      whether riscv counts R_RISCV_PLT32 as needing a PLT entry
     */
    KernelSections(LayoutInput in, int ftracePlts, boolean plt32) throws LinkException {
        ElfFile elf = in.elf();
        int machine = elf.header().machine();
        Map<Integer, Long> raised = in.needs().alignments();
        long[] plts = {0, 0};
        long[] gots = {0};
        try {
            if (machine == EM_AARCH64) {
                PltCounts.countArm64(elf, in.erratum843419(), plts);
            } else if (machine == EM_RISCV) {
                PltCounts.countRiscv(elf, plt32, plts, gots);
            }
        } catch (ElfFormatException e) {
            throw new LinkException(LinkException.Kind.FORMAT, elf.name(), e.getMessage(), e);
        }
        long gotEntry = elf.header().is64() ? 8 : 4;
        byIndex = new Sec[elf.sections().size()];
        for (SectionHeader s : in.loaded()) {
            String n = s.name();
            if (n.equals(".data..percpu")) {
                percpu = s;
                continue;
            }
            long flags = s.flags();
            long size = s.size();
            long align = Math.max(1, s.addralign());
            boolean copy = !s.isNobits();
            boolean stub = true;
            if (machine == EM_AARCH64 && (n.equals(".plt") || n.equals(".init.plt"))) {
                flags = SHF_EXECINSTR | SHF_ALLOC;
                size = (plts[n.equals(".plt") ? 0 : 1] + 1) * PLT_ENTRY;
                align = STUB_SECTION_ALIGN;
            } else if (machine == EM_AARCH64
                    && (n.equals(".text.ftrace_trampoline") || n.equals(".init.text.ftrace_trampoline"))) {
                flags = SHF_EXECINSTR | SHF_ALLOC;
                size = ftracePlts * PLT_ENTRY;
                align = 4;
            } else if (machine == EM_RISCV && n.equals(".plt")) {
                flags = SHF_EXECINSTR | SHF_ALLOC;
                size = (plts[0] + 1) * PLT_ENTRY;
                align = STUB_SECTION_ALIGN;
            } else if (machine == EM_RISCV && (n.equals(".got") || n.equals(".got.plt"))) {
                flags = SHF_ALLOC;
                size = ((n.equals(".got") ? gots[0] : plts[0]) + 1) * gotEntry;
                align = STUB_SECTION_ALIGN;
            } else {
                stub = false;
            }
            align = Math.max(align, raised.getOrDefault(s.index(), 1L));
            if (stub) {
                copy = false;
                // the header as the kernel left it: SHT_NOBITS, its flags, size and alignment
                s = new SectionHeader(s.index(), n, s.nameOffset(), SHT_NOBITS, flags, s.addr(), s.offset(), size,
                        s.link(), s.info(), align, s.entsize());
            }
            boolean roai = n.equals(".data..ro_after_init") || n.equals("__jump_table");
            Sec sec = new Sec(s, flags, size, align, copy, roai, n.startsWith(".init"));
            sections.add(sec);
            byIndex[s.index()] = sec;
        }
    }

    /** {@return the section with header index {@code index}, if laid out} */
    Sec byIndex(long index) {
        return index >= 0 && index < byIndex.length ? byIndex[(int) index] : null;
    }

    /**
     * Places {@code s} at the next offset of its alignment after {@code cursor} in area
     * {@code area}, region {@code span} ({@code module_get_offset}); {@return the new cursor}
     */
    static long place(List<LayoutPlan.Slot> out, String area, String span, Sec s, long cursor) {
        long at = Layout.align(cursor, s.align());
        out.add(new LayoutPlan.Slot(s.header(), area, span, at, s.size(), s.copy()));
        return at + s.size();
    }

    /** Places a section the kernel adds SHF_ALLOC to ({@code .symtab}, {@code .strtab}) as it is. */
    static long place(List<LayoutPlan.Slot> out, String area, String span, SectionHeader h, long cursor) {
        long at = Layout.align(cursor, Math.max(1, h.addralign()));
        out.add(new LayoutPlan.Slot(h, area, span, at, h.size(), !h.isNobits()));
        return at + h.size();
    }

    /**
     * Adds kobj's extra areas after the kernel's: {@code kobj_stubs} (the PLT and veneers in a
     * text region, the GOT in a rodata region, each 16-aligned) when the relocation engine asked
     * for stubs, and {@code percpu} for the per-CPU section, which the kernel copies to its
     * per-CPU area. Each starts one guard page after the previous area when no base is given.
     */
    static void addExtras(LayoutPlan plan, LayoutInput in, KernelSections ks) {
        var needs = in.needs();
        if (needs.pltSize() + needs.veneerSize() + needs.gotSize() > 0) {
            String area = "kobj_stubs";
            List<LayoutPlan.Span> spans = new ArrayList<>();
            long cursor = 0;
            if (needs.pltSize() + needs.veneerSize() > 0) {
                String span = area + ".text";
                if (needs.pltSize() > 0) {
                    plan.plt = new LayoutPlan.Stub(area, span, cursor);
                    cursor = Layout.align(cursor + needs.pltSize(), Layout.STUB_ALIGN);
                }
                if (needs.veneerSize() > 0) {
                    plan.veneers = new LayoutPlan.Stub(area, span, cursor);
                    cursor += needs.veneerSize();
                }
                long size = Layout.align(cursor, Linker.PAGE_SIZE);
                spans.add(new LayoutPlan.Span(span, LoadedImage.Part.TEXT, 0, cursor, size));
                cursor = size;
            }
            if (needs.gotSize() > 0) {
                String span = area + ".rodata";
                plan.got = new LayoutPlan.Stub(area, span, cursor);
                long size = Layout.align(needs.gotSize(), Linker.PAGE_SIZE);
                spans.add(new LayoutPlan.Span(span, LoadedImage.Part.RODATA, cursor, needs.gotSize(), size));
                cursor += size;
            }
            plan.areas.add(new LayoutPlan.Area(area, LoadedImage.Layout.CORE, cursor, 0, false, Linker.PAGE_SIZE,
                    spans));
        }
        if (ks.percpu != null) {
            SectionHeader p = ks.percpu;
            plan.slots.add(new LayoutPlan.Slot(p, "percpu", "percpu", 0, p.size(), !p.isNobits()));
            long size = Math.max(Linker.PAGE_SIZE, Layout.align(p.size(), Linker.PAGE_SIZE));
            plan.areas.add(new LayoutPlan.Area("percpu", LoadedImage.Layout.CORE, size, 0, false, Linker.PAGE_SIZE,
                    List.of(new LayoutPlan.Span("percpu", LoadedImage.Part.DATA, 0, p.size(), size))));
        }
    }
}
