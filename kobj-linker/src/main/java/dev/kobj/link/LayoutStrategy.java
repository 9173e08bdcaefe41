package dev.kobj.link;

import dev.kobj.elf.ElfFile;
import dev.kobj.elf.ElfFormatException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How a module's sections are put into memory: by the rules of the kernel that will load it.
 * Linux changed them in 6.4 ({@code mod_mem}, commit "module: replace module_layout with
 * module_memory"); kobj knows three:
 * <ul>
 * <li>{@link #LINUX_6_1} ("linux-6.1"): up to 6.3, one {@code core} and one {@code init}
 *     allocation, each holding page-aligned text, rodata, ro_after_init and data groups
 *     ({@code layout_sections}, {@code strict_align}); the kernel's copy of {@code .symtab} and
 *     {@code .strtab} at the end of init and the core kallsyms tables at the end of core data
 *     ({@code layout_symtab}); the init allocation follows core after a guard page;</li>
 * <li>{@link #LINUX_6_4} ("linux-6.4"): from 6.4, one allocation per memory type in enum order
 *     ({@code text, data, rodata, ro_after_init, init_text, init_data, init_rodata}), each
 *     page-rounded and followed by a guard page; a type with no bytes gets no allocation;</li>
 * <li>{@link #KOBJ} ("kobj"): kobj's own, for objects that name no kernel (no vermagic): the
 *     6.1 groups, bss in a group of its own, the stubs inside core, init right after core.</li>
 * </ul>
 * The kernel layouts size the architecture's own stub sections as its
 * {@code module_frob_arch_sections} does (arm64 {@code .plt}, {@code .init.plt},
 * {@code .text.ftrace_trampoline}; riscv {@code .plt}, {@code .got}, {@code .got.plt}) so that
 * every section lands where the kernel puts it. kobj's own stubs ({@code .kobj.plt},
 * {@code .kobj.got}, {@code .kobj.veneers}) and the per-CPU section, which the kernel puts
 * elsewhere, then go to extra allocations after the kernel's ({@code kobj_stubs},
 * {@code percpu}), so they move nothing the kernel placed.
 */
public abstract sealed class LayoutStrategy permits KobjLayout, Linux61Layout, ModMemLayout {

    /** kobj's own layout. */
    public static final LayoutStrategy KOBJ = new KobjLayout();
    /** Linux 6.1's core and init allocations (used for every release before 6.4). */
    public static final LayoutStrategy LINUX_6_1 = new Linux61Layout();
    /** Linux 6.4+'s {@code mod_mem} allocations. */
    public static final LayoutStrategy LINUX_6_4 = new ModMemLayout();

    private static final Pattern RELEASE = Pattern.compile("^(\\d+)\\.(\\d+)");

    LayoutStrategy() {
    }

    /** {@return the layout's name: "kobj", "linux-6.1" or "linux-6.4"} */
    public abstract String name();

    /**
     * {@return the names of the allocations (regions, in the kernel's words) this layout can make,
     * in allocation order}: {@code core, init} or {@code text, data, rodata, ro_after_init,
     * init_text, init_data, init_rodata}; the extra {@code kobj_stubs} and {@code percpu} are not listed
     */
    public abstract List<String> regionNames();

    /** {@return true for the layouts of a real kernel (not {@link #KOBJ})} */
    public boolean kernel() {
        return this != KOBJ;
    }

    /**
     * {@return the layout called {@code name} ("kobj", "linux-6.1", "linux-6.4"; "6.1" and "6.4" too)}
     * @param name a strategy's name: {@code linux-6.1}, {@code mod-mem} or {@code kobj}
     */
    public static Optional<LayoutStrategy> named(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        return switch (n) {
            case "kobj" -> Optional.of(KOBJ);
            case "linux-6.1", "6.1", "linux61" -> Optional.of(LINUX_6_1);
            case "linux-6.4", "6.4", "linux64", "mod_mem", "modmem" -> Optional.of(LINUX_6_4);
            default -> Optional.empty();
        };
    }

    /**
     * {@return the layout of the kernel {@code release}} ("6.1.0-57-amd64", "6.12.48+deb13-arm64"):
     * {@link #LINUX_6_4} from 6.4 on, {@link #LINUX_6_1} before; empty when the text starts with no
     * {@code MAJOR.MINOR}
     *
     * @param release a kernel release, as {@code uname -r} or a vermagic prints it (e.g. {@code 6.1.0-57-amd64})
     */
    public static Optional<LayoutStrategy> forRelease(String release) {
        Matcher m = RELEASE.matcher(release.trim());
        if (!m.find()) {
            return Optional.empty();
        }
        int major = Integer.parseInt(m.group(1).length() > 4 ? "9999" : m.group(1));
        int minor = Integer.parseInt(m.group(2).length() > 4 ? "9999" : m.group(2));
        boolean modMem = major > 6 || (major == 6 && minor >= 4);
        return Optional.of(modMem ? LINUX_6_4 : LINUX_6_1);
    }

    /**
     * {@return the layout for {@code object}}: the one of the release its {@code vermagic} names
     * (the text up to the first space), {@link #KOBJ} when it has no vermagic or an unreadable one
     *
     * @param object the module, whose vermagic is read
     */
    public static LayoutStrategy forObject(ElfFile object) {
        try {
            List<String> vm = object.modinfo("vermagic");
            if (vm.isEmpty()) {
                return KOBJ;
            }
            return forRelease(vm.getFirst()).orElse(KOBJ);
        } catch (ElfFormatException e) {
            return KOBJ;
        }
    }

    /** Lays {@code in} out. */
    abstract LayoutPlan plan(LayoutInput in) throws LinkException;

    @Override
    public String toString() {
        return name();
    }
}
