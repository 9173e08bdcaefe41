package dev.kobj.cli;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A minimal streaming JSON writer (RFC 8259) into a {@link StringBuilder}.
 *
 * <p>Containers are pretty-printed with two-space indentation, except "compact" ones (and
 * everything inside them), which are written on one line: kobjdump uses them for the
 * entries of long lists (one section, symbol or relocation per line). Strings are escaped
 * as RFC 8259 requires; every character outside printable ASCII is written as a
 * {@code \\uXXXX} escape, so the output is plain ASCII whatever the stream's encoding
 * (names are decoded from ELF files as ISO-8859-1, so {@code \\u00e9} means the byte
 * 0xe9). Numbers are integers, written signed ({@link #value(long)}) or as unsigned 64-bit
 * values ({@link #unsigned(long)}).
 */
final class Json {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private static final class Frame {
        final boolean object;
        final boolean compact;
        int count;

        Frame(boolean object, boolean compact) {
            this.object = object;
            this.compact = compact;
        }
    }

    private final StringBuilder sb;
    private final int baseIndent;
    private final Deque<Frame> stack = new ArrayDeque<>();
    private int compactDepth;
    private boolean afterName;

    /** A writer whose top-level value starts at the current position, indented by {@code baseIndent} levels. */
    Json(StringBuilder sb, int baseIndent) {
        this.sb = sb;
        this.baseIndent = baseIndent;
    }

    Json(StringBuilder sb) {
        this(sb, 0);
    }

    /** {@return the builder written to} */
    StringBuilder builder() {
        return sb;
    }

    private void newline(int depth) {
        sb.append('\n');
        for (int i = 0; i < baseIndent + depth; i++) {
            sb.append("  ");
        }
    }

    /** Writes what comes before a value: a comma and a line break inside arrays. */
    private void beforeValue() {
        if (afterName) {
            afterName = false;
            return;
        }
        Frame f = stack.peek();
        if (f == null) {
            return;
        }
        if (f.object) {
            throw new IllegalStateException("a value inside an object needs a name");
        }
        if (f.count++ > 0) {
            sb.append(',');
            if (compactDepth > 0) {
                sb.append(' ');
            }
        }
        if (compactDepth == 0) {
            newline(stack.size());
        }
    }

    private Json open(boolean object, boolean compact) {
        beforeValue();
        sb.append(object ? '{' : '[');
        Frame f = new Frame(object, compact);
        stack.push(f);
        if (compact) {
            compactDepth++;
        }
        return this;
    }

    private Json close(boolean object) {
        Frame f = stack.pop();
        if (f.object != object || afterName) {
            throw new IllegalStateException("unbalanced JSON");
        }
        if (f.compact) {
            compactDepth--;
        }
        if (f.count > 0 && compactDepth == 0 && !f.compact) {
            newline(stack.size());
        }
        sb.append(object ? '}' : ']');
        return this;
    }

    Json beginObject() {
        return open(true, false);
    }

    /** Begins an object written on one line. */
    Json beginCompactObject() {
        return open(true, true);
    }

    Json endObject() {
        return close(true);
    }

    Json beginArray() {
        return open(false, false);
    }

    /** Begins an array written on one line. */
    Json beginCompactArray() {
        return open(false, true);
    }

    Json endArray() {
        return close(false);
    }

    /** Writes the name of the next member of the current object. */
    Json name(String name) {
        Frame f = stack.peek();
        if (f == null || !f.object || afterName) {
            throw new IllegalStateException("a name is only allowed inside an object");
        }
        if (f.count++ > 0) {
            sb.append(',');
            if (compactDepth > 0) {
                sb.append(' ');
            }
        }
        if (compactDepth == 0) {
            newline(stack.size());
        }
        string(name);
        sb.append(": ");
        afterName = true;
        return this;
    }

    /** Writes a string, or null when {@code s} is null. */
    Json value(String s) {
        beforeValue();
        if (s == null) {
            sb.append("null");
        } else {
            string(s);
        }
        return this;
    }

    /** Writes a signed 64-bit integer. */
    Json value(long v) {
        beforeValue();
        sb.append(v);
        return this;
    }

    /** Writes {@code v} as an unsigned 64-bit integer. */
    Json unsigned(long v) {
        beforeValue();
        sb.append(Long.toUnsignedString(v));
        return this;
    }

    Json value(boolean v) {
        beforeValue();
        sb.append(v);
        return this;
    }

    /** Writes a finite number with up to three decimals (non-finite values become null). */
    Json value(double v) {
        beforeValue();
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            sb.append("null");
        } else {
            sb.append(Fmt.fixed(v, 3));
        }
        return this;
    }

    Json nullValue() {
        beforeValue();
        sb.append("null");
        return this;
    }

    // ------------------------------------------------------------ member shortcuts

    Json field(String name, String v) {
        return name(name).value(v);
    }

    Json field(String name, long v) {
        return name(name).value(v);
    }

    Json fieldUnsigned(String name, long v) {
        return name(name).unsigned(v);
    }

    Json field(String name, boolean v) {
        return name(name).value(v);
    }

    Json field(String name, double v) {
        return name(name).value(v);
    }

    private void string(String s) {
        sb.append('"');
        quote(sb, s);
        sb.append('"');
    }

    /** Appends {@code s} escaped for use between JSON double quotes. */
    static void quote(StringBuilder sb, String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20 || c > 0x7e) {
                        sb.append("\\u").append(HEX[(c >> 12) & 0xf]).append(HEX[(c >> 8) & 0xf])
                                .append(HEX[(c >> 4) & 0xf]).append(HEX[c & 0xf]);
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
    }

    /** {@return {@code s} as a JSON string literal, quotes included} */
    static String quote(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2);
        sb.append('"');
        quote(sb, s);
        sb.append('"');
        return sb.toString();
    }
}
