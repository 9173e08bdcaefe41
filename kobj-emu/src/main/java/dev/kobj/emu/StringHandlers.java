package dev.kobj.emu;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The kernel's string and memory library (lib/string.c, include/linux/string.h), and
 * {@code sprintf}/{@code snprintf}/{@code scnprintf}/{@code kasprintf} through {@link Printf}.
 * {@code strscpy} returns the length copied or -E2BIG when truncated, as in Linux.
 */
final class StringHandlers {
    private StringHandlers() {
    }

    private static final int E2BIG = 7;

    static void install(Handlers h) {
        KernelFunction memcpy = c -> {
            long n = c.arg(2);
            if (n > 0) {
                c.guest().write(c.arg(0), c.guest().read(c.arg(1), Math.toIntExact(n)));
            }
            return c.arg(0);
        };
        for (String n : new String[] {"memcpy", "__memcpy", "memmove", "__memmove", "memcpy_fromio",
            "memcpy_toio"}) {
            h.put(n, memcpy);
        }
        KernelFunction memset = c -> {
            c.guest().fill(c.arg(0), (int) c.arg(1), c.arg(2));
            return c.arg(0);
        };
        h.put("memset", memset).put("__memset", memset);
        h.put("memcmp", c -> compare(c.guest().read(c.arg(0), (int) c.arg(2)), c.guest().read(c.arg(1),
                (int) c.arg(2))));
        h.put("bcmp", h.get("memcmp").orElseThrow());
        h.put("strlen", c -> c.guest().cstringBytes(c.arg(0), Guest.MAX_STRING).length);
        h.put("strnlen", c -> c.guest().cstringBytes(c.arg(0), (int) Math.min(c.arg(1), Guest.MAX_STRING)).length);
        h.put("strcmp", c -> compare(z(c, 0, Guest.MAX_STRING), z(c, 1, Guest.MAX_STRING)));
        h.put("strncmp", c -> compare(z(c, 0, lim(c.arg(2))), z(c, 1, lim(c.arg(2)))));
        h.put("strcasecmp", c -> c.stringArg(0).compareToIgnoreCase(c.stringArg(1)));
        h.put("strncasecmp", c -> new String(z(c, 0, lim(c.arg(2))), StandardCharsets.ISO_8859_1)
                .compareToIgnoreCase(new String(z(c, 1, lim(c.arg(2))), StandardCharsets.ISO_8859_1)));
        h.put("strcpy", c -> {
            c.guest().write(c.arg(0), z(c, 1, Guest.MAX_STRING));
            return c.arg(0);
        });
        h.put("strcat", c -> {
            long end = c.arg(0) + c.guest().cstringBytes(c.arg(0), Guest.MAX_STRING).length;
            c.guest().write(end, z(c, 1, Guest.MAX_STRING));
            return c.arg(0);
        });
        h.put("strncpy", c -> {
            int n = lim(c.arg(2));
            byte[] s = c.guest().cstringBytes(c.arg(1), n);
            c.guest().write(c.arg(0), Arrays.copyOf(s, n));
            return c.arg(0);
        });
        // ssize_t strscpy(char *dest, const char *src, size_t count)
        h.put("strscpy", c -> {
            int n = lim(c.arg(2));
            if (n == 0) {
                return -E2BIG;
            }
            byte[] s = c.guest().cstringBytes(c.arg(1), n);
            int len = Math.min(s.length, n - 1);
            byte[] d = Arrays.copyOf(s, len + 1);
            d[len] = 0;
            c.guest().write(c.arg(0), d);
            return s.length >= n ? -E2BIG : len;
        });
        h.put("strlcpy", c -> {
            byte[] s = c.guest().cstringBytes(c.arg(1), Guest.MAX_STRING);
            int n = lim(c.arg(2));
            if (n > 0) {
                int len = Math.min(s.length, n - 1);
                byte[] d = Arrays.copyOf(s, len + 1);
                d[len] = 0;
                c.guest().write(c.arg(0), d);
            }
            return s.length;
        });
        h.put("strchr", c -> index(c, false));
        h.put("strrchr", c -> index(c, true));
        h.put("strstr", c -> {
            String s = new String(z(c, 0, Guest.MAX_STRING), StandardCharsets.ISO_8859_1);
            int i = s.indexOf(new String(z(c, 1, Guest.MAX_STRING), StandardCharsets.ISO_8859_1));
            return i < 0 ? 0 : c.arg(0) + i;
        });
        // int sprintf(char *buf, const char *fmt, ...); snprintf(buf, size, fmt, ...)
        h.put("sprintf", c -> print(c, 0, Long.MAX_VALUE, 1, false));
        h.put("snprintf", c -> print(c, 0, c.arg(1), 2, false));
        h.put("scnprintf", c -> print(c, 0, c.arg(1), 2, true));
        // the va_list forms (lib/vsprintf.c): the arguments come from the caller's va_list ({@link VaList})
        h.put("vsprintf", c -> print(c, 0, Long.MAX_VALUE, c.stringArg(1), VaList.of(c, 2), false));
        h.put("vsnprintf", c -> print(c, 0, c.arg(1), c.stringArg(2), VaList.of(c, 3), false));
        h.put("vscnprintf", c -> print(c, 0, c.arg(1), c.stringArg(2), VaList.of(c, 3), true));
        h.put("kvasprintf", c -> dup(c, Printf.format(c.stringArg(1), VaList.of(c, 2), c.guest(), c.kernel())));
        h.put("kasprintf", c -> dup(c, format(c, 1)));
    }

