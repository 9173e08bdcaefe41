package dev.kobj.elf;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** Reads everything the parser offers from one file, as a consumer that trusts nothing would. */
final class Walk {
    private Walk() {
    }

    /** {@return a checksum of what was read, so that nothing can be optimised away} */
    static long all(ElfFile f) throws ElfFormatException {
        long sum = f.header().shnum() + f.header().machine();
        for (ProgramHeader ph : f.programHeaders()) {
            sum += ph.vaddr();
        }
        for (SectionHeader s : f.sections()) {
            sum += s.name().length();
            MemorySegment raw = f.rawData(s);
            if (raw.byteSize() > 0) {
                sum += raw.get(ValueLayout.JAVA_BYTE, raw.byteSize() - 1);
            }
            if (s.isCompressed() && !s.isNobits()) {
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
                    for (long i = 0; i < t.size(); i++) {
                        Relocation r = t.get(i);
                        sum += r.offset() + r.type() + r.symbol() + r.addend();
                    }
                }
                case ElfConstants.SHT_NOTE -> {
                    for (Note n : f.notes(s)) {
                        sum += n.type() + n.descriptor().byteSize();
                    }
                }
                case ElfConstants.SHT_STRTAB -> sum += f.stringTable(s).get(0, "test").length();
                default -> {
                }
            }
        }
        for (SectionGroup g : f.groups()) {
            sum += g.members().size() + g.signature().length();
        }
        for (ModInfoEntry e : f.modinfo()) {
            sum += e.key().length();
        }
        for (ModVersion v : f.modversions()) {
            sum += v.crc();
        }
        sum += f.thisModule().map(t -> t.name().length()).orElse(0);
        sum += f.signature().map(ModuleSignature::signatureLength).orElse(0L);
        return sum;
    }
}
