package dev.kobj.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * GNU readelf's {@code -SsrW} text, parsed into plain rows. readelf is the independent
 * oracle: this class only reads what it printed, it knows nothing of kobj.
 */
public final class Readelf {
    /** One row of the section table. */
    public record Section(int index, String name, String type, long addr, long offset, long size, long entsize,
            String flags, long link, long info, long align) {
    }

    /** One row of a symbol table. */
    public record Symbol(String table, int index, long value, String size, String type, String bind, String vis,
            String other, String ndx, String name) {
    }

    /** One row of a relocation table. */
    public record Reloc(String table, long offset, String info, String type, String symbolValue, String symbol,
            String addend) {
    }

    public final List<Section> sections = new ArrayList<>();
    public final List<Symbol> symbols = new ArrayList<>();
    public final List<Reloc> relocs = new ArrayList<>();
    /** Relocation table name to the entry count readelf announced. */
    public final List<String[]> relocTables = new ArrayList<>();

    private static final Pattern SECTION = Pattern.compile(
            "^\\s*\\[\\s*(\\d+)\\] (\\S*)\\s+(\\S.*?)\\s+([0-9a-f]{8,16}) ([0-9a-f]{6,}) ([0-9a-f]{6,}) ([0-9a-f]{2,}) "
                    + "\\s*([A-Za-z]*)\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)$");
    private static final Pattern SYMTAB = Pattern.compile("^Symbol table '(.*)' contains (\\d+) entr(y|ies):$");
    private static final Pattern SYMBOL = Pattern.compile(
            "^\\s*(\\d+): ([0-9a-f]+)\\s+(\\d+|0x[0-9a-f]+)\\s+(\\S+)\\s+(\\S+)\\s+(\\S+)\\s+(?:\\[(.*?)\\]\\s+)?"
                    + "(UND|ABS|COM|LARGE_COM|\\d+|PRC\\[0x[0-9a-f]+\\]|OS \\[0x[0-9a-f]+\\]|RSV\\[0x[0-9a-f]+\\]"
                    + "|bad section index\\[\\s*\\d+\\])(?: (.*))?$");
    private static final Pattern RELTAB = Pattern.compile(
            "^Relocation section '(.*)' at offset 0x[0-9a-f]+ contains (\\d+) entr(y|ies):$");
    private static final Pattern RELOC = Pattern.compile(
            "^([0-9a-f]{8}|[0-9a-f]{16})  ([0-9a-f]{8}|[0-9a-f]{16}) (unrecognized: [0-9a-f]+|\\S+)(.*)$");
    private static final Pattern NAMED = Pattern.compile("^\\s*([0-9a-f]{8}|[0-9a-f]{16})\\s{1,3}(.*?)(?: ([+-]) ([0-9a-f]+))?$");

    private Readelf() {
    }

    /** {@return {@code tool -SsrW file}, parsed} (the readelf of the file's binutils: objects.tsv names it) */
    public static Readelf run(String tool, Path file) {
        try {
            Process p = new ProcessBuilder(tool, "-SsrW", file.toString()).redirectErrorStream(false).start();
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readAllBytes();
            p.getErrorStream().readAllBytes();
            if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
                throw new IllegalStateException(tool + " failed on " + file);
            }
            return parse(new String(out, StandardCharsets.ISO_8859_1));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** {@return readelf -S, -s and -r text, parsed} */
    public static Readelf parse(String text) {
        Readelf r = new Readelf();
        String symtab = null;
        String reltab = null;
        for (String line : text.split("\n", -1)) {
            Matcher m;
            if ((m = SYMTAB.matcher(line)).matches()) {
                symtab = m.group(1);
                reltab = null;
                continue;
            }
            if ((m = RELTAB.matcher(line)).matches()) {
                reltab = m.group(1);
                symtab = null;
                r.relocTables.add(new String[] {m.group(1), m.group(2)});
                continue;
            }
            if (symtab == null && reltab == null && (m = SECTION.matcher(line)).matches()) {
                r.sections.add(new Section(Integer.parseInt(m.group(1)), m.group(2), m.group(3), hex(m.group(4)),
                        hex(m.group(5)), hex(m.group(6)), hex(m.group(7)), m.group(8), Long.parseLong(m.group(9)),
                        Long.parseLong(m.group(10)), Long.parseLong(m.group(11))));
                continue;
            }
            if (symtab != null && (m = SYMBOL.matcher(line)).matches()) {
                r.symbols.add(new Symbol(symtab, Integer.parseInt(m.group(1)), hex(m.group(2)), m.group(3), m.group(4),
                        m.group(5), m.group(6), m.group(7) == null ? "" : m.group(7), m.group(8),
                        m.group(9) == null ? "" : m.group(9)));
                continue;
            }
            if (reltab != null && (m = RELOC.matcher(line)).matches()) {
                String rest = m.group(4);
                String value = "";
                String name = "";
                String addend = "";
                Matcher n = NAMED.matcher(rest);
                if (rest.isBlank()) {
                    // REL entry against symbol 0
                } else if (rest.matches("^\\s+[0-9a-f]+$") && rest.length() > 20) {
                    addend = "+" + rest.trim(); // RELA against symbol 0: only the addend
                } else if (rest.matches("^\\s+-[0-9a-f]+$") && rest.length() > 20) {
                    addend = rest.trim();
                } else if (n.matches()) {
                    value = n.group(1);
                    name = n.group(2);
                    if (n.group(3) != null) {
                        addend = n.group(3) + n.group(4);
                    }
                } else {
                    throw new IllegalStateException("unparsed readelf relocation line: " + line);
                }
                r.relocs.add(new Reloc(reltab, hex(m.group(1)), m.group(2), m.group(3), value, name, addend));
            }
        }
        return r;
    }

    /** {@return a hexadecimal field of readelf, unsigned} */
    public static long hex(String s) {
        return Long.parseUnsignedLong(s, 16);
    }

    /** One line of {@code readelf -SW}, as the link tests read it (the null section not included). */
    public record SectionLine(int index, String name, String type, long address, long size, String flags) {
    }

    private static final Pattern SECTION_LINE = Pattern.compile(
            "^\\s+\\[\\s*(\\d+)\\]\\s+(\\S+)\\s+(\\S+)\\s+([0-9a-f]+)\\s+[0-9a-f]+\\s+([0-9a-f]+)\\s+[0-9a-f]+\\s+(\\S*)\\s+\\d+\\s+\\d+\\s+\\d+$");

    /** {@return the sections {@code readelf -SW} lists} (names of up to 17 characters print whole with -W) */
    public static List<SectionLine> sectionLines(String readelfS) {
        List<SectionLine> out = new ArrayList<>();
        for (String l : readelfS.split("\n")) {
            var m = SECTION_LINE.matcher(l);
            if (m.matches()) {
                out.add(new SectionLine(Integer.parseInt(m.group(1)), m.group(2), m.group(3),
                        Long.parseUnsignedLong(m.group(4), 16), Long.parseUnsignedLong(m.group(5), 16), m.group(6)));
            }
        }
        return out;
    }
}
