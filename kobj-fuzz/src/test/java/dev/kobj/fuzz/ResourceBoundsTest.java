package dev.kobj.fuzz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.github.luben.zstd.Zstd;
import dev.kobj.elf.ElfFile;
import dev.kobj.elf.ElfFormatException;
import dev.kobj.elf.Limits;
import dev.kobj.elf.SectionHeader;
import dev.kobj.link.HeapMemory;
import dev.kobj.link.LinkException;
import dev.kobj.link.LinkRequest;
import dev.kobj.link.Linker;
import dev.kobj.link.LoadPolicy;
import dev.kobj.registry.ModuleException;
import dev.kobj.registry.depmod.DependencyGraph;
import dev.kobj.registry.depmod.ModuleSymbols;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZOutputStream;

/**
 * Issue 11, point 5: inputs that claim more than they hold, or hold a bomb, are refused with a
 * clear error within fixed limits (notes/fuzz.md, "Limits"). Each input is a real testdata object
 * with one field changed ({@link Patch}), or a real module followed by zeros and compressed. Each
 * case checks the error (kind, file, field) and what the refusal cost the thread (allocation);
 * a generous preemptive timeout guards against a hang (a bound, not a speed claim: the figures
 * are in notes/fuzz.md).
 */
class ResourceBoundsTest {
    private static final Duration HANG = Duration.ofSeconds(60);
    /** What a refusal may allocate: small tables and the message, whatever the claim. */
    private static final long SMALL = 8L << 20;

    @ParameterizedTest
    @ValueSource(strings = {"obj/x86_64-gcc-kernel/module.o", "obj/aarch64-tiny/module.o", "obj/riscv64-medany/module.o"})
    void aHugeSectionIsRefusedBeforeAnyAllocation(String path) {
        // .bss claims 1 TiB (sh_size of a NOBITS section costs no file bytes).
        byte[] b = Patch.sectionSize(Patch.read(path), ".bss", 1L << 40);
        HeapMemory memory = new HeapMemory(0x100000);
        Cost c = assertTimeoutPreemptively(HANG, () -> Cost.of(() -> link(path, b, memory)));
        assertThat(c.thrown()).isInstanceOf(LinkException.class);
        LinkException e = (LinkException) c.thrown();
        assertThat(e.kind()).isEqualTo(LinkException.Kind.FORMAT);
        assertThat(e.getMessage()).contains(path).contains(".bss").contains("0x10000000000").contains("limit");
        assertThat(c.allocated()).as(c.toString()).isLessThan(SMALL);
        assertThat(memory.liveAllocations()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"obj/x86_64-gcc-kernel/module.o", "obj/aarch64-tiny/module.o", "obj/riscv64-medany/module.o"})
    void millionsOfRelocationsClaimedAreRefused(String path) throws Exception {
        String rela = firstRela(path);
        byte[] b = Patch.sectionSize(Patch.read(path), rela, 24L * 10_000_000); // ten million Elf64_Rela
        HeapMemory memory = new HeapMemory(0x100000);
        Cost c = assertTimeoutPreemptively(HANG, () -> Cost.of(() -> link(path, b, memory)));
        assertThat(c.thrown()).isInstanceOf(LinkException.class);
        assertThat(((LinkException) c.thrown()).kind()).isEqualTo(LinkException.Kind.FORMAT);
        assertThat(c.thrown().getMessage()).contains(path).contains(rela).contains("past the end of the file");
        assertThat(c.allocated()).as(c.toString()).isLessThan(SMALL);
        assertThat(memory.liveAllocations()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"obj/x86_64-gcc-kernel/module.o", "obj/aarch64-tiny/module.o", "obj/riscv64-medany/module.o"})
    void millionsOfSymbolsClaimedAreRefused(String path) {
        byte[] b = Patch.sectionSize(Patch.read(path), ".symtab", 24L * 10_000_000); // ten million Elf64_Sym
        Cost c = assertTimeoutPreemptively(HANG, () -> Cost.of(() -> {
            try (ElfFile f = ElfFile.of(path, b)) {
                f.symbolTable();
            }
        }));
        assertThat(c.thrown()).isInstanceOf(ElfFormatException.class);
        assertThat(c.thrown().getMessage()).contains(path).contains(".symtab").contains("past the end of the file");
        assertThat(c.allocated()).as(c.toString()).isLessThan(SMALL);
    }

