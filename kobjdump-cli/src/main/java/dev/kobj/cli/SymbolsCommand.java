package dev.kobj.cli;

import static dev.kobj.elf.ElfConstants.*;

import dev.kobj.elf.ElfFile;
import dev.kobj.elf.ElfFormatException;
import dev.kobj.elf.ElfHeader;
import dev.kobj.elf.ElfNames;
import dev.kobj.elf.ElfSymbol;
import dev.kobj.elf.SectionHeader;
import dev.kobj.elf.SymbolTable;
import picocli.CommandLine.Command;

/** {@code kobjdump symbols}: every symbol table, as {@code readelf -sW} prints it. */
@Command(name = "symbols", description = {
    "Show the symbol tables (readelf -sW).",
    "",
    "Prints Num: Value Size Type Bind Vis Ndx Name like readelf -sW. Unnamed STT_SECTION symbols show "
            + "their section's name, as readelf 2.40 does; SHN_XINDEX indexes are resolved."})
final class SymbolsCommand extends FileCommand {
    SymbolsCommand(KobjDump.Context ctx) {
        super(ctx);
    }

    @Override
    String key() {
        return "symbols";
    }

    static boolean isSymbolTable(SectionHeader s) {
        return s.type() == SHT_SYMTAB || s.type() == SHT_DYNSYM;
    }

    /** readelf's DEC_5: decimal in five columns up to 99999, then {@code 0x} hex. */
    private static String size(long v) {
        if (Long.compareUnsigned(v, 99999) <= 0) {
            return Fmt.dec(v, 5);
        }
        return "0x" + Long.toHexString(v);
    }

    @Override
    void text(ElfFile f, StringBuilder sb) throws ElfFormatException {
        ElfHeader h = f.header();
        long shnum = f.sections().size();
        for (SectionHeader s : f.sections()) {
            if (!isSymbolTable(s)) {
                continue;
            }
            SymbolTable t = f.symbolTable(s);
            int n = t.size();
            sb.append("\nSymbol table '").append(Fmt.printable(s.name())).append("' contains ")
                    .append(Fmt.count(n, "entry", "entries")).append(":\n");
            sb.append(h.is64() ? "   Num:    Value          Size Type    Bind   Vis      Ndx Name\n"
                    : "   Num:    Value  Size Type    Bind   Vis      Ndx Name\n");
            for (int i = 0; i < n; i++) {
                ElfSymbol y = t.get(i);
                sb.append(Fmt.right(Integer.toString(i), 6)).append(": ")
                        .append(Fmt.hex(y.value(), h.is64() ? 16 : 8)).append(' ')
                        .append(size(y.size())).append(' ')
                        .append(Fmt.left(ElfNames.symbolType(h.osabi(), y.type()), 7)).append(' ')
                        .append(Fmt.left(ElfNames.symbolBind(h.osabi(), y.bind()), 6)).append(' ')
                        .append(Fmt.left(ElfNames.symbolVisibility(y.visibility()), 7));
                String other = ElfNames.symbolOther(h.machine(), y.other());
                if (!other.isEmpty()) {
                    sb.append(" [").append(other).append("] ");
                }
                sb.append(' ')
                        .append(Fmt.right(ElfNames.sectionIndex(h.machine(), shnum, y.rawShndx(), y.shndx()), 4))
                        .append(' ').append(Fmt.printable(Describe.symbolName(f, y))).append('\n');
            }
        }
    }

    @Override
    void json(ElfFile f, Json j) throws ElfFormatException {
        ElfHeader h = f.header();
        long shnum = f.sections().size();
        j.beginArray();
        for (SectionHeader s : f.sections()) {
            if (!isSymbolTable(s)) {
                continue;
            }
            SymbolTable t = f.symbolTable(s);
            for (int i = 0; i < t.size(); i++) {
                ElfSymbol y = t.get(i);
                j.beginCompactObject()
                        .field("index", i)
                        .field("name", Describe.symbolName(f, y))
                        .fieldUnsigned("value", y.value())
                        .fieldUnsigned("size", y.size())
                        .field("type", ElfNames.symbolType(h.osabi(), y.type()))
                        .field("bind", ElfNames.symbolBind(h.osabi(), y.bind()))
                        .field("visibility", ElfNames.symbolVisibility(y.visibility()))
                        .field("shndx", ElfNames.sectionIndex(h.machine(), shnum, y.rawShndx(), y.shndx()));
                String other = ElfNames.symbolOther(h.machine(), y.other());
                if (!other.isEmpty()) {
                    j.field("other", other);
                }
                j.field("table", s.name());
                j.endObject();
            }
        }
        j.endArray();
    }
}
