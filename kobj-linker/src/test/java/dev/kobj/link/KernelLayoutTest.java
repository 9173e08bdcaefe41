package dev.kobj.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kobj.elf.ElfFile;
import dev.kobj.testkit.Corpus;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The kernel layouts against facts that do not come from kobj: the section headers and
 * symbols as GNU readelf prints them, and the facts measured on Debian's kernels (issue 8):
 * in 6.1, core holds page-aligned text, rodata, ro_after_init and data groups, /proc/modules
 * shows the core base and coresize, init starts one guard page after core and holds the init
 * sections and the kernel's .symtab/.strtab copy, arm64 has .plt in core text and .init.plt in
 * init; from 6.4 every memory type is its own page-rounded allocation in enum order, one guard
 * page after the previous, an empty type has none, /proc/modules shows the text base and the sum
 * of the rounded core types. The expected address of every section is computed here from
 * readelf's flags, sizes and alignments by the kernel's rules (layout_sections,
 * layout_symtab), as the test states them; the sizes of arm64's .plt/.init.plt/ftrace
 * trampolines are kobj's (count_plts), checked for shape only.
 *
 * <p>Objects: the testdata modules of the three architectures and, with -Dkobj.corpus=DIR,
 * every 40th module of the Debian 6.1 amd64 and arm64 trees and of the Debian 13 (6.12) riscv64 tree.
 */
class KernelLayoutTest {
    static final long PAGE = 4096;
    static final long BASE = 0xffffffffc0000000L;

    record Sec(int index, String name, String type, long size, String flags, long align) {
        boolean alloc() {
            return flags.contains("A") && !type.equals("GROUP") && !name.equals(".modinfo")
                    && !name.equals("__versions") && !name.equals(".data..percpu");
        }

        boolean init() {
            return name.startsWith(".init");
        }

        int pass() {
            if (flags.contains("X") || name.equals(".init.plt")) {
                return 0;
            }
            if (!flags.contains("W")) {
                return 1;
            }
            return name.equals(".data..ro_after_init") || name.equals("__jump_table") ? 2 : 3;
        }
    }

    record Sym(String name, String type, String ndx) {
    }

    static Stream<Path> objects() throws Exception {
        List<Path> out = new ArrayList<>();
        for (String o : List.of("obj/x86_64-gcc-kernel/module.o", "obj/aarch64-small/module.o",
                "obj/riscv64-medany-norelax/module.o")) {
            out.add(dev.kobj.testkit.Testdata.root().resolve(o));
        }
        Path plain = Files.createDirectories(Path.of("target", "corpus-plain"));
        for (String arch : Corpus.ARCHES) {
            Path dir = Corpus.root().resolve(arch).resolve("lib/modules");
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (Stream<Path> s = Files.walk(dir)) {
                List<Path> ko = s.filter(f -> f.toString().matches(".*\\.ko(\\.xz)?")).sorted().toList();
                for (int i = 0; i < ko.size(); i += 40) {
                    // readelf reads a .ko.xz (riscv64) as xz(1) decompressed it
                    String name = ko.get(i).getFileName().toString().replaceAll("\\.xz$", "");
                    out.add(Corpus.plain(ko.get(i), plain.resolve(arch + "-" + name)));
                }
            }
        }
        return out.stream();
    }

    static List<Sec> sections(Path f) throws Exception {
        Pattern p = Pattern.compile("^\\s*\\[\\s*(\\d+)\\]\\s+(\\S+)\\s+(\\S+)\\s+[0-9a-f]+\\s+[0-9a-f]+\\s+([0-9a-f]+)"
                + "\\s+[0-9a-f]+\\s+(.*?)\\s+\\d+\\s+\\d+\\s+(\\d+)$");
        List<Sec> out = new ArrayList<>();
        for (String l : dev.kobj.testkit.Tools.run("readelf", "-SW", f.toString()).split("\n")) {
            Matcher m = p.matcher(l);
            if (m.find() && !m.group(3).equals("NULL")) {
                out.add(new Sec(Integer.parseInt(m.group(1)), m.group(2), m.group(3),
                        Long.parseLong(m.group(4), 16), m.group(5).trim(), Long.parseLong(m.group(6))));
            }
        }
        return out;
    }

    static List<Sym> symbols(Path f) throws Exception {
        Pattern p = Pattern.compile("^\\s*\\d+:\\s+[0-9a-f]+\\s+\\d+\\s+(\\S+)\\s+\\S+\\s+\\S+\\s+(\\S+)\\s?(.*)$");
        List<Sym> out = new ArrayList<>();
        for (String l : dev.kobj.testkit.Tools.run("readelf", "-sW", f.toString()).split("\n")) {
            Matcher m = p.matcher(l);
            if (m.find()) {
                out.add(new Sym(unescape(m.group(3)), m.group(1), m.group(2)));
            }
        }
        return out;
    }

