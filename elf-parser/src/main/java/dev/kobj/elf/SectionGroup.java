package dev.kobj.elf;

import java.util.List;

/**
 * An SHT_GROUP section: a flag word then the indexes of its member sections (gABI,
 * "Section Groups").
 *
 * @param section   the SHT_GROUP section itself
 * @param signature the name of the signature symbol (sh_link's symbol table, sh_info's entry)
 * @param flags     the flag word (GRP_COMDAT = 1)
 * @param members   the member section indexes
 */
public record SectionGroup(SectionHeader section, String signature, int flags, List<Integer> members) {

    /** {@return true for a COMDAT group} */
    public boolean isComdat() {
        return (flags & ElfConstants.GRP_COMDAT) != 0;
    }
}
