package dev.kobj.cli.kernel;

import dev.kobj.elf.SectionHeader;

/**
 * Sections whose relocated bytes the kernel or the module's init rewrites after relocation, so
 * that the guest's bytes may differ from the image a loader hands over (facts of
 * kernel/module/main.c, kernel/jump_label.c, kernel/static_call_inline.c, facts only):
 * the kernel's own {@code struct module} in .gnu.linkonce.this_module (list heads, state,
 * refcounts, pointers it fills in), __jump_table (sorted by key at load, then entries updated),
 * .static_call_sites (the init flag set in the key word), __ex_table and .orc_unwind* /
 * __mcount_loc (ftrace sorts the call sites), where the kernel sorts or patches, and every writable section (.data, .bss,
 * ...), which the module's init writes. A difference in any other section is unexplained.
 */
final class RewrittenWords {
    private static final long SHF_WRITE = 1;

    private RewrittenWords() {
    }

    /** {@return the category of a rewritten section, or null when its bytes must equal kobj's} */
    static String category(SectionHeader s) {
        return switch (s.name()) {
            case ".gnu.linkonce.this_module" -> "struct module (kernel)";
            case "__jump_table" -> "jump labels (sorted, updated)";
            case ".static_call_sites" -> "static calls (init flag)";
            case "__ex_table" -> "exception table (sorted)";
            case ".orc_unwind", ".orc_unwind_ip" -> "orc unwind (sorted)";
            case "__mcount_loc", "__patchable_function_entries" -> "ftrace call sites (sorted)";
            default -> (s.flags() & SHF_WRITE) != 0 ? "writable (init writes)" : null;
        };
    }
}
