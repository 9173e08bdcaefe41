package dev.kobj.cli;

import dev.kobj.elf.ElfConstants;
import dev.kobj.elf.ElfFile;
import dev.kobj.elf.ElfFormatException;
import dev.kobj.elf.SectionHeader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/**
 * The copy of a module that GNU ld is given in the real-module oracle: the object's bytes
 * (decompressed, the appended signature left off) with three edits, so that a linker script
 * can put every input section at the address kobj chose and ld lays out the same bytes:
 * <ul>
 * <li>every section kobj placed is renamed {@code .kobj.<index>}: ld's script language
 *     selects input sections by name only, and a module may hold two sections of one name
 *     that kobj puts in different places; the new names also keep ld's by-name special
 *     cases ({@code .eh_frame} editing, {@code .note.gnu.property} merging) away from
 *     bytes a module loader copies as they are. The names are written into a new section
 *     name table appended at the end of the file (the old one is left where it is, unused);</li>
 * <li>SHF_MERGE|SHF_STRINGS are cleared on the placed sections (ld would merge strings;
 *     a loader does not);</li>
 * <li>SHF_ALLOC is cleared on the SHF_ALLOC sections kobj did not place ({@code .modinfo},
 *     {@code __versions}, as the kernel does): ld then lays them out at address 0 outside the
 *     image, where kobj leaves them too, instead of placing them as orphans among ours.</li>
 * </ul>
 * Relocations, symbols and contents are the original ones.
 */
final class LdModuleInput {
    private LdModuleInput() {
    }

    /** {@return the name given to placed section {@code index} in the copy} */
    static String name(int index) {
        return ".kobj." + index;
    }

    /** Writes the copy of {@code elf} to {@code out}; {@code placed} holds the header indexes kobj placed. */
    static Path write(ElfFile elf, Set<Integer> placed, Path out) throws IOException, ElfFormatException {
        byte[] original = elf.bytes().toArray(ValueLayout.JAVA_BYTE);
        boolean is64 = elf.header().is64();
        ByteOrder order = elf.header().order();
        SectionHeader shstrtab = elf.section(elf.header().shstrndx());
        // New section-name table: the old one, then the new names.
        ByteArrayOutputStream names = new ByteArrayOutputStream();
        names.writeBytes(elf.rawData(shstrtab).toArray(ValueLayout.JAVA_BYTE));
        int[] newName = new int[elf.sections().size()];
        for (SectionHeader s : elf.sections()) {
            if (placed.contains(s.index())) {
                newName[s.index()] = names.size();
                names.writeBytes(name(s.index()).getBytes(StandardCharsets.US_ASCII));
                names.write(0);
            }
        }
        long tableAt = (original.length + 7) & ~7L;
        byte[] copy = new byte[(int) (tableAt + names.size())];
        System.arraycopy(original, 0, copy, 0, original.length);
        System.arraycopy(names.toByteArray(), 0, copy, (int) tableAt, names.size());
        MemorySegment m = MemorySegment.ofArray(copy);
        long mergeBits = ElfConstants.SHF_MERGE | ElfConstants.SHF_STRINGS;
        for (SectionHeader s : elf.sections()) {
            // Section header: sh_name u32, sh_type u32, sh_flags word, sh_addr word, sh_offset word, sh_size word.
            long at = elf.sectionHeaderOffset(s.index());
            long flags = s.flags();
            if (placed.contains(s.index())) {
                m.set(ValueLayout.JAVA_INT_UNALIGNED.withOrder(order), at, newName[s.index()]);
                flags &= ~mergeBits;
            } else if (s.isAlloc()) {
                flags &= ~ElfConstants.SHF_ALLOC;
            }
            if (s.index() == shstrtab.index()) {
                word(m, order, is64, at + (is64 ? 24 : 16), tableAt);
                word(m, order, is64, at + (is64 ? 32 : 20), names.size());
            }
            if (flags != s.flags()) {
                word(m, order, is64, at + 8, flags);
            }
        }
        Files.write(out, copy);
        return out;
    }

    private static void word(MemorySegment m, ByteOrder order, boolean is64, long at, long v) {
        if (is64) {
            m.set(ValueLayout.JAVA_LONG_UNALIGNED.withOrder(order), at, v);
        } else {
            m.set(ValueLayout.JAVA_INT_UNALIGNED.withOrder(order), at, (int) v);
        }
    }
}
