package dev.kobj.cli;

/** Small text-formatting helpers that print numbers the way readelf's printf formats do. */
final class Fmt {
    private Fmt() {
    }

    /** {@return {@code v} as unsigned hex, zero-padded to at least {@code width} digits} ({@code %0*lx}) */
    static String hex(long v, int width) {
        String h = Long.toHexString(v);
        if (h.length() >= width) {
            return h;
        }
        StringBuilder sb = new StringBuilder(width);
        for (int i = h.length(); i < width; i++) {
            sb.append('0');
        }
        return sb.append(h).toString();
    }

    /** {@return {@code s} padded with spaces on the right to {@code width}} ({@code %-*s}) */
    static String left(String s, int width) {
        if (s.length() >= width) {
            return s;
        }
        StringBuilder sb = new StringBuilder(width).append(s);
        while (sb.length() < width) {
            sb.append(' ');
        }
        return sb.toString();
    }

    /** {@return {@code s} padded with spaces on the left to {@code width}} ({@code %*s}) */
    static String right(String s, int width) {
        if (s.length() >= width) {
            return s;
        }
        StringBuilder sb = new StringBuilder(width);
        for (int i = s.length(); i < width; i++) {
            sb.append(' ');
        }
        return sb.append(s).toString();
    }

    /** {@return {@code v} as an unsigned decimal padded on the left to {@code width}} */
    static String dec(long v, int width) {
        return right(Long.toUnsignedString(v), width);
    }

    /**
     * {@return a name as readelf prints it}: control characters become {@code ^X}
     * (DEL becomes {@code ^?}); other characters are printed as they are.
     */
    static String printable(String s) {
        int i = 0;
        int n = s.length();
        while (i < n) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                break;
            }
            i++;
        }
        if (i == n) {
            return s;
        }
        StringBuilder sb = new StringBuilder(n + 4).append(s, 0, i);
        for (; i < n; i++) {
            char c = s.charAt(i);
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

    /** {@return a one-line version of an error message} */
    static String oneLine(String s) {
        if (s == null) {
            return "";
        }
        return s.replace("\r\n", " ").replace('\n', ' ').replace('\r', ' ').strip();
    }

    /**
     * {@return {@code v} with {@code decimals} digits after the point (0 to 6), rounded half up},
     * what {@code String.format(Locale.ROOT, "%.Nf", v)} prints for the figures kobjdump shows
     * (sizes in MiB, seconds, rates; values a binary fraction holds exactly round alike, e.g.
     * 0.25 to "0.3"), without the {@code Formatter}: its first use in a run loads locale data and
     * regular expressions, some 8 ms on the single thread that ends a tree command (issue 9).
     * Not finite, or beyond 9e15 once scaled: {@code String.format}'s text.
     */
    static String fixed(double v, int decimals) {
        long scale = 1;
        for (int i = 0; i < decimals; i++) {
            scale *= 10;
        }
        double scaled = Math.abs(v) * scale;
        if (!(scaled < 9e15) || decimals > 6) { // NaN too
            return String.format(java.util.Locale.ROOT, "%." + decimals + "f", v);
        }
        long r = (long) Math.floor(scaled + 0.5);
        StringBuilder sb = new StringBuilder(24);
        if (v < 0 || (v == 0 && 1 / v < 0)) { // as Formatter: "-0.0" for -0.04
            sb.append('-');
        }
        sb.append(r / scale);
        if (decimals > 0) {
            String frac = Long.toString(r % scale);
            sb.append('.');
            for (int i = frac.length(); i < decimals; i++) {
                sb.append('0');
            }
            sb.append(frac);
        }
        return sb.toString();
    }

    /** {@return "1 entry" / "2 entries" style counts} */
    static String count(long n, String one, String many) {
        return Long.toUnsignedString(n) + " " + (n == 1 ? one : many);
    }
}