    /**
     * {@return a symbol name as it is in the file}: readelf prints a control character c as
     * "^" and c + 0x40 (a riscv64 module's local label ".L1^B2" is ".L1", byte 2, "2")
     */
    static String unescape(String readelfName) {
        return Pattern.compile("\\^([@-_])").matcher(readelfName)
                .replaceAll(r -> Matcher.quoteReplacement(String.valueOf((char) (r.group(1).charAt(0) - 0x40))));
    }

    static LoadedImage link(ElfFile elf, LayoutStrategy layout, Map<String, Long> bases) throws Exception {
        LinkRequest.Builder b = LinkRequest.builder(new HeapMemory()).symbols(TestObjects.kernel(TestObjects.plan(elf)))
                .policy(LoadPolicy.permissive()).base(BASE).layout(layout).kallsymsAll(true).erratum843419(false);
        bases.forEach(b::base);
        return Linker.link(elf, b.build());
    }

    static long align(long v, long a) {
        return a <= 1 ? v : (v + a - 1) / a * a;
    }

    /** The core kallsyms copy, from readelf's symbols: symbol 0 and each named, defined, core symbol. */
    static long coreSymbols(List<Sec> secs, List<Sym> syms, long at) {
        Map<Integer, Sec> byIndex = new HashMap<>();
        secs.forEach(s -> byIndex.put(s.index(), s));
        long n = 0;
        long names = 0;
        for (int i = 0; i < syms.size(); i++) {
            Sym s = syms.get(i);
            boolean keep = i == 0;
            if (!keep && s.ndx().matches("\\d+") && !s.type().equals("SECTION") && !s.name().isEmpty()) {
                Sec sec = byIndex.get(Integer.parseInt(s.ndx()));
                // CONFIG_KALLSYMS_ALL: data symbols and per-CPU ones are kept too
                keep = sec != null && (sec.name().equals(".data..percpu") || sec.alloc() && !sec.init());
            }
            if (keep) {
                n++;
                names += s.name().getBytes(StandardCharsets.UTF_8).length + 1;
            }
        }
        return align(at, 8) + n * 24 + names + n;
    }

    @ParameterizedTest
    @MethodSource("objects")
    void linux61(Path f) throws Exception {
        dev.kobj.testkit.Tools.require("readelf");
        List<Sec> secs = sections(f);
        List<Sym> syms = symbols(f);
        try (ElfFile elf = ElfFile.open(f); LoadedImage img = link(elf, LayoutStrategy.LINUX_6_1, Map.of())) {
            assertThat(img.layout()).isEqualTo(LayoutStrategy.LINUX_6_1);
            var core = img.areas().get(0);
            var init = img.areas().get(1);
            assertThat(core.name()).isEqualTo("core");
            assertThat(init.name()).isEqualTo("init");
            assertThat(core.address()).isEqualTo(BASE);
            assertThat(init.address()).as("init one guard page after core").isEqualTo(BASE + core.kernelSize() + PAGE);
            assertThat(img.moduleBase()).isEqualTo(core.address());
            assertThat(img.moduleSize()).isEqualTo(core.kernelSize());
            assertThat(core.regions()).extracting(LoadedImage.Region::name)
                    .isSubsetOf("core.text", "core.rodata", "core.ro_after_init", "core.data")
                    .isSortedAccordingTo(java.util.Comparator.comparingInt(List.of("core.text", "core.rodata",
                            "core.ro_after_init", "core.data")::indexOf));
            for (boolean isInit : new boolean[] {false, true}) {
                long cursor = 0;
                for (int pass = 0; pass < 4; pass++) {
                    for (Sec s : secs) {
                        if (!s.alloc() || s.init() != isInit || s.pass() != pass) {
                            continue;
                        }
                        var p = img.section(s.index()).orElseThrow();
                        long size = isStub(s) ? p.size() : s.size();
                        long a = isStub(s) ? p.header().addralign() : Math.max(1, s.align());
                        cursor = align(cursor, a);
                        assertThat(p.address()).as(f.getFileName() + " " + s.name())
                                .isEqualTo((isInit ? init : core).address() + cursor);
                        cursor += size;
                    }
                    if (pass < 3 && !(isInit && pass == 2)) {
                        cursor = align(cursor, PAGE);
                    }
                }
                cursor = align(cursor, PAGE);
                if (!isInit) {
                    assertThat(core.kernelSize()).as(f.getFileName() + " coresize").isEqualTo(align(coreSymbols(secs, syms, cursor), PAGE));
                } else {
                    Sec symtab = secs.stream().filter(s -> s.type().equals("SYMTAB")).findFirst().orElseThrow();
                    Sec strtab = secs.stream().filter(s -> s.name().equals(".strtab")).findFirst().orElseThrow();
                    cursor = align(cursor, symtab.align());
                    assertThat(img.section(symtab.index()).orElseThrow().address()).isEqualTo(init.address() + cursor);
                    cursor += symtab.size();
                    assertThat(img.section(strtab.index()).orElseThrow().address()).isEqualTo(init.address() + cursor);
                    cursor = align(cursor + strtab.size(), 8) + 32 + syms.size();
                    assertThat(init.kernelSize()).as("init size").isEqualTo(align(cursor, PAGE));
                }
            }
            checkArm64Stubs(secs, img, "core", "init");
        }
    }

