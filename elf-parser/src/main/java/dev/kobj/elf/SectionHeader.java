package dev.kobj.elf;

/**
 * One section header, widened to 64 bits, with its name resolved from the section-name
 * string table. Fields keep their raw values; {@link ElfNames} prints them as readelf does.
 *
 * @param index      the section's index in the header table
 * @param name       the name, from {@code .shstrtab}
 * @param nameOffset sh_name
 * @param type       sh_type
 * @param flags      sh_flags
 * @param addr       sh_addr
 * @param offset     sh_offset
 * @param size       sh_size
 * @param link       sh_link
 * @param info       sh_info
 * @param addralign  sh_addralign
 * @param entsize    sh_entsize
 */
public record SectionHeader(int index, String name, long nameOffset, int type, long flags,
        long addr, long offset, long size, long link, long info, long addralign, long entsize) {

    /** {@return true when the section occupies memory in the loaded image (SHF_ALLOC)} */
    public boolean isAlloc() {
        return (flags & ElfConstants.SHF_ALLOC) != 0;
    }

    /** {@return true when the section holds no bytes in the file (SHT_NOBITS)} */
    public boolean isNobits() {
        return type == ElfConstants.SHT_NOBITS;
    }

    /** {@return true when the contents start with a compression header (SHF_COMPRESSED)} */
    public boolean isCompressed() {
        return (flags & ElfConstants.SHF_COMPRESSED) != 0;
    }

    /** {@return the number of bytes the section occupies in the file} */
    public long fileSize() {
        return type == ElfConstants.SHT_NOBITS ? 0 : size;
    }
}
