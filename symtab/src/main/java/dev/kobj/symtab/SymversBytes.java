package dev.kobj.symtab;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A fast path for {@link SymbolFiles#parseSymvers}: Module.symvers as Linux 5.10 and later
 * writes it (modpost's {@code write_dump}: {@code 0xCRC \t NAME \t MODULE \t EXPORT_TYPE \t
 * NAMESPACE \n}), parsed from the file's bytes without a {@code String} per line or per field
 * other than the name (owners are shared from one line to the next, as modpost groups a
 * module's exports). It takes only lines that the general parser takes the same way: a CRC of
 * "0x" and 1 to 8 hex digits, a name and a module without blanks or control characters, the
 * export type {@code EXPORT_SYMBOL} or {@code EXPORT_SYMBOL_GPL}, an optional namespace without
 * blanks, each line ended by {@code \n}. Anything else (another form, a carriage return, a
 * malformed line) makes it answer null, and the caller parses the text with the general
 * parser, which reads the other forms and words the errors. Names listed twice are not looked
 * for here: the caller sees them as a table with fewer names than entries, and asks the general
 * parser too.
 */
final class SymversBytes {
    private static final byte[] EXPORT_SYMBOL = "EXPORT_SYMBOL".getBytes(StandardCharsets.ISO_8859_1);

    private SymversBytes() {
    }

    /** {@return the entries of {@code data[0, length)} in file order}, or null when the general parser must read it */
    static List<SymbolFiles.Entry> parse(byte[] data, int length) {
        List<SymbolFiles.Entry> out = new ArrayList<>(Math.max(16, length / 48));
        byte[] ownerBytes = null; // the bytes of the last owner, shared while the next lines repeat it
        int ownerFrom = 0;
        int ownerLen = -1;
        String owner = null;
        int i = 0;
        while (i < length) {
            if (data[i] == '\n') { // an empty line
                i++;
                continue;
            }
            // 0xCRC
            if (i + 2 >= length || data[i] != '0' || data[i + 1] != 'x') {
                return null;
            }
            int p = i + 2;
            long crc = 0;
            int digits = 0;
            while (p < length && data[p] != '\t') {
                int d = hex(data[p]);
                if (d < 0 || ++digits > 8) {
                    return null;
                }
                crc = crc << 4 | d;
                p++;
            }
            if (digits == 0 || p >= length) {
                return null;
            }
            // NAME
            int nameFrom = ++p;
            p = field(data, p, length);
            if (p < 0 || p == nameFrom || p >= length || data[p] != '\t') {
                return null;
            }
            int nameTo = p;
            // MODULE
            int modFrom = ++p;
            p = field(data, p, length);
            if (p < 0 || p == modFrom || p >= length || data[p] != '\t') {
                return null;
            }
            int modTo = p;
            // EXPORT_TYPE
            int typeFrom = ++p;
            p = field(data, p, length);
            if (p < 0) {
                return null;
            }
            String type = exportType(data, typeFrom, p);
            if (type == null) {
                return null;
            }
            // [\t NAMESPACE] \n
            String ns = "";
            if (p < length && data[p] == '\t') {
                int nsFrom = ++p;
                p = field(data, p, length);
                if (p < 0 || p < length && data[p] != '\n') {
                    return null;
                }
                if (p > nsFrom) {
                    ns = new String(data, nsFrom, p - nsFrom, StandardCharsets.ISO_8859_1).intern();
                }
            } else if (p < length && data[p] != '\n') {
                return null;
            }
            if (ownerLen != modTo - modFrom
                    || !java.util.Arrays.equals(ownerBytes, ownerFrom, ownerFrom + ownerLen, data, modFrom, modTo)) {
                ownerBytes = data;
                ownerFrom = modFrom;
                ownerLen = modTo - modFrom;
                owner = new String(data, modFrom, ownerLen, StandardCharsets.ISO_8859_1).intern();
            }
            String name = new String(data, nameFrom, nameTo - nameFrom, StandardCharsets.ISO_8859_1);
            out.add(new SymbolFiles.Entry(new KernelSymbol(name, 0, crc, owner, type, ns), SymbolFiles.NO_TYPE, false));
            i = p + 1;
        }
        return out;
    }

    /**
     * {@return the end of the field starting at {@code p}: the index of the next tab or newline, or
     * {@code length}}; -1 when a byte before it is a blank or a control character (what
     * {@code SymbolFiles.hasBlank} refuses, a carriage return among them)
     */
    private static int field(byte[] data, int p, int length) {
        while (p < length) {
            byte b = data[p];
            if (b == '\t' || b == '\n') {
                return p;
            }
            if (b >= 0 && b <= ' ') {
                return -1;
            }
            p++;
        }
        return p;
    }

    /** {@return "EXPORT_SYMBOL" or "EXPORT_SYMBOL_GPL" when {@code data[from, to)} spells one, else null} */
    private static String exportType(byte[] data, int from, int to) {
        int n = EXPORT_SYMBOL.length;
        if (to - from < n || !java.util.Arrays.equals(data, from, from + n, EXPORT_SYMBOL, 0, n)) {
            return null;
        }
        if (to - from == n) {
            return "EXPORT_SYMBOL";
        }
        if (to - from == n + 4 && data[from + n] == '_' && data[from + n + 1] == 'G' && data[from + n + 2] == 'P'
                && data[from + n + 3] == 'L') {
            return "EXPORT_SYMBOL_GPL";
        }
        return null;
    }

    private static int hex(byte c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }
}
