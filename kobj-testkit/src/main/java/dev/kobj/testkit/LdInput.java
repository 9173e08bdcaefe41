package dev.kobj.testkit;

import dev.kobj.elf.ElfConstants;
import dev.kobj.elf.ElfFile;
import dev.kobj.elf.ElfFormatException;
import dev.kobj.elf.RelocationTable;
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
 * The copy of an object that GNU ld is given: the object's ELF bytes (decompressed, without
 * an appended signature) with what a module loader never does taken out of ld's hands, so
 * that the two sides lay out the same bytes:
 * <ul>
 * <li>SHF_MERGE/SHF_STRINGS are cleared on the SHF_ALLOC sections that are placed: ld would
 *     merge duplicate strings (and so shrink {@code __ksymtab_strings} and move what
 *     relocations point at); a loader loads the section as it is;</li>
 * <li>R_RISCV_ALIGN becomes R_RISCV_NONE: binutils 2.40 deletes the assembler's alignment
 *     NOPs even with {@code --no-relax}; a loader cannot delete code bytes;</li>
 * <li>with {@link #writeRenamed}, every placed section is renamed {@code .kobj.<index>}
 *     ({@link #name}): ld's script language selects input sections by name only, and a module
 *     may hold two sections of one name that a loader puts in different places; the new names
 *     also keep ld's by-name special cases ({@code .eh_frame} editing, {@code .note.gnu.property}
 *     merging) away from bytes a loader copies as they are. The names go into a new section
 *     name table appended at the end of the file (the old one is left where it is, unused).
 *     SHF_ALLOC is cleared on the SHF_ALLOC sections that are not placed ({@code .modinfo},
 *     {@code __versions}, as the kernel does): ld then lays them out at address 0 outside the
 *     image instead of placing them as orphans among the placed ones.</li>
 * </ul>
 * Relocations, symbols and contents are otherwise the original ones.
 */
public final class LdInput {
    /** How many sections had SHF_MERGE/SHF_STRINGS cleared by the last write. */
    public int mergeCleared;
    /** How many R_RISCV_ALIGN became R_RISCV_NONE in the last write. */
    public int alignNeutralised;

    /** {@return the name given to placed section {@code index} by {@link #writeRenamed}} */
    public static String name(int index) {
        return ".kobj." + index;
    }

    /** Writes the copy of {@code elf} in which every SHF_ALLOC section is placed, under its own name. */
    public Path write(ElfFile elf, Path out) throws IOException, ElfFormatException {
        byte[] copy = elf.bytes().toArray(ValueLayout.JAVA_BYTE);
        MemorySegment m = MemorySegment.ofArray(copy);
        for (SectionHeader s : elf.sections()) {
            if (s.isAlloc()) {
                clearFlags(elf, m, s, MERGE_BITS);
            }
        }
        neutraliseAlign(elf, m);
        Files.write(out, copy);
        return out;
    }

    /** Writes the copy of {@code elf} in which the sections of header index {@code placed} are renamed {@link #name}. */
    public Path writeRenamed(ElfFile elf, Set<Integer> placed, Path out) throws IOException, ElfFormatException {
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
        for (SectionHeader s : elf.sections()) {
            // Section header: sh_name u32, sh_type u32, sh_flags word, sh_addr word, sh_offset word, sh_size word.
            long at = elf.sectionHeaderOffset(s.index());
            if (placed.contains(s.index())) {
                m.set(ValueLayout.JAVA_INT_UNALIGNED.withOrder(order), at, newName[s.index()]);
                clearFlags(elf, m, s, MERGE_BITS);
            } else if (s.isAlloc()) {
                clearFlags(elf, m, s, ElfConstants.SHF_ALLOC);
            }
            if (s.index() == shstrtab.index()) {
                word(m, order, is64, at + (is64 ? 24 : 16), tableAt);
                word(m, order, is64, at + (is64 ? 32 : 20), names.size());
            }
        }
        neutraliseAlign(elf, m);
        Files.write(out, copy);
        return out;
    }

    private static final long MERGE_BITS = ElfConstants.SHF_MERGE | ElfConstants.SHF_STRINGS;

    /** Clears {@code bits} in the sh_flags of {@code s} (which follows sh_name and sh_type), if any is set. */
    private void clearFlags(ElfFile elf, MemorySegment m, SectionHeader s, long bits) {
        if ((s.flags() & bits) == 0) {
            return;
        }
        word(m, elf.header().order(), elf.header().is64(), elf.sectionHeaderOffset(s.index()) + 8, s.flags() & ~bits);
        if (bits == MERGE_BITS) {
            mergeCleared++;
        }
    }

    /** R_RISCV_ALIGN (43) becomes R_RISCV_NONE (0) in r_info: ELF64 u64 (sym << 32 | type), ELF32 u32 (sym << 8 | type). */
    private void neutraliseAlign(ElfFile elf, MemorySegment m) throws ElfFormatException {
        if (elf.header().machine() != ElfConstants.EM_RISCV) {
            return;
        }
        ByteOrder order = elf.header().order();
        boolean is64 = elf.header().is64();
        for (RelocationTable t : elf.relocationTables()) {
            long ent = t.section().entsize();
            for (long i = 0; i < t.size(); i++) {
                if (t.type(i) != 43) {
                    continue;
                }
                long at = t.section().offset() + i * ent + (is64 ? 8 : 4);
                if (is64) {
                    long info = m.get(ValueLayout.JAVA_LONG_UNALIGNED.withOrder(order), at);
                    m.set(ValueLayout.JAVA_LONG_UNALIGNED.withOrder(order), at, info & ~0xffffffffL);
                } else {
                    int info = m.get(ValueLayout.JAVA_INT_UNALIGNED.withOrder(order), at);
                    m.set(ValueLayout.JAVA_INT_UNALIGNED.withOrder(order), at, info & ~0xff);
                }
                alignNeutralised++;
            }
        }
    }

    private static void word(MemorySegment m, ByteOrder order, boolean is64, long at, long v) {
        if (is64) {
            m.set(ValueLayout.JAVA_LONG_UNALIGNED.withOrder(order), at, v);
        } else {
            m.set(ValueLayout.JAVA_INT_UNALIGNED.withOrder(order), at, (int) v);
        }
    }
}