    /** A kmalloc'ed copy of {@code s} with its NUL (kasprintf), 0 when the heap is full. */
    private static long dup(Call c, String s) throws EmuException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        long p = MemoryHandlers.alloc(c, b.length + 1);
        if (p != 0) {
            c.guest().write(p, Arrays.copyOf(b, b.length + 1));
        }
        return p;
    }

    private static int lim(long n) {
        return (int) Math.min(Math.max(n, 0), Guest.MAX_STRING);
    }

    private static byte[] z(Call c, int arg, int max) throws EmuException {
        return c.guest().cstringBytes(c.arg(arg), max);
    }

    private static long index(Call c, boolean last) throws EmuException {
        byte[] s = z(c, 0, Guest.MAX_STRING);
        byte ch = (byte) c.arg(1);
        if (ch == 0) {
            return c.arg(0) + s.length;
        }
        int found = -1;
        for (int i = 0; i < s.length; i++) {
            if (s[i] == ch) {
                found = i;
                if (!last) {
                    break;
                }
            }
        }
        return found < 0 ? 0 : c.arg(0) + found;
    }

    /** memcmp/strcmp: the difference of the first differing bytes as unsigned char, as lib/string.c. */
    private static long compare(byte[] a, byte[] b) {
        int n = Math.min(a.length, b.length);
        for (int i = 0; i < n; i++) {
            if (a[i] != b[i]) {
                return (a[i] & 0xff) - (b[i] & 0xff);
            }
        }
        return a.length == b.length ? 0 : a.length < b.length ? -(b[n] & 0xff) : a[n] & 0xff;
    }

    private static String format(Call c, int fmtArg) throws EmuException {
        int[] next = {fmtArg + 1};
        return Printf.format(c.stringArg(fmtArg), () -> c.arg(next[0]++), c.guest(), c.kernel());
    }

    private static long print(Call c, int bufArg, long size, int fmtArg, boolean written) throws EmuException {
        int[] next = {fmtArg + 1};
        return print(c, bufArg, size, c.stringArg(fmtArg), () -> c.arg(next[0]++), written);
    }

    /**
     * snprintf's rules (lib/vsprintf.c): at most {@code size - 1} bytes and a NUL into the buffer;
     * returns the length of the whole text, or with {@code written} (scnprintf) the bytes written.
     */
    private static long print(Call c, int bufArg, long size, String fmt, Printf.Args args, boolean written)
            throws EmuException {
        byte[] b = Printf.format(fmt, args, c.guest(), c.kernel()).getBytes(StandardCharsets.UTF_8);
        if (size > 0) {
            int n = (int) Math.min(b.length, Math.min(size - 1, Guest.MAX_STRING));
            byte[] w = Arrays.copyOf(b, n + 1);
            w[n] = 0; // truncated: size - 1 bytes and the NUL
            c.guest().write(c.arg(bufArg), w);
            return written ? n : b.length;
        }
        return written ? 0 : b.length;
    }
}
