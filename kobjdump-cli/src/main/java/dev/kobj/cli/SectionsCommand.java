package dev.kobj.cli;

import static dev.kobj.elf.ElfConstants.*;

import dev.kobj.elf.ElfFile;
import dev.kobj.elf.ElfFormatException;
import dev.kobj.elf.ElfHeader;
import dev.kobj.elf.ElfNames;
import dev.kobj.elf.SectionHeader;
import java.util.List;
import picocli.CommandLine.Command;

/** {@code kobjdump sections}: the section header table, as {@code readelf -SW} prints it. */
@Command(name = "sections", description = {
    "Show the section headers (readelf -SW).",
    "",
    "Prints [Nr] Name Type Address Off Size ES Flg Lk Inf Al like readelf -SW, with readelf's type "
            + "names and flag letters. JSON adds the compression header of SHF_COMPRESSED sections."})
final class SectionsCommand extends FileCommand {
    SectionsCommand(KobjDump.Context ctx) {
        super(ctx);
    }

    @Override
    String key() {
        return "sections";
    }

    @Override
    void text(ElfFile f, StringBuilder sb) {
        ElfHeader h = f.header();
        List<SectionHeader> sections = f.sections();
        if (sections.isEmpty()) {
            sb.append("\nThere are no sections in this file.\n");
            return;
        }
        int n = sections.size();
        sb.append(n == 1 ? "There is 1 section header" : "There are " + n + " section headers")
                .append(", starting at offset ").append(h.shoff() == 0 ? "0" : "0x" + Long.toHexString(h.shoff()))
                .append(":\n");
        sb.append(n == 1 ? "\nSection Header:\n" : "\nSection Headers:\n");
        if (h.is64()) {
            sb.append("  [Nr] Name              Type            Address          Off    Size   ES Flg Lk Inf Al\n");
        } else {
            sb.append("  [Nr] Name              Type            Addr     Off    Size   ES Flg Lk Inf Al\n");
        }
        for (SectionHeader s : sections) {
            sb.append("  [").append(Fmt.dec(s.index(), 2)).append("] ")
                    .append(Fmt.left(Fmt.printable(s.name()), 17)).append(' ')
                    .append(Fmt.left(ElfNames.sectionType(h.machine(), s.type()), 15)).append(' ')
                    .append(Fmt.hex(s.addr(), h.is64() ? 16 : 8)).append(' ')
                    .append(Fmt.hex(s.offset(), 6)).append(' ')
                    .append(Fmt.hex(s.size(), 6)).append(' ')
                    .append(Fmt.hex(s.entsize(), 2)).append(' ')
                    .append(Fmt.right(ElfNames.sectionFlags(h.machine(), h.osabi(), s.flags()), 3)).append(' ')
                    .append(Fmt.dec(s.link(), 2)).append(' ')
                    .append(Fmt.dec(s.info(), 3)).append(' ')
                    .append(Fmt.dec(s.addralign(), 2)).append('\n');
        }
        sb.append("Key to Flags:\n");
        sb.append("  W (write), A (alloc), X (execute), M (merge), S (strings), I (info),\n");
        sb.append("  L (link order), O (extra OS processing required), G (group), T (TLS),\n");
        sb.append("  C (compressed), x (unknown), o (OS specific), E (exclude),\n");
        sb.append("  ");
        int osabi = h.osabi();
        if (osabi == ELFOSABI_NONE || osabi == ELFOSABI_GNU || osabi == ELFOSABI_FREEBSD) {
            sb.append("D (mbind), ");
        }
        if (h.machine() == EM_X86_64) {
            sb.append("l (large), ");
        } else if (h.machine() == EM_ARM) {
            sb.append("y (purecode), ");
        }
        sb.append("p (processor specific)\n");
    }

    @Override
    void json(ElfFile f, Json j) throws ElfFormatException {
        ElfHeader h = f.header();
        j.beginArray();
        for (SectionHeader s : f.sections()) {
            j.beginCompactObject()
                    .field("index", s.index())
                    .field("name", s.name())
                    .field("type", ElfNames.sectionType(h.machine(), s.type()))
                    .fieldUnsigned("typeValue", s.type() & 0xffffffffL)
                    .field("flags", ElfNames.sectionFlags(h.machine(), h.osabi(), s.flags()))
                    .fieldUnsigned("flagsValue", s.flags())
                    .fieldUnsigned("addr", s.addr())
                    .fieldUnsigned("offset", s.offset())
                    .fieldUnsigned("size", s.size())
                    .fieldUnsigned("link", s.link())
                    .fieldUnsigned("info", s.info())
                    .fieldUnsigned("align", s.addralign())
                    .fieldUnsigned("entsize", s.entsize());
            if (s.isCompressed() && s.type() != SHT_NOBITS) {
                ElfFile.CompressionHeader ch = f.compressionHeader(s);
                j.name("compression").beginCompactObject().name("type");
                switch (ch.type()) {
                    case ELFCOMPRESS_ZLIB -> j.value("zlib");
                    case ELFCOMPRESS_ZSTD -> j.value("zstd");
                    default -> j.unsigned(ch.type() & 0xffffffffL);
                }
                j.fieldUnsigned("size", ch.size()).fieldUnsigned("align", ch.addralign()).endObject();
            }
            j.endObject();
        }
        j.endArray();
    }
}
