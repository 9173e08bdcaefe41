package dev.kobj.symtab;

import java.io.BufferedReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The line parsers of the three text sources. Each returns the entries in file order; the
 * formats, as the kernel's build and /proc write them:
 *
 * <ul>
 * <li>System.map ({@code nm -n vmlinux}, filtered): {@code ADDRESS TYPE NAME}, one space
 *     apart; ADDRESS in hex (16 digits on 64-bit kernels, 8 on 32-bit), TYPE one nm letter.
 * <li>/proc/kallsyms: the same, plus for a module's symbols a tab and {@code [module]};
 *     every address reads 0 when {@code kernel.kptr_restrict} hides them from the reader.
 * <li>Module.symvers (Linux ≥ 5.10, modpost's {@code write_dump}): {@code 0xCRC \t NAME \t
 *     MODULE \t EXPORT_TYPE \t NAMESPACE}, NAMESPACE possibly empty (the line then ends in a
 *     tab). Also read: the 4-field form of Linux < 5.4 (no namespace) and the 5-field form
 *     of 5.4–5.9 whose third field is the namespace.
 * </ul>
 */
final class SymbolFiles {
    private SymbolFiles() {
    }

    /** One parsed entry: the symbol, its nm type ('?' when the source has none) and whether it has an address. */
    record Entry(KernelSymbol symbol, char type, boolean addressed) {
    }

    static final char NO_TYPE = '?';

    /** The export types modpost writes (the last three only before Linux 5.13). */
    static final java.util.Set<String> EXPORT_TYPES = java.util.Set.of("EXPORT_SYMBOL", "EXPORT_SYMBOL_GPL",
            "EXPORT_SYMBOL_GPL_FUTURE", "EXPORT_UNUSED_SYMBOL", "EXPORT_UNUSED_SYMBOL_GPL");

    /** Parses System.map ({@code kallsyms == false}) or /proc/kallsyms text. */
    static List<Entry> parseNm(String file, BufferedReader in, boolean kallsyms) throws IOException, SymtabFormatException {
        List<Entry> out = new ArrayList<>();
        String line;
        long no = 0;
        int digits = -1;
        String[] tok = new String[5];
        while ((line = in.readLine()) != null) {
            no++;
            if (line.isBlank()) {
                continue;
            }
            int count = tokens(line, tok);
            if (count < 3 || count > 4) {
                throw new SymtabFormatException(file, no, line, kallsyms ? "expected \"ADDRESS TYPE NAME [module]\""
                        : "expected \"ADDRESS TYPE NAME\"");
            }
            String addr = tok[0];
            if (addr.length() > 16 || !isHex(addr)) {
                throw new SymtabFormatException(file, no, line, "address " + SymtabFormatException.quote(addr)
                        + " is not 1 to 16 hex digits");
            }
            if (digits < 0) {
                digits = addr.length();
            } else if (digits != addr.length()) {
                throw new SymtabFormatException(file, no, line, "address has " + addr.length()
                        + " hex digits where the lines before have " + digits);
            }
            char type = tok[1].charAt(0);
            if (tok[1].length() != 1 || !(Character.isLetter(type) && type < 0x80) && type != '?' && type != '-') {
                throw new SymtabFormatException(file, no, line, "symbol type " + SymtabFormatException.quote(tok[1])
                        + " is not one nm type letter");
            }
            String name = tok[2];
            String owner = KernelSymbol.VMLINUX;
            if (count == 4) {
                String tail = tok[3];
                if (!kallsyms) {
                    throw new SymtabFormatException(file, no, line, "unexpected text after the name: "
                            + SymtabFormatException.quote(tail) + " (a [module] column belongs in /proc/kallsyms, not System.map)");
                }
                if (tail.length() < 3 || tail.charAt(0) != '[' || tail.charAt(tail.length() - 1) != ']') {
                    throw new SymtabFormatException(file, no, line, "expected \"[module]\" after the name, found "
                            + SymtabFormatException.quote(tail));
                }
                owner = tail.substring(1, tail.length() - 1).intern();
            }
            long address = Long.parseUnsignedLong(addr, 16);
            out.add(new Entry(new KernelSymbol(name, address, -1, owner, "", ""), type, true));
        }
        return out;
    }

