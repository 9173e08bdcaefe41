package dev.kobj.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kobj.elf.ElfFile;
import dev.kobj.link.LinkException.Kind;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A failed link leaves nothing behind, whatever pass fails; resolution order and weak symbols. */
class FailureCleanupTest {

    static final String MODULE = "obj/x86_64-gcc-kernel/module.o";

    @Test
    void everyUnresolvedSymbolInOneException() throws Exception {
        try (ElfFile elf = TestObjects.open(MODULE)) {
            FaultyMemory mem = new FaultyMemory();
            var expected = TestObjects.plan(elf).keySet();
            assertThatThrownBy(() -> Linker.link(elf, LinkRequest.builder(mem).build()))
                    .isInstanceOfSatisfying(LinkException.class, e -> {
                        assertThat(e.kind()).isEqualTo(Kind.UNRESOLVED);
                        assertThat(e.symbols(Kind.UNRESOLVED)).containsExactlyInAnyOrderElementsOf(expected);
                        assertThat(e.symbols(Kind.UNRESOLVED)).hasSizeGreaterThan(3);
                    });
            assertThat(mem.allocations).hasValue(0);
        }
    }

    @Test
    void failedAllocationOfInitFreesCore() throws Exception {
        try (ElfFile elf = TestObjects.open(MODULE)) {
            FaultyMemory mem = new FaultyMemory();
            mem.failAllocation = 1; // core succeeds, init fails
            assertThatThrownBy(() -> Linker.link(elf, request(elf, mem))).isInstanceOfSatisfying(LinkException.class,
                    e -> assertThat(e.kind()).isEqualTo(Kind.MEMORY));
            assertThat(mem.allocations).hasValue(2);
            assertThat(mem.live).isEmpty();
            assertThat(mem.heap.liveAllocations()).isZero();
        }
    }

    @Test
    void failedProtectFreesEverything() throws Exception {
        try (ElfFile elf = TestObjects.open(MODULE)) {
            FaultyMemory mem = new FaultyMemory();
            mem.failProtect = 2;
            assertThatThrownBy(() -> Linker.link(elf, request(elf, mem))).isInstanceOf(LinkException.class);
            assertThat(mem.live).isEmpty();
        }
    }

    @Test
    void relocationOutOfRangeFreesEverything() throws Exception {
        try (ElfFile elf = TestObjects.open(MODULE)) {
            FaultyMemory mem = new FaultyMemory();
            // kobj_ext_value 8 GiB away: its PC32/32S data references cannot reach it (calls could, through the PLT)
            var req = LinkRequest.builder(mem).symbols(TestObjects.kernel(TestObjects.plan(elf)))
                    .base(TestObjects.BASE).build();
            Map<String, Long> far = new java.util.HashMap<>(TestObjects.plan(elf));
            far.put("kobj_ext_value", 0x2_0000_0000L);
            var farReq = LinkRequest.builder(mem).symbols(TestObjects.kernel(far)).base(TestObjects.BASE).build();
            assertThatThrownBy(() -> Linker.link(elf, farReq)).isInstanceOfSatisfying(LinkException.class, e -> {
                assertThat(e.kind()).isEqualTo(Kind.RELOCATION);
                assertThat(e.getCause()).isInstanceOf(dev.kobj.reloc.RelocationException.class);
                assertThat(e.getMessage()).contains(elf.name()).contains("out of range").contains("kobj_ext_value")
                        .contains("R_X86_64_");
            });
            assertThat(mem.live).isEmpty();
            Linker.link(elf, req).close();
            assertThat(mem.live).isEmpty();
        }
    }

    @Test
    void throwingListenerFreesEverything() throws Exception {
        try (ElfFile elf = TestObjects.open(MODULE)) {
            FaultyMemory mem = new FaultyMemory();
            var req = LinkRequest.builder(mem).symbols(TestObjects.kernel(TestObjects.plan(elf))).listener(
                    new LinkListener() {
                        @Override
                        public void relocated(LoadedImage.PlacedSection section, int count) {
                            throw new IllegalStateException("listener says no");
                        }
                    }).build();
            assertThatThrownBy(() -> Linker.link(elf, req)).hasMessage("listener says no");
            assertThat(mem.live).isEmpty();
        }
    }

