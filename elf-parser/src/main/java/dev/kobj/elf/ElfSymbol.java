package dev.kobj.elf;

/**
 * One symbol-table entry, widened to 64 bits.
 *
 * @param index    its index in the symbol table
 * @param name     the name from the linked string table (empty when st_name = 0)
 * @param value    st_value
 * @param size     st_size
 * @param info     st_info (binding in the high nibble, type in the low)
 * @param other    st_other (visibility in the low two bits)
 * @param rawShndx st_shndx as stored (may be SHN_XINDEX)
 * @param shndx    the section index, with SHN_XINDEX resolved through SHT_SYMTAB_SHNDX;
 *                 reserved values (SHN_ABS, SHN_COMMON, ...) are kept as they are
 */
public record ElfSymbol(int index, String name, long value, long size, int info, int other,
        int rawShndx, long shndx) {

    /** {@return STB_* binding} */
    public int bind() {
        return info >>> 4;
    }

    /** {@return STT_* type} */
    public int type() {
        return info & 0xf;
    }

    /** {@return STV_* visibility} */
    public int visibility() {
        return other & 0x3;
    }

    /** {@return true when the symbol is undefined (SHN_UNDEF)} */
    public boolean isUndefined() {
        return rawShndx == ElfConstants.SHN_UNDEF;
    }
}