    @Test
    void aCompressedSectionClaimingTooMuchIsRefused() {
        String path = "special/debug-zlib.o";
        for (long claim : new long[] {1L << 40, Integer.MAX_VALUE - 16L}) {
            byte[] b = Patch.compressedSize(Patch.read(path), ".debug_info", claim);
            Cost c = assertTimeoutPreemptively(HANG, () -> Cost.of(() -> {
                try (ElfFile f = ElfFile.of(path, b)) {
                    f.contents(f.section(".debug_info").orElseThrow());
                }
            }));
            assertThat(c.thrown()).as("ch_size 0x%x", claim).isInstanceOf(ElfFormatException.class);
            assertThat(c.thrown().getMessage()).contains(path).contains("ch_size").contains(".debug_info")
                    .contains(Limits.MAX_EXPANSION + " times");
            assertThat(c.allocated()).as(c.toString()).isLessThan(SMALL);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"zstd", "xz"})
    void aDecompressionBombIsRefusedWithinItsLimit(String kind) throws Exception {
        // A real module followed by 64 MiB of zeros, compressed: a few KiB that would expand
        // some 10,000 times or more.
        byte[] module = Patch.read("special/module.ko");
        byte[] bomb = compress(kind, module, 64 << 20);
        long limit = Limits.maxDecompressed(bomb.length);
        assertThat(limit).as("the bomb is beyond the limit").isLessThan(module.length + (64L << 20));
        String name = "bomb.ko." + kind;
        Cost c = assertTimeoutPreemptively(HANG, () -> Cost.of(() -> ElfFile.of(name, bomb)));
        assertThat(c.thrown()).isInstanceOf(ElfFormatException.class);
        assertThat(c.thrown().getMessage()).contains(name).contains(kind + " stream")
                .contains("decompresses to more than " + limit + " bytes");
        // The output buffer grows by doubling up to the limit: at most about 3 times the limit.
        assertThat(c.allocated()).as(c.toString()).isLessThan(3 * limit + SMALL);
    }

    @Test
    void aDependencyCycleOfAHundredThousandModulesIsNamedInLinearTime() {
        int n = 100_000;
        List<DependencyGraph.Node> nodes = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            // m_i exports s_i and imports s_{i+1}; the last imports s_0: one cycle through all.
            nodes.add(new DependencyGraph.Node("kernel/m" + i + ".ko", "m" + i,
                    new ModuleSymbols(List.of("s" + i), List.of("s" + ((i + 1) % n)))));
        }
        Cost c = assertTimeoutPreemptively(HANG, () -> Cost.of(() -> DependencyGraph.of(nodes)));
        assertThat(c.thrown()).isInstanceOf(ModuleException.class);
        ModuleException e = (ModuleException) c.thrown();
        assertThat(e.errno()).isEqualTo(ModuleException.Errno.EDEADLK);
        assertThat(e.getMessage()).contains("100000 modules in or below dependency cycles")
                .contains("a cycle of 100000 modules").hasSizeLessThan(1000);
    }

    @Test
    void aDependencyChainOfTwoThousandModulesGivesItsModulesDep() throws Exception {
        int n = 2_000;
        List<DependencyGraph.Node> nodes = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            nodes.add(new DependencyGraph.Node("kernel/m" + i + ".ko", "m" + i,
                    new ModuleSymbols(List.of("s" + i), i + 1 < n ? List.of("s" + (i + 1)) : List.of())));
        }
        DependencyGraph g = assertTimeoutPreemptively(HANG, () -> DependencyGraph.of(nodes));
        // modules.dep lists every module's whole chain (kmod's format): n(n-1)/2 entries.
        StringBuilder out = new StringBuilder();
        assertTimeoutPreemptively(HANG, () -> g.writeModulesDep(out));
        long entries = out.chars().filter(ch -> ch == ' ').count();
        assertThat(entries).isEqualTo((long) n * (n - 1) / 2);
        assertThat(g.dependencies(g.modules().getFirst())).hasSize(n - 1);
    }

    private static void link(String path, byte[] b, HeapMemory memory) throws Exception {
        try (ElfFile f = ElfFile.of(path, b)) {
            Linker.link(f, LinkRequest.builder(memory).symbols(LinkFuzzTest.kernel(f)).base(0x100000)
                    .policy(LoadPolicy.permissive()).build()).close();
        }
    }

    private static String firstRela(String path) throws Exception {
        try (ElfFile f = ElfFile.of(path, Patch.read(path))) {
            for (SectionHeader s : f.sections()) {
                if (s.name().startsWith(".rela.text")) {
                    return s.name();
                }
            }
        }
        throw new IllegalStateException(path + " has no .rela.text");
    }

    private static byte[] compress(String kind, byte[] module, int zeros) throws Exception {
        byte[] all = new byte[module.length + zeros];
        System.arraycopy(module, 0, all, 0, module.length);
        if (kind.equals("zstd")) {
            return Zstd.compress(all, 19);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (XZOutputStream xz = new XZOutputStream(out, new LZMA2Options(6))) {
            xz.write(all);
        }
        return out.toByteArray();
    }
}
