package dev.kobj.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kobj.elf.ElfFile;
import dev.kobj.elf.ElfSymbol;
import dev.kobj.link.LinkException.Kind;
import dev.kobj.link.LinkException.Problem;
import dev.kobj.symtab.KernelSymbol;
import dev.kobj.testkit.ByteSearch;
import dev.kobj.testkit.Testdata;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Each load check on a purpose-made input: testdata/special/module.ko (x86-64, vermagic
 * "6.1.0 SMP mod_unload modversions ", license GPL, import_ns KOBJ_NS, __versions with
 * module_layout, printk, kmalloc, kfree, memcpy, memset, kobj_ext_array, kobj_ext_value),
 * patched in a copy where the check needs it.
 */
class ChecksTest {

    static final String KO = "special/module.ko";
    static final Map<String, Long> CRCS = Map.of("module_layout", 0x4f6b5c3aL, "printk", 0x92997ed8L, "kmalloc",
            0xeb233a45L, "kfree", 0x37a0cba1L, "memcpy", 0x69acdf38L, "memset", 0xdcb764adL, "kobj_ext_array",
            0x1a2b3c4dL, "kobj_ext_value", 0x5e6f7081L);

    static byte[] bytes() throws Exception {
        return Files.readAllBytes(Testdata.root().resolve(KO));
    }

    /** The kernel the module was built for: the plan's addresses, the module's CRCs, kobj_ext_value in KOBJ_NS. */
    static TestObjects.MapLookup kernel(ElfFile elf) throws Exception {
        TestObjects.MapLookup m = new TestObjects.MapLookup();
        for (var e : TestObjects.plan(elf).entrySet()) {
            String ns = e.getKey().equals("kobj_ext_value") ? "KOBJ_NS" : "";
            String type = e.getKey().equals("kmalloc") ? "EXPORT_SYMBOL_GPL" : "EXPORT_SYMBOL";
            m.put(new KernelSymbol(e.getKey(), e.getValue(), CRCS.getOrDefault(e.getKey(), -1L), "vmlinux", type, ns));
        }
        m.put(new KernelSymbol("module_layout", 0xffffffff81000000L, CRCS.get("module_layout"), "vmlinux",
                "EXPORT_SYMBOL", ""));
        return m;
    }

    static TestObjects.MapLookup replace(TestObjects.MapLookup base, KernelSymbol s) {
        TestObjects.MapLookup m = new TestObjects.MapLookup();
        base.byName.values().forEach(m::put);
        return m.put(s);
    }

    static ElfFile patched(String name, byte[] data, String from, String to) throws Exception {
        byte[] f = from.getBytes(StandardCharsets.ISO_8859_1);
        byte[] t = to.getBytes(StandardCharsets.ISO_8859_1);
        assertThat(t).hasSameSizeAs(f);
        int at = ByteSearch.indexOf(data, f);
        assertThat(at).as("'" + from + "' in the module").isNotNegative();
        byte[] copy = data.clone();
        System.arraycopy(t, 0, copy, at, t.length);
        return ElfFile.of(name, copy);
    }

    static List<Kind> kinds(List<Problem> ps) {
        return ps.stream().map(Problem::kind).toList();
    }

    static LoadPolicy strict() {
        return LoadPolicy.builder().vermagic("6.1.0 SMP mod_unload modversions ").thisModule(
                LoadPolicy.ThisModuleRule.ALWAYS).build();
    }

    @Test
    void theModuleLoadsAgainstItsKernel() throws Exception {
        try (ElfFile elf = ElfFile.of("module.ko", bytes())) {
            assertThat(Checks.run(elf, strict(), kernel(elf))).isEmpty();
            FaultyMemory mem = new FaultyMemory();
            try (LoadedImage img = Linker.link(elf, LinkRequest.builder(mem).symbols(kernel(elf)).policy(strict())
                    .build())) {
                assertThat(img.name()).isEqualTo("kobj_demo");
                assertThat(img.symbols()).filteredOn(s -> s.name().equals("printk")).first()
                        .satisfies(s -> assertThat(s.provider()).isEqualTo("vmlinux"));
            }
            assertThat(mem.live).isEmpty();
        }
    }

