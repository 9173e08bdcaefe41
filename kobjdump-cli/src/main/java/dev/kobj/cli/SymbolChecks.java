package dev.kobj.cli;

import dev.kobj.elf.ElfHeader;
import dev.kobj.elf.SectionHeader;
import dev.kobj.elf.SymbolTable;
import java.lang.foreign.MemorySegment;

/**
 * The per-symbol checks of {@link SymbolTable#checkAll}, made on the array a file was read
 * into, for {@code kobjdump stats}: an answer of true means {@code checkAll} would pass; false
 * means the caller must ask {@code checkAll} itself (which then throws its exception, or passes
 * for a table with {@code SHN_XINDEX} indexes and their SHT_SYMTAB_SHNDX section).
 *
 * <p>gABI "String Table": a name is the bytes from its offset to the next NUL, so a name at
 * offset {@code o} of a table of {@code size} bytes is well formed exactly when a NUL lies in
 * {@code [o, size)}, i.e. when {@code o} is at most the offset of the table's last NUL (an
 * empty table allows only offset 0). gABI "Symbol Table": Elf64_Sym is st_name u32 @0,
 * st_shndx u16 @6 (24 bytes); Elf32_Sym st_name u32 @0, st_shndx u16 @14 (16 bytes).
 */
final class SymbolChecks {
    private SymbolChecks() {
    }

    /**
     * {@return true when every symbol of {@code t} has a well-formed name and an ordinary section
     * index}; false also when the file does not lie in an array
     *
     * @param seg the ELF object's bytes ({@code ElfFile.bytes()})
     * @param h   its header
     * @param t   a symbol table of it
     */
    static boolean passes(MemorySegment seg, ElfHeader h, SymbolTable t) {
        if (!(seg.heapBase().orElse(null) instanceof byte[] a)) {
            return false;
        }
        long base = seg.address(); // a heap segment's offset in its array
        SectionHeader strings = t.strings().section();
        long strSize = strings.size();
        long strStart = base + strings.offset();
        long lastNul = -1; // offset of the last NUL in the string table
        for (long q = strSize - 1; q >= 0; q--) {
            if (a[(int) (strStart + q)] == 0) {
                lastNul = q;
                break;
            }
        }
        long maxName = strSize == 0 ? 0 : lastNul; // offset 0 of an empty table reads as ""
        boolean is64 = h.is64();
        boolean le = h.littleEndian();
        int ent = is64 ? 24 : 16;
        int shndxAt = is64 ? 6 : 14;
        long p = base + t.section().offset();
        for (int i = 0, n = t.size(); i < n; i++, p += ent) {
            int q = (int) p;
            long name = le
                    ? (a[q] & 0xff) | (a[q + 1] & 0xff) << 8 | (a[q + 2] & 0xff) << 16 | (a[q + 3] & 0xffL) << 24
                    : (a[q + 3] & 0xff) | (a[q + 2] & 0xff) << 8 | (a[q + 1] & 0xff) << 16 | (a[q] & 0xffL) << 24;
            if (name > maxName) {
                return false;
            }
            if (a[q + shndxAt] == (byte) 0xff && a[q + shndxAt + 1] == (byte) 0xff) { // SHN_XINDEX
                return false;
            }
        }
        return true;
    }
}
