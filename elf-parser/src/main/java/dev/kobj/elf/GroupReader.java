package dev.kobj.elf;

import static dev.kobj.elf.ElfConstants.STT_SECTION;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Decodes an SHT_GROUP section (gABI "Section Groups"): a flag word ({@code GRP_COMDAT}), then
 * the section header indexes of its members, 4 bytes each; {@code sh_link} names the symbol
 * table and {@code sh_info} the symbol whose name is the group's signature (for a section
 * symbol, the name of that section, as GNU as writes them).
 */
final class GroupReader {
    private GroupReader() {
    }

    static SectionGroup read(ElfFile f, SectionHeader s) throws ElfFormatException {
        Bytes bytes = f.view();
        boolean is64 = f.header().is64();
        int sections = f.sections().size();
        String what = "section " + s.index() + " (" + s.name() + ")";
        f.checkData(s);
        if (s.size() < 4 || s.size() % 4 != 0) {
            throw bytes.error(f.sectionHeaderOffset(s.index()) + (is64 ? 32 : 20), "sh_size of " + what,
                    s.size(), "a group is a flag word and member indexes, 4 bytes each");
        }
        SymbolTable symtab = f.symbolTable(f.linked(s, "sh_link of ", s));
        if (s.info() >= symtab.size()) {
            throw bytes.error(f.sectionHeaderOffset(s.index()) + (is64 ? 44 : 28), "sh_info of " + what,
                    s.info(), "no such symbol (the table has " + symtab.size() + ")");
        }
        int symIndex = (int) s.info();
        String signature = symtab.name(symIndex);
        if (signature.isEmpty() && (symtab.info(symIndex) & 0xf) == STT_SECTION) {
            long sec = symtab.shndx(symIndex);
            if (sec > 0 && sec < sections) {
                signature = f.sections().get((int) sec).name();
            }
        }
        int flags = (int) bytes.u32(s.offset());
        int n = (int) (s.size() / 4 - 1);
        List<Integer> members = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            long idx = bytes.u32(s.offset() + 4 + 4L * i);
            if (idx == 0 || idx >= sections) {
                throw bytes.error(s.offset() + 4 + 4L * i, "member " + i + " of group " + what, idx,
                        "no such section (the file has " + sections + ")");
            }
            members.add((int) idx);
        }
        return new SectionGroup(s, signature, flags, Collections.unmodifiableList(members));
    }
}
