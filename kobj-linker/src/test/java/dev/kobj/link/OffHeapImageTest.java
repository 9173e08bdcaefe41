package dev.kobj.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kobj.elf.ElfFile;
import dev.kobj.elf.Arch;
import dev.kobj.elf.ElfReader;
import dev.kobj.symtab.KernelSymbolTable;
import dev.kobj.testkit.Corpus;
import dev.kobj.testkit.Fixture;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link HeapMemory#HeapMemory(long, long)} holds big allocations in native memory
 * ({@link OffHeapAllocation}). Every testdata object linked with every allocation off the heap
 * gives what the all-heap link gives: the same regions at the same addresses with the same bytes,
 * the same relocation count and symbols (read after close, from the copies kept off the freed
 * memory), or the same refusal; the native memory is freed at close and after a failed link.
 */
class OffHeapImageTest {
    @TempDir
    Path dir;

    static Stream<Fixture> fixtures() {
        return Fixture.all().stream();
    }

    /** What a link gives: every region's name, address, size and bytes, the relocation count, the symbols; or the refusal. */
    private static String link(ElfFile elf, HeapMemory memory, List<MemorySegment> segments) {
        try {
            Map<String, Long> plan = TestObjects.plan(elf);
            LinkRequest req = LinkRequest.builder(memory).symbols(TestObjects.kernel(plan)).base(TestObjects.BASE)
                    .policy(LoadPolicy.defaults()).build();
            StringBuilder out = new StringBuilder();
            LoadedImage img = Linker.link(elf, req);
            try (img) {
                for (LoadedImage.Region r : img.regions()) {
                    out.append(r).append(' ').append(Arrays.hashCode(img.read(r.address(), (int) r.size()))).append('\n');
                    if (r.size() > 0) {
                        segments.add(img.segment(r.address(), r.size()));
                    }
                }
                out.append(img.relocationCount()).append('\n');
            }
            out.append(img.symbols()).append('\n');
            return out.toString();
        } catch (Exception e) {
            return "error: " + e.getMessage();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void sameImageOffTheHeap(Fixture f) throws Exception {
        try (ElfFile elf = ElfFile.open(f.file())) {
            HeapMemory heap = new HeapMemory(TestObjects.BASE);
            HeapMemory offHeap = new HeapMemory(TestObjects.BASE, 0);
            List<MemorySegment> heapSegments = new ArrayList<>();
            List<MemorySegment> nativeSegments = new ArrayList<>();
            String expected = link(elf, heap, heapSegments);
            assertThat(link(elf, offHeap, nativeSegments)).isEqualTo(expected);
            assertThat(offHeap.liveAllocations()).as("freed at close or on failure").isZero();
            assertThat(heap.liveAllocations()).isZero();
            assertThat(nativeSegments).allSatisfy(s -> {
                assertThat(s.isNative()).isTrue();
                assertThat(s.scope().isAlive()).as("native memory freed").isFalse();
            });
            assertThat(heapSegments).noneMatch(MemorySegment::isNative);
        }
    }

    /**
     * Debian 13's riscv64 amdgpu.ko.xz (58 MiB unpacked, 1.74 M symbols): {@link ElfReader} unpacks
     * it into native memory, byte for byte what xz(1) gives, and its link against the synthesized
     * Module.symvers with the images of 16 MiB and more off the heap (as {@code kobjdump check}
     * does) is the all-heap link: same regions, bytes, relocation count and symbols.
     */
    @Test
    void riscv64AmdgpuOffTheHeapAsOnIt() throws Exception {
        Path ko = Corpus.module("riscv64", "amdgpu.ko.xz");
        Path plain = Corpus.plain(ko, dir.resolve("amdgpu.ko"));
        Arch arch = Corpus.arch("riscv64");
        KernelSymbolTable table = KernelSymbolTable.synthesize(KernelSymbolTable.read(Corpus.require("riscv64").resolve("Module.symvers")),
                arch, true);
        long base = arch.textBase() - 0x0100_0000L;
        try (ElfFile f = new ElfReader().open(ko); ElfFile xz = ElfFile.open(plain)) {
            assertThat(f.fileBytes().isNative()).as("unpacked off the heap").isTrue();
            assertThat(f.fileBytes().mismatch(xz.fileBytes())).as("xz(1)'s bytes").isEqualTo(-1);
            LoadPolicy policy = LoadPolicy.builder().vermagic(f.modinfo("vermagic").getFirst())
                    .thisModule(LoadPolicy.ThisModuleRule.ALWAYS).requireVersions(true).build();
            List<String> images = new ArrayList<>();
            for (HeapMemory m : List.of(new HeapMemory(base), new HeapMemory(base, 16L << 20))) {
                StringBuilder out = new StringBuilder();
                boolean offHeap = false;
                try (LoadedImage img = Linker.link(f, LinkRequest.builder(m).symbols(table).base(base).policy(policy)
                        .build())) {
                    for (LoadedImage.Region r : img.regions()) {
                        MemorySegment s = img.segment(r.address(), r.size());
                        offHeap |= s.isNative();
                        out.append(r).append(' ').append(Arrays.hashCode(s.toArray(ValueLayout.JAVA_BYTE))).append('\n');
                    }
                    out.append(img.relocationCount()).append(' ').append(img.symbols().size()).append('\n');
                    img.close();
                    for (int i = 0; i < img.symbols().size(); i += 997) {
                        out.append(img.symbols().get(i)).append('\n');
                    }
                }
                assertThat(offHeap).isEqualTo(m != null && images.size() == 1);
                assertThat(m.liveAllocations()).isZero();
                images.add(out.toString());
            }
            assertThat(images.get(1)).isEqualTo(images.get(0));
        }
    }

    @Test
    void aFailedLinkLeavesNothingAllocated() throws Exception {
        try (ElfFile elf = TestObjects.open(FailureCleanupTest.MODULE)) {
            HeapMemory offHeap = new HeapMemory(TestObjects.BASE, 0);
            // no kernel table: every undefined symbol is unresolved, after the regions were allocated
            assertThatThrownBy(() -> Linker.link(elf, LinkRequest.builder(offHeap).build()))
                    .isInstanceOf(LinkException.class);
            assertThat(offHeap.liveAllocations()).isZero();
        }
    }

    @Test
    void onlyAllocationsFromTheThresholdGoOffTheHeap() throws Exception {
        HeapMemory m = new HeapMemory(HeapMemory.DEFAULT_BASE, 1 << 20);
        try (Allocation small = m.allocate(0, (1 << 20) - 1, 4096); Allocation big = m.allocate(0, 1 << 20, 4096)) {
            assertThat(small).isInstanceOf(HeapMemory.HeapAllocation.class);
            assertThat(small.segment().isNative()).isFalse();
            assertThat(big.segment().isNative()).isTrue();
            assertThat(big.segment().byteSize()).isEqualTo(1 << 20);
            assertThat(big.address()).as("after the small one, page-aligned").isEqualTo(HeapMemory.DEFAULT_BASE + (1 << 20));
            assertThat(big.segment().toArray(ValueLayout.JAVA_BYTE)).containsOnly((byte) 0);
            assertThat(m.liveAllocations()).isEqualTo(2);
            MemorySegment s = big.segment();
            big.close();
            assertThat(s.scope().isAlive()).isFalse();
            assertThat(m.liveAllocations()).isEqualTo(1);
            assertThatThrownBy(big::segment).isInstanceOf(IllegalStateException.class);
            Allocation again = m.allocate(0, 1 << 20, 4096);
            assertThat(again.address()).as("the range was given back").isEqualTo(big.address());
            again.close();
        }
        assertThat(m.liveAllocations()).isZero();
    }
}
