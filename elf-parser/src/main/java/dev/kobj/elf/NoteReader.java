package dev.kobj.elf;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Decodes SHT_NOTE sections (gABI, "Note Section"). */
final class NoteReader {
    private NoteReader() {
    }

    /**
     * {@return the entries of an SHT_NOTE section}. Each entry is namesz, descsz, type (u32
     * each), then the name and the descriptor, each padded to the section's alignment (4, or
     * 8 for sections aligned to 8 such as {@code .note.gnu.property}).
     */
    static List<Note> read(Bytes bytes, ElfHeader header, SectionHeader s) throws ElfFormatException {
        HeaderReader.checkData(bytes, header, s);
        String what = "note section " + s.index() + " (" + s.name() + ")";
        long align = s.addralign() == 8 ? 8 : 4;
        List<Note> out = new ArrayList<>();
        long p = s.offset();
        long end = s.offset() + s.fileSize();
        while (p < end) {
            if (end - p < 12) {
                throw bytes.error(p, "note header in " + what, end - p, "fewer than 12 bytes left");
            }
            long namesz = bytes.u32(p);
            long descsz = bytes.u32(p + 4);
            long type = bytes.u32(p + 8);
            long nameStart = p + 12;
            long descStart = nameStart + align(namesz, align);
            if (align(namesz, align) > end - nameStart) {
                throw bytes.error(p, "n_namesz in " + what, namesz, "name extends past the section");
            }
            if (descsz > end - descStart) {
                throw bytes.error(p + 4, "n_descsz in " + what, descsz, "descriptor extends past the section");
            }
            int nlen = (int) namesz;
            while (nlen > 0 && bytes.u8(nameStart + nlen - 1) == 0) {
                nlen--;
            }
            byte[] nb = Bytes.copyOf(bytes.seg, nameStart, nlen);
            out.add(new Note(new String(nb, StandardCharsets.ISO_8859_1), type, bytes.seg.asSlice(descStart, descsz), p));
            long next = descStart + align(descsz, align);
            p = next > end ? end : next;
        }
        return out;
    }

    private static long align(long v, long a) {
        return (v + a - 1) & -a;
    }
}