    @Test
    void bindingsComeAfterTheLookupAndWeakIsZero() throws Exception {
        try (ElfFile elf = TestObjects.open(MODULE)) {
            Map<String, Long> plan = new java.util.HashMap<>(TestObjects.plan(elf));
            long printk = plan.remove("printk");
            HeapMemory mem = new HeapMemory();
            var req = LinkRequest.builder(mem).symbols(TestObjects.kernel(plan)).bind("printk", printk)
                    .bind("kmalloc", 0x999000L).base(TestObjects.BASE).build();
            try (LoadedImage img = Linker.link(elf, req)) {
                var byName = new java.util.HashMap<String, LoadedImage.LinkedSymbol>();
                img.symbols().forEach(s -> byName.putIfAbsent(s.name(), s));
                assertThat(byName.get("printk").source()).isEqualTo(LoadedImage.Source.BINDING);
                assertThat(byName.get("printk").address()).isEqualTo(printk);
                assertThat(byName.get("kmalloc").source()).as("lookup first").isEqualTo(LoadedImage.Source.LOOKUP);
                assertThat(byName.get("kmalloc").address()).isEqualTo(plan.get("kmalloc"));
                assertThat(img.symbols()).filteredOn(s -> s.source() == LoadedImage.Source.WEAK_UNDEFINED
                        && !s.name().isEmpty()).isNotEmpty().allSatisfy(s -> assertThat(s.address()).isZero());
                // symbol() and symbolAt() on defined symbols
                var init = img.symbols().stream().filter(s -> s.source() == LoadedImage.Source.DEFINED
                        && s.symbol().type() == 2 && s.symbol().size() > 4).findFirst().orElseThrow();
                assertThat(img.symbolAt(init.address() + 2)).get().extracting(LoadedImage.LinkedSymbol::address)
                        .isEqualTo(init.address());
                assertThat(img.symbol(init.name())).hasValue(init.address());
                assertThat(img.symbolAt(0x10)).isEmpty();
            }
            assertThat(mem.liveAllocations()).isZero();
        }
    }

    @Test
    void wxAndCompleteInit() throws Exception {
        try (ElfFile elf = TestObjects.open(MODULE)) {
            HeapMemory mem = new HeapMemory();
            java.util.List<Allocation> allocs = new java.util.ArrayList<>();
            HostMemory spy = new HostMemory() {
                @Override
                public Allocation allocate(long address, long size, long alignment) throws LinkException {
                    Allocation a = mem.allocate(address, size, alignment);
                    allocs.add(a);
                    return a;
                }

                @Override
                public String kind() {
                    return "spy";
                }
            };
            try (LoadedImage img = Linker.link(elf, LinkRequest.builder(spy).symbols(TestObjects.kernel(
                    TestObjects.plan(elf))).layout(LayoutStrategy.KOBJ).build())) {
                assertThat(img.regions()).anyMatch(r -> r.layout() == LoadedImage.Layout.INIT);
                for (LoadedImage.Region r : img.regions()) {
                    var a = (HeapMemory.HeapAllocation) allocs.stream().filter(x -> r.address() >= x.address()
                            && r.address() < x.address() + x.size()).findFirst().orElseThrow();
                    assertThat(a.permissions(r.address() - a.address())).as(r.name()).isEqualTo(
                            r.part() == LoadedImage.Part.RO_AFTER_INIT ? Allocation.Permissions.RW : r.permissions());
                }
                var text = img.regions().getFirst();
                assertThatThrownBy(() -> img.write(text.address(), new byte[] {1}))
                        .isInstanceOf(IllegalStateException.class);
                assertThat(mem.liveAllocations()).isEqualTo(2);
                img.completeInit();
                assertThat(mem.liveAllocations()).isEqualTo(1);
                assertThat(img.regions()).allMatch(r -> r.layout() == LoadedImage.Layout.CORE);
                assertThatThrownBy(() -> img.function("init_module", java.lang.foreign.FunctionDescriptor.of(
                        java.lang.foreign.ValueLayout.JAVA_INT))).isInstanceOf(UnsupportedOperationException.class);
            }
            assertThat(mem.liveAllocations()).isZero();
        }
    }

    private static LinkRequest request(ElfFile elf, HostMemory mem) throws Exception {
        return LinkRequest.builder(mem).symbols(TestObjects.kernel(TestObjects.plan(elf))).base(TestObjects.BASE)
                .build();
    }
}
