package dev.kobj.link;

import dev.kobj.elf.SectionHeader;
import dev.kobj.link.LoadedImage.Part;
import java.util.ArrayList;
import java.util.List;

/**
 * The result of a {@link LayoutStrategy}: the allocations to make, the regions (permission
 * groups) inside each, where every section goes, and where kobj's stubs go. Offsets are from
 * the start of their area.
 */
final class LayoutPlan {

    /**
     * One permission group inside an area.
     *
     * @param name   the region's name ("core.text", "text", "kobj_stubs.rodata", ...)
     * @param part   what it holds, and so its permissions
     * @param offset its first byte, from the area's start (a page multiple)
     * @param used   bytes used
     * @param size   bytes it spans (a page multiple, or 0 when it holds only empty sections)
     */
    record Span(String name, Part part, long offset, long used, long size) {
    }

    /**
     * One allocation.
     *
     * @param name       the kernel's name (core, init, text, init_data, ...) or kobj's (kobj_stubs, percpu)
     * @param layout     CORE or INIT (INIT areas are freed by {@link LoadedImage#completeInit})
     * @param size       bytes to allocate (a page multiple, at least one page)
     * @param kernelSize the size the kernel records for it (core_layout.size, mod->mem[type].size);
     *                   0 for kobj's extra areas
     * @param kernel     true when the kernel makes this allocation
     * @param guard      bytes left free before the next area when no base is given for it (the
     *                   vmalloc guard page of a kernel allocation; 0 for kobj's layout)
     * @param spans      its regions, in address order
     */
    record Area(String name, LoadedImage.Layout layout, long size, long kernelSize, boolean kernel, long guard,
            List<Span> spans) {
    }

    /**
     * One section's place.
     *
     * @param section the header, as read
     * @param area    the area's name
     * @param span    the region's name
     * @param offset  from the area's start
     * @param size    its size in memory (the kernel may resize it: arm64 {@code .plt})
     * @param copy    true when the file's bytes are copied (false: zeros, as for SHT_NOBITS)
     */
    record Slot(SectionHeader section, String area, String span, long offset, long size, boolean copy) {
    }

    /** Where one of kobj's stub sections goes. */
    record Stub(String area, String span, long offset) {
    }

    final List<Area> areas = new ArrayList<>();
    final List<Slot> slots = new ArrayList<>();
    Stub plt;
    Stub veneers;
    Stub got;
    /** The kernel's /proc/modules size: coresize after init. */
    long moduleSize;
    /** The area whose address /proc/modules shows. */
    String moduleBaseArea;

    Area area(String name) {
        for (Area a : areas) {
            if (a.name().equals(name)) {
                return a;
            }
        }
        return null;
    }
}
