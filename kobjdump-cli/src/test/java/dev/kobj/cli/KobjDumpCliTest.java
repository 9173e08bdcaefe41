package dev.kobj.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kobj.testkit.Testdata;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs every kobjdump command in process on the committed fixtures of {@code testdata/}
 * (found through the {@code kobj.testdata} system property). Expected values come from the
 * fixtures' sources ({@code testdata/src}, {@code testdata/build.sh}) and from the readelf
 * outputs committed beside them ({@code testdata/golden}), never from kobjdump itself.
 */
class KobjDumpCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    // ------------------------------------------------------------------ helpers

    record Run(int rc, String out, String err) {
        JsonNode json() {
            try {
                return JSON.readTree(out);
            } catch (IOException e) {
                throw new AssertionError("invalid JSON: " + e.getMessage() + "\n" + out, e);
            }
        }

        /** The command's value for the only file. */
        JsonNode only(String command) {
            JsonNode root = json();
            assertThat(root.isArray()).isTrue();
            assertThat(root.size()).isEqualTo(1);
            return root.get(0).get(command);
        }
    }

    static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = KobjDump.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(rc, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static Run ok(String... args) {
        Run r = run(args);
        assertThat(r.err()).as("stderr of kobjdump %s", String.join(" ", args)).isEmpty();
        assertThat(r.rc()).as("exit status of kobjdump %s", String.join(" ", args)).isZero();
        return r;
    }

    static Path testdata() {
        return Testdata.root();
    }

    static Path fixture(String rel) {
        return testdata().resolve(rel);
    }

    static String f(String rel) {
        return fixture(rel).toString();
    }

    static String read(Path p) throws IOException {
        if (p.toString().endsWith(".xz")) {
            try (InputStream in = new org.tukaani.xz.XZInputStream(Files.newInputStream(p))) {
                return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            }
        }
        return Files.readString(p, StandardCharsets.ISO_8859_1);
    }

    /** {@code readelf -SsrW} of a fixture, as committed. */
    static String golden(String rel) throws IOException {
        Path plain = testdata().resolve("golden").resolve(rel + ".readelf");
        return read(Files.exists(plain) ? plain : testdata().resolve("golden").resolve(rel + ".readelf.xz"));
    }

    /** The line of a readelf -SW listing for section {@code name}, split on blanks. */
    static String[] goldenSection(String golden, String name) {
        for (String line : golden.split("\n")) {
            String t = line.strip();
            if (t.startsWith("[") && t.contains("] " + name + " ")) {
                String[] cols = t.substring(t.indexOf(']') + 1).trim().split("\\s+");
                if (cols[0].equals(name)) {
                    return cols;
                }
            }
        }
        throw new AssertionError("no section " + name + " in the golden listing");
    }

    static long sum(String text, Pattern p) {
        long n = 0;
        Matcher m = p.matcher(text);
        while (m.find()) {
            n += Long.parseLong(m.group(1));
        }
        return n;
    }

    static final Pattern SECTION_COUNT = Pattern.compile("(?m)^There (?:are|is) (\\d+) section header");
    static final Pattern SYMBOL_COUNT = Pattern.compile("(?m)^Symbol table '[^']*' contains (\\d+) entr");
    static final Pattern RELOC_COUNT = Pattern.compile("(?m)^Relocation section '[^']*' at offset 0x[0-9a-f]+ contains (\\d+) entr");

    /** Fixture paths (relative to testdata) of every committed readelf -SsrW output. */
    static List<String> goldenFixtures() throws IOException {
        Path g = testdata().resolve("golden");
        List<String> out = new ArrayList<>();
        try (Stream<Path> s = Files.walk(g)) {
            s.filter(Files::isRegularFile).map(p -> g.relativize(p).toString().replace('\\', '/'))
                    .filter(r -> r.endsWith(".readelf") || r.endsWith(".readelf.xz"))
                    .map(r -> r.substring(0, r.lastIndexOf(".readelf")))
                    .sorted().forEach(out::add);
        }
        assertThat(out).isNotEmpty();
        return out;
    }

    /** The fixture a golden output belongs to (many-sections.o is committed only xz-compressed). */
    static Path fixtureOfGolden(String rel) {
        Path p = fixture(rel);
        return Files.exists(p) ? p : fixture(rel + ".xz");
    }

    // ------------------------------------------------------------------ text output is readelf's

    @TestFactory
    Stream<DynamicTest> textOutputIsWhatReadelfPrintedForEveryGoldenFixture() throws IOException {
        return goldenFixtures().stream().map(rel -> DynamicTest.dynamicTest(rel, () -> {
            String file = fixtureOfGolden(rel).toString();
            // readelf -SsrW prints the section headers, then the relocations, then the symbols.
            String mine = ok("sections", file).out() + ok("relocs", file).out() + ok("symbols", file).out();
            assertThat(mine).isEqualTo(golden(rel));
            Path groups = testdata().resolve("golden").resolve(rel + ".groups");
            if (Files.exists(groups)) {
                assertThat(ok("groups", file).out()).isEqualTo(read(groups));
            }
        }));
    }

    @Test
    void compressedModulesShowWhatTheUncompressedOneShows() {
        String plain = f("special/module.ko");
        for (String z : List.of("xz", "zst", "gz")) {
            String file = plain + "." + z;
            for (String cmd : List.of("sections", "symbols", "relocs", "groups", "modinfo")) {
                assertThat(ok(cmd, file).out()).as(cmd + " " + z).isEqualTo(ok(cmd, plain).out());
            }
            String expected = Map.of("xz", "xz", "zst", "zstd", "gz", "gzip").get(z);
            assertThat(ok("headers", file).out()).contains("  Compression:                       " + expected + "\n");
            assertThat(ok("headers", "--json", file).only("headers").get("compression").asText()).isEqualTo(expected);
        }
    }

    @Test
    void severalFilesGetReadelfsFileLines() throws IOException {
        String a = f("obj/x86_64-gcc-kernel/x86_64.o");
        String b = f("obj/aarch64-small/aarch64.o");
        Run r = ok("groups", a, b);
        assertThat(r.out()).isEqualTo("\nFile: " + a + "\n" + read(testdata().resolve("golden/obj/x86_64-gcc-kernel/x86_64.o.groups"))
                + "\nFile: " + b + "\n" + read(testdata().resolve("golden/obj/aarch64-small/aarch64.o.groups")));
        JsonNode j = ok("sections", "--json", a, b).json();
        assertThat(j.size()).isEqualTo(2);
        assertThat(j.get(0).get("file").asText()).isEqualTo(a);
        assertThat(j.get(1).get("file").asText()).isEqualTo(b);
        assertThat(j.get(1).get("sections").isArray()).isTrue();
    }

    // ------------------------------------------------------------------ headers

    @Test
    void headersOfAModule() throws IOException {
        String g = golden("obj/x86_64-gcc-kernel/module.o");
        Run r = ok("headers", f("obj/x86_64-gcc-kernel/module.o"));
        assertThat(r.out()).startsWith("ELF Header:\n  Magic:   7f 45 4c 46 02 01 01 00 00 00 00 00 00 00 00 00 \n")
                .contains("  Class:                             ELF64\n")
                .contains("  Data:                              2's complement, little endian\n")
                .contains("  Type:                              REL (Relocatable file)\n")
                .contains("  Machine:                           Advanced Micro Devices X86-64\n")
                .contains("  Start of section headers:          7328 (bytes into file)\n") // "starting at offset 0x1ca0"
                .contains("  Number of section headers:         28\n")
                .contains("  Section header string table index: 27\n")
                .contains("  Compression:                       none\n")
                .contains("  Module signature:                  none\n");
        assertThat(g).startsWith("There are 28 section headers, starting at offset 0x1ca0:");
        assertThat(goldenSection(g, ".shstrtab")).isNotNull();

        JsonNode h = ok("headers", "--json", f("obj/x86_64-gcc-kernel/module.o")).only("headers");
        assertThat(h.get("class").asText()).isEqualTo("ELF64");
        assertThat(h.get("machineValue").asInt()).isEqualTo(62);
        assertThat(h.get("typeValue").asInt()).isEqualTo(1);
        assertThat(h.get("shoff").asLong()).isEqualTo(0x1ca0);
        assertThat(h.get("shnum").asLong()).isEqualTo(28);
        assertThat(h.get("signed").asBoolean()).isFalse();
        assertThat(h.get("signature").isNull()).isTrue();
    }

    @Test
    void headersOfBigEndianElf32AndRiscv() {
        // build.sh: be32.o is module.c for big-endian AArch64 ILP32 (ELF32 MSB).
        Run r = ok("headers", f("special/be32.o"));
        assertThat(r.out()).contains("  Class:                             ELF32\n")
                .contains("  Data:                              2's complement, big endian\n")
                .contains("  Machine:                           AArch64\n");
        // build.sh: riscv32 is -march=rv32imac -mabi=ilp32: compressed instructions, soft float.
        assertThat(ok("headers", f("obj/riscv32/module.o")).out())
                .contains("  Flags:                             0x1, RVC, soft-float ABI\n");
    }

    @Test
    void headersShowExtendedSectionNumbering() throws IOException {
        String g = golden("special/many-sections.o");
        assertThat(g).startsWith("There are 66010 section headers");
        String[] shstrtab = goldenSection(g, ".shstrtab");
        assertThat(shstrtab).isNotNull();
        Run r = ok("headers", f("special/many-sections.o.xz"));
        assertThat(r.out()).contains("  Number of section headers:         0 (66010)\n")
                .contains("  Section header string table index: 65535 (66009)\n")
                .contains("  Compression:                       xz\n");
        JsonNode h = ok("headers", "--json", f("special/many-sections.o.xz")).only("headers");
        assertThat(h.get("rawShnum").asInt()).isZero();
        assertThat(h.get("shnum").asLong()).isEqualTo(66010);
        assertThat(h.get("rawShstrndx").asInt()).isEqualTo(0xffff);
        assertThat(h.get("shstrndx").asLong()).isEqualTo(66009);
        assertThat(g).contains("  [66009] .shstrtab ");
    }

    @Test
    void headersShowTheModuleSignature() throws IOException {
        long siglen = Long.parseLong(Files.readString(fixture("special/module-signed.siglen")).strip());
        Run r = ok("headers", f("special/module-signed.ko"));
        assertThat(r.out()).contains("  Module signature:                  PKCS#7 (id type 2), " + siglen + " bytes\n");
        JsonNode s = ok("headers", "--json", f("special/module-signed.ko")).only("headers").get("signature");
        assertThat(s.get("idType").asText()).isEqualTo("PKCS#7");
        assertThat(s.get("idTypeValue").asInt()).isEqualTo(2);
        assertThat(s.get("length").asLong()).isEqualTo(siglen);
        assertThat(s.get("signedLength").asLong()).isEqualTo(Files.size(fixture("special/module.ko")));
    }

    // ------------------------------------------------------------------ sections

    @Test
    void sectionsAsJson() throws IOException {
        String g = golden("obj/x86_64-gcc-kernel/module.o");
        JsonNode secs = ok("sections", "--json", f("obj/x86_64-gcc-kernel/module.o")).only("sections");
        assertThat(secs.size()).isEqualTo(28);
        Map<String, JsonNode> byName = new HashMap<>();
        for (JsonNode s : secs) {
            byName.putIfAbsent(s.get("name").asText(), s);
        }
        JsonNode text = byName.get(".text");
        assertThat(text.get("type").asText()).isEqualTo("PROGBITS");
        assertThat(text.get("typeValue").asInt()).isEqualTo(1);
        assertThat(text.get("flags").asText()).isEqualTo("AX");
        assertThat(text.get("flagsValue").asLong()).isEqualTo(0x6);
        String[] t = goldenSection(g, ".text"); // name type addr off size es flg lk inf al
        assertThat(text.get("offset").asLong()).isEqualTo(Long.parseLong(t[3], 16));
        assertThat(text.get("size").asLong()).isEqualTo(Long.parseLong(t[4], 16));
        assertThat(text.get("align").asLong()).isEqualTo(Long.parseLong(t[t.length - 1]));
        String[] bss = goldenSection(g, ".bss");
        assertThat(byName.get(".bss").get("type").asText()).isEqualTo("NOBITS");
        assertThat(byName.get(".bss").get("size").asLong()).isEqualTo(Long.parseLong(bss[4], 16));
        String[] rela = goldenSection(g, ".rela.text");
        JsonNode rt = byName.get(".rela.text");
        assertThat(rt.get("flags").asText()).isEqualTo(rela[6]);
        assertThat(rt.get("link").asLong()).isEqualTo(Long.parseLong(rela[7]));
        assertThat(rt.get("info").asLong()).isEqualTo(Long.parseLong(rela[8]));
        assertThat(rt.get("entsize").asLong()).isEqualTo(Long.parseLong(rela[5], 16));
        assertThat(text.has("compression")).isFalse();
    }

    @Test
    void compressedSectionsCarryTheirCompressionHeader() throws IOException {
        // build.sh: debug-zlib.o and debug-zstd.o are debug-plain.o after objcopy --compress-debug-sections.
        String[] plain = goldenSection(golden("special/debug-plain.o"), ".debug_info");
        long plainSize = Long.parseLong(plain[4], 16);
        for (String kind : List.of("zlib", "zstd")) {
            JsonNode secs = ok("sections", "--json", f("special/debug-" + kind + ".o")).only("sections");
            JsonNode info = null;
            for (JsonNode s : secs) {
                if (s.get("name").asText().equals(".debug_info")) {
                    info = s;
                }
            }
            assertThat(info).isNotNull();
            assertThat(info.get("flags").asText()).contains("C");
            assertThat(info.get("flagsValue").asLong() & 0x800).isEqualTo(0x800);
            JsonNode c = info.get("compression");
            assertThat(c.get("type").asText()).isEqualTo(kind);
            assertThat(c.get("size").asLong()).isEqualTo(plainSize);
            assertThat(c.get("align").asLong()).isEqualTo(Long.parseLong(plain[plain.length - 1]));
        }
    }

    // ------------------------------------------------------------------ symbols

    @Test
    void symbolsAsJson() throws IOException {
        String g = golden("obj/x86_64-gcc-kernel/module.o");
        JsonNode syms = ok("symbols", "--json", f("obj/x86_64-gcc-kernel/module.o")).only("symbols");
        assertThat(syms.size()).isEqualTo(67); // "Symbol table '.symtab' contains 67 entries"
        assertThat(g).contains("Symbol table '.symtab' contains 67 entries:");
        JsonNode s0 = syms.get(0);
        assertThat(s0.get("name").asText()).isEmpty();
        assertThat(s0.get("shndx").asText()).isEqualTo("UND");
        Map<String, JsonNode> byName = new HashMap<>();
        for (JsonNode s : syms) {
            byName.putIfAbsent(s.get("name").asText(), s);
        }
        // golden: "16: 0000000000000020 0x30d40 OBJECT  LOCAL  DEFAULT    6 demo_big"
        assertThat(g).contains("    16: 0000000000000020 0x30d40 OBJECT  LOCAL  DEFAULT    6 demo_big\n");
        JsonNode big = byName.get("demo_big");
        assertThat(big.get("index").asInt()).isEqualTo(16);
        assertThat(big.get("value").asLong()).isEqualTo(0x20);
        assertThat(big.get("size").asLong()).isEqualTo(0x30d40);
        assertThat(big.get("type").asText()).isEqualTo("OBJECT");
        assertThat(big.get("bind").asText()).isEqualTo("LOCAL");
        assertThat(big.get("visibility").asText()).isEqualTo("DEFAULT");
        assertThat(big.get("shndx").asText()).isEqualTo("6");
        assertThat(big.has("other")).isFalse();
        // readelf 2.40 names unnamed section symbols after their section.
        assertThat(g).contains("     2: 0000000000000000     0 SECTION LOCAL  DEFAULT    2 .text\n");
        assertThat(syms.get(2).get("name").asText()).isEqualTo(".text");
        assertThat(syms.get(2).get("type").asText()).isEqualTo("SECTION");
        // module.c: printk is imported.
        assertThat(byName.get("printk").get("shndx").asText()).isEqualTo("UND");
        assertThat(byName.get("printk").get("bind").asText()).isEqualTo("GLOBAL");
    }

    @Test
    void symbolsResolveExtendedSectionIndexes() throws IOException {
        String g = golden("special/many-sections.o");
        assertThat(g).contains(" 66014: 0000000000000001     0 NOTYPE  GLOBAL DEFAULT 66004 kobj_many_last\n");
        JsonNode syms = ok("symbols", "--json", f("special/many-sections.o.xz")).only("symbols");
        assertThat(syms.size()).isEqualTo(66015);
        JsonNode last = syms.get(66014);
        assertThat(last.get("name").asText()).isEqualTo("kobj_many_last");
        assertThat(last.get("shndx").asText()).isEqualTo("66004");
        assertThat(last.get("value").asLong()).isEqualTo(1);
        assertThat(last.get("bind").asText()).isEqualTo("GLOBAL");
    }

    // ------------------------------------------------------------------ relocations

    @Test
    void relocationsAsJson() throws IOException {
        String g = golden("obj/x86_64-gcc-kernel/module.o");
        JsonNode rels = ok("relocs", "--json", f("obj/x86_64-gcc-kernel/module.o")).only("relocs");
        assertThat((long) rels.size()).isEqualTo(sum(g, RELOC_COUNT));
        // golden: the first entry of .rela.text.
        assertThat(g).contains("Relocation section '.rela.text' at offset 0x1300 contains 31 entries:\n"
                + "    Offset             Info             Type               Symbol's Value  Symbol's Name + Addend\n"
                + "0000000000000002  0000000300000002 R_X86_64_PC32          0000000000000000 .bss + 30f5f\n");
        JsonNode r0 = rels.get(0);
        assertThat(r0.get("section").asText()).isEqualTo(".text");
        assertThat(r0.get("table").asText()).isEqualTo(".rela.text");
        assertThat(r0.get("offset").asLong()).isEqualTo(2);
        assertThat(r0.get("info").asLong()).isEqualTo(0x0000000300000002L);
        assertThat(r0.get("type").asText()).isEqualTo("R_X86_64_PC32");
        assertThat(r0.get("typeValue").asInt()).isEqualTo(2);
        assertThat(r0.get("symbolIndex").asInt()).isEqualTo(3);
        assertThat(r0.get("symbol").asText()).isEqualTo(".bss");
        assertThat(r0.get("symbolValue").asLong()).isZero();
        assertThat(r0.get("addend").asLong()).isEqualTo(0x30f5f);
        // golden: "0000000000000046  0000002600000004 R_X86_64_PLT32 ... printk - 4"
        JsonNode printk = null;
        for (JsonNode r : rels) {
            if (r.get("offset").asLong() == 0x46 && r.get("table").asText().equals(".rela.text")) {
                printk = r;
            }
        }
        assertThat(printk).isNotNull();
        assertThat(printk.get("symbol").asText()).isEqualTo("printk");
        assertThat(printk.get("type").asText()).isEqualTo("R_X86_64_PLT32");
        assertThat(printk.get("addend").asLong()).isEqualTo(-4);
        // Every entry of a RELA table has a numeric addend.
        for (JsonNode r : rels) {
            assertThat(r.get("addend").isIntegralNumber()).isTrue();
        }
    }

    @Test
    void relocationsOfAGroupMemberNameTheirSection() throws IOException {
        JsonNode rels = ok("relocs", "--json", f("obj/x86_64-gcc-kernel/module.o")).only("relocs");
        // golden: ".rela.data.rel.kobj_comdat_helper ... contains 1 entry" relocates section 8.
        assertThat(golden("obj/x86_64-gcc-kernel/module.o"))
                .contains("Relocation section '.rela.data.rel.kobj_comdat_helper' at offset 0x1720 contains 1 entry:");
        List<JsonNode> group = new ArrayList<>();
        rels.forEach(r -> {
            if (r.get("table").asText().equals(".rela.data.rel.kobj_comdat_helper")) {
                group.add(r);
            }
        });
        assertThat(group).hasSize(1);
        assertThat(group.get(0).get("section").asText()).isEqualTo(".data.rel.kobj_comdat_helper");
    }

    // ------------------------------------------------------------------ modinfo

    @Test
    void modinfoOfTheDemoModule() {
        Run r = ok("modinfo", f("obj/x86_64-gcc-kernel/module.o"));
        // module.c: KOBJ_MODINFO("license", "GPL"), ("author", "kobj"), KOBJ_THIS_MODULE("kobj_demo", ...)
        assertThat(r.out()).contains("license:        GPL\n")
                .contains("author:         kobj\n")
                .contains("description:    kobj demo module fixture\n")
                .contains("import_ns:      KOBJ_NS\n")
                .contains("0x4f6b5c3a module_layout\n")
                .contains("0x92997ed8 printk\n")
                .contains(".gnu.linkonce.this_module: kobj_demo")
                .contains("Module signature: none\n");

        JsonNode m = ok("modinfo", "--json", f("obj/x86_64-gcc-kernel/module.o")).only("modinfo");
        Map<String, List<String>> info = new HashMap<>();
        m.get("modinfo").forEach(e -> info.computeIfAbsent(e.get("key").asText(), k -> new ArrayList<>())
                .add(e.get("value").asText()));
        assertThat(info.get("license")).containsExactly("GPL");
        assertThat(info.get("alias")).containsExactlyInAnyOrder("kobj-demo", "devname:kobj_demo");
        assertThat(info.get("parmtype")).containsExactly("debug:int");
        assertThat(info.get("depends")).containsExactly("");
        assertThat(info.get("name")).containsExactly("kobj_demo");
        assertThat(m.get("modinfo").size()).isEqualTo(11);
        // module.c: KOBJ_VERSIONS, in source order.
        List<String> versions = new ArrayList<>();
        m.get("versions").forEach(v -> versions.add(String.format("%08x %s", v.get("crc").asLong(), v.get("name").asText())));
        assertThat(versions).containsExactly("4f6b5c3a module_layout", "92997ed8 printk", "eb233a45 kmalloc",
                "37a0cba1 kfree", "69acdf38 memcpy", "dcb764ad memset", "1a2b3c4d kobj_ext_array",
                "5e6f7081 kobj_ext_value");
        assertThat(m.get("thisModule").get("name").asText()).isEqualTo("kobj_demo");
        assertThat(m.get("thisModule").get("size").asLong()).isEqualTo(0x60); // golden: size 000060
        assertThat(m.get("signature").isNull()).isTrue();
    }

    @Test
    void modinfoOfASignedModuleAndOfAPlainObject() throws IOException {
        long siglen = Long.parseLong(Files.readString(fixture("special/module-signed.siglen")).strip());
        Run r = ok("modinfo", f("special/module-signed.ko"));
        assertThat(r.out()).contains("license:        GPL\n")
                .contains("Module signature: PKCS#7 (id type 2), " + siglen + " bytes\n");
        JsonNode s = ok("modinfo", "--json", f("special/module-signed.ko")).only("modinfo").get("signature");
        assertThat(s.get("length").asLong()).isEqualTo(siglen);
        assertThat(s.get("idType").asText()).isEqualTo("PKCS#7");

        JsonNode plain = ok("modinfo", "--json", f("obj/x86_64-gcc-kernel/x86_64.o")).only("modinfo");
        assertThat(plain.get("modinfo").size()).isZero();
        assertThat(plain.get("versions").size()).isZero();
        assertThat(plain.get("thisModule").isNull()).isTrue();
        assertThat(plain.get("signature").isNull()).isTrue();
    }

    // ------------------------------------------------------------------ groups

    @Test
    void groupsAsJson() throws IOException {
        // golden: COMDAT group section [    1] `.group' [kobj_comdat_helper] contains 3 sections: 7, 8, 9
        assertThat(read(testdata().resolve("golden/obj/x86_64-gcc-kernel/module.o.groups")))
                .contains("COMDAT group section [    1] `.group' [kobj_comdat_helper] contains 3 sections:")
                .contains("   [    7]   .text.kobj_comdat_helper\n");
        JsonNode groups = ok("groups", "--json", f("obj/x86_64-gcc-kernel/module.o")).only("groups");
        assertThat(groups.size()).isEqualTo(1);
        JsonNode g = groups.get(0);
        assertThat(g.get("index").asInt()).isEqualTo(1);
        assertThat(g.get("name").asText()).isEqualTo(".group");
        assertThat(g.get("signature").asText()).isEqualTo("kobj_comdat_helper");
        assertThat(g.get("flags").asText()).isEqualTo("COMDAT");
        List<String> members = new ArrayList<>();
        g.get("members").forEach(m -> members.add(m.get("index").asInt() + " " + m.get("name").asText()));
        assertThat(members).containsExactly("7 .text.kobj_comdat_helper", "8 .data.rel.kobj_comdat_helper",
                "9 .rela.data.rel.kobj_comdat_helper");
        // build.sh: the TLS objects have no COMDAT group.
        assertThat(ok("groups", "--json", f("obj/x86_64-gcc-kernel/x86_64-tls.o")).only("groups").size()).isZero();
    }

    // ------------------------------------------------------------------ stats

    @Test
    void statsCountWhatReadelfCounted() throws IOException {
        Path obj = fixture("obj");
        long files;
        try (Stream<Path> s = Files.walk(obj)) {
            files = s.filter(p -> p.toString().endsWith(".o")).count();
        }
        StringBuilder all = new StringBuilder();
        long goldens = 0;
        for (String rel : goldenFixtures()) {
            if (rel.startsWith("obj/")) {
                all.append(golden(rel));
                goldens++;
            }
        }
        assertThat(goldens).isEqualTo(files);

        Run r = ok("stats", "--json", obj.toString());
        JsonNode root = r.json();
        assertThat(root.size()).isEqualTo(1);
        assertThat(root.get(0).get("file").asText()).isEqualTo(obj.toString());
        JsonNode st = root.get(0).get("stats");
        assertThat(st.get("files").asLong()).isEqualTo(files);
        assertThat(st.get("failed").asLong()).isZero();
        assertThat(st.get("failures").size()).isZero();
        assertThat(st.get("sections").asLong()).isEqualTo(sum(all.toString(), SECTION_COUNT));
        assertThat(st.get("symbols").asLong()).isEqualTo(sum(all.toString(), SYMBOL_COUNT));
        assertThat(st.get("relocations").asLong()).isEqualTo(sum(all.toString(), RELOC_COUNT));
        long bytes = 0;
        try (Stream<Path> s = Files.walk(obj)) {
            for (Path p : s.filter(p -> p.toString().endsWith(".o")).toList()) {
                bytes += Files.size(p);
            }
        }
        assertThat(st.get("bytesRead").asLong()).isEqualTo(bytes);
        assertThat(st.get("elapsedSeconds").isNumber()).isTrue();
        assertThat(st.get("filesPerSecond").isNumber()).isTrue();
        assertThat(st.get("relocationsPerSecond").isNumber()).isTrue();

        // Per machine, sorted by count, adding up to the total; the machines of build.sh.
        long total = 0;
        List<String> arches = new ArrayList<>();
        for (JsonNode m : st.get("relocationsByType")) {
            arches.add(m.get("arch").asText());
            long perMachine = 0;
            long previous = Long.MAX_VALUE;
            for (JsonNode t : m.get("types")) {
                long c = t.get("count").asLong();
                assertThat(c).isLessThanOrEqualTo(previous);
                previous = c;
                perMachine += c;
            }
            assertThat(m.get("relocations").asLong()).isEqualTo(perMachine);
            total += perMachine;
        }
        assertThat(total).isEqualTo(st.get("relocations").asLong());
        assertThat(arches).containsExactlyInAnyOrder("x86_64", "aarch64", "riscv64", "riscv32");
        // x86_64.S uses R_X86_64_GOTPC64 ("_GLOBAL_OFFSET_TABLE_ + 9" in the golden listing).
        assertThat(r.out()).contains("\"type\": \"R_X86_64_GOTPC64\"");

        Run text = ok("stats", obj.toString());
        assertThat(text.out()).contains("Files:            " + files + "\n")
                .contains("Failed to parse:  0\n")
                .contains("Relocations:      " + sum(all.toString(), RELOC_COUNT) + "\n")
                .contains("Relocations by type:\n")
                .contains("Files/s:")
                .contains("Relocations/s:")
                .contains("Elapsed:");
    }

    /**
     * The workers add each file up as they finish it, in whatever order that is: the report
     * must not depend on it. Twenty damaged copies beside good objects of three machines, with
     * two threads, five times: the failures in path order every time, and the same report.
     */
    @Test
    void statsReportTheSameWhateverOrderTheFilesFinishIn(@TempDir Path tmp) throws IOException {
        Path tree = tmp.resolve("tree");
        Files.createDirectories(tree);
        byte[] whole = Files.readAllBytes(fixture("special/module.ko"));
        List<String> broken = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            Path b = tree.resolve(String.format("d%02d/broken-%02d.ko", (i * 7) % 20, i));
            Files.createDirectories(b.getParent());
            Files.write(b, Arrays.copyOf(whole, 100 + 150 * i));
            broken.add(b.toString());
        }
        for (String obj : List.of("obj/x86_64-gcc-kernel", "obj/aarch64-small", "obj/riscv64-medany")) {
            try (var files = Files.list(fixture(obj))) {
                for (Path f : files.filter(f -> f.toString().endsWith(".o")).toList()) {
                    Files.copy(f, tree.resolve(obj.replace('/', '-') + "-" + f.getFileName()));
                }
            }
        }
        java.util.Collections.sort(broken);
        String timing = "(?m)^(Elapsed|Files/s|Relocations/s):.*$";
        String first = null;
        for (int run = 0; run < 5; run++) {
            Run r = run("stats", "--threads", "2", "--json", tree.toString());
            assertThat(r.rc()).isEqualTo(1);
            JsonNode st = r.only("stats");
            List<String> failed = new ArrayList<>();
            st.get("failures").forEach(f -> failed.add(f.get("file").asText()));
            assertThat(failed).as("failures, run " + run).isEqualTo(broken);
            List<String> arches = new ArrayList<>();
            st.get("relocationsByType").forEach(m -> arches.add(m.get("arch").asText() + "/" + m.get("machine").asText()));
            assertThat(arches).as("machines").containsExactlyInAnyOrder("x86_64/Advanced Micro Devices X86-64",
                    "aarch64/AArch64", "riscv64/RISC-V");
            String text = run("stats", "--threads", "2", tree.toString()).out().replaceAll(timing, "$1");
            if (first == null) {
                first = text;
            }
            assertThat(text).as("report, run " + run).isEqualTo(first);
        }
    }

    @Test
    void statsReportFilesThatFailAndDrawProgressOnlyWhenAsked(@TempDir Path tmp) throws IOException {
        Path tree = tmp.resolve("tree");
        Files.createDirectories(tree.resolve("sub"));
        Files.copy(fixture("special/module.ko"), tree.resolve("good.ko"));
        Files.copy(fixture("special/module.ko.zst"), tree.resolve("sub/good.ko.zst"));
        byte[] whole = Files.readAllBytes(fixture("special/module.ko"));
        Files.write(tree.resolve("sub/truncated.ko"), Arrays.copyOf(whole, 3000));
        Files.writeString(tree.resolve("notes.txt"), "not an object");

        Run r = run("stats", "--json", tree.toString());
        assertThat(r.rc()).isEqualTo(1);
        assertThat(r.err().lines().toList()).containsExactly(
                "kobjdump: " + tree + ": 1 of 3 files failed to parse");
        JsonNode st = r.only("stats");
        assertThat(st.get("files").asLong()).isEqualTo(3);
        assertThat(st.get("failed").asLong()).isEqualTo(1);
        assertThat(st.get("failures").get(0).get("file").asText()).isEqualTo(tree.resolve("sub/truncated.ko").toString());
        assertThat(st.get("failures").get(0).get("error").asText())
                .startsWith(tree.resolve("sub/truncated.ko") + ": offset 0x");
        assertThat(st.get("bytesRead").asLong()).isEqualTo(
                whole.length + 3000 + Files.size(fixture("special/module.ko.zst")));
        assertThat(st.get("bytesDecoded").asLong()).isEqualTo(2L * whole.length);

        // Not a terminal: no progress output at all; --progress forces the bar onto stderr.
        Run quiet = run("stats", fixture("obj/x86_64-gcc-kernel").toString());
        assertThat(quiet.rc()).isZero();
        assertThat(quiet.err()).isEmpty();
        Run bar = run("stats", "--progress", fixture("obj/x86_64-gcc-kernel").toString());
        assertThat(bar.rc()).isZero();
        assertThat(bar.err()).contains("\r[").contains("files").doesNotContain("\n");
        String timing = "(?m)^(Elapsed|Files/s|Relocations/s):.*$";
        assertThat(bar.out().replaceAll(timing, "$1")).isEqualTo(quiet.out().replaceAll(timing, "$1"));

        Run missing = run("stats", tmp.resolve("nope").toString());
        assertThat(missing.rc()).isEqualTo(1);
        assertThat(missing.err()).isEqualTo("kobjdump: " + tmp.resolve("nope") + ": No such file or directory\n");
    }

    // ------------------------------------------------------------------ errors

    @Test
    void aTruncatedFileGivesOneErrorLineAndStatusOne(@TempDir Path tmp) throws IOException {
        byte[] whole = Files.readAllBytes(fixture("obj/x86_64-gcc-kernel/module.o"));
        Path cut = tmp.resolve("cut.o");
        Files.write(cut, Arrays.copyOf(whole, 3000)); // the section headers (at 0x1ca0) are gone
        for (String cmd : List.of("headers", "sections", "symbols", "relocs", "modinfo", "groups")) {
            Run r = run(cmd, cut.toString());
            assertThat(r.rc()).as(cmd).isEqualTo(1);
            assertThat(r.out()).as(cmd).isEmpty();
            assertThat(r.err().lines().toList()).as(cmd).hasSize(1);
            assertThat(r.err()).as(cmd).startsWith("kobjdump: " + cut + ": offset 0x").contains("e_shoff")
                    .doesNotContain("Exception").doesNotContain("\tat ");
        }
    }

    @Test
    void oneBadFileAmongSeveralDoesNotStopTheOthers(@TempDir Path tmp) throws IOException {
        Path bad = tmp.resolve("bad.ko");
        Files.copy(fixture("special/signing-cert.pem"), bad); // text, not ELF
        String good = f("obj/x86_64-gcc-kernel/x86_64.o");
        Run r = run("sections", good, bad.toString(), good);
        assertThat(r.rc()).isEqualTo(1);
        assertThat(r.err().lines().toList()).singleElement().asString()
                .startsWith("kobjdump: " + bad + ": offset 0x0: e_ident[EI_MAG]").contains("not an ELF file");
        assertThat(r.out().split("\nFile: " + Pattern.quote(good) + "\n", -1)).hasSize(3);

        Run j = run("symbols", "--json", bad.toString(), good);
        assertThat(j.rc()).isEqualTo(1);
        assertThat(j.err().lines().toList()).hasSize(1);
        JsonNode root = j.json();
        assertThat(root.size()).isEqualTo(2);
        assertThat(root.get(0).get("file").asText()).isEqualTo(bad.toString());
        assertThat(root.get(0).get("error").asText()).startsWith(bad + ": offset 0x0");
        assertThat(root.get(1).get("symbols").size()).isPositive();

        Path missing = tmp.resolve("missing.o");
        Run m = run("relocs", missing.toString());
        assertThat(m.rc()).isEqualTo(1);
        assertThat(m.err()).isEqualTo("kobjdump: " + missing + ": No such file or directory\n");
        Run d = run("groups", tmp.toString());
        assertThat(d.rc()).isEqualTo(1);
        assertThat(d.err()).isEqualTo("kobjdump: " + tmp + ": Is a directory\n");
    }

    @Test
    void damagedCopiesOfFixturesNeverCrash(@TempDir Path tmp) throws IOException {
        byte[] orig = Files.readAllBytes(fixture("obj/x86_64-gcc-kernel/module.o"));
        Random rnd = new Random(20240601);
        Path p = tmp.resolve("damaged.o");
        for (int round = 0; round < 150; round++) {
            byte[] b = orig.clone();
            for (int k = 0, n = 1 + rnd.nextInt(6); k < n; k++) {
                b[rnd.nextInt(b.length)] = (byte) rnd.nextInt(256);
            }
            Files.write(p, b);
            for (String cmd : List.of("headers", "sections", "symbols", "relocs", "modinfo", "groups")) {
                for (boolean json : new boolean[] {false, true}) {
                    Run r = json ? run(cmd, "--json", p.toString()) : run(cmd, p.toString());
                    assertThat(r.rc()).as("%s round %d", cmd, round).isIn(0, 1);
                    if (r.rc() == 1) {
                        assertThat(r.err().lines().toList()).hasSize(1);
                        assertThat(r.err()).startsWith("kobjdump: " + p + ": ").doesNotContain("internal error");
                    } else {
                        assertThat(r.err()).isEmpty();
                    }
                    if (json) {
                        assertThat(r.json().isArray()).isTrue();
                    }
                }
            }
        }
    }

    // ------------------------------------------------------------------ usage

    @Test
    void usageErrorsExitWithTwo() {
        Run none = run();
        assertThat(none.rc()).isEqualTo(2);
        assertThat(none.err()).contains("Usage: kobjdump");
        assertThat(run("frobnicate", f("special/module.ko")).rc()).isEqualTo(2);
        Run noFile = run("sections");
        assertThat(noFile.rc()).isEqualTo(2);
        assertThat(noFile.err()).contains("Missing required parameter").contains("Usage: kobjdump sections");
        assertThat(run("symbols", "--frob", f("special/module.ko")).rc()).isEqualTo(2);
        assertThat(run("stats", "--threads=many", f("obj")).rc()).isEqualTo(2);
        assertThat(run("sections", f("special/module.ko")).err()).isEmpty();
    }

    @Test
    void helpAndVersion() {
        Run help = ok("--help");
        assertThat(help.out()).contains("Usage: kobjdump");
        for (String cmd : List.of("headers", "sections", "symbols", "relocs", "modinfo", "groups", "stats")) {
            assertThat(help.out()).contains("  " + cmd + " ");
            Run h = ok(cmd, "--help");
            assertThat(h.out()).startsWith("Usage: kobjdump " + cmd + " ");
            assertThat(h.out()).contains("--json");
        }
        Run v = ok("--version");
        assertThat(v.out()).startsWith("kobjdump ");
    }

    // ------------------------------------------------------------------ the JSON writer

    @Test
    void jsonWriterEscapesAndPrintsUnsignedNumbers() throws IOException {
        StringBuilder sb = new StringBuilder();
        String nasty = "q\"b\\s/\b\f\n\r\t\u0001\u001f\u007f\u00e9\u2028end";
        new Json(sb).beginObject()
                .field("s", nasty)
                .fieldUnsigned("u", -1L)
                .field("neg", Long.MIN_VALUE)
                .name("null").value((String) null)
                .name("list").beginCompactArray().value(1).value("x").beginCompactObject().field("k", true)
                .endObject().endArray()
                .name("empty").beginArray().endArray()
                .field("d", 1.5)
                .endObject();
        String out = sb.toString();
        assertThat(out).isEqualTo("{\n"
                + "  \"s\": \"q\\\"b\\\\s/\\b\\f\\n\\r\\t\\u0001\\u001f\\u007f\\u00e9\\u2028end\",\n"
                + "  \"u\": 18446744073709551615,\n"
                + "  \"neg\": -9223372036854775808,\n"
                + "  \"null\": null,\n"
                + "  \"list\": [1, \"x\", {\"k\": true}],\n"
                + "  \"empty\": [],\n"
                + "  \"d\": 1.500\n"
                + "}");
        JsonNode n = JSON.readTree(out);
        assertThat(n.get("s").asText()).isEqualTo(nasty);
        assertThat(n.get("u").bigIntegerValue().toString()).isEqualTo("18446744073709551615");
        assertThat(n.get("neg").asLong()).isEqualTo(Long.MIN_VALUE);
        assertThat(out.chars().allMatch(c -> c < 0x80)).isTrue();
    }
}
