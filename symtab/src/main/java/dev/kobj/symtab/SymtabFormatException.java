package dev.kobj.symtab;

import dev.kobj.elf.KobjException;

/**
 * A symbol table source is malformed: a line of System.map, /proc/kallsyms or Module.symvers
 * that does not parse, or a {@code __ksymtab} entry that points outside the module image.
 * The message names the file, the place (line number, or section and entry) and the bad text:
 * {@code Module.symvers:17: expected 5 tab-separated fields (crc, name, module, export type,
 * namespace), found 3: "0x1234\tfoo\tvmlinux"}.
 */
public final class SymtabFormatException extends KobjException {
    private static final long serialVersionUID = 1L;

    /** The name of the file (or module) that holds the bad data. */
    private final String file;
    /** The 1-based line number, or -1 when the source is not text. */
    private final long line;
    /** Where in the file: "line N" or a section and entry. */
    private final String place;
    /** The offending text. */
    private final String text;

    /**
     * A bad line {@code line} (1-based) of a text source.
     * @param file the name of the file (or module) that holds the bad data
     * @param line the 1-based line number
     * @param text the offending text (the whole line for text sources)
     * @param problem what is wrong with it
     */
    public SymtabFormatException(String file, long line, String text, String problem) {
        super(file + ":" + line + ": " + problem + ": " + quote(text));
        this.file = file;
        this.line = line;
        this.place = "line " + line;
        this.text = text;
    }

    /**
     * A bad entry of a binary source; {@code place} says where, e.g. "__ksymtab_gpl entry 2 at 0x1018".
     * @param file the name of the file (or module) that holds the bad data
     * @param place where in the source, e.g. "__ksymtab_gpl entry 2 at 0x1018"
     * @param text the offending text (the whole line for text sources)
     * @param problem what is wrong with it
     */
    public SymtabFormatException(String file, String place, String text, String problem) {
        super(file + ": " + place + ": " + problem + (text.isEmpty() ? "" : ": " + text));
        this.file = file;
        this.line = -1;
        this.place = place;
        this.text = text;
    }

    static String quote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        int n = Math.min(s.length(), 200);
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\t' -> b.append("\\t");
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        b.append(String.format("\\x%02x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        if (s.length() > n) {
            b.append("...");
        }
        return b.append('"').toString();
    }

    /** {@return the name of the file (or module) that holds the bad data} */
    public String file() {
        return file;
    }

    /** {@return the 1-based line number, or -1 when the source is not text} */
    public long line() {
        return line;
    }

    /** {@return where in the file: "line N" or a section and entry} */
    public String place() {
        return place;
    }

    /** {@return the offending text (the whole line for text sources)} */
    public String text() {
        return text;
    }
}
