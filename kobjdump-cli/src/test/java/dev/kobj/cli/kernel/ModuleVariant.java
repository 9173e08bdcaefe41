package dev.kobj.cli.kernel;

import dev.kobj.elf.ElfFile;
import dev.kobj.elf.ElfSymbol;
import dev.kobj.elf.SectionHeader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;

/**
 * Variants of a real module that a kernel must refuse, made by changing a few bytes in place (the
 * file keeps its size and layout): offsets come from the ELF64 section headers and tables
 * (gABI: Elf64_Shdr.sh_size at +32, Elf64_Rela.r_info at +8 with the type in its low 32 bits,
 * Elf64_Sym.st_name at +0), __versions entries are Linux's struct modversion_info (an 8-byte
 * CRC then a 56-byte name), .modinfo is NUL-separated key=value strings.
 *
 * @param kind   what was changed
 * @param bytes  the variant's bytes
 * @param symbol the symbol the kernel should name in its refusal, or null
 */
public record ModuleVariant(String kind, byte[] bytes, String symbol) {

    /** The CRC of the __versions entry of the first imported symbol (not module_layout) inverted. */
    public static Optional<ModuleVariant> crc(byte[] ko) throws Exception {
        try (ElfFile f = ElfFile.of("ko", ko)) {
            var v = f.section("__versions");
            if (v.isEmpty()) {
                return Optional.empty();
            }
            Set<String> undef = undefined(f);
            byte[] out = ko.clone();
            ByteBuffer b = ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
            for (long o = 0; o + 64 <= v.get().size(); o += 64) {
                int at = (int) (v.get().offset() + o);
                String name = cstring(out, at + 8);
                if (!name.equals("module_layout") && undef.contains(name)) {
                    b.putLong(at, ~b.getLong(at) & 0xffffffffL);
                    return Optional.of(new ModuleVariant("crc", out, name));
                }
            }
            return Optional.empty();
        }
    }

    /**
     * The vermagic in .modinfo changed: with {@code release} its first digit (6 -> 5), which a
     * kernel with CONFIG_MODVERSIONS does not compare (it compares from the first space on);
     * else the first letter after the first space (SMP -> XMP), which every kernel refuses.
     */
    public static Optional<ModuleVariant> vermagic(byte[] ko, boolean release) throws Exception {
        return modinfo(ko, "vermagic=", release ? "vermagic-release" : "vermagic", (out, at) -> {
            int i = at;
            if (!release) {
                while (out[i] != ' ' && out[i] != 0) {
                    i++;
                }
                i++;
                out[i] = (byte) (out[i] == 'X' ? 'Y' : 'X');
            } else {
                out[i] = (byte) (out[i] == '5' ? '6' : '5');
            }
        }, null);
    }

    /** license=GPL rewritten as license=MIT (not GPL-compatible), so GPL-only exports are refused. */
    public static Optional<ModuleVariant> licence(byte[] ko, String gplOnlySymbol) throws Exception {
        byte[] key = "license=GPL\0".getBytes(StandardCharsets.US_ASCII);
        int at = indexOf(ko, key, sectionStart(ko, ".modinfo"));
        if (at < 0) {
            return Optional.empty();
        }
        byte[] out = ko.clone();
        System.arraycopy("license=MIT".getBytes(StandardCharsets.US_ASCII), 0, out, at, 11);
        return Optional.of(new ModuleVariant("licence", out, gplOnlySymbol));
    }

    /** Every import_ns= key of .modinfo renamed (import_nX=), so the module imports no namespace. */
    public static Optional<ModuleVariant> namespace(byte[] ko, String nsSymbol) throws Exception {
        byte[] key = "import_ns=".getBytes(StandardCharsets.US_ASCII);
        int from = sectionStart(ko, ".modinfo");
        int at = indexOf(ko, key, from);
        if (at < 0) {
            return Optional.empty();
        }
        byte[] out = ko.clone();
        while (at >= 0) {
            out[at + 8] = 'X';
            at = indexOf(out, key, at + 1);
        }
        return Optional.of(new ModuleVariant("namespace", out, nsSymbol));
    }

    /** The name of an imported symbol (found once in .strtab) changed so that nothing exports it. */
    public static Optional<ModuleVariant> unknownSymbol(byte[] ko) throws Exception {
        try (ElfFile f = ElfFile.of("ko", ko)) {
            var st = f.symbolTable().orElseThrow();
            SectionHeader strtab = f.section(st.section().link());
            for (ElfSymbol s : st.all()) {
                if (s.rawShndx() == 0 && s.name().length() > 3) {
                    byte[] name = (s.name() + "\0").getBytes(StandardCharsets.US_ASCII);
                    int first = indexOf(ko, name, (int) strtab.offset());
                    if (first < 0 || indexOf(ko, name, first + 1) >= 0) {
                        continue;
                    }
                    int at = (int) (strtab.offset() + st.nameOffset(s.index()));
                    byte[] out = ko.clone();
                    out[at] = 'Q';
                    out[at + 1] = 'z';
                    return Optional.of(new ModuleVariant("unknown-symbol", out, "Qz" + s.name().substring(2)));
                }
            }
            return Optional.empty();
        }
    }

