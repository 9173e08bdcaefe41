package dev.kobj.link;

import static dev.kobj.elf.ElfConstants.SHF_EXECINSTR;
import static dev.kobj.elf.ElfConstants.SHN_UNDEF;
import static dev.kobj.elf.ElfConstants.SHN_XINDEX;

import dev.kobj.elf.ElfFile;
import dev.kobj.elf.ElfFormatException;
import dev.kobj.elf.SectionHeader;
import dev.kobj.elf.SymbolTable;

/**
 * What the kernel's {@code layout_symtab} (kernel/module/kallsyms.c) adds to a module's
 * allocations, read as facts:
 * <ul>
 * <li>the whole {@code .symtab}, then {@code .strtab}, go to the end of the init data (each at
 *     its sh_addralign), followed by a {@code struct mod_kallsyms} (aligned to a pointer; 32
 *     bytes on 64-bit, 16 on 32-bit) and one type byte per symbol;</li>
 * <li>the "core symbols" are copied to the end of core data: at the symtab's alignment, one
 *     Elf_Sym per kept symbol, their names (each with its NUL) and one type byte each. Kept are
 *     symbol 0 and every symbol that is defined (st_shndx neither SHN_UNDEF nor reserved), named
 *     (st_name ≠ 0), in an SHF_ALLOC section that is not init, and, without
 *     CONFIG_KALLSYMS_ALL, executable ({@code is_core_symbol}); with CONFIG_KALLSYMS_ALL the
 *     per-CPU symbols are kept too.</li>
 * </ul>
 */
final class KallsymsCopy {

    /** The symbol table section, or null (then nothing is added). */
    final SectionHeader symtab;
    /** Its string table section. */
    final SectionHeader strtab;
    /** Symbols in the table (nsrc). */
    final long symbols;
    /** Symbols kept in core (ndst, symbol 0 included). */
    final long kept;
    /** Bytes of the kept names with their NULs. */
    final long keptNames;
    /** sizeof(Elf_Sym). */
    final long symEntry;
    /** sizeof(struct mod_kallsyms) and its alignment. */
    final long modKallsyms;
    final long pointer;

    KallsymsCopy(ElfFile elf, KernelSections sections, boolean kallsymsAll) throws LinkException {
        boolean is64 = elf.header().is64();
        symEntry = is64 ? 24 : 16;
        pointer = is64 ? 8 : 4;
        modKallsyms = is64 ? 32 : 16;
        SymbolTable table;
        SectionHeader str = null;
        try {
            table = elf.symbolTable().orElse(null);
            if (table != null) {
                str = elf.section(table.section().link());
            }
        } catch (ElfFormatException e) {
            throw new LinkException(LinkException.Kind.FORMAT, elf.name(), e.getMessage(), e);
        }
        if (table == null) {
            symtab = null;
            strtab = null;
            symbols = 0;
            kept = 0;
            keptNames = 0;
            return;
        }
        symtab = table.section();
        strtab = str;
        int shnum = elf.sections().size();
        long percpu = sections.percpu == null ? -1 : sections.percpu.index();
        long n = table.size();
        long k = 0;
        long names = 0;
        long[] f = Chunks.get();
        NameBytes nb = new NameBytes(table.strings());
        try {
            for (int from = 0; from < n; from += Chunks.SIZE) {
                int c = (int) Math.min(Chunks.SIZE, n - from);
                table.read(from, c, f); // checks each name and extended index as table.get(i) does
                for (int j = 0; j < c; j++) {
                    int i = from + j;
                    long w = f[3 * j];
                    int raw = SymbolTable.rawShndxOf(w);
                    boolean keep = i == 0;
                    if (!keep && raw != SHN_UNDEF && SymbolTable.nameOf(w) != 0) {
                        long shndx = raw == SHN_XINDEX ? table.shndx(i) : raw;
                        if (shndx >= shnum) {
                            continue;
                        }
                        if (kallsymsAll && shndx == percpu) {
                            keep = true;
                        } else {
                            KernelSections.Sec sec = sections.byIndex(shndx);
                            keep = sec != null && !sec.init() && (kallsymsAll || (sec.flags() & SHF_EXECINSTR) != 0);
                        }
                    }
                    if (keep) {
                        k++;
                        // the file's bytes, as strlen counts them (ISO-8859-1 names: one char per byte)
                        names += nb.length(SymbolTable.nameOf(w)) + 1;
                    }
                }
            }
        } catch (ElfFormatException e) {
            throw new LinkException(LinkException.Kind.FORMAT, elf.name(), e.getMessage(), e);
        }
        symbols = n;
        kept = k;
        keptNames = names;
    }

    /** {@return the new size of a core data area of {@code size} bytes once the core symbols are appended} */
    long appendCore(long size) {
        if (symtab == null) {
            return size;
        }
        long at = Layout.align(size, Math.max(1, symtab.addralign()));
        return at + kept * symEntry + keptNames + kept;
    }

    /** {@return the size of an init data area once the mod_kallsyms and type bytes follow {@code size}} */
    long appendInitTail(long size) {
        if (symtab == null) {
            return size;
        }
        return Layout.align(size, pointer) + modKallsyms + symbols;
    }
}