    @Test
    void crcMismatchDisagreesAboutVersion() throws Exception {
        try (ElfFile elf = ElfFile.of("module.ko", bytes())) {
            var k = replace(kernel(elf), new KernelSymbol("printk", 0x182000L, 0x12345678L, "vmlinux", "EXPORT_SYMBOL",
                    ""));
            List<Problem> ps = Checks.run(elf, strict(), k);
            assertThat(kinds(ps)).containsExactly(Kind.CRC_MISMATCH);
            assertThat(ps.getFirst().message()).contains("disagrees about version of symbol printk");
            assertThat(ps.getFirst().symbol()).isEqualTo("printk");
            // compared as 32 bits: high bits of a 64-bit crc field do not matter
            var high = replace(kernel(elf), new KernelSymbol("printk", 0x182000L, 0x1_92997ed8L, "vmlinux",
                    "EXPORT_SYMBOL", ""));
            assertThat(Checks.run(elf, strict(), high)).isEmpty();
            // module_layout is checked too
            var layout = replace(kernel(elf), new KernelSymbol("module_layout", 0xffffffff81000000L, 1, "vmlinux",
                    "EXPORT_SYMBOL", ""));
            assertThat(Checks.run(elf, strict(), layout)).extracting(Problem::symbol).containsExactly("module_layout");
            // off by policy
            assertThat(Checks.run(elf, strict().toBuilder().modversions(false).build(), k)).isEmpty();
            FaultyMemory mem = new FaultyMemory();
            assertThatThrownBy(() -> Linker.link(elf, LinkRequest.builder(mem).symbols(k).build()))
                    .isInstanceOfSatisfying(LinkException.class, e -> assertThat(e.kind()).isEqualTo(Kind.CRC_MISMATCH));
            assertThat(mem.allocations).as("checks run before any allocation").hasValue(0);
        }
    }

    @Test
    void vermagicMismatch() throws Exception {
        try (ElfFile elf = ElfFile.of("module.ko", bytes())) {
            var p = LoadPolicy.builder().vermagic("6.1.0 SMP preempt mod_unload modversions ").build();
            List<Problem> ps = Checks.run(elf, p, kernel(elf));
            assertThat(kinds(ps)).containsExactly(Kind.VERMAGIC_MISMATCH);
            assertThat(ps.getFirst().message()).contains("version magic '6.1.0 SMP mod_unload modversions ' should be "
                    + "'6.1.0 SMP preempt mod_unload modversions '");
            // with modversions the release is not compared (same_magic), without it it is
            var otherRelease = LoadPolicy.builder().vermagic("6.1.99 SMP mod_unload modversions ").build();
            assertThat(Checks.run(elf, otherRelease, kernel(elf))).isEmpty();
            assertThat(kinds(Checks.run(elf, otherRelease.toBuilder().modversions(false).build(), kernel(elf))))
                    .containsExactly(Kind.VERMAGIC_MISMATCH);
            // no expectation, no check (the default)
            assertThat(Checks.run(elf, LoadPolicy.defaults(), kernel(elf))).isEmpty();
        }
    }

    @Test
    void gplOnlySymbolRefusedToANonGplModule() throws Exception {
        try (ElfFile elf = patched("module.ko", bytes(), "license=GPL\0", "license=BSD\0")) {
            List<Problem> ps = Checks.run(elf, strict(), kernel(elf));
            assertThat(kinds(ps)).containsExactly(Kind.GPL_ONLY);
            assertThat(ps.getFirst().symbol()).isEqualTo("kmalloc");
            assertThat(ps.getFirst().message()).contains("GPL-only symbol kmalloc").contains("license 'BSD'");
            assertThat(Checks.run(elf, strict().toBuilder().gplOnly(false).build(), kernel(elf))).isEmpty();
        }
        for (String ok : CheckRun.GPL_COMPATIBLE) {
            assertThat(List.of("GPL", "GPL v2", "GPL and additional rights", "Dual BSD/GPL", "Dual MIT/GPL",
                    "Dual MPL/GPL")).contains(ok);
        }
        assertThat(CheckRun.GPL_COMPATIBLE).hasSize(6);
    }

    @Test
    void namespaceNotImported() throws Exception {
        try (ElfFile elf = ElfFile.of("module.ko", bytes())) {
            var k = replace(kernel(elf), new KernelSymbol("kobj_ext_value", 0x181000L, CRCS.get("kobj_ext_value"),
                    "vmlinux", "EXPORT_SYMBOL", "OTHER_NS"));
            List<Problem> ps = Checks.run(elf, strict(), k);
            assertThat(kinds(ps)).containsExactly(Kind.NAMESPACE_NOT_IMPORTED);
            assertThat(ps.getFirst().message()).contains(
                    "module kobj_demo uses symbol kobj_ext_value from namespace OTHER_NS, but does not import it");
            assertThat(Checks.run(elf, strict().toBuilder().namespaces(false).build(), k)).isEmpty();
        }
        // the module imports KOBJ_NS: patched to KOBJ_NX it no longer does
        try (ElfFile elf = patched("module.ko", bytes(), "import_ns=KOBJ_NS", "import_ns=KOBJ_NX")) {
            assertThat(kinds(Checks.run(elf, strict(), kernel(elf)))).containsExactly(Kind.NAMESPACE_NOT_IMPORTED);
        }
    }

