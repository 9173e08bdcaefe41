package dev.kobj.elf;

import java.nio.ByteOrder;

/**
 * The ELF file header, with every field widened so that callers never branch on the class.
 * {@code shnum}, {@code shstrndx} and {@code phnum} are the real values: when the header
 * holds the escape values (e_shnum = 0, e_shstrndx = SHN_XINDEX, e_phnum = PN_XNUM) they
 * come from section header 0, as the gABI's "extended section numbering" says.
 *
 * @param is64        ELFCLASS64
 * @param order       the byte order of e_ident[EI_DATA]
 * @param osabi       e_ident[EI_OSABI]
 * @param abiVersion  e_ident[EI_ABIVERSION]
 * @param type        e_type
 * @param machine     e_machine
 * @param version     e_version
 * @param entry       e_entry
 * @param phoff       e_phoff
 * @param shoff       e_shoff
 * @param flags       e_flags
 * @param ehsize      e_ehsize
 * @param phentsize   e_phentsize
 * @param phnum       the number of program headers (extended numbering resolved)
 * @param shentsize   e_shentsize
 * @param shnum       the number of section headers (extended numbering resolved)
 * @param shstrndx    the index of the section-name string table (extended numbering resolved)
 * @param rawShnum    e_shnum as stored
 * @param rawShstrndx e_shstrndx as stored
 */
public record ElfHeader(boolean is64, ByteOrder order, int osabi, int abiVersion, int type,
        int machine, long version, long entry, long phoff, long shoff, long flags, int ehsize,
        int phentsize, long phnum, int shentsize, long shnum, long shstrndx, int rawShnum,
        int rawShstrndx) {

    /** {@return 32 or 64} */
    public int bits() {
        return is64 ? 64 : 32;
    }

    /** {@return true when the file's data is little-endian} */
    public boolean littleEndian() {
        return order == ByteOrder.LITTLE_ENDIAN;
    }
}
