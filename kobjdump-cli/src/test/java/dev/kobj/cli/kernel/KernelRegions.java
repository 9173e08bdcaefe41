package dev.kobj.cli.kernel;

import dev.kobj.elf.SectionHeader;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The kernel's memory regions of a loaded module and the base the kernel chose for each,
 * derived from the kernel alone: a section goes to a region by the rules of the kernel's
 * layout_sections (kernel/module/main.c, facts only): init if its name starts with ".init";
 * executable, read-only, ro_after_init (".data..ro_after_init", "__jump_table") or writable by
 * its flags. 6.1 has two allocations, {@code core} (the /proc/modules base) and {@code init};
 * 6.4+ has one allocation per type: text (the /proc/modules base), data, rodata, ro_after_init,
 * init_text, init_data, init_rodata. Every allocation is page-aligned and its first section is at
 * its start, so a region's base is the page below its lowest sysfs section address. The
 * kernel's copies of .symtab and .strtab live in init (6.1) or init_data (6.4+).
 */
public final class KernelRegions {
    private static final long SHF_WRITE = 1;
    private static final long SHF_EXECINSTR = 4;
    private static final long PAGE = 4096;

    private KernelRegions() {
    }

    /** {@return the region name of section {@code s} in a kernel with or without mod_mem} */
    public static String region(SectionHeader s, boolean modMem) {
        return region(s.name(), s.flags(), modMem);
    }

    static String region(String name, long flags, boolean modMem) {
        boolean init = name.startsWith(".init") || name.equals(".symtab") || name.equals(".strtab");
        if (!modMem) {
            return init ? "init" : "core";
        }
        String type;
        if (name.equals(".symtab") || name.equals(".strtab")) {
            type = "data";
        } else if ((flags & SHF_EXECINSTR) != 0) {
            type = "text";
        } else if (name.equals(".data..ro_after_init") || name.equals("__jump_table")) {
            type = "ro_after_init";
        } else if ((flags & SHF_WRITE) != 0) {
            type = "data";
        } else {
            type = "rodata";
        }
        return init ? "init_" + type : type;
    }

    /**
     * {@return region name to base: {@code procBase} (the /proc/modules address) for core/text,
     * else the page below the lowest sysfs address of the region's sections}
     */
    public static Map<String, Long> bases(List<SectionHeader> sections, Map<String, Long> sysfs, long procBase,
            boolean modMem) {
        Map<String, Long> bases = new TreeMap<>();
        bases.put(modMem ? "text" : "core", procBase);
        for (var e : sysfs.entrySet()) {
            String name = e.getKey();
            long flags = sections.stream().filter(s -> s.name().equals(name)).mapToLong(SectionHeader::flags)
                    .findFirst().orElse(0);
            String r = region(name, flags, modMem);
            long page = e.getValue() & -PAGE;
            if (!r.equals("core") && !r.equals("text")) {
                bases.merge(r, page, Math::min);
            }
        }
        return bases;
    }
}
