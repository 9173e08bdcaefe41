package dev.kobj.emu;

import java.nio.charset.StandardCharsets;

/**
 * Linux's {@code vsnprintf} (lib/vsprintf.c, Documentation/core-api/printk-formats.rst) over
 * guest arguments: flags {@code -+ #0}, width and precision (also {@code *}), qualifiers
 * {@code hh h l ll z Z t j L}, conversions {@code d i u o x X c s %} and the pointer extensions
 * {@code %p %px %pK %pS %ps %pB %pF %pf %ph %pM %pm %pI4 %pi4 %pU %pa %pe}. As the kernel does,
 * every letter or digit after {@code %p} belongs to the extension; pointers are printed unhashed
 * (as with {@code no_hash_pointers}); a {@code %s} of NULL or of the first page prints
 * {@code (null)} or {@code (efault)}.
 */
final class Printf {
    private Printf() {
    }

    /** Supplies the next variadic argument. */
    interface Args {
        long next() throws EmuException;
    }

    static String format(String fmt, Args args, Guest guest, Kernel kernel) throws EmuException {
        StringBuilder out = new StringBuilder();
        int i = 0;
        int n = fmt.length();
        while (i < n) {
            char c = fmt.charAt(i++);
            if (c != '%') {
                out.append(c);
                continue;
            }
            if (i >= n) {
                break;
            }
            boolean left = false, plus = false, space = false, alt = false, zero = false;
            for (; i < n; i++) {
                char f = fmt.charAt(i);
                if (f == '-') {
                    left = true;
                } else if (f == '+') {
                    plus = true;
                } else if (f == ' ') {
                    space = true;
                } else if (f == '#') {
                    alt = true;
                } else if (f == '0') {
                    zero = true;
                } else {
                    break;
                }
            }
            int width = -1;
            if (i < n && fmt.charAt(i) == '*') {
                width = (int) args.next();
                if (width < 0) {
                    left = true;
                    width = -width;
                }
                i++;
            } else {
                int w = 0;
                boolean any = false;
                while (i < n && Character.isDigit(fmt.charAt(i))) {
                    w = Math.min(w * 10 + fmt.charAt(i++) - '0', 4096);
                    any = true;
                }
                width = any ? w : -1;
            }
            int precision = -1;
            if (i < n && fmt.charAt(i) == '.') {
                i++;
                if (i < n && fmt.charAt(i) == '*') {
                    precision = Math.max(0, (int) args.next());
                    i++;
                } else {
                    int p = 0;
                    while (i < n && Character.isDigit(fmt.charAt(i))) {
                        p = Math.min(p * 10 + fmt.charAt(i++) - '0', 4096);
                    }
                    precision = p;
                }
            }
            int bits = 32;
            if (i < n) {
                char q = fmt.charAt(i);
                if (q == 'h') {
                    i++;
                    bits = 16;
                    if (i < n && fmt.charAt(i) == 'h') {
                        i++;
                        bits = 8;
                    }
                } else if (q == 'l' || q == 'L' || q == 'z' || q == 'Z' || q == 't' || q == 'j' || q == 'q') {
                    i++;
                    bits = 64;
                    if (q == 'l' && i < n && fmt.charAt(i) == 'l') {
                        i++;
                    }
                }
            }
            if (i >= n) {
                break;
            }
            char conv = fmt.charAt(i++);
            String body;
            switch (conv) {
                case '%' -> {
                    out.append('%');
                    continue;
                }
                case 'c' -> body = String.valueOf((char) (args.next() & 0xff));
                case 's' -> {
                    long p = args.next();
                    if (p == 0) {
                        body = "(null)";
                    } else if (Long.compareUnsigned(p, GuestMap.PAGE) < 0) {
                        body = "(efault)";
                    } else {
                        byte[] b = guest.cstringBytes(p, precision >= 0 ? precision : Guest.MAX_STRING);
                        body = new String(b, StandardCharsets.UTF_8);
                    }
                }
                case 'd', 'i' -> body = signed(truncate(args.next(), bits, true), plus, space, precision);
                case 'u' -> body = digits(Long.toUnsignedString(truncate(args.next(), bits, false)), precision);
                case 'x', 'X', 'o' -> {
                    long v = truncate(args.next(), bits, false);
                    String d = conv == 'o' ? Long.toOctalString(v) : Long.toHexString(v);
                    d = digits(conv == 'X' ? d.toUpperCase() : d, precision);
                    body = alt && v != 0 ? (conv == 'o' ? "0" : conv == 'X' ? "0X" : "0x") + d : d;
                }
                case 'p' -> {
                    int start = i;
                    while (i < n && Character.isLetterOrDigit(fmt.charAt(i))) {
                        i++;
                    }
                    body = pointer(fmt.substring(start, i), args.next(), width, guest, kernel);
                    if (fmt.substring(start, i).startsWith("h")) {
                        width = -1; // %*ph: the width was the length
                    }
                }
                case 'n' -> {
                    args.next();
                    continue;
                }
                default -> {
                    // as vsnprintf: an unknown conversion is printed as is
                    out.append('%').append(conv);
                    continue;
                }
            }
            pad(out, body, width, left, zero && !left && "diuxXo".indexOf(conv) >= 0 && precision < 0);
        }
        return out.toString();
    }

