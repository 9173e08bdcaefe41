package dev.kobj.testkit;

import static dev.kobj.elf.ElfConstants.SHN_ABS;
import static dev.kobj.elf.ElfConstants.SHN_COMMON;
import static dev.kobj.elf.ElfConstants.SHN_LORESERVE;
import static dev.kobj.elf.ElfConstants.SHN_UNDEF;
import static dev.kobj.elf.ElfConstants.SHT_GROUP;
import static dev.kobj.elf.ElfConstants.STB_WEAK;

import dev.kobj.elf.ElfFile;
import dev.kobj.elf.ElfFormatException;
import dev.kobj.elf.ElfSymbol;
import dev.kobj.elf.SectionHeader;
import dev.kobj.elf.SymbolTable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SequencedMap;

/**
 * The tests' stand-in for kobj-linker's layout (the placement the relocation oracle gives
 * both kobj's engines and GNU ld): every SHF_ALLOC section of one object
 * (SHT_GROUP and non-ALLOC sections skipped) at {@code plan.base()} + a running offset,
 * each aligned to its sh_addralign, with nothing in between, NOBITS included.
 *
 * <p>Sections are taken by name in order of first appearance, and all sections of one name
 * together in file order. That is exactly what GNU ld does with one linker-script output
 * section per distinct name ({@code .kN ADDR : { *(name) }}), so the two agree even when
 * a name repeats (several COMDAT {@code .text.foo}): there is no by-index input section
 * selector in ld's script language, so the placement follows the script, not the reverse.
 * {@link GnuLd} checks in ld's map file that every input section landed where we said.
 */
public final class Placement {

    /** One placed section; {@code group} is the index of its name group (= its ld output section). */
    public record Placed(SectionHeader section, long address, int group) {
    }

    public final ElfFile elf;
    public final AddressPlan plan;
    public final List<Placed> placed = new ArrayList<>();
    public final List<String> groupNames = new ArrayList<>();
    private final Map<Integer, Placed> byIndex = new HashMap<>();
    /** Undefined non-weak symbols and the address each got, in order of first appearance. */
    public final Map<String, Long> undefined = new LinkedHashMap<>();
    public final SymbolTable symtab;
    /** First address after the last section. */
    public final long end;
    /** Filled in by the caller once the GOT is laid out; {@code _GLOBAL_OFFSET_TABLE_} resolves to it. */
    public long gotBase;

    public Placement(ElfFile elf, AddressPlan plan) throws ElfFormatException {
        this.elf = elf;
        this.plan = plan;
        this.symtab = elf.symbolTable().orElseThrow(() -> new IllegalStateException(elf.name() + ": no symtab"));
        Map<String, List<SectionHeader>> byName = new LinkedHashMap<>();
        for (SectionHeader s : elf.sections()) {
            if (s.isAlloc() && s.type() != SHT_GROUP) {
                byName.computeIfAbsent(s.name(), k -> new ArrayList<>()).add(s);
            }
        }
        long cursor = plan.base();
        for (var e : byName.entrySet()) {
            int g = groupNames.size();
            groupNames.add(e.getKey());
            for (SectionHeader s : e.getValue()) {
                long align = Math.max(1, s.addralign());
                long addr = alignUp(cursor, align);
                Placed p = new Placed(s, addr, g);
                placed.add(p);
                byIndex.put(s.index(), p);
                cursor = addr + s.size();
            }
        }
        this.end = cursor;
        undefined.putAll(plan.addresses(elf));
    }

    /** Where {@link #fileOrder} puts the sections: header index to address, and the first address after them. */
    public record FileOrder(SequencedMap<Integer, Long> addresses, long end) {
    }

    /**
     * {@return every SHF_ALLOC section of {@code elf} (SHT_GROUP skipped) in header order from
     * {@code base}, each aligned to its sh_addralign, nothing in between}: the layout of the tests
     * and benchmarks that relocate sections themselves (export tables, relocation batches) rather
     * than compare with GNU ld, whose script cannot select sections by index.
     */
    public static FileOrder fileOrder(ElfFile elf, long base) {
        SequencedMap<Integer, Long> at = new LinkedHashMap<>();
        long cursor = base;
        for (SectionHeader s : elf.sections()) {
            if (s.isAlloc() && s.type() != SHT_GROUP) {
                cursor = alignUp(cursor, Math.max(1, s.addralign()));
                at.put(s.index(), cursor);
                cursor += s.size();
            }
        }
        return new FileOrder(at, cursor);
    }

    /** {@return {@code v} rounded up to a multiple of {@code align}, a power of two} */
    public static long alignUp(long v, long align) {
        return (v + align - 1) & -align;
    }

    /** {@return the placed section with header index {@code index}, or null when it is not loaded} */
    public Placed section(long index) {
        return byIndex.get((int) index);
    }

    /** {@return S: the address symbol {@code index} resolves to} */
    public long symbolValue(long index) throws ElfFormatException {
        if (index == 0) {
            return 0;
        }
        ElfSymbol sym = symtab.get((int) index);
        if (sym.rawShndx() == SHN_UNDEF) {
            if (sym.name().equals("_GLOBAL_OFFSET_TABLE_")) {
                return gotBase;
            }
            if (sym.bind() == STB_WEAK) {
                return 0; // GNU ld, static link, no --defsym: a weak undefined symbol is 0
            }
            return undefined.get(sym.name());
        }
        if (sym.shndx() == SHN_ABS) {
            return sym.value();
        }
        if (sym.shndx() == SHN_COMMON) {
            throw new IllegalStateException(elf.name() + ": COMMON symbol " + sym.name() + " (fixtures use -fno-common)");
        }
        if (sym.shndx() >= SHN_LORESERVE && sym.shndx() <= 0xffff && sym.rawShndx() != 0xffff) {
            throw new IllegalStateException(elf.name() + ": symbol " + sym.name() + " in reserved section " + sym.shndx());
        }
        Placed p = section(sym.shndx());
        return (p == null ? 0 : p.address()) + sym.value();
    }

    /** {@return the symbol's name, or the section's name for STT_SECTION symbols} */
    public String symbolName(long index) throws ElfFormatException {
        if (index == 0) {
            return "";
        }
        ElfSymbol sym = symtab.get((int) index);
        if (sym.type() == dev.kobj.elf.ElfConstants.STT_SECTION && sym.shndx() < SHN_LORESERVE) {
            return elf.section(sym.shndx()).name();
        }
        return sym.name();
    }

    public long symbolSize(long index) throws ElfFormatException {
        return index == 0 ? 0 : symtab.get((int) index).size();
    }
}
