package dev.kobj.elf;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Every public accessor of {@link ElfFile}, called as a consumer that trusts nothing would: by
 * elf-parser's mutation test and, through elf-parser's test-jar, by kobj-fuzz's ElfFuzzTest
 * (kobj-testkit cannot hold it: it reads ELF with elf-parser, so elf-parser's tests cannot use it).
 */
public final class ElfWalk {
    private ElfWalk() {
    }

    /**
     * Reads everything the parser offers from {@code f}.
     *
     * @param f the file to read
     * @return a checksum of what was read, so that nothing can be optimised away
     * @throws ElfFormatException when the file is malformed (the only exception allowed out)
     */
    public static long all(ElfFile f) throws ElfFormatException {
        long sum = f.header().shnum() + f.header().machine() + f.compression().ordinal() + f.fileBytes().byteSize();
        for (ProgramHeader ph : f.programHeaders()) {
            sum += ph.vaddr();
        }
        for (SectionHeader s : f.sections()) {
            sum += s.name().length() + f.sectionHeaderOffset(s.index());
            sum += f.section(s.index()).size();
            MemorySegment raw = f.rawData(s);
            if (raw.byteSize() > 0) {
                sum += raw.get(ValueLayout.JAVA_BYTE, raw.byteSize() - 1);
            }
            if (s.isCompressed() && !s.isNobits()) {
                sum += f.compressionHeader(s).size();
                sum += f.contents(s).byteSize();
            }
            switch (s.type()) {
                case ElfConstants.SHT_SYMTAB, ElfConstants.SHT_DYNSYM -> {
                    SymbolTable t = f.symbolTable(s);
                    for (ElfSymbol sym : t.all()) {
                        sum += sym.value() + sym.shndx() + sym.name().length();
                    }
                }
                case ElfConstants.SHT_REL, ElfConstants.SHT_RELA -> {
                    RelocationTable t = f.relocationTable(s);
                    sum += (t.target() == null ? 0 : t.target().index()) + t.symbolTableIndex(); // null: sh_info 0
                    for (long i = 0; i < t.size(); i++) {
                        Relocation r = t.get(i);
                        sum += r.offset() + r.type() + r.symbol() + r.addend();
                    }
                }
                case ElfConstants.SHT_NOTE -> {
                    for (Note n : f.notes(s)) {
                        sum += n.type() + n.descriptor().byteSize() + n.owner().length();
                    }
                }
                case ElfConstants.SHT_STRTAB -> sum += f.stringTable(s).get(0, "fuzz").length();
                default -> {
                }
            }
        }
        sum += f.section(".modinfo").map(SectionHeader::size).orElse(0L);
        sum += f.symbolTable().map(SymbolTable::size).orElse(0);
        for (RelocationTable t : f.relocationTables()) {
            sum += t.size();
        }
        for (SectionGroup g : f.groups()) {
            sum += g.members().size() + g.signature().length() + (g.isComdat() ? 1 : 0);
        }
        for (ModInfoEntry e : f.modinfo()) {
            sum += e.key().length() + e.value().length();
        }
        sum += f.modinfo("license").size() + f.modinfo("depends").size();
        for (ModVersion v : f.modversions()) {
            sum += v.crc() + v.name().length();
        }
        sum += f.thisModule().map(t -> t.name().length()).orElse(0);
        sum += f.signature().map(ModuleSignature::signatureLength).orElse(0L);
        return sum;
    }
}
