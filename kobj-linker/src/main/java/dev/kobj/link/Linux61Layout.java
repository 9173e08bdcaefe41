package dev.kobj.link;

import dev.kobj.link.LoadedImage.Part;
import java.util.ArrayList;
import java.util.List;

/**
 * Linux 6.1's layout (kernel/module/main.c {@code layout_sections}, kallsyms.c
 * {@code layout_symtab}, {@code move_module}), read as facts. Two allocations:
 * <ul>
 * <li>{@code core}: the core sections of pass 0 (text), then, from the next page, pass 1
 *     (rodata), from the next page pass 2 (ro_after_init), from the next page pass 3 (data,
 *     bss among it in file order); the core kallsyms copy is appended to the data, and the whole
 *     is page-aligned ({@code strict_align} with CONFIG_STRICT_MODULE_RWX). /proc/modules shows
 *     its address and size;</li>
 * <li>{@code init}: the init sections by the same passes (text and rodata page-aligned, no
 *     ro_after_init group), page-aligned, then the kernel's {@code .symtab} and {@code .strtab}
 *     copies, the {@code mod_kallsyms} and the type bytes, page-aligned; it is a second
 *     {@code module_alloc}, so by default it starts one guard page after core.</li>
 * </ul>
 * Each section sits at its sh_addralign from the previous one, in section-header order within a pass.
 */
final class Linux61Layout extends LayoutStrategy {

    /** arm64 NR_FTRACE_PLTS in 6.1 (FTRACE_PLT_IDX and FTRACE_REGS_PLT_IDX). */
    static final int FTRACE_PLTS = 2;

    Linux61Layout() {
    }

    @Override
    public String name() {
        return "linux-6.1";
    }

    @Override
    public List<String> regionNames() {
        return List.of("core", "init");
    }

    @Override
    LayoutPlan plan(LayoutInput in) throws LinkException {
        KernelSections ks = new KernelSections(in, FTRACE_PLTS, false);
        KallsymsCopy kallsyms = new KallsymsCopy(in.elf(), ks, in.kallsymsAll());
        LayoutPlan plan = new LayoutPlan();
        long page = Linker.PAGE_SIZE;
        for (boolean init : new boolean[] {false, true}) {
            String area = init ? "init" : "core";
            List<LayoutPlan.Span> spans = new ArrayList<>();
            Part[] parts = {Part.TEXT, Part.RODATA, Part.RO_AFTER_INIT, Part.DATA};
            long cursor = 0;
            for (int pass = 0; pass < 4; pass++) {
                long start = cursor;
                boolean any = false;
                String span = area + "." + parts[pass].name().toLowerCase(java.util.Locale.ROOT);
                for (KernelSections.Sec s : ks.sections) {
                    if (s.init() == init && s.pass() == pass) {
                        cursor = KernelSections.place(plan.slots, area, span, s, cursor);
                        any = true;
                    }
                }
                long used = cursor - start;
                if (pass == 3) {
                    long end = Layout.align(cursor, page); // case 4: "whole core"
                    if (!init) {
                        end = kallsyms.appendCore(end);
                    } else if (kallsyms.symtab != null) {
                        end = KernelSections.place(plan.slots, area, span, kallsyms.symtab, end);
                        end = KernelSections.place(plan.slots, area, span, kallsyms.strtab, end);
                        end = kallsyms.appendInitTail(end);
                    }
                    used = end - start;
                    any |= end > start;
                    cursor = Layout.align(end, page);
                } else if (!(init && pass == 2)) {
                    cursor = Layout.align(cursor, page);
                }
                if (any) {
                    spans.add(new LayoutPlan.Span(span, parts[pass], start, used, cursor - start));
                }
            }
            if (cursor > 0 || !spans.isEmpty()) {
                plan.areas.add(new LayoutPlan.Area(area, init ? LoadedImage.Layout.INIT : LoadedImage.Layout.CORE,
                        Math.max(cursor, page), cursor, true, page, spans));
            }
        }
        LayoutPlan.Area core = plan.area("core");
        plan.moduleSize = core == null ? 0 : core.kernelSize();
        plan.moduleBaseArea = "core";
        KernelSections.addExtras(plan, in, ks);
        return plan;
    }
}