    /** Parses Module.symvers. A name listed twice is an error naming both lines. */
    static List<Entry> parseSymvers(String file, BufferedReader in) throws IOException, SymtabFormatException {
        List<Entry> out = new ArrayList<>(1 << 15);
        Map<String, Long> seen = new HashMap<>(1 << 16); // name -> line
        String[] f = new String[6];
        String line;
        long no = 0;
        while ((line = in.readLine()) != null) {
            no++;
            if (line.isEmpty()) {
                continue;
            }
            int count = split(line, f);
            if (count != 4 && count != 5) {
                throw new SymtabFormatException(file, no, line, "expected 5 tab-separated fields (crc, name, module, "
                        + "export type, namespace), found " + (count > 5 ? "more than 5" : count));
            }
            String crc = f[0];
            if (crc.length() < 3 || crc.length() > 10 || !crc.startsWith("0x") || !isHex(crc.substring(2))) {
                throw new SymtabFormatException(file, no, line, "CRC " + SymtabFormatException.quote(crc)
                        + " is not 0x and 1 to 8 hex digits");
            }
            String name = f[1];
            String module = f[2];
            String type = f[3];
            String ns = count == 5 ? f[4] : "";
            if (count == 5 && !type.startsWith("EXPORT_") && ns.startsWith("EXPORT_")) {
                // Linux 5.4–5.9: crc, name, namespace, module, export type.
                ns = f[2];
                module = f[3];
                type = f[4];
            }
            if (name.isEmpty() || hasBlank(name)) {
                throw new SymtabFormatException(file, no, line, "symbol name " + SymtabFormatException.quote(name)
                        + " is empty or has blanks");
            }
            if (module.isEmpty() || hasBlank(module)) {
                throw new SymtabFormatException(file, no, line, "module " + SymtabFormatException.quote(module)
                        + " is empty or has blanks");
            }
            if (!EXPORT_TYPES.contains(type)) {
                throw new SymtabFormatException(file, no, line, "export type " + SymtabFormatException.quote(type)
                        + " is not EXPORT_SYMBOL or EXPORT_SYMBOL_GPL");
            }
            if (hasBlank(ns)) {
                throw new SymtabFormatException(file, no, line, "namespace " + SymtabFormatException.quote(ns) + " has blanks");
            }
            Long before = seen.putIfAbsent(name, no);
            if (before != null) {
                throw new SymtabFormatException(file, no, line, "symbol " + name + " is listed again (first on line "
                        + before + ", owned by " + out.get(indexOf(out, name)).symbol().owner() + ")");
            }
            long value = Long.parseUnsignedLong(crc.substring(2), 16);
            out.add(new Entry(new KernelSymbol(name, 0, value, module.intern(), type.intern(), ns.intern()), NO_TYPE, false));
        }
        return out;
    }

    private static int indexOf(List<Entry> entries, String name) {
        for (int i = 0; i < entries.size(); i++) {
            if (entries.get(i).symbol().name().equals(name)) {
                return i;
            }
        }
        return 0;
    }

    /** Splits on tabs into {@code f}; {@return the number of fields, or f.length when there are more} */
    private static int split(String line, String[] f) {
        int count = 0;
        int start = 0;
        while (true) {
            int tab = line.indexOf('\t', start);
            if (count == f.length) {
                return f.length;
            }
            if (tab < 0) {
                f[count++] = line.substring(start);
                return count;
            }
            f[count++] = line.substring(start, tab);
            start = tab + 1;
        }
    }

    /** Splits on runs of blanks into {@code tok}; {@return the number of tokens, or tok.length when there are more} */
    private static int tokens(String line, String[] tok) {
        int count = 0;
        int i = skipBlanks(line, 0);
        while (i < line.length()) {
            if (count == tok.length) {
                return tok.length;
            }
            int end = i;
            while (end < line.length() && line.charAt(end) != ' ' && line.charAt(end) != '\t') {
                end++;
            }
            tok[count++] = line.substring(i, end);
            i = skipBlanks(line, end);
        }
        return count;
    }

    private static int skipBlanks(String s, int i) {
        while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
            i++;
        }
        return i;
    }

    private static boolean hasBlank(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == ' ' || c == '\t' || c < 0x20) {
                return true;
            }
        }
        return false;
    }

    static boolean isHex(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F')) {
                return false;
            }
        }
        return true;
    }
}
