package dev.kobj.elf;

import static dev.kobj.elf.ElfConstants.*;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The sections only a Linux module has ({@code Documentation/kbuild/modules.rst}):
 * {@code .modinfo} (NUL-separated key=value strings), {@code __versions} ({@code struct
 * modversion_info}: a CRC word and a 56- or 60-byte name) and {@code
 * .gnu.linkonce.this_module} ({@code struct module}, whose name follows the list head).
 */
final class ModuleSections {
    private ModuleSections() {
    }

    /**
     * {@return the strings of the {@code .modinfo} section, in order (an unmodifiable list);
     * empty when there is none}. The section is copied once and scanned as an array.
     */
    static List<ModInfoEntry> modinfo(ElfFile f) throws ElfFormatException {
        Optional<SectionHeader> s = f.section(".modinfo");
        if (s.isEmpty()) {
            return List.of();
        }
        MemorySegment contents = f.contents(s.get());
        byte[] data = Bytes.copyOf(contents, 0, (int) contents.byteSize());
        List<ModInfoEntry> out = new ArrayList<>();
        int n = data.length;
        int i = 0;
        while (i < n) {
            int start = i;
            int eq = -1;
            while (i < n && data[i] != 0) {
                if (eq < 0 && data[i] == '=') {
                    eq = i;
                }
                i++;
            }
            if (i > start) {
                out.add(eq < 0 ? new ModInfoEntry(latin1(data, start, i), "", start)
                        : new ModInfoEntry(latin1(data, start, eq), latin1(data, eq + 1, i), start));
            }
            i++;
        }
        return List.copyOf(out);
    }

    private static String latin1(byte[] b, int from, int to) {
        return to == from ? "" : new String(b, from, to - from, StandardCharsets.ISO_8859_1);
    }

    /** {@return the values of every {@code .modinfo} entry named {@code key}, in order} */
    static List<String> modinfo(ElfFile f, String key) throws ElfFormatException {
        List<String> out = new ArrayList<>();
        for (ModInfoEntry e : f.modinfo()) {
            if (e.key().equals(key)) {
                out.add(e.value());
            }
        }
        return out;
    }

    /** {@return the entries of the {@code __versions} section; empty when there is none} */
    static List<ModVersion> modversions(ElfFile f) throws ElfFormatException {
        List<ModVersion> out = new ArrayList<>();
        modversions(f, out);
        return out;
    }

    /**
     * Checks {@code .modinfo} and {@code __versions} as {@link #modinfo(ElfFile)} and
     * {@link #modversions(ElfFile)} do, without making a {@code String} per entry.
     */
    static void check(ElfFile f) throws ElfFormatException {
        Optional<SectionHeader> s = f.section(".modinfo");
        if (s.isPresent()) {
            f.contents(s.get()); // what can fail in modinfo: the section lies outside the file
        }
        modversions(f, null);
    }

    /** Reads the {@code __versions} entries into {@code out}, or only checks them when it is null. */
    private static void modversions(ElfFile f, List<ModVersion> out) throws ElfFormatException {
        Optional<SectionHeader> s = f.section("__versions");
        if (s.isEmpty() || s.get().type() == SHT_NOBITS) {
            return;
        }
        SectionHeader sh = s.get();
        MemorySegment data = f.contents(sh);
        if (data.byteSize() % 64 != 0) {
            throw f.view().error(f.sectionHeaderOffset(sh.index()), "sh_size of __versions", data.byteSize(),
                    "not a multiple of sizeof(struct modversion_info) (64)");
        }
        // CRCs and names read from an array: the file's own when it is held in one (no copy), else a copy
        Bytes d = new Bytes(f.name(), data, f.header().order());
        if (d.array() == null) {
            d = new Bytes(f.name(), MemorySegment.ofArray(Bytes.copyOf(data, 0, (int) data.byteSize())), f.header().order());
        }
        byte[] bytes = d.array();
        int base = d.arrayIndex(0);
        int size = (int) data.byteSize();
        int crcSize = f.header().is64() ? 8 : 4;
        for (int p = 0; p < size; p += 64) {
            int name = base + p + crcSize;
            int len = 0;
            while (len < 64 - crcSize && bytes[name + len] != 0) {
                len++;
            }
            if (len == 64 - crcSize) {
                throw f.view().error(sh.offset() + p, "modversion_info.name", len, "not NUL-terminated");
            }
            if (out != null) {
                long crc = f.header().is64() ? d.u64(p) : d.u32(p);
                out.add(new ModVersion(crc, new String(bytes, name, len, StandardCharsets.ISO_8859_1)));
            }
        }
    }

    /** {@return the {@code .gnu.linkonce.this_module} section and the name in it, if present} */
    static Optional<ThisModule> thisModule(ElfFile f) throws ElfFormatException {
        Optional<SectionHeader> s = f.section(".gnu.linkonce.this_module");
        if (s.isEmpty()) {
            return Optional.empty();
        }
        SectionHeader sh = s.get();
        MemorySegment data = f.contents(sh);
        long at = f.header().is64() ? 24 : 12;
        long max = 64 - (f.header().is64() ? 8 : 4); // MODULE_NAME_LEN
        String nm = "";
        if (data.byteSize() > at) {
            int n = (int) (Math.min(data.byteSize(), at + max) - at);
            byte[] b = Bytes.copyOf(data, at, n); // the name field in one copy
            int q = 0;
            while (q < n && b[q] != 0) {
                q++;
            }
            if (q < n) {
                nm = new String(b, 0, q, StandardCharsets.ISO_8859_1);
            }
        }
        return Optional.of(new ThisModule(sh, nm));
    }

}
