package dev.kobj.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kobj.elf.ElfFile;
import dev.kobj.elf.SectionHeader;
import dev.kobj.testkit.GnuLd;
import dev.kobj.testkit.Readelf;
import dev.kobj.testkit.Testdata;
import dev.kobj.testkit.Tools;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kobjdump link} on the testdata modules, against a System.map written by the test.
 * What the written image holds is read back by GNU readelf and objdump, and its section
 * bytes are compared with GNU ld's output for the same placement; the expected addresses
 * are the System.map's and the section names, sizes and flags are readelf's view of the
 * input object.
 */
class LinkCommandTest {
    static final String X86_MAP = """
            ffffffff81000100 T printk
            ffffffff81000200 T kmalloc
            ffffffff81000300 T kfree
            ffffffff81000400 T memcpy
            ffffffff81000500 T memset
            ffffffff81100000 D kobj_ext_array
            ffffffff81100100 D kobj_ext_value
            """;
    static final Map<String, Long> X86_SYMBOLS = parse(X86_MAP);

    @TempDir
    Path dir;

    record Run(int rc, String out, String err) {
    }

    static Run kobjdump(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = KobjDump.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(rc, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static Map<String, Long> parse(String map) {
        Map<String, Long> m = new LinkedHashMap<>();
        for (String l : map.strip().split("\n")) {
            String[] f = l.trim().split("\\s+");
            m.put(f[2], Long.parseUnsignedLong(f[0], 16));
        }
        return m;
    }

    private Path module() {
        return Testdata.root().resolve("special/module.ko");
    }

    private Path link(Path object, String map, String... extra) throws Exception {
        Path sysmap = dir.resolve("System.map");
        Files.writeString(sysmap, map);
        Path out = dir.resolve("out.elf");
        List<String> args = new ArrayList<>(List.of("link", "--kernel", sysmap.toString(), "-o", out.toString()));
        args.addAll(List.of(extra));
        args.add(object.toString());
        Run r = kobjdump(args.toArray(String[]::new));
        assertThat(r.err()).isEmpty();
        assertThat(r.rc()).isZero();
        return out;
    }

    @Test
    void everyLoadedInputSectionIsAnOutputSectionInALoadOfItsPermissions() throws Exception {
        Path out = link(module(), X86_MAP);
        List<Readelf.SectionLine> in = Readelf.sectionLines(Tools.run("readelf", "-SW", module().toString()));
        String outS = Tools.run("readelf", "-SW", out.toString());
        List<Readelf.SectionLine> outSections = Readelf.sectionLines(outS);
        String header = Tools.run("readelf", "-hW", out.toString());
        assertThat(header).contains("EXEC (Executable file)", "Advanced Micro Devices X86-64");
        String segments = Tools.run("readelf", "-lW", out.toString());
        List<String> loads = Tools.grep(segments, "^\\s+LOAD ");
        assertThat(loads).isNotEmpty();
        int loaded = 0;
        for (Readelf.SectionLine s : in) {
            if (!s.flags().contains("A") || s.type().equals("GROUP") || s.name().equals(".modinfo")
                    || s.name().equals("__versions")) {
                continue;
            }
            loaded++;
            List<Readelf.SectionLine> o = outSections.stream().filter(x -> x.name().equals(s.name())).toList();
            assertThat(o).as(s.name()).hasSize(1);
            Readelf.SectionLine os = o.getFirst();
            assertThat(os.size()).as(s.name()).isEqualTo(s.size());
            assertThat(os.type()).as(s.name()).isEqualTo(s.type());
            assertThat(os.flags()).as(s.name()).isEqualTo(s.flags().replace("G", ""));
            String perm = s.flags().contains("X") ? "R E" : s.flags().contains("W") ? "RW " : "R  ";
            assertThat(loads.stream().filter(l -> contains(l, os.address(), os.size()) && l.contains(" " + perm + " ")))
                    .as("a LOAD with %s holding %s at %x", perm, s.name(), os.address()).hasSize(1);
        }
        assertThat(loaded).isGreaterThanOrEqualTo(10);
        // Every LOAD is page-aligned: the image's regions.
        for (String l : loads) {
            assertThat(l).matches(".* 0x1000$");
            assertThat(Long.parseUnsignedLong(l.trim().split("\\s+")[2].substring(2), 16) % 4096).isZero();
        }
        assertThat(outS).contains(" .kobj.plt ", " .symtab ", " .strtab ", " .shstrtab ");
    }

    private static boolean contains(String load, long addr, long size) {
        String[] f = load.trim().split("\\s+");
        long va = Long.parseUnsignedLong(f[2].substring(2), 16);
        long mem = Long.parseUnsignedLong(f[5].substring(2), 16);
        return Long.compareUnsigned(addr, va) >= 0 && Long.compareUnsigned(addr + size, va + mem) <= 0;
    }

    @Test
    void undefinedSymbolsAreAbsoluteAtTheAddressesTheyResolvedTo() throws Exception {
        String s = Tools.run("readelf", "-sW", link(module(), X86_MAP).toString());
        for (var e : X86_SYMBOLS.entrySet()) {
            assertThat(s).as(e.getKey()).containsPattern(
                    String.format("%016x\\s+0 NOTYPE  GLOBAL DEFAULT  ABS %s\n", e.getValue(), e.getKey()));
        }
        // module.c's weak undefined hooks, found nowhere: 0.
        assertThat(s).containsPattern("0000000000000000\\s+0 NOTYPE  WEAK   DEFAULT  ABS optional_hook\n");
        // Definitions keep their section and get their load address (init_module = kobj_demo_init).
        String init = Tools.grep(s, " kobj_demo_init$").getFirst().trim().split("\\s+")[1];
        assertThat(Tools.grep(s, " init_module$").getFirst()).contains(init);
        assertThat(Long.parseUnsignedLong(init, 16)).isNotZero();
    }

    /** {@return the disassembly of the function labelled {@code <label>:} (an alias may label it instead)} */
    static String function(String objdump, String... labels) {
        for (String label : labels) {
            int at = objdump.indexOf("<" + label + ">:");
            if (at >= 0) {
                int end = objdump.indexOf("\n\n", at);
                return objdump.substring(at, end < 0 ? objdump.length() : end);
            }
        }
        throw new AssertionError("no function " + String.join("/", labels) + " in\n" + objdump);
    }

    @Test
    void objdumpShowsX86CallsGoingToTheirKernelTargets() throws Exception {
        String d = Tools.run("objdump", "-d", link(module(), X86_MAP).toString());
        // kobj_demo_init (alias init_module) calls printk(demo_banner) (testdata/src/module.c).
        assertThat(function(d, "kobj_demo_init", "init_module")).containsPattern("\\scall\\s+ffffffff81000100 <printk>");
        assertThat(d).containsPattern("\\scall\\s+ffffffff81000200 <kmalloc>");
    }

    static final String A64_MAP = """
            0000000041000100 T printk
            0000000041000200 T kmalloc
            0000000041000300 T kfree
            0000000041000400 T memcpy
            0000000041000500 T memset
            0000000041100000 D kobj_ext_array
            0000000041100100 D kobj_ext_value
            """;

    /**
     * AArch64 at a low base, so that the weak undefined hooks (0) stay within reach of a veneer's
     * ADRP: at Linux's module addresses a call to address 0 cannot be encoded (see the report).
     */
    @Test
    void objdumpShowsAArch64CallsGoingToTheirKernelTargets() throws Exception {
        Path out = link(Testdata.root().resolve("obj/aarch64-small/module.o"), A64_MAP, "--base", "0x40000000");
        String d = Tools.run("aarch64-linux-gnu-objdump", "-d", out.toString());
        assertThat(function(d, "kobj_demo_init", "init_module")).containsPattern("\\sbl\\s+41000100 <printk>");
        assertThat(function(d, "demo_reset")).containsPattern("\\sbl\\s+41000500 <memset>");
        assertThat(Tools.run("aarch64-linux-gnu-readelf", "-hW", out.toString())).contains("AArch64", "EXEC");
    }

    /** Out of BL range (256 MiB away): the call goes to printk's veneer, whose ADRP+ADD make printk's address. */
    @Test
    void objdumpShowsAArch64CallsThroughTheirVeneers() throws Exception {
        Path out = link(Testdata.root().resolve("obj/aarch64-small/module.o"),
                A64_MAP.replace("000000004100", "000000005000"), "--base", "0x40000000");
        String d = Tools.run("aarch64-linux-gnu-objdump", "-d", out.toString());
        assertThat(function(d, "kobj_demo_init", "init_module")).containsPattern("\\sbl\\s+[0-9a-f]+ <printk@plt>");
        String veneer = function(d, "printk@plt");
        java.util.regex.Matcher adrp = java.util.regex.Pattern.compile("\\sadrp\\s+x16, ([0-9a-f]+)").matcher(veneer);
        java.util.regex.Matcher add = java.util.regex.Pattern.compile("\\sadd\\s+x16, x16, #0x([0-9a-f]+)").matcher(veneer);
        assertThat(adrp.find()).as(veneer).isTrue();
        assertThat(add.find()).as(veneer).isTrue();
        assertThat(veneer).containsPattern("\\sbr\\s+x16");
        assertThat(Long.parseLong(adrp.group(1), 16) + Long.parseLong(add.group(1), 16)).isEqualTo(0x50000100L);
    }

    @Test
    void sectionBytesEqualGnuLdGivenTheSamePlacement() throws Exception {
        Tools.require("ld");
        Path out = link(module(), X86_MAP);
        Map<String, Long> at = new LinkedHashMap<>();
        for (Readelf.SectionLine s : Readelf.sectionLines(Tools.run("readelf", "-SW", out.toString()))) {
            at.put(s.name(), s.address());
        }
        try (ElfFile in = ElfFile.open(module()); ElfFile ours = ElfFile.open(out)) {
            List<GnuLd.Section> placed = new ArrayList<>();
            for (SectionHeader s : in.sections()) {
                Long a = at.get(s.name());
                if (s.isAlloc() && a != null) {
                    placed.add(new GnuLd.Section(s.index(), s.name(), a, s.size(), s.isNobits()));
                }
            }
            var symbols = new LinkedHashMap<>(X86_SYMBOLS);
            Path work = Files.createDirectory(dir.resolve("ld"));
            GnuLd.Result ld = GnuLd.linkEach(in, placed, symbols, 0xffffffffd0000000L, work);
            assertThat(ld.ok()).as(ld.log()).isTrue();
            assertThat(ld.placementErrors()).isEmpty();
            int compared = 0;
            for (GnuLd.Section p : placed) {
                byte[] theirs = ld.bytesBySection().get(p.index());
                if (theirs == null) {
                    continue;
                }
                byte[] mine = ours.contents(ours.section(p.name()).orElseThrow()).toArray(ValueLayout.JAVA_BYTE);
                assertThat(mine).as(p.name()).isEqualTo(theirs);
                compared++;
            }
            assertThat(compared).isGreaterThanOrEqualTo(8);
            // The control: ld told printk is 16 bytes further must disagree on the calls to it.
            symbols.put("printk", X86_SYMBOLS.get("printk") + 16);
            GnuLd.Result shifted = GnuLd.linkEach(in, placed, symbols, 0xffffffffd0000000L,
                    Files.createDirectory(dir.resolve("ld2")));
            int text = in.section(".text").orElseThrow().index();
            assertThat(shifted.bytesBySection().get(text))
                    .isNotEqualTo(ours.contents(ours.section(".text").orElseThrow()).toArray(ValueLayout.JAVA_BYTE));
        }
    }

    @Test
    void mapListsRegionsSectionsTheirSymbolsAndResolutions() throws Exception {
        Path sysmap = dir.resolve("System.map");
        Files.writeString(sysmap, X86_MAP);
        Run r = kobjdump("link", "--kernel", sysmap.toString(), "--base", "0xffffffffa0000000", "-o",
                dir.resolve("o.elf").toString(), "--map", module().toString());
        assertThat(r.rc()).as(r.err()).isZero();
        String text = Tools.run("readelf", "-SW", dir.resolve("o.elf").toString());
        Readelf.SectionLine init = Readelf.sectionLines(text).stream().filter(s -> s.name().equals(".init.text")).findFirst()
                .orElseThrow();
        assertThat(r.out()).contains("module kobj_demo, x86_64", "Regions:", "Sections:", "Undefined symbols:");
        assertThat(r.out()).containsPattern(String.format("\n  %016x  %08x  init\\.text\\s+\\.init\\.text\n",
                init.address(), init.size()));
        assertThat(r.out()).containsPattern(String.format("\n\\s+%016x  kobj_demo_init\n", init.address()));
        assertThat(r.out()).containsPattern("\n  ffffffffa0000000  [0-9a-f]{8}  core\\.text\\s+\\.text\n");
        assertThat(r.out()).containsPattern("\n  ffffffff81000100  vmlinux\\s+printk\n");
        assertThat(r.out()).containsPattern("\n  0000000000000000  \\(weak, none\\)\\s+optional_hook\n");
    }

    @Test
    void unresolvedSymbolsAreAllListedAndNothingIsWritten() throws Exception {
        Path sysmap = dir.resolve("System.map");
        Files.writeString(sysmap, X86_MAP.replace("ffffffff81000200 T kmalloc\n", "")
                .replace("ffffffff81000500 T memset\n", ""));
        Path out = dir.resolve("never.elf");
        Run r = kobjdump("link", "--kernel", sysmap.toString(), "-o", out.toString(), module().toString());
        assertThat(r.rc()).isEqualTo(1);
        assertThat(r.err()).contains("kmalloc", "memset");
        assertThat(out).doesNotExist();
    }

    @Test
    void usageErrors() {
        Run noOut = kobjdump("link", module().toString());
        assertThat(noOut.rc()).isEqualTo(2);
        assertThat(noOut.err()).contains("Missing required option: '--output=OUT'");
        Run badBase = kobjdump("link", "--base", "0xzz", "-o", dir.resolve("x").toString(), module().toString());
        assertThat(badBase.rc()).isEqualTo(2);
        assertThat(badBase.err()).contains("'0xzz' is not an address");
        Run missing = kobjdump("link", "--kernel", dir.resolve("nope.map").toString(), "-o",
                dir.resolve("x").toString(), module().toString());
        assertThat(missing.rc()).isEqualTo(1);
        assertThat(missing.err()).contains("nope.map: No such file or directory");
    }
}
