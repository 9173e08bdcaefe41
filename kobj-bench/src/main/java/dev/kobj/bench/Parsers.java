package dev.kobj.bench;

import dev.kobj.elf.ElfFormatException;
import dev.kobj.elf.Relocation;
import dev.kobj.elf.RelocationTable;
import dev.kobj.elf.SectionHeader;
import dev.kobj.elf.SymbolTable;
import java.util.Optional;
import net.fornwall.jelf.ElfRelocation;
import net.fornwall.jelf.ElfRelocationAddend;
import net.fornwall.jelf.ElfRelocationAddendSection;
import net.fornwall.jelf.ElfRelocationSection;
import net.fornwall.jelf.ElfSection;
import net.fornwall.jelf.ElfSectionHeader;
import net.fornwall.jelf.ElfStringTable;
import net.fornwall.jelf.ElfSymbol;
import net.fornwall.jelf.ElfSymbolTableSection;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The work each benchmark does on one file, with kobj and with jelf: read every section
 * header (all fields and the name), every symbol of the SHT_SYMTAB table (name, value, size,
 * info, other, st_shndx) and every relocation of every SHT_REL/SHT_RELA table (offset, type,
 * symbol, addend).
 *
 * <p>Every name is handed to the {@link Blackhole}, so that no string can be optimised
 * away, and every decoded value goes into a checksum that is the same for both libraries
 * when they decode the same values: a sum of one hash per item, so that the order in which a
 * library visits the tables does not matter. The setup compares these checksums.
 */
final class Parsers {
    private Parsers() {
    }

    static final int SHT_SYMTAB = 2;

    private static long mix(long h, long v) {
        h ^= v;
        h *= 0x9E3779B97F4A7C15L;
        return h ^ (h >>> 29);
    }

    static long section(int type, long flags, long addr, long offset, long size, long link, long info,
            long addralign, long entsize, int nameLength) {
        long h = mix(1, type);
        h = mix(h, flags);
        h = mix(h, addr);
        h = mix(h, offset);
        h = mix(h, size);
        h = mix(h, link);
        h = mix(h, info);
        h = mix(h, addralign);
        h = mix(h, entsize);
        return mix(h, nameLength);
    }

    static long symbol(int nameLength, long value, long size, int info, int other, int shndx) {
        long h = mix(2, nameLength);
        h = mix(h, value);
        h = mix(h, size);
        h = mix(h, info);
        h = mix(h, other);
        return mix(h, shndx);
    }

    static long relocation(long offset, long type, long symbol, long addend) {
        long h = mix(3, offset);
        h = mix(h, type);
        h = mix(h, symbol);
        return mix(h, addend);
    }

    private static int length(String s) {
        return s == null ? 0 : s.length(); // jelf gives null for name offset 0, kobj ""
    }

    // ------------------------------------------------------------------ kobj

    /** kobj the zero-copy way: the table views' accessors, no object per entry. */
    static long kobjViews(dev.kobj.elf.ElfFile f, Blackhole bh) throws ElfFormatException {
        long sum = 0;
        for (SectionHeader s : f.sections()) {
            String name = s.name();
            bh.consume(name);
            sum += section(s.type(), s.flags(), s.addr(), s.offset(), s.size(), s.link(), s.info(), s.addralign(),
                    s.entsize(), name.length());
        }
        Optional<SymbolTable> symtab = f.symbolTable();
        if (symtab.isPresent()) {
            SymbolTable t = symtab.get();
            int n = t.size();
            for (int i = 0; i < n; i++) {
                String name = t.name(i);
                bh.consume(name);
                sum += symbol(name.length(), t.value(i), t.symbolSize(i), t.info(i), t.other(i), t.rawShndx(i));
            }
        }
        for (RelocationTable t : f.relocationTables()) {
            long n = t.size();
            for (long i = 0; i < n; i++) {
                sum += relocation(t.offset(i), t.type(i), t.symbol(i), t.addend(i));
            }
        }
        return sum;
    }

    /** kobj decoding one record per entry ({@code SymbolTable.get}, {@code RelocationTable.get}), as jelf does. */
    static long kobjRecords(dev.kobj.elf.ElfFile f, Blackhole bh) throws ElfFormatException {
        long sum = 0;
        for (SectionHeader s : f.sections()) {
            String name = s.name();
            bh.consume(name);
            sum += section(s.type(), s.flags(), s.addr(), s.offset(), s.size(), s.link(), s.info(), s.addralign(),
                    s.entsize(), name.length());
        }
        Optional<SymbolTable> symtab = f.symbolTable();
        if (symtab.isPresent()) {
            SymbolTable t = symtab.get();
            int n = t.size();
            for (int i = 0; i < n; i++) {
                dev.kobj.elf.ElfSymbol s = t.get(i);
                bh.consume(s.name());
                sum += symbol(s.name().length(), s.value(), s.size(), s.info(), s.other(), s.rawShndx());
            }
        }
        for (RelocationTable t : f.relocationTables()) {
            long n = t.size();
            for (long i = 0; i < n; i++) {
                Relocation r = t.get(i);
                sum += relocation(r.offset(), r.type(), r.symbol(), r.addend());
            }
        }
        return sum;
    }

