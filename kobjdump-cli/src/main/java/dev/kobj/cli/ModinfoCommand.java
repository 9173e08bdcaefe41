package dev.kobj.cli;

import dev.kobj.elf.ElfFile;
import dev.kobj.elf.ElfFormatException;
import dev.kobj.elf.ModInfoEntry;
import dev.kobj.elf.ModVersion;
import dev.kobj.elf.ThisModule;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;

/** {@code kobjdump modinfo}: a kernel module's metadata. */
@Command(name = "modinfo", description = {
    "Show a kernel module's .modinfo, __versions, this_module and signature.",
    "",
    "Prints the .modinfo strings as modinfo does (key: value, in file order), then the __versions "
            + "CRCs, the name in .gnu.linkonce.this_module and the appended signature."})
final class ModinfoCommand extends FileCommand {
    ModinfoCommand(KobjDump.Context ctx) {
        super(ctx);
    }

    @Override
    String key() {
        return "modinfo";
    }

    @Override
    void text(ElfFile f, StringBuilder sb) throws ElfFormatException {
        List<ModInfoEntry> entries = f.modinfo();
        if (f.section(".modinfo").isEmpty()) {
            sb.append("There is no .modinfo section in this file.\n");
        }
        for (ModInfoEntry e : entries) {
            // modinfo's layout: the key and its colon, padded to 16 columns.
            sb.append(Fmt.left(e.key() + ":", 16)).append(e.value()).append('\n');
        }
        List<ModVersion> versions = f.modversions();
        sb.append('\n');
        if (f.section("__versions").isEmpty()) {
            sb.append("There is no __versions section in this file.\n");
        } else {
            sb.append("__versions contains ").append(Fmt.count(versions.size(), "entry", "entries")).append(":\n");
            for (ModVersion v : versions) {
                sb.append("0x").append(Fmt.hex(v.crc(), 8)).append(' ').append(v.name()).append('\n');
            }
        }
        sb.append('\n');
        Optional<ThisModule> m = f.thisModule();
        if (m.isPresent()) {
            sb.append(".gnu.linkonce.this_module: ").append(m.get().name().isEmpty() ? "(no name)" : m.get().name())
                    .append(" (").append(Fmt.count(m.get().section().size(), "byte", "bytes")).append(")\n");
        } else {
            sb.append("There is no .gnu.linkonce.this_module section in this file.\n");
        }
        sb.append("Module signature: ").append(Describe.signatureText(f)).append('\n');
    }

    @Override
    void json(ElfFile f, Json j) throws ElfFormatException {
        j.beginObject().name("modinfo").beginArray();
        for (ModInfoEntry e : f.modinfo()) {
            j.beginCompactObject().field("key", e.key()).field("value", e.value()).endObject();
        }
        j.endArray().name("versions").beginArray();
        for (ModVersion v : f.modversions()) {
            j.beginCompactObject().fieldUnsigned("crc", v.crc()).field("name", v.name()).endObject();
        }
        j.endArray().name("thisModule");
        Optional<ThisModule> m = f.thisModule();
        if (m.isPresent()) {
            j.beginCompactObject().field("name", m.get().name()).fieldUnsigned("size", m.get().section().size())
                    .endObject();
        } else {
            j.nullValue();
        }
        j.name("signature");
        Describe.signatureJson(f, j);
        j.endObject();
    }
}
