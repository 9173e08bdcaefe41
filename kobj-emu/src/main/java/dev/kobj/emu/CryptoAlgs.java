package dev.kobj.emu;

/**
 * The crypto API's registration functions (include/crypto/*.h, Linux 6.1). Every algorithm type
 * ({@code shash_alg}, {@code skcipher_alg}, {@code aead_alg}...) embeds a {@code struct crypto_alg}
 * whose offset inside it depends on the type and the architecture ({@code CRYPTO_MINALIGN} is 8
 * on x86-64, 128 on arm64), so the {@code crypto_alg} is found by its layout instead: two zeroed
 * {@code list_head}s (a static algorithm is never on a list before registration), then
 * {@code cra_name} at +56 and {@code cra_driver_name} at +184, each a {@code char[128]} holding a
 * printable string and zeros after it. Each algorithm found is recorded twice:
 * {@code ("crypto", cra_name)} and {@code ("crypto-driver", cra_driver_name)}.
 */
final class CryptoAlgs {
    private CryptoAlgs() {
    }

    static final int NAME = 56, DRIVER = 184, MAX = 128;
    /** How far past an algorithm the next one of an array is looked for. */
    static final int SPAN = 8192;

    static void install(Handlers h) {
        for (String type : new String[] {"alg", "shash", "ahash", "skcipher", "aead", "akcipher", "kpp", "rng",
            "acomp", "scomp"}) {
            h.put("crypto_register_" + type, c -> register(c, c.arg(0), 1));
        }
        for (String types : new String[] {"algs", "shashes", "ahashes", "skciphers", "aeads", "rngs", "acomps",
            "scomps"}) {
            h.put("crypto_register_" + types, c -> register(c, c.arg(0), c.intArg(1)));
        }
        // crypto_simd: simd_register_skciphers_compat(algs, count, simd_algs) registers the internal
        // algorithms and a SIMD wrapper of each
        h.put("simd_register_skciphers_compat", c -> register(c, c.arg(0), c.intArg(1)));
        h.put("simd_register_aeads_compat", c -> register(c, c.arg(0), c.intArg(1)));
        // struct crypto_template { list_head list; hlist_head instances; module *; create; char name[128]; }
        h.put("crypto_register_template", c -> template(c, c.arg(0), 1));
        h.put("crypto_register_templates", c -> template(c, c.arg(0), c.intArg(1)));
    }

    private static long template(Call c, long at, int count) throws EmuException {
        for (int i = 0; i < Math.min(count, 64); i++) {
            c.kernel().register("crypto-template", c.guest().cstring(at + 168L * i + 40), at + 168L * i);
        }
        return 0;
    }

    private static long register(Call c, long at, int count) throws EmuException {
        long from = at;
        for (int i = 0; i < Math.min(count, 256); i++) {
            java.util.OptionalLong found = find(c.guest(), from, from + SPAN);
            if (found.isEmpty()) {
                c.stop(String.format("%s: no struct crypto_alg found in [0x%x, +0x%x)", c.name(), from, SPAN));
                return -22;
            }
            long base = found.getAsLong();
            c.kernel().register("crypto", name(c.guest(), base + NAME), base);
            c.kernel().register("crypto-driver", name(c.guest(), base + DRIVER), base);
            from = base + DRIVER + MAX;
        }
        return 0;
    }

    /** {@return the first 8-aligned address in [from, to) where a crypto_alg's layout is} */
    static java.util.OptionalLong find(Guest g, long from, long to) throws EmuException {
        byte[] b;
        try {
            b = g.read(from, (int) (to - from + DRIVER + MAX));
        } catch (EmuException e) {
            b = readable(g, from, to);
        }
        for (int off = 0; off + DRIVER + MAX <= b.length; off += 8) {
            if (zero(b, off, 32) && string(b, off + NAME, true) && string(b, off + DRIVER, false)) {
                return java.util.OptionalLong.of(from + off);
            }
        }
        return java.util.OptionalLong.empty();
    }

    private static byte[] readable(Guest g, long from, long to) {
        // the span may run past the image's last page: read page by page while mapped
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        long at = from;
        while (at < to + DRIVER + MAX) {
            long end = Math.min((at | (GuestMap.PAGE - 1)) + 1, to + DRIVER + MAX);
            try {
                out.writeBytes(g.read(at, (int) (end - at)));
            } catch (EmuException e) {
                break;
            }
            at = end;
        }
        return out.toByteArray();
    }

    private static boolean zero(byte[] b, int off, int n) {
        for (int i = off; i < off + n; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }

    /** A printable string (non-empty when {@code required}) then zeros to the end of char[128]. */
    private static boolean string(byte[] b, int off, boolean required) {
        int n = 0;
        while (n < MAX && b[off + n] != 0) {
            if (b[off + n] < 0x21 || b[off + n] > 0x7e) {
                return false;
            }
            n++;
        }
        return (n > 0 || !required) && n < MAX && zero(b, off + n, MAX - n);
    }

    private static String name(Guest g, long at) throws EmuException {
        return g.cstring(at);
    }
}