    static boolean isStub(Sec s) {
        return s.name().equals(".plt") || s.name().equals(".init.plt") || s.name().endsWith("ftrace_trampoline")
                || s.name().equals(".got") || s.name().equals(".got.plt");
    }

    static void checkArm64Stubs(List<Sec> secs, LoadedImage img, String core, String init) {
        for (Sec s : secs) {
            if (!s.name().equals(".plt") && !s.name().equals(".init.plt")) {
                continue;
            }
            var p = img.section(s.index()).orElseThrow();
            assertThat(img.area(p.region()).orElseThrow().name()).isEqualTo(s.init() ? init : core);
            assertThat(p.region().part()).isEqualTo(LoadedImage.Part.TEXT);
            assertThat(p.size() % 12).isZero();
            assertThat(p.size()).isPositive();
            assertThat(p.address() % 64).isZero();
        }
    }

    @ParameterizedTest
    @MethodSource("objects")
    void linux64(Path f) throws Exception {
        dev.kobj.testkit.Tools.require("readelf");
        List<Sec> secs = sections(f);
        List<Sym> syms = symbols(f);
        List<String> order = List.of("text", "data", "rodata", "ro_after_init", "init_text", "init_data", "init_rodata");
        try (ElfFile elf = ElfFile.open(f); LoadedImage img = link(elf, LayoutStrategy.LINUX_6_4, Map.of())) {
            assertThat(img.layout().name()).isEqualTo("linux-6.4");
            Map<String, Long> ends = new LinkedHashMap<>();
            long next = BASE;
            long coreSize = 0;
            for (var a : img.areas()) {
                if (!a.kernel()) {
                    continue;
                }
                assertThat(a.address()).as(a.name() + ": one guard page after the previous").isEqualTo(next);
                assertThat(a.kernelSize()).isPositive().isEqualTo(a.size());
                assertThat(a.size() % PAGE).isZero();
                next = a.address() + a.size() + PAGE;
                if (!a.name().startsWith("init")) {
                    coreSize += a.kernelSize();
                }
                ends.put(a.name(), 0L);
            }
            assertThat(new ArrayList<>(ends.keySet())).isSortedAccordingTo(java.util.Comparator.comparingInt(order::indexOf));
            assertThat(img.moduleBase()).isEqualTo(img.areas().getFirst().address());
            assertThat(img.moduleSize()).isEqualTo(coreSize);
            String[][] types = {{"text", "init_text"}, {"rodata", "init_rodata"}, {"ro_after_init", null}, {"data", "init_data"}};
            Map<String, Long> cursor = new HashMap<>();
            for (int pass = 0; pass < 4; pass++) {
                for (Sec s : secs) {
                    if (!s.alloc() || s.pass() != pass) {
                        continue;
                    }
                    String type = types[pass][s.init() ? 1 : 0];
                    var p = img.section(s.index()).orElseThrow();
                    var area = img.area(p.region()).orElseThrow();
                    assertThat(area.name()).as(s.name()).isEqualTo(type);
                    long size = isStub(s) ? p.size() : s.size();
                    long at = align(cursor.getOrDefault(type, 0L), isStub(s) ? p.header().addralign() : Math.max(1, s.align()));
                    assertThat(p.address()).as(f.getFileName() + " " + s.name()).isEqualTo(area.address() + at);
                    cursor.put(type, at + size);
                }
            }
            var data = img.areas().stream().filter(a -> a.name().equals("data")).findFirst().orElseThrow();
            assertThat(data.kernelSize()).as(f.getFileName() + " data size").isEqualTo(align(coreSymbols(secs, syms, cursor.getOrDefault("data", 0L)), PAGE));
            checkArm64Stubs(secs, img, "text", "init_text");
        }
    }