    // ------------------------------------------------------------------ jelf

    /**
     * jelf as its API is meant to be used: {@code getSection(i)} for every section,
     * {@code ElfSectionHeader.getName()}, {@code ElfSymbol.getName()} (which looks the
     * {@code .strtab} section up by name on every call).
     */
    static long jelf(net.fornwall.jelf.ElfFile f, Blackhole bh) {
        long sum = 0;
        int n = Short.toUnsignedInt(f.e_shnum);
        for (int i = 0; i < n; i++) {
            ElfSection sec = f.getSection(i);
            ElfSectionHeader h = sec.header;
            String name = h.getName();
            bh.consume(name);
            sum += jelfSection(h, length(name));
            if (h.sh_type == SHT_SYMTAB && sec instanceof ElfSymbolTableSection st) {
                for (ElfSymbol s : st.symbols) {
                    String sn = s.getName();
                    bh.consume(sn);
                    sum += jelfSymbol(s, length(sn));
                }
            } else {
                sum += jelfRelocations(sec);
            }
        }
        return sum;
    }

    /**
     * jelf with the symbol names read from the symbol table's linked string table (sh_link),
     * fetched once per table: what a careful jelf user would write, and what kobj does.
     */
    static long jelfLinked(net.fornwall.jelf.ElfFile f, Blackhole bh) {
        long sum = 0;
        int n = Short.toUnsignedInt(f.e_shnum);
        for (int i = 0; i < n; i++) {
            ElfSection sec = f.getSection(i);
            ElfSectionHeader h = sec.header;
            String name = h.getName();
            bh.consume(name);
            sum += jelfSection(h, length(name));
            if (h.sh_type == SHT_SYMTAB && sec instanceof ElfSymbolTableSection st) {
                ElfStringTable strings = (ElfStringTable) f.getSection(h.sh_link);
                for (ElfSymbol s : st.symbols) {
                    String sn = s.st_name == 0 ? "" : strings.get(s.st_name);
                    bh.consume(sn);
                    sum += jelfSymbol(s, sn.length());
                }
            } else {
                sum += jelfRelocations(sec);
            }
        }
        return sum;
    }

    private static long jelfSection(ElfSectionHeader h, int nameLength) {
        return section(h.sh_type, h.sh_flags, h.sh_addr, h.sh_offset, h.sh_size, Integer.toUnsignedLong(h.sh_link),
                Integer.toUnsignedLong(h.sh_info), h.sh_addralign, h.sh_entsize, nameLength);
    }

    private static long jelfSymbol(ElfSymbol s, int nameLength) {
        return symbol(nameLength, s.st_value, s.st_size, s.st_info & 0xff, s.st_other & 0xff,
                Short.toUnsignedInt(s.st_shndx));
    }

    private static long jelfRelocations(ElfSection sec) {
        long sum = 0;
        if (sec instanceof ElfRelocationAddendSection ra) {
            for (ElfRelocationAddend r : ra.relocations) {
                sum += relocation(r.r_offset, r.getType(), Integer.toUnsignedLong(r.getSymbolIndex()), r.r_addend);
            }
        } else if (sec instanceof ElfRelocationSection rs) {
            for (ElfRelocation r : rs.relocations) {
                sum += relocation(r.r_offset, r.getType(), Integer.toUnsignedLong(r.getSymbolIndex()), 0);
            }
        }
        return sum;
    }

    // ------------------------------------------------------------------ counts

    /** Sections, symbols (of SHT_SYMTAB, the null symbol included) and relocations of one file. */
    record Counts(long sections, long symbols, long relocations) {
    }

    static Counts kobjCounts(dev.kobj.elf.ElfFile f) throws ElfFormatException {
        long symbols = f.symbolTable().map(SymbolTable::size).orElse(0);
        long relocations = 0;
        for (RelocationTable t : f.relocationTables()) {
            relocations += t.size();
        }
        return new Counts(f.sections().size(), symbols, relocations);
    }

    static Counts jelfCounts(net.fornwall.jelf.ElfFile f) {
        int n = Short.toUnsignedInt(f.e_shnum);
        long symbols = 0;
        long relocations = 0;
        for (int i = 0; i < n; i++) {
            ElfSection sec = f.getSection(i);
            if (sec.header.sh_type == SHT_SYMTAB && sec instanceof ElfSymbolTableSection st) {
                symbols += st.symbols.length;
            } else if (sec instanceof ElfRelocationAddendSection ra) {
                relocations += ra.relocations.length;
            } else if (sec instanceof ElfRelocationSection rs) {
                relocations += rs.relocations.length;
            }
        }
        return new Counts(n, symbols, relocations);
    }
}