    @Test
    void koWithoutThisModuleIsNotAModule() throws Exception {
        try (ElfFile elf = patched("module.ko", bytes(), ".gnu.linkonce.this_module", ".gnu.linkonce.this_modulX")) {
            List<Problem> ps = Checks.run(elf, LoadPolicy.defaults(), kernel(elf));
            assertThat(kinds(ps)).containsExactly(Kind.NOT_A_MODULE);
            assertThat(ps.getFirst().message()).contains("not a kernel module");
        }
        // a plain .o need not be a module under the default rule; ALWAYS makes it one
        try (ElfFile elf = TestObjects.open("obj/x86_64-gcc-kernel/x86_64.o")) {
            var k = TestObjects.kernel(TestObjects.plan(elf));
            assertThat(Checks.run(elf, LoadPolicy.defaults(), k)).isEmpty();
            assertThat(kinds(Checks.run(elf, strict(), k))).contains(Kind.NOT_A_MODULE);
        }
    }

    @Test
    void commonSymbolAsksForFnoCommon() throws Exception {
        byte[] data = bytes();
        ElfSymbol victim;
        long symtabOffset;
        try (ElfFile elf = ElfFile.of("module.ko", data)) {
            var st = elf.symbolTable().orElseThrow();
            victim = st.all().stream().filter(s -> !s.isUndefined() && s.bind() == 1 && s.type() == 1).findFirst()
                    .orElseThrow();
            symtabOffset = st.section().offset();
        }
        byte[] copy = data.clone();
        // Elf64_Sym: st_name u32, st_info u8, st_other u8, st_shndx u16 at +6
        ByteBuffer.wrap(copy).order(ByteOrder.LITTLE_ENDIAN).putShort((int) (symtabOffset + 24L * victim.index() + 6),
                (short) 0xfff2);
        try (ElfFile elf = ElfFile.of("module.ko", copy)) {
            List<Problem> ps = Checks.run(elf, LoadPolicy.permissive(), kernel(elf));
            assertThat(kinds(ps)).containsExactly(Kind.COMMON_SYMBOL);
            assertThat(ps.getFirst().message()).contains(victim.name()).contains("compile with -fno-common");
        }
    }

    @Test
    void writableTextIsWPlusX() throws Exception {
        byte[] data = bytes();
        byte[] copy = data.clone();
        try (ElfFile elf = ElfFile.of("module.ko", data)) {
            var text = elf.section(".text").orElseThrow();
            long flagsAt = elf.sectionHeaderOffset(text.index()) + 8; // Elf64_Shdr.sh_flags
            ByteBuffer.wrap(copy).order(ByteOrder.LITTLE_ENDIAN).putLong((int) flagsAt, text.flags() | 1);
        }
        try (ElfFile elf = ElfFile.of("module.ko", copy)) {
            List<Problem> ps = Checks.run(elf, LoadPolicy.defaults(), kernel(elf));
            assertThat(kinds(ps)).containsExactly(Kind.WRITABLE_EXECUTABLE);
            assertThat(ps.getFirst().message()).contains("section .text is W+X");
        }
    }

    @Test
    void everyProblemAtOnce() throws Exception {
        try (ElfFile elf = patched("module.ko", bytes(), "license=GPL\0", "license=BSD\0")) {
            TestObjects.MapLookup k = new TestObjects.MapLookup();
            kernel(elf).byName.values().stream().filter(s -> !s.name().equals("memcpy") && !s.name().equals("kfree"))
                    .forEach(k::put);
            k = replace(k, new KernelSymbol("printk", 0x182000L, 7, "vmlinux", "EXPORT_SYMBOL", ""));
            var p = strict().toBuilder().vermagic("6.1.0 SMP preempt mod_unload modversions ").build();
            List<Problem> ps = Checks.run(elf, p, k);
            assertThat(kinds(ps)).containsExactlyInAnyOrder(Kind.VERMAGIC_MISMATCH, Kind.UNRESOLVED, Kind.UNRESOLVED,
                    Kind.CRC_MISMATCH, Kind.GPL_ONLY);
            FaultyMemory mem = new FaultyMemory();
            var req = LinkRequest.builder(mem).symbols(k).policy(p).build();
            assertThatThrownBy(() -> Linker.link(elf, req)).isInstanceOfSatisfying(LinkException.class, e -> {
                assertThat(e.problems()).isEqualTo(ps);
                assertThat(e.symbols(Kind.UNRESOLVED)).containsExactly("kfree", "memcpy");
                assertThat(e.getMessage()).contains("5 problems").contains("Unknown symbol kfree")
                        .contains("Unknown symbol memcpy");
            });
            assertThat(mem.live).isEmpty();
        }
    }

    @Test
    void missingVersionsWhenRequired() throws Exception {
        try (ElfFile elf = TestObjects.open("obj/x86_64-gcc-kernel/x86_64.o")) {
            TestObjects.MapLookup k = new TestObjects.MapLookup();
            TestObjects.plan(elf).forEach((n, a) -> k.put(new KernelSymbol(n, a, 0x1234, "vmlinux", "EXPORT_SYMBOL",
                    "")));
            assertThat(Checks.run(elf, LoadPolicy.defaults(), k)).isEmpty();
            assertThat(kinds(Checks.run(elf, LoadPolicy.builder().requireVersions(true).build(), k)))
                    .isNotEmpty().containsOnly(Kind.MISSING_VERSIONS);
        }
    }
}