    @Test
    void regionsGoWhereTheyAreAsked() throws Exception {
        try (ElfFile elf = TestObjects.open("obj/x86_64-gcc-kernel/module.o")) {
            Map<String, Long> bases = Map.of("text", 0xffffffffc0200000L, "init_text", 0xffffffffc0100000L,
                    "data", 0xffffffffc0400000L);
            try (LoadedImage img = link(elf, LayoutStrategy.LINUX_6_4, bases)) {
                for (var a : img.areas()) {
                    if (bases.containsKey(a.name())) {
                        assertThat(a.address()).as(a.name()).isEqualTo(bases.get(a.name()));
                    }
                }
                var data = img.areas().stream().filter(a -> a.name().equals("data")).findFirst().orElseThrow();
                var rodata = img.areas().stream().filter(a -> a.name().equals("rodata")).findFirst().orElseThrow();
                assertThat(rodata.address()).as("no base: after the previous one and a guard page")
                        .isEqualTo(data.address() + data.size() + PAGE);
                assertThat(img.section(".text").orElseThrow().address()).isEqualTo(0xffffffffc0200000L);
                assertThat(img.section(".init.text").orElseThrow().address()).isEqualTo(0xffffffffc0100000L);
            }
            try (LoadedImage img = link(elf, LayoutStrategy.LINUX_6_1, Map.of("init", 0xffffffffc0800000L))) {
                assertThat(img.areas().get(0).address()).as("the bare base keeps its meaning").isEqualTo(BASE);
                assertThat(img.section(".init.text").orElseThrow().address()).isEqualTo(0xffffffffc0800000L);
            }
            // init in a hole below core (the kernel reuses freed init memory): kobj's extra areas go above both
            try (LoadedImage img = link(elf, LayoutStrategy.LINUX_6_1, Map.of("init", BASE - 0x100000))) {
                var areas = img.areas();
                for (int i = 0; i < areas.size(); i++) {
                    for (int k = i + 1; k < areas.size(); k++) {
                        var a = areas.get(i);
                        var b = areas.get(k);
                        assertThat(a.address() + a.size() <= b.address() || b.address() + b.size() <= a.address())
                                .as(a.name() + " and " + b.name() + " do not overlap").isTrue();
                    }
                }
                assertThat(ImageWriter.of(img).toBytes()).isNotEmpty();
            }
            HeapMemory mem = new HeapMemory();
            var req = LinkRequest.builder(mem).symbols(TestObjects.kernel(TestObjects.plan(elf)))
                    .layout(LayoutStrategy.LINUX_6_1).base("text", 0x200000).build();
            assertThatThrownBy(() -> Linker.link(elf, req)).isInstanceOf(LinkException.class)
                    .hasMessageContaining("no region 'text'").hasMessageContaining("core, init");
            assertThat(mem.liveAllocations()).isZero();
        }
    }

    @Test
    void layoutFollowsTheRelease() throws Exception {
        assertThat(LayoutStrategy.forRelease("6.1.0-57-amd64")).contains(LayoutStrategy.LINUX_6_1);
        assertThat(LayoutStrategy.forRelease("6.3.13")).contains(LayoutStrategy.LINUX_6_1);
        assertThat(LayoutStrategy.forRelease("5.10.0-30-arm64")).contains(LayoutStrategy.LINUX_6_1);
        assertThat(LayoutStrategy.forRelease("6.4.0")).contains(LayoutStrategy.LINUX_6_4);
        assertThat(LayoutStrategy.forRelease("6.12.48+deb13-rt-arm64")).contains(LayoutStrategy.LINUX_6_4);
        assertThat(LayoutStrategy.forRelease("7.0")).contains(LayoutStrategy.LINUX_6_4);
        assertThat(LayoutStrategy.forRelease("SMP mod_unload")).isEmpty();
        assertThat(LayoutStrategy.named("linux-6.4")).contains(LayoutStrategy.LINUX_6_4);
        assertThat(LayoutStrategy.named("nope")).isEmpty();
        assertThat(LayoutStrategy.LINUX_6_4.regionNames()).containsExactly("text", "data", "rodata", "ro_after_init",
                "init_text", "init_data", "init_rodata");
        try (ElfFile elf = TestObjects.open("obj/x86_64-gcc-kernel/module.o")) {
            // its vermagic is "6.1.0 SMP mod_unload modversions" (testdata/src/module.c)
            assertThat(LayoutStrategy.forObject(elf)).isEqualTo(LayoutStrategy.LINUX_6_1);
            try (LoadedImage img = Linker.link(elf, LinkRequest.builder(new HeapMemory())
                    .symbols(TestObjects.kernel(TestObjects.plan(elf))).build())) {
                assertThat(img.layout()).isEqualTo(LayoutStrategy.LINUX_6_1);
            }
        }
    }
}
