package dev.kobj.reloc;

import dev.kobj.elf.ElfFile;
import dev.kobj.elf.ElfSymbol;
import dev.kobj.elf.SectionHeader;
import java.util.HashMap;
import java.util.Map;

/**
 * The placement the engine tests apply relocations at: every SHF_ALLOC section of an object, in
 * section-table order from {@code base}, each starting on a fresh 4 KiB page.
 *
 * @param addresses the address of each placed section, by section index
 * @param end       the first page after the last placed section
 */
public record PageLayout(Map<Integer, Long> addresses, long end) {

    /** {@return the sections of {@code elf} placed from {@code base}} */
    public static PageLayout of(ElfFile elf, long base) {
        Map<Integer, Long> addresses = new HashMap<>();
        long next = base;
        for (SectionHeader s : elf.sections()) {
            if (s.isAlloc()) {
                addresses.put(s.index(), next);
                next += (s.size() + 0xfff) & ~0xfffL;
            }
        }
        return new PageLayout(addresses, next);
    }

    /**
     * {@return S for {@code sym} in this placement}: 0 for the null symbol, {@code externs + 64 *
     * index} for an undefined one (each its own 64-byte slot past the sections), st_value for
     * SHN_ABS, else its section's address plus st_value (0 for a section not placed)
     */
    public long symbolValue(ElfSymbol sym, long externs) {
        return sym.index() == 0 ? 0
                : sym.shndx() == 0 ? externs + 64L * sym.index()
                : sym.shndx() == 0xfff1 ? sym.value()
                : addresses.getOrDefault((int) sym.shndx(), 0L) + sym.value();
    }
}