    /** sh_size of .gnu.linkonce.this_module 64 bytes smaller than struct module. */
    public static Optional<ModuleVariant> thisModuleSize(byte[] ko) throws Exception {
        try (ElfFile f = ElfFile.of("ko", ko)) {
            var s = f.section(".gnu.linkonce.this_module");
            if (s.isEmpty()) {
                return Optional.empty();
            }
            byte[] out = ko.clone();
            ByteBuffer b = ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
            int at = (int) (f.header().shoff() + (long) s.get().index() * f.header().shentsize() + 32);
            b.putLong(at, s.get().size() - 64);
            return Optional.of(new ModuleVariant("this-module-size", out, null));
        }
    }

    /**
     * The first relocation of the first SHT_RELA section for an executable section given type
     * {@code type}, one the target's loader does not accept (x86_64: R_X86_64_GOTPCREL = 9;
     * AArch64: R_AARCH64_ADR_GOT_PAGE = 311).
     */
    public static Optional<ModuleVariant> relocationType(byte[] ko, int type) throws Exception {
        try (ElfFile f = ElfFile.of("ko", ko)) {
            for (SectionHeader s : f.sections()) {
                if (s.type() != 4 || s.size() < 24) {
                    continue;
                }
                SectionHeader target = f.section(s.info());
                if ((target.flags() & 4) == 0 || target.name().startsWith(".init")) {
                    continue;
                }
                byte[] out = ko.clone();
                ByteBuffer b = ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
                b.putInt((int) s.offset() + 8, type);
                return Optional.of(new ModuleVariant("relocation-type", out, null));
            }
            return Optional.empty();
        }
    }

    /**
     * {@return {@code ko} without its appended signature, if it has one: the file ends in the
     * marker "~Module signature appended~\n" (28 bytes) after a 12-byte struct module_signature
     * whose last 4 bytes are the big-endian length of the PKCS#7 blob before it
     * (Documentation/admin-guide/module-signing.rst)} Debian's 6.1 and 6.12 "unsigned" packages
     * still sign every module with the build's throw-away key, so a changed copy would be
     * refused for its signature (EKEYREJECTED) before any other check.
     */
    public static byte[] stripSignature(byte[] ko) {
        byte[] marker = "~Module signature appended~\n".getBytes(StandardCharsets.US_ASCII);
        int m = ko.length - marker.length;
        if (m < 12 || indexOf(ko, marker, m) != m) {
            return ko;
        }
        int sigLen = ByteBuffer.wrap(ko, m - 4, 4).order(ByteOrder.BIG_ENDIAN).getInt();
        int end = m - 12 - sigLen;
        return end > 0 ? java.util.Arrays.copyOf(ko, end) : ko;
    }

    interface Edit {
        void apply(byte[] out, int valueAt);
    }

    private static Optional<ModuleVariant> modinfo(byte[] ko, String key, String kind, Edit edit, String symbol)
            throws Exception {
        int at = indexOf(ko, key.getBytes(StandardCharsets.US_ASCII), sectionStart(ko, ".modinfo"));
        if (at < 0) {
            return Optional.empty();
        }
        byte[] out = ko.clone();
        edit.apply(out, at + key.length());
        return Optional.of(new ModuleVariant(kind, out, symbol));
    }

    static Set<String> undefined(ElfFile f) throws Exception {
        java.util.HashSet<String> u = new java.util.HashSet<>();
        for (ElfSymbol s : f.symbolTable().orElseThrow().all()) {
            if (s.rawShndx() == 0 && !s.name().isEmpty()) {
                u.add(s.name());
            }
        }
        return u;
    }

    private static int sectionStart(byte[] ko, String name) throws Exception {
        try (ElfFile f = ElfFile.of("ko", ko)) {
            return f.section(name).map(s -> (int) s.offset()).orElse(0);
        }
    }

    private static String cstring(byte[] b, int at) {
        int end = at;
        while (end < b.length && b[end] != 0) {
            end++;
        }
        return new String(b, at, end - at, StandardCharsets.US_ASCII);
    }

    static int indexOf(byte[] hay, byte[] needle, int from) {
        outer:
        for (int i = Math.max(0, from); i <= hay.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
