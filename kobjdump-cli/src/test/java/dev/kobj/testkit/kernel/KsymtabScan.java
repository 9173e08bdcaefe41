package dev.kobj.testkit.kernel;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The addresses of vmlinux's exported data symbols, for a kernel whose /proc/kallsyms lists text
 * only (Debian's 6.1 arm64 has no CONFIG_KALLSYMS_ALL), read from the kernel's own export table in
 * its boot Image: with CONFIG_HAVE_ARCH_PREL32_RELOCATIONS each {@code struct kernel_symbol} is
 * three 32-bit place-relative offsets (value, name, namespace; 12 bytes, include/linux/export.h).
 * Entries are found where an entry's value and name agree with a kallsyms text symbol; from each
 * such entry the table is followed in 12-byte steps while the names stay identifiers. The Image
 * is loaded at kallsyms' {@code _text} (nokaslr).
 */
public final class KsymtabScan {
    private KsymtabScan() {
    }

    /** {@return "ADDRESS D NAME" lines for the exports of {@code kernel} that {@code kallsyms} lacks} */
    public static String missingExports(KernelImage kernel, String kallsyms) throws IOException {
        Map<Long, String> text = new HashMap<>();
        Map<String, Long> known = new HashMap<>();
        for (String l : kallsyms.split("\n")) {
            String[] f = l.trim().split("\\s+");
            if (f.length == 3) {
                long a = Long.parseUnsignedLong(f[0], 16);
                text.putIfAbsent(a, f[2]);
                known.putIfAbsent(f[2], a);
            }
        }
        Long base = known.get("_text");
        if (base == null) {
            return "";
        }
        byte[] img = Files.readAllBytes(kernel.vmlinuz());
        ByteBuffer b = ByteBuffer.wrap(img).order(ByteOrder.LITTLE_ENDIAN);
        Map<String, Long> found = new TreeMap<>();
        for (int o = 0; o + 12 <= img.length; o += 4) {
            long v = base + o + b.getInt(o);
            String name = text.get(v);
            if (name == null || !name.equals(name(img, base, o + 4 + b.getInt(o + 4)))) {
                continue;
            }
            for (int dir : new int[] {12, -12}) {
                for (int e = o; e >= 0 && e + 12 <= img.length; e += dir) {
                    String n = name(img, base, e + 4 + b.getInt(e + 4));
                    if (n == null) {
                        break;
                    }
                    found.putIfAbsent(n, base + e + b.getInt(e));
                }
            }
        }
        StringBuilder s = new StringBuilder();
        found.forEach((n, a) -> {
            if (!known.containsKey(n)) {
                s.append(String.format("%016x D %s%n", a, n));
            }
        });
        return s.toString();
    }

    /** {@return the identifier at image offset {@code off}, or null when there is none} */
    private static String name(byte[] img, long base, long off) {
        if (off < 0 || off >= img.length) {
            return null;
        }
        int end = (int) off;
        while (end < img.length && end - off < 128 && img[end] != 0) {
            byte c = img[end];
            if (!(c == '_' || c == '.' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) {
                return null;
            }
            end++;
        }
        if (end == off || end >= img.length || img[end] != 0 || Character.isDigit(img[(int) off])) {
            return null;
        }
        return new String(img, (int) off, (int) (end - off), StandardCharsets.US_ASCII);
    }

    /** {@return whether the kernel's /proc/kallsyms lists data symbols (CONFIG_KALLSYMS_ALL)} */
    public static boolean kallsymsAll(KernelImage kernel) throws IOException {
        return Files.readAllLines(kernel.dir().resolve("config")).contains("CONFIG_KALLSYMS_ALL=y");
    }
}
