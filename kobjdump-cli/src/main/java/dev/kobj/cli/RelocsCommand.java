package dev.kobj.cli;

import dev.kobj.elf.ElfFile;
import dev.kobj.elf.ElfFormatException;
import dev.kobj.elf.ElfHeader;
import dev.kobj.elf.ElfSymbol;
import dev.kobj.elf.Relocation;
import dev.kobj.elf.RelocationTable;
import dev.kobj.elf.RelocationTypes;
import dev.kobj.elf.SymbolTable;
import java.util.List;
import picocli.CommandLine.Command;

/** {@code kobjdump relocs}: every REL and RELA table, as {@code readelf -rW} prints it. */
@Command(name = "relocs", description = {
    "Show the relocation tables (readelf -rW).",
    "",
    "Prints Offset Info Type Sym. Value Symbol's Name + Addend like readelf -rW. In JSON the addend "
            + "of REL entries (which keep it in the relocated place) is null."})
final class RelocsCommand extends FileCommand {
    RelocsCommand(KobjDump.Context ctx) {
        super(ctx);
    }

    @Override
    String key() {
        return "relocs";
    }

    private static String signedHex(long v) {
        return v < 0 ? "-" + Long.toHexString(-v) : Long.toHexString(v);
    }

    @Override
    void text(ElfFile f, StringBuilder sb) throws ElfFormatException {
        ElfHeader h = f.header();
        boolean is64 = h.is64();
        List<RelocationTable> tables = f.relocationTables();
        if (tables.isEmpty()) {
            sb.append("\nThere are no relocations in this file.\n");
            return;
        }
        Describe.SymbolTables symtabs = new Describe.SymbolTables(f);
        for (RelocationTable t : tables) {
            boolean rela = t.isRela();
            sb.append("\nRelocation section '").append(Fmt.printable(t.section().name())).append("' at offset 0x")
                    .append(Long.toHexString(t.section().offset())).append(" contains ")
                    .append(Fmt.count(t.size(), "entry", "entries")).append(":\n");
            if (is64) {
                sb.append("    Offset             Info             Type               Symbol's Value  Symbol's Name")
                        .append(rela ? " + Addend\n" : "\n");
            } else {
                sb.append(" Offset     Info    Type                Sym. Value  Symbol's Name")
                        .append(rela ? " + Addend\n" : "\n");
            }
            SymbolTable symtab = symtabs.of(t);
            for (long i = 0; i < t.size(); i++) {
                Relocation r = t.get(i);
                sb.append(Fmt.hex(r.offset(), is64 ? 16 : 8)).append("  ")
                        .append(Fmt.hex(t.rawInfo(i), is64 ? 16 : 8)).append(' ');
                String type = RelocationTypes.name(h.machine(), r.type()).orElse(null);
                if (type == null) {
                    sb.append("unrecognized: ").append(Fmt.left(Long.toHexString(r.type()), 7));
                } else {
                    sb.append(Fmt.left(type, 22));
                }
                if (r.symbol() != 0) {
                    ElfSymbol y = Describe.relocationSymbol(f, t, symtab, i, r.symbol());
                    sb.append(' ').append(Fmt.hex(y.value(), is64 ? 16 : 8)).append(is64 ? " " : "   ")
                            .append(Fmt.printable(Describe.relocationSymbolName(f, y)));
                    if (rela) {
                        sb.append(r.addend() < 0 ? " - " : " + ")
                                .append(Long.toHexString(r.addend() < 0 ? -r.addend() : r.addend()));
                    }
                } else if (rela) {
                    sb.append(" ".repeat(is64 ? 20 : 12)).append(signedHex(r.addend()));
                }
                sb.append('\n');
            }
        }
    }

    @Override
    void json(ElfFile f, Json j) throws ElfFormatException {
        ElfHeader h = f.header();
        Describe.SymbolTables symtabs = new Describe.SymbolTables(f);
        j.beginArray();
        for (RelocationTable t : f.relocationTables()) {
            SymbolTable symtab = symtabs.of(t);
            String section = t.target() == null ? "" : t.target().name();
            for (long i = 0; i < t.size(); i++) {
                Relocation r = t.get(i);
                ElfSymbol y = r.symbol() == 0 && symtab == null ? null
                        : Describe.relocationSymbol(f, t, symtab, i, r.symbol());
                j.beginCompactObject()
                        .field("section", section)
                        .field("table", t.section().name())
                        .fieldUnsigned("offset", r.offset())
                        .fieldUnsigned("info", t.rawInfo(i))
                        .field("type", RelocationTypes.nameOrUnrecognized(h.machine(), r.type()))
                        .fieldUnsigned("typeValue", r.type())
                        .fieldUnsigned("symbolIndex", r.symbol())
                        .field("symbol", r.symbol() == 0 || y == null ? "" : Describe.relocationSymbolName(f, y))
                        .fieldUnsigned("symbolValue", y == null ? 0 : y.value())
                        .name("addend");
                if (r.hasAddend()) {
                    j.value(r.addend());
                } else {
                    j.nullValue();
                }
                j.endObject();
            }
        }
        j.endArray();
    }
}