    private static long truncate(long v, int bits, boolean signed) {
        return switch (bits) {
            case 8 -> signed ? (byte) v : v & 0xff;
            case 16 -> signed ? (short) v : v & 0xffff;
            case 32 -> signed ? (int) v : v & 0xffff_ffffL;
            default -> v;
        };
    }

    private static String signed(long v, boolean plus, boolean space, int precision) {
        String d = digits(v < 0 ? Long.toUnsignedString(-v) : Long.toString(v), precision);
        return (v < 0 ? "-" : plus ? "+" : space ? " " : "") + d;
    }

    private static String digits(String d, int precision) {
        if (precision == 0 && d.equals("0")) {
            return "";
        }
        return precision > d.length() ? "0".repeat(precision - d.length()) + d : d;
    }

    private static void pad(StringBuilder out, String body, int width, boolean left, boolean zero) {
        int fill = width - body.length();
        if (fill <= 0) {
            out.append(body);
        } else if (left) {
            out.append(body).append(" ".repeat(fill));
        } else if (zero) {
            int sign = !body.isEmpty() && "+- ".indexOf(body.charAt(0)) >= 0 ? 1
                    : body.startsWith("0x") || body.startsWith("0X") ? 2 : 0;
            out.append(body, 0, sign).append("0".repeat(fill)).append(body, sign, body.length());
        } else {
            out.append(" ".repeat(fill)).append(body);
        }
    }

    private static String pointer(String ext, long p, int width, Guest guest, Kernel kernel) throws EmuException {
        String kind = ext.isEmpty() ? "" : ext.substring(0, 1);
        switch (kind) {
            case "S", "s", "B", "F", "f" -> {
                String s = kernel.symbolize(p);
                if (s.equals("?")) {
                    return String.format("0x%x", p);
                }
                return kind.equals("s") || kind.equals("f") ? s.replaceFirst("\\+0x[0-9a-f]+$", "") : s;
            }
            case "h" -> {
                int len = width < 0 ? 1 : Math.min(width, 64);
                char sep = ext.length() > 1 ? switch (ext.charAt(1)) {
                    case 'C' -> ':';
                    case 'D' -> '-';
                    case 'N' -> (char) 0;
                    default -> ' ';
                } : ' ';
                byte[] b = p == 0 ? new byte[0] : guest.read(p, len);
                StringBuilder sb = new StringBuilder();
                for (int k = 0; k < b.length; k++) {
                    if (k > 0 && sep != 0) {
                        sb.append(sep);
                    }
                    sb.append(String.format("%02x", b[k] & 0xff));
                }
                return sb.toString();
            }
            case "M", "m" -> {
                byte[] b = guest.read(p, 6);
                StringBuilder sb = new StringBuilder();
                for (int k = 0; k < 6; k++) {
                    sb.append(k > 0 && kind.equals("M") ? ":" : "").append(String.format("%02x", b[k] & 0xff));
                }
                return sb.toString();
            }
            case "I", "i" -> {
                if (ext.length() > 1 && ext.charAt(1) == '4') {
                    byte[] b = guest.read(p, 4);
                    String f = kind.equals("i") ? "%03d.%03d.%03d.%03d" : "%d.%d.%d.%d";
                    return String.format(f, b[0] & 0xff, b[1] & 0xff, b[2] & 0xff, b[3] & 0xff);
                }
                return String.format("%016x", p);
            }
            case "U" -> {
                byte[] b = guest.read(p, 16);
                StringBuilder sb = new StringBuilder();
                for (int k = 0; k < 16; k++) {
                    sb.append(k == 4 || k == 6 || k == 8 || k == 10 ? "-" : "").append(String.format("%02x", b[k] & 0xff));
                }
                return sb.toString();
            }
            case "a" -> {
                return String.format("0x%016x", guest.readLong(p));
            }
            case "e" -> {
                long e = -p;
                return e > 0 && e < 4096 ? Errno.name((int) e) : String.format("%016x", p);
            }
            default -> {
                return String.format("%016x", p);
            }
        }
    }
}
