package dev.kobj.cli;

import static dev.kobj.elf.ElfConstants.*;

import dev.kobj.elf.ElfFile;
import dev.kobj.elf.ElfFormatException;
import dev.kobj.elf.SectionGroup;
import java.util.List;
import picocli.CommandLine.Command;

/** {@code kobjdump groups}: the SHT_GROUP sections, as {@code readelf -gW} prints them. */
@Command(name = "groups", description = {
    "Show the section groups (readelf -gW).",
    "",
    "Prints each SHT_GROUP section, its signature symbol and its members like readelf -gW."})
final class GroupsCommand extends FileCommand {
    GroupsCommand(KobjDump.Context ctx) {
        super(ctx);
    }

    @Override
    String key() {
        return "groups";
    }

    private static String flagsPrefix(int flags) {
        if (flags == 0) {
            return "";
        }
        if (flags == GRP_COMDAT) {
            return "COMDAT ";
        }
        return "[0x" + Integer.toHexString(flags) + "] ";
    }

    @Override
    void text(ElfFile f, StringBuilder sb) throws ElfFormatException {
        List<SectionGroup> groups = f.groups();
        if (groups.isEmpty()) {
            sb.append("\nThere are no section groups in this file.\n");
            return;
        }
        for (SectionGroup g : groups) {
            sb.append('\n').append(flagsPrefix(g.flags())).append("group section [")
                    .append(Fmt.dec(g.section().index(), 5)).append("] `").append(Fmt.printable(g.section().name()))
                    .append("' [").append(Fmt.printable(g.signature())).append("] contains ")
                    .append(g.members().size()).append(" sections:\n");
            sb.append("   [Index]    Name\n");
            for (int m : g.members()) {
                sb.append("   [").append(Fmt.dec(m, 5)).append("]   ")
                        .append(Fmt.printable(f.section(m).name())).append('\n');
            }
        }
    }

    @Override
    void json(ElfFile f, Json j) throws ElfFormatException {
        j.beginArray();
        for (SectionGroup g : f.groups()) {
            j.beginObject()
                    .field("index", g.section().index())
                    .field("name", g.section().name())
                    .field("signature", g.signature())
                    .name("flags");
            if (g.flags() == GRP_COMDAT) {
                j.value("COMDAT");
            } else {
                j.unsigned(g.flags() & 0xffffffffL);
            }
            j.name("members").beginArray();
            for (int m : g.members()) {
                j.beginCompactObject().field("index", m).field("name", f.section(m).name()).endObject();
            }
            j.endArray().endObject();
        }
        j.endArray();
    }
}
