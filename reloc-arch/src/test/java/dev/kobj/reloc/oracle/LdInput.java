package dev.kobj.reloc.oracle;

import dev.kobj.elf.ElfConstants;
import dev.kobj.elf.ElfFile;
import dev.kobj.elf.ElfFormatException;
import dev.kobj.elf.RelocationTable;
import dev.kobj.elf.SectionHeader;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The copy of an object that GNU ld is given: the object's ELF bytes (decompressed, without
 * an appended signature) with the two things a module loader never does taken out of ld's
 * hands, so that the two sides lay out the same bytes:
 * <ul>
 * <li>SHF_MERGE/SHF_STRINGS are cleared on SHF_ALLOC sections: ld would merge duplicate
 *     strings (and so shrink {@code __ksymtab_strings} and move what relocations point at);
 *     a loader loads the section as it is;</li>
 * <li>R_RISCV_ALIGN becomes R_RISCV_NONE: binutils 2.40 deletes the assembler's alignment
 *     NOPs even with {@code --no-relax}; a loader cannot delete code bytes.</li>
 * </ul>
 * Nothing else changes: relocations, symbols and contents are the original ones.
 */
final class LdInput {
    int mergeCleared;
    int alignNeutralised;

    Path write(ElfFile elf, Path out) throws IOException, ElfFormatException {
        byte[] copy = elf.bytes().toArray(ValueLayout.JAVA_BYTE);
        MemorySegment m = MemorySegment.ofArray(copy);
        ByteOrder order = elf.header().order();
        boolean is64 = elf.header().is64();
        long mergeBits = ElfConstants.SHF_MERGE | ElfConstants.SHF_STRINGS;
        for (SectionHeader s : elf.sections()) {
            if (s.isAlloc() && (s.flags() & mergeBits) != 0) {
                long at = elf.sectionHeaderOffset(s.index()) + 8; // sh_flags follows sh_name and sh_type
                if (is64) {
                    m.set(ValueLayout.JAVA_LONG_UNALIGNED.withOrder(order), at, s.flags() & ~mergeBits);
                } else {
                    m.set(ValueLayout.JAVA_INT_UNALIGNED.withOrder(order), at, (int) (s.flags() & ~mergeBits));
                }
                mergeCleared++;
            }
        }
        if (elf.header().machine() == ElfConstants.EM_RISCV) {
            for (RelocationTable t : elf.relocationTables()) {
                long ent = t.section().entsize();
                for (long i = 0; i < t.size(); i++) {
                    if (t.type(i) != 43) { // R_RISCV_ALIGN
                        continue;
                    }
                    // r_info: ELF64 u64 (sym << 32 | type), ELF32 u32 (sym << 8 | type); R_RISCV_NONE = 0
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
        Files.write(out, copy);
        return out;
    }
}
