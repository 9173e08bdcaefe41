package dev.kobj.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kobj.testkit.Readelf;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Compares what kobjdump prints ({@code sections|symbols|relocs --json}, run in process)
 * with what GNU readelf printed for the same file, field by field.
 */
final class OracleCompare {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The outcome for one file. */
    record Result(Path file, int sections, int symbols, long relocations, List<String> differences) {
    }

    static JsonNode kobjdump(String command, Path file) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = KobjDump.run(new String[] {command, "--json", file.toString()},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        if (rc != 0) {
            throw new AssertionError("kobjdump " + command + " " + file + " exited " + rc + ": "
                    + err.toString(StandardCharsets.UTF_8));
        }
        try {
            JsonNode root = JSON.readTree(out.toByteArray());
            return root.get(0).get(command);
        } catch (java.io.IOException e) {
            throw new AssertionError("kobjdump " + command + " printed invalid JSON for " + file, e);
        }
    }

    /** readelf prints control characters in names as ^X. */
    static String printable(String s) {
        StringBuilder sb = new StringBuilder();
        for (char c : s.toCharArray()) {
            if (c < 0x20) {
                sb.append('^').append((char) (c + 0x40));
            } else if (c == 0x7f) {
                sb.append("^?");
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    static long num(JsonNode n) {
        return n.bigIntegerValue().longValue();
    }

    static Result compare(Path file, Readelf readelf) {
        List<String> diffs = new ArrayList<>();
        JsonNode sections = kobjdump("sections", file);
        JsonNode symbols = kobjdump("symbols", file);
        JsonNode relocs = kobjdump("relocs", file);

        // Sections: every column of readelf -SW.
        if (sections.size() != readelf.sections.size()) {
            diffs.add("section count: kobjdump " + sections.size() + ", readelf " + readelf.sections.size());
        }
        for (int i = 0; i < Math.min(sections.size(), readelf.sections.size()); i++) {
            Readelf.Section r = readelf.sections.get(i);
            JsonNode k = sections.get(i);
            String where = "section [" + r.index() + "] ";
            eq(diffs, where + "index", k.get("index").asInt(), r.index());
            eq(diffs, where + "name", printable(k.get("name").asText()), r.name());
            eq(diffs, where + "type", k.get("type").asText(), r.type());
            eq(diffs, where + "addr", num(k.get("addr")), r.addr());
            eq(diffs, where + "offset", num(k.get("offset")), r.offset());
            eq(diffs, where + "size", num(k.get("size")), r.size());
            eq(diffs, where + "entsize", num(k.get("entsize")), r.entsize());
            eq(diffs, where + "flags", k.get("flags").asText(), r.flags());
            eq(diffs, where + "link", num(k.get("link")), r.link());
            eq(diffs, where + "info", num(k.get("info")), r.info());
            eq(diffs, where + "align", num(k.get("align")), r.align());
        }

        // Symbols: every column of readelf -sW (the .symtab of a relocatable object).
        List<Readelf.Symbol> rsyms = readelf.symbols.stream().filter(s -> s.table().equals(".symtab")).toList();
        if (symbols.size() != rsyms.size()) {
            diffs.add("symbol count: kobjdump " + symbols.size() + ", readelf " + rsyms.size());
        }
        for (int i = 0; i < Math.min(symbols.size(), rsyms.size()); i++) {
            Readelf.Symbol r = rsyms.get(i);
            JsonNode k = symbols.get(i);
            String where = "symbol " + r.index() + " ";
            eq(diffs, where + "index", k.get("index").asInt(), r.index());
            eq(diffs, where + "value", num(k.get("value")), r.value());
            String size = r.size().startsWith("0x") ? new BigInteger(r.size().substring(2), 16).toString() : r.size();
            eq(diffs, where + "size", k.get("size").bigIntegerValue().toString(), size);
            eq(diffs, where + "type", k.get("type").asText(), r.type());
            eq(diffs, where + "bind", k.get("bind").asText(), r.bind());
            eq(diffs, where + "visibility", k.get("visibility").asText(), r.vis());
            eq(diffs, where + "other", k.hasNonNull("other") ? k.get("other").asText() : "", r.other());
            eq(diffs, where + "shndx", k.get("shndx").asText(), r.ndx());
            eq(diffs, where + "name", printable(k.get("name").asText()), r.name());
        }

        // Relocations: every column of readelf -rW, table by table.
        Map<String, Integer> perTable = new HashMap<>();
        for (JsonNode k : relocs) {
            perTable.merge(k.get("table").asText(), 1, Integer::sum);
        }
        for (String[] t : readelf.relocTables) {
            eq(diffs, "entries of " + t[0], perTable.getOrDefault(t[0], 0), Integer.parseInt(t[1]));
        }
        if (relocs.size() != readelf.relocs.size()) {
            diffs.add("relocation count: kobjdump " + relocs.size() + ", readelf " + readelf.relocs.size());
        }
        for (int i = 0; i < Math.min(relocs.size(), readelf.relocs.size()) && diffs.size() < 50; i++) {
            Readelf.Reloc r = readelf.relocs.get(i);
            JsonNode k = relocs.get(i);
            String where = "relocation " + i + " in " + r.table() + " at 0x" + Long.toHexString(r.offset()) + " ";
            eq(diffs, where + "table", k.get("table").asText(), r.table());
            eq(diffs, where + "offset", num(k.get("offset")), r.offset());
            eq(diffs, where + "info", num(k.get("info")), Readelf.hex(r.info()));
            String type = k.get("type").asText();
            if (r.type().startsWith("unrecognized:")) {
                // readelf 2.40 predates some psABI types (R_RISCV_SET_ULEB128, ...): the number must match.
                eq(diffs, where + "type number", num(k.get("typeValue")), Readelf.hex(r.type().substring(14)));
            } else {
                eq(diffs, where + "type", type, r.type());
            }
            if (!r.symbolValue().isEmpty()) {
                eq(diffs, where + "symbol value", num(k.get("symbolValue")), Readelf.hex(r.symbolValue()));
            }
            eq(diffs, where + "symbol", printable(k.get("symbol").asText()), r.symbol());
            if (!r.addend().isEmpty()) {
                long a = k.get("addend").asLong();
                String mine = (a < 0 ? "-" : "+") + (a < 0 ? Long.toHexString(-a) : Long.toHexString(a));
                if (a == Long.MIN_VALUE) {
                    mine = "-8000000000000000";
                }
                eq(diffs, where + "addend", mine, r.addend());
            }
        }
        return new Result(file, sections.size(), symbols.size(), relocs.size(), diffs);
    }

    private static void eq(List<String> diffs, String what, Object mine, Object theirs) {
        if (!mine.equals(theirs) && diffs.size() < 50) {
            diffs.add(what + ": kobjdump " + mine + ", readelf " + theirs);
        }
    }
}
