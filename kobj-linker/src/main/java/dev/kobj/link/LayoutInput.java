package dev.kobj.link;

import dev.kobj.elf.ElfFile;
import dev.kobj.elf.SectionHeader;
import dev.kobj.reloc.StubNeeds;
import java.util.List;

/**
 * What a {@link LayoutStrategy} lays out.
 *
 * @param elf           the object
 * @param loaded        the sections the kernel would load ({@link Link#loaded}), in index order,
 *                      already checked against kobj's size limits
 * @param needs         the relocation engine's pre-scan: kobj's stub sizes and the alignments it asks for
 * @param kallsymsAll   the target kernel has CONFIG_KALLSYMS_ALL: its core kallsyms copy keeps data
 *                      symbols too, not only text symbols ({@code is_core_symbol})
 * @param erratum843419 the target CPU needs the Cortex-A53 erratum 843419 workaround (arm64
 *                      {@code count_plts} then counts ADRP veneers and adds slack to {@code .plt})
 */
record LayoutInput(ElfFile elf, List<SectionHeader> loaded, StubNeeds needs, boolean kallsymsAll,
        boolean erratum843419) {
}
