package dev.kobj.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** mmap, fixed addresses, mprotect and munmap, checked against /proc/self/maps. */
class NativeMemoryTest {

    private static final long PAGE = NativeMemory.pageSize();

    /** {@return the permission field ("rw-p", "r-xp", ...) of the mapping holding {@code addr}, or "" if none} */
    static String mapping(long addr) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/maps"))) {
            String[] f = line.split("\\s+");
            String[] range = f[0].split("-");
            long lo = Long.parseUnsignedLong(range[0], 16);
            long hi = Long.parseUnsignedLong(range[1], 16);
            if (Long.compareUnsigned(addr, lo) >= 0 && Long.compareUnsigned(addr, hi) < 0) {
                return f[1];
            }
        }
        return "";
    }

    @Test
    void allocatesPageAlignedWritableMemory() throws Exception {
        NativeMemory m = new NativeMemory();
        try (NativeAllocation a = m.allocate(0, 5000, 0)) {
            assertThat(a.address() % PAGE).isZero();
            assertThat(a.size()).isEqualTo(5000);
            assertThat(a.mappedSize()).isEqualTo(2 * PAGE);
            assertThat(a.segment().byteSize()).isEqualTo(5000);
            a.segment().set(ValueLayout.JAVA_LONG, 4992, 0x1122334455667788L);
            assertThat(a.segment().get(ValueLayout.JAVA_LONG, 4992)).isEqualTo(0x1122334455667788L);
            assertThat(a.segment().get(ValueLayout.JAVA_BYTE, 0)).isZero();
            assertThat(mapping(a.address())).isEqualTo("rw-p");
        }
        assertThat(m.kind()).isEqualTo("native");
    }

    @Test
    void honoursLargeAlignment() throws Exception {
        long align = 1L << 21;
        try (NativeAllocation a = new NativeMemory().allocate(0, 3 * PAGE, align)) {
            assertThat(a.address() % align).isZero();
            assertThat(mapping(a.address())).isEqualTo("rw-p");
        }
    }

    @Test
    void mapsAtTheRequestedAddressOrFails() throws Exception {
        NativeMemory m = new NativeMemory();
        long want;
        // find a free spot: map, remember, unmap, then ask for it back
        try (NativeAllocation probe = m.allocate(0, 4 * PAGE, 1L << 16)) {
            want = probe.address();
        }
        try (NativeAllocation a = m.allocate(want, 4 * PAGE, 0)) {
            assertThat(a.address()).isEqualTo(want);
            assertThatThrownBy(() -> m.allocate(want + PAGE, PAGE, 0))
                    .isInstanceOf(LinkException.class)
                    .hasMessageContaining(String.format("0x%x", want + PAGE))
                    .hasMessageContaining("already mapped");
        }
        assertThatThrownBy(() -> m.allocate(want + 1, PAGE, 0)).isInstanceOf(LinkException.class)
                .hasMessageContaining("not aligned");
        assertThatThrownBy(() -> m.allocate(0xffffffff80000000L, PAGE, 0)).isInstanceOf(LinkException.class)
                .hasMessageContaining("top 2 GiB");
        assertThatThrownBy(() -> m.allocate(0, PAGE, 3)).isInstanceOf(LinkException.class)
                .hasMessageContaining("power of two");
    }

    @Test
    void protectSetsPagePermissions() throws Exception {
        try (NativeAllocation a = new NativeMemory().allocate(0, 3 * PAGE, 0)) {
            a.protect(0, 1, Allocation.Permissions.RX);
            a.protect(PAGE, PAGE, Allocation.Permissions.R);
            assertThat(mapping(a.address())).isEqualTo("r-xp");
            assertThat(mapping(a.address() + PAGE)).isEqualTo("r--p");
            assertThat(mapping(a.address() + 2 * PAGE)).isEqualTo("rw-p");
            assertThat(a.permissionsAt(PAGE + 5)).isEqualTo(Allocation.Permissions.R);
            assertThat(a.permissionsAt(2 * PAGE)).isEqualTo(Allocation.Permissions.RW);
            a.segment().set(ValueLayout.JAVA_BYTE, 2 * PAGE, (byte) 7);
            assertThat(a.segment().get(ValueLayout.JAVA_BYTE, 2 * PAGE)).isEqualTo((byte) 7);
            assertThatThrownBy(() -> a.protect(1, PAGE, Allocation.Permissions.R))
                    .isInstanceOf(LinkException.class).hasMessageContaining("page size");
            assertThatThrownBy(() -> a.protect(0, 4 * PAGE, Allocation.Permissions.R))
                    .isInstanceOf(LinkException.class).hasMessageContaining("outside");
        }
    }

    @Test
    void closeUnmapsOnceAndKillsTheViews() throws Exception {
        NativeAllocation a = new NativeMemory().allocate(0, PAGE, 0);
        var view = a.segment();
        long addr = a.address();
        assertThat(mapping(addr)).isEqualTo("rw-p");
        a.close();
        a.close();
        assertThat(a.isClosed()).isTrue();
        assertThatThrownBy(() -> view.get(ValueLayout.JAVA_BYTE, 0)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(a::segment).isInstanceOf(IllegalStateException.class);
        // the page is gone (unless another thread mapped something there meanwhile)
        assertThat(mapping(addr)).isNotEqualTo("rw-p");
    }

    @Test
    void functionRefusesAddressesThatAreNotExecutableCodeOfThisMemory() throws Throwable {
        NativeMemory m = new NativeMemory();
        try (NativeAllocation a = m.allocate(0, PAGE, 0)) {
            var fd = java.lang.foreign.FunctionDescriptor.of(ValueLayout.JAVA_INT);
            assertThatThrownBy(() -> m.function(a.address(), fd)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("not RX");
            assertThatThrownBy(() -> m.function(a.address() + PAGE, fd))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not in an open allocation");
            // mov eax, 42 ; ret  -- the one hand-made instruction sequence: the linked-module tests run real objects
            a.segment().copyFrom(java.lang.foreign.MemorySegment.ofArray(HexFormat.of().parseHex("b82a000000c3")));
            a.protect(0, PAGE, Allocation.Permissions.RX);
            if (System.getProperty("os.arch").equals("amd64")) {
                assertThat((int) m.function(a.address(), fd).invokeExact()).isEqualTo(42);
            }
        }
    }
}
