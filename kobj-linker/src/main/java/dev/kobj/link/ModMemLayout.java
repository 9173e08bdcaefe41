package dev.kobj.link;

import dev.kobj.link.LoadedImage.Part;
import java.util.ArrayList;
import java.util.List;

/**
 * Linux 6.4+'s layout ({@code struct module_memory mem[MOD_MEM_NUM_TYPES]}; kernel/module/main.c
 * {@code __layout_sections}, {@code module_get_offset_and_type}, {@code move_module},
 * {@code module_memory_alloc}; kallsyms.c {@code layout_symtab}), read as facts:
 * <ul>
 * <li>core pass 0 → {@code text}, pass 1 → {@code rodata}, pass 2 → {@code ro_after_init},
 *     passes 3-4 → {@code data}; init pass 0 → {@code init_text}, pass 1 →
 *     {@code init_rodata}, passes 3-4 → {@code init_data} (an init section of pass 2 is
 *     refused with a warning: it gets no place); within a type each section sits at its
 *     sh_addralign after the previous one, no page alignment inside;</li>
 * <li>{@code layout_symtab}: {@code .symtab} and {@code .strtab}, then the mod_kallsyms and
 *     type bytes, at the end of {@code init_data}; the core kallsyms copy at the end of
 *     {@code data};</li>
 * <li>each type with bytes is one allocation of PAGE_ALIGN(size) bytes, allocated in enum
 *     order text, data, rodata, ro_after_init, init_text, init_data, init_rodata (so by
 *     default each one guard page after the previous); a type with no bytes gets none;</li>
 * <li>/proc/modules shows the text address and the sum of the core types' rounded sizes.</li>
 * </ul>
 */
final class ModMemLayout extends LayoutStrategy {

    /** arm64 NR_FTRACE_PLTS from 6.2 (one FTRACE_PLT_IDX). */
    static final int FTRACE_PLTS = 1;

    /** The enum mod_mem_type, in order: name, init, part, which pass fills it. */
    private record Type(String name, boolean init, Part part, int pass) {
    }

    private static final List<Type> TYPES = List.of(
            new Type("text", false, Part.TEXT, 0),
            new Type("data", false, Part.DATA, 3),
            new Type("rodata", false, Part.RODATA, 1),
            new Type("ro_after_init", false, Part.RO_AFTER_INIT, 2),
            new Type("init_text", true, Part.TEXT, 0),
            new Type("init_data", true, Part.DATA, 3),
            new Type("init_rodata", true, Part.RODATA, 1));

    ModMemLayout() {
    }

    @Override
    public String name() {
        return "linux-6.4";
    }

    @Override
    public List<String> regionNames() {
        return TYPES.stream().map(Type::name).toList();
    }

    @Override
    LayoutPlan plan(LayoutInput in) throws LinkException {
        KernelSections ks = new KernelSections(in, FTRACE_PLTS, true);
        KallsymsCopy kallsyms = new KallsymsCopy(in.elf(), ks, in.kallsymsAll());
        LayoutPlan plan = new LayoutPlan();
        List<LayoutPlan.Area> empty = new ArrayList<>();
        long page = Linker.PAGE_SIZE;
        long coreSize = 0;
        for (Type t : TYPES) {
            long cursor = 0;
            boolean any = false;
            for (KernelSections.Sec s : ks.sections) {
                if (s.init() == t.init() && s.pass() == t.pass()) {
                    cursor = KernelSections.place(plan.slots, t.name(), t.name(), s, cursor);
                    any = true;
                }
            }
            if (t.name().equals("data")) {
                cursor = kallsyms.appendCore(cursor);
            } else if (t.name().equals("init_data") && kallsyms.symtab != null) {
                cursor = KernelSections.place(plan.slots, t.name(), t.name(), kallsyms.symtab, cursor);
                cursor = KernelSections.place(plan.slots, t.name(), t.name(), kallsyms.strtab, cursor);
                cursor = kallsyms.appendInitTail(cursor);
                any = true;
            }
            long size = Layout.align(cursor, page);
            var layout = t.init() ? LoadedImage.Layout.INIT : LoadedImage.Layout.CORE;
            if (size == 0) {
                if (any) { // only empty sections: no kernel allocation, but kobj gives them an address
                    empty.add(new LayoutPlan.Area(t.name(), layout, page, 0, false, page,
                            List.of(new LayoutPlan.Span(t.name(), t.part(), 0, 0, 0))));
                }
                continue;
            }
            if (!t.init()) {
                coreSize += size;
            }
            plan.areas.add(new LayoutPlan.Area(t.name(), layout, size, size, true, page,
                    List.of(new LayoutPlan.Span(t.name(), t.part(), 0, cursor, size))));
        }
        plan.areas.addAll(empty);
        plan.moduleSize = coreSize;
        plan.moduleBaseArea = "text";
        KernelSections.addExtras(plan, in, ks);
        return plan;
    }
}
