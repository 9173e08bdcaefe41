package dev.kobj.cli;

import static dev.kobj.elf.ElfConstants.*;

import dev.kobj.elf.ElfFile;
import dev.kobj.elf.ElfHeader;
import dev.kobj.elf.ElfNames;
import java.lang.foreign.ValueLayout;
import picocli.CommandLine.Command;

/** {@code kobjdump headers}: the ELF file header, as {@code readelf -h} prints it, plus kobj's extras. */
@Command(name = "headers", description = {
    "Show the ELF file header (readelf -h) and kobj's extras.",
    "",
    "Prints the file header like readelf -h, extended section numbering included, then how the file "
            + "was compressed (none, gzip, xz, zstd) and the appended module signature, if any."})
final class HeadersCommand extends FileCommand {
    HeadersCommand(KobjDump.Context ctx) {
        super(ctx);
    }

    @Override
    String key() {
        return "headers";
    }

    private static String magic(ElfFile f) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < EI_NIDENT; i++) {
            sb.append(Fmt.hex(Byte.toUnsignedInt(f.bytes().get(ValueLayout.JAVA_BYTE, i)), 2)).append(' ');
        }
        return sb.toString();
    }

    private static String dataText(ElfHeader h) {
        return h.littleEndian() ? "2's complement, little endian" : "2's complement, big endian";
    }

    private static void line(StringBuilder sb, String label, String value) {
        sb.append("  ").append(Fmt.left(label + ":", 35)).append(value).append('\n');
    }

    @Override
    void text(ElfFile f, StringBuilder sb) {
        ElfHeader h = f.header();
        sb.append("ELF Header:\n");
        sb.append("  Magic:   ").append(magic(f)).append('\n');
        line(sb, "Class", h.is64() ? "ELF64" : "ELF32");
        line(sb, "Data", dataText(h));
        line(sb, "Version", EV_CURRENT + " (current)");
        line(sb, "OS/ABI", ElfNames.osabi(h.osabi()));
        line(sb, "ABI Version", Integer.toString(h.abiVersion()));
        line(sb, "Type", ElfNames.fileType(h.type()));
        line(sb, "Machine", ElfNames.machine(h.machine()));
        line(sb, "Version", "0x" + Long.toHexString(h.version()));
        line(sb, "Entry point address", "0x" + Long.toHexString(h.entry()));
        line(sb, "Start of program headers", Long.toUnsignedString(h.phoff()) + " (bytes into file)");
        line(sb, "Start of section headers", Long.toUnsignedString(h.shoff()) + " (bytes into file)");
        line(sb, "Flags", Describe.headerFlags(h));
        line(sb, "Size of this header", h.ehsize() + " (bytes)");
        line(sb, "Size of program headers", h.phentsize() + " (bytes)");
        int rawPhnum = Describe.rawPhnum(f);
        line(sb, "Number of program headers", rawPhnum
                + (rawPhnum == PN_XNUM && h.shoff() != 0 && h.phnum() != 0 ? " (" + h.phnum() + ")" : ""));
        line(sb, "Size of section headers", h.shentsize() + " (bytes)");
        line(sb, "Number of section headers", h.rawShnum()
                + (h.rawShnum() == 0 && h.shoff() != 0 ? " (" + h.shnum() + ")" : ""));
        line(sb, "Section header string table index", h.rawShstrndx()
                + (h.rawShstrndx() == SHN_XINDEX && h.shoff() != 0 ? " (" + h.shstrndx() + ")" : ""));
        line(sb, "Compression", Describe.compression(f.compression()));
        line(sb, "Module signature", Describe.signatureText(f));
    }

    @Override
    void json(ElfFile f, Json j) {
        ElfHeader h = f.header();
        j.beginObject()
                .field("magic", magic(f).strip())
                .field("class", h.is64() ? "ELF64" : "ELF32")
                .field("classValue", h.is64() ? ELFCLASS64 : ELFCLASS32)
                .field("data", dataText(h))
                .field("dataValue", h.littleEndian() ? ELFDATA2LSB : ELFDATA2MSB)
                .field("identVersion", EV_CURRENT)
                .field("osabi", ElfNames.osabi(h.osabi()))
                .field("osabiValue", h.osabi())
                .field("abiVersion", h.abiVersion())
                .field("type", ElfNames.fileType(h.type()))
                .field("typeValue", h.type())
                .field("machine", ElfNames.machine(h.machine()))
                .field("machineValue", h.machine())
                .field("arch", ElfNames.arch(h))
                .field("version", h.version())
                .fieldUnsigned("entry", h.entry())
                .fieldUnsigned("phoff", h.phoff())
                .fieldUnsigned("shoff", h.shoff())
                .field("flags", h.flags())
                .field("flagsText", Describe.headerFlags(h))
                .field("ehsize", h.ehsize())
                .field("phentsize", h.phentsize())
                .field("phnum", h.phnum())
                .field("rawPhnum", Describe.rawPhnum(f))
                .field("shentsize", h.shentsize())
                .field("shnum", h.shnum())
                .field("rawShnum", h.rawShnum())
                .field("shstrndx", h.shstrndx())
                .field("rawShstrndx", h.rawShstrndx())
                .field("compression", Describe.compression(f.compression()))
                .field("signed", f.signature().isPresent())
                .name("signature");
        Describe.signatureJson(f, j);
        j.endObject();
    }
}
