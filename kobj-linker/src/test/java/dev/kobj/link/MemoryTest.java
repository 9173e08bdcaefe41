package dev.kobj.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kobj.elf.ElfFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HeapMemory's address choice and MappedFileMemory's file. */
class MemoryTest {

    @Property(tries = 200)
    void heapChoosesAlignedNonOverlappingAddresses(@ForAll @Size(min = 1, max = 20) List<@IntRange(min = 1,
            max = 50_000) Integer> sizes, @ForAll @IntRange(min = 0, max = 12) int alignLog) throws Exception {
        HeapMemory mem = new HeapMemory(0x4000_0000L);
        long align = 1L << alignLog;
        List<Allocation> live = new ArrayList<>();
        for (int i = 0; i < sizes.size(); i++) {
            Allocation a = mem.allocate(0, sizes.get(i), align);
            assertThat(a.address() % align).isZero();
            assertThat(a.address()).isGreaterThanOrEqualTo(0x4000_0000L);
            for (Allocation b : live) {
                assertThat(a.address() + a.size() <= b.address() || b.address() + b.size() <= a.address()).isTrue();
            }
            live.add(a);
            if (i % 3 == 2) {
                live.removeFirst().close();
            }
        }
        live.forEach(Allocation::close);
        assertThat(mem.liveAllocations()).isZero();
    }

    @Test
    void heapHonoursAnyAddress() throws Exception {
        HeapMemory mem = new HeapMemory();
        try (Allocation a = mem.allocate(0xffffffffc0000000L, 8192, 4096)) {
            assertThat(a.address()).isEqualTo(0xffffffffc0000000L);
            assertThat(a.segment().byteSize()).isEqualTo(8192);
        }
        assertThatThrownBy(() -> mem.allocate(0x1001, 10, 4096)).isInstanceOf(LinkException.class);
        assertThatThrownBy(() -> mem.allocate(0, 1L << 40, 4096)).isInstanceOf(LinkException.class);
    }

    @Test
    void protectRefusesARangeOutsideTheAllocation(@TempDir Path dir) throws Exception {
        // off-heap allocations of a HeapMemory (every size: from 0 bytes) and mapped-file ones
        // take a range inside them and refuse one that leaves them, naming their memory
        HeapMemory offHeap = new HeapMemory(HeapMemory.DEFAULT_BASE, 0);
        try (Allocation a = offHeap.allocate(0, 0x2000, 4096)) {
            assertThat(a).isInstanceOf(OffHeapAllocation.class);
            a.protect(0x1000, 0x1000, Allocation.Permissions.RX);
            assertThatThrownBy(() -> a.protect(0x1000, 0x1001, Allocation.Permissions.RX)).isInstanceOf(LinkException.class)
                    .hasMessage("heap memory: protect [0x1000, +0x1001) outside 0x2000 bytes");
            assertThatThrownBy(() -> a.protect(-1, 1, Allocation.Permissions.RX)).isInstanceOf(LinkException.class)
                    .hasMessage("heap memory: protect [0xffffffffffffffff, +0x1) outside 0x2000 bytes");
        }
        try (MappedFileMemory file = new MappedFileMemory(dir.resolve("image.bin"));
                Allocation a = file.allocate(0, 0x2000, 4096)) {
            a.protect(0, 0x2000, Allocation.Permissions.R);
            assertThatThrownBy(() -> a.protect(0x2000, 1, Allocation.Permissions.R)).isInstanceOf(LinkException.class)
                    .hasMessage("file memory: protect [0x2000, +0x1) outside 0x2000 bytes");
        }
    }

    @Test
    void mappedFileHoldsTheImageAtItsOffsets(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("image.bin");
        try (ElfFile elf = TestObjects.open("obj/x86_64-gcc-kernel/module.o");
                MappedFileMemory mem = new MappedFileMemory(out)) {
            var req = LinkRequest.builder(mem).symbols(TestObjects.kernel(TestObjects.plan(elf)))
                    .base(TestObjects.BASE).layout(LayoutStrategy.KOBJ).build();
            List<byte[]> regionBytes = new ArrayList<>();
            List<LoadedImage.Region> regions;
            try (LoadedImage img = Linker.link(elf, req)) {
                regions = img.regions();
                for (LoadedImage.Region r : regions) {
                    regionBytes.add(img.read(r.address(), (int) r.size()));
                }
                assertThat(mem.mappings()).hasSize(2); // core and init
                assertThat(mem.liveAllocations()).isEqualTo(2);
            }
            assertThat(mem.liveAllocations()).isZero();
            byte[] file = Files.readAllBytes(out);
            for (int i = 0; i < regions.size(); i++) {
                LoadedImage.Region r = regions.get(i);
                long off = mem.fileOffset(r.address()).orElseThrow();
                assertThat(Arrays.copyOfRange(file, (int) off, (int) (off + r.size()))).as(r.name())
                        .isEqualTo(regionBytes.get(i));
            }
            // and the same link in heap memory gives the same bytes
            try (LoadedImage heap = Linker.link(elf, LinkRequest.builder(new HeapMemory()).symbols(
                    TestObjects.kernel(TestObjects.plan(elf))).base(TestObjects.BASE).layout(LayoutStrategy.KOBJ)
                    .build())) {
                for (int i = 0; i < regions.size(); i++) {
                    LoadedImage.Region r = regions.get(i);
                    assertThat(heap.read(r.address(), (int) r.size())).isEqualTo(regionBytes.get(i));
                }
            }
        }
    }
}
