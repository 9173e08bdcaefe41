package dev.kobj.link;

import dev.kobj.link.LoadedImage.Part;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * kobj's own layout ({@link Layout}): the 6.1 groups with bss apart, the stubs inside core
 * ({@code .kobj.plt} and {@code .kobj.veneers} at the end of core text, {@code .kobj.got} at the
 * end of core rodata), init right after core. Regions are named {@code core.text},
 * {@code init.data}, ...
 */
final class KobjLayout extends LayoutStrategy {

    KobjLayout() {
    }

    @Override
    public String name() {
        return "kobj";
    }

    @Override
    public List<String> regionNames() {
        return List.of("core", "init");
    }

    @Override
    LayoutPlan plan(LayoutInput in) {
        var needs = in.needs();
        Layout layout = new Layout(in.loaded(), needs.pltSize(), needs.veneerSize(), needs.gotSize(),
                needs.alignments());
        LayoutPlan plan = new LayoutPlan();
        for (LoadedImage.Layout l : LoadedImage.Layout.values()) {
            long size = layout.sizes.get(l);
            if (l == LoadedImage.Layout.INIT && size == 0) {
                continue;
            }
            String area = l.name().toLowerCase(Locale.ROOT);
            List<LayoutPlan.Span> spans = new ArrayList<>();
            for (Layout.Span s : layout.spans.get(l).values()) {
                if (s.occupied()) {
                    spans.add(new LayoutPlan.Span(area + "." + s.part().name().toLowerCase(Locale.ROOT), s.part(),
                            s.offset(), s.used(), s.size()));
                }
            }
            // A layout with no bytes still gets one page, so that its sections (all empty) have an address.
            long alloc = Math.max(size, Linker.PAGE_SIZE);
            plan.areas.add(new LayoutPlan.Area(area, l, alloc, size, false, 0, spans));
        }
        for (Layout.Slot s : layout.slots) {
            String area = s.layout().name().toLowerCase(Locale.ROOT);
            plan.slots.add(new LayoutPlan.Slot(s.section(), area, area + "." + s.part().name().toLowerCase(Locale.ROOT),
                    s.offset(), s.section().size(), !s.section().isNobits()));
        }
        if (needs.pltSize() > 0) {
            plan.plt = new LayoutPlan.Stub("core", "core.text", layout.pltOffset);
        }
        if (needs.veneerSize() > 0) {
            plan.veneers = new LayoutPlan.Stub("core", "core.text", layout.veneerOffset);
        }
        if (needs.gotSize() > 0) {
            plan.got = new LayoutPlan.Stub("core", "core." + Part.RODATA.name().toLowerCase(Locale.ROOT),
                    layout.gotOffset);
        }
        plan.moduleSize = layout.sizes.get(LoadedImage.Layout.CORE);
        plan.moduleBaseArea = "core";
        return plan;
    }
}
