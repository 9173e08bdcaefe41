package dev.kobj.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kobj.elf.Arch;
import dev.kobj.elf.ElfConstants;
import dev.kobj.elf.ElfFile;
import dev.kobj.elf.SectionHeader;
import dev.kobj.link.LoadedImage.Layout;
import dev.kobj.link.LoadedImage.Part;
import dev.kobj.link.LoadedImage.PlacedSection;
import dev.kobj.link.LoadedImage.Region;
import dev.kobj.testkit.Fixture;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every testdata object of the three architectures linked in heap memory, with the layout invariants checked. */
class LinkFixturesTest {

    static Stream<Fixture> fixtures() {
        return Fixture.all().stream();
    }

    private static boolean supported(ElfFile elf) {
        return Arch.of(elf.header().machine(), elf.header().bits()) != null;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void linksWithKernelLayout(Fixture f) throws Exception {
        try (ElfFile elf = ElfFile.open(f.file())) {
            Map<String, Long> plan = TestObjects.plan(elf);
            FaultyMemory mem = new FaultyMemory();
            LinkRequest req = LinkRequest.builder(mem).symbols(TestObjects.kernel(plan)).base(TestObjects.BASE)
                    .policy(LoadPolicy.defaults()).layout(LayoutStrategy.KOBJ).build(); // the layout checkLayout describes
            if (!supported(elf)) {
                assertThatThrownBy(() -> Linker.link(elf, req)).isInstanceOf(LinkException.class)
                        .extracting(e -> ((LinkException) e).kind()).isEqualTo(LinkException.Kind.UNSUPPORTED_MACHINE);
                assertThat(mem.live).isEmpty();
                return;
            }
            if (f.tls()) {
                assertThatThrownBy(() -> Linker.link(elf, req)).isInstanceOf(LinkException.class)
                        .satisfies(e -> assertThat(((LinkException) e).kind()).isEqualTo(LinkException.Kind.RELOCATION))
                        .hasMessageContaining("thread-local storage");
                assertThat(mem.live).as("nothing leaked").isEmpty();
                return;
            }
            if (f.arch().startsWith("riscv") && !f.path().contains("norelax") && hasRiscvAlign(elf)) {
                // Linux's RISC-V loader refuses R_RISCV_ALIGN ("unexpected relocation type"): modules are
                // built with -mno-relax. kobj keeps the NOPs and accepts ALIGN only where they already align.
                try (LoadedImage img = Linker.link(elf, req)) {
                    checkLayout(elf, img);
                } catch (LinkException e) {
                    assertThat(e.kind()).isEqualTo(LinkException.Kind.RELOCATION);
                    assertThat(e).hasMessageContaining("R_RISCV_ALIGN");
                }
                assertThat(mem.live).isEmpty();
                return;
            }
            try (LoadedImage img = Linker.link(elf, req)) {
                checkLayout(elf, img);
                for (LoadedImage.LinkedSymbol s : img.symbols()) {
                    if (s.wasUndefined() && plan.containsKey(s.name())) {
                        assertThat(s.address()).as(s.name()).isEqualTo(plan.get(s.name()));
                        assertThat(s.source()).isEqualTo(LoadedImage.Source.LOOKUP);
                    }
                    if (s.wasUndefined() && s.symbol().bind() == ElfConstants.STB_WEAK && !plan.containsKey(s.name())) {
                        assertThat(s.address()).as("weak " + s.name()).isZero();
                    }
                }
                long relocs = 0;
                for (var t : elf.relocationTables()) {
                    if (t.target() != null && Link.loaded(t.target())) {
                        relocs += t.size();
                    }
                }
                assertThat(img.relocationCount()).isEqualTo(relocs);
            }
            assertThat(mem.live).as("close frees everything").isEmpty();
        }
    }

    static boolean hasRiscvAlign(ElfFile elf) throws Exception {
        for (var t : elf.relocationTables()) {
            for (long i = 0; i < t.size(); i++) {
                if (t.type(i) == 43) {
                    return true;
                }
            }
        }
        return false;
    }

    static void checkLayout(ElfFile elf, LoadedImage img) throws Exception {
        List<Region> regions = img.regions();
        assertThat(regions.getFirst().address()).isEqualTo(TestObjects.BASE);
        for (int i = 0; i < regions.size(); i++) {
            Region r = regions.get(i);
            assertThat(r.address() % Linker.PAGE_SIZE).as(r.name()).isZero();
            assertThat(r.size() % Linker.PAGE_SIZE).as(r.name()).isZero();
            assertThat(r.used()).isNotNegative().isLessThanOrEqualTo(r.size());
            assertThat(r.permissions()).isEqualTo(r.part().permissions());
            assertThat(r.name()).isEqualTo(r.layout().name().toLowerCase() + "." + r.part().name().toLowerCase());
            if (i > 0) {
                assertThat(r.address()).as("regions in order, no overlap")
                        .isGreaterThanOrEqualTo(regions.get(i - 1).address() + regions.get(i - 1).size());
            }
            assertThat(r.permissions().writable() && r.permissions().executable()).isFalse();
        }
        int loaded = 0;
        for (SectionHeader s : elf.sections()) {
            boolean shouldLoad = s.isAlloc() && s.type() != ElfConstants.SHT_GROUP && !s.name().equals(".modinfo")
                    && !s.name().equals("__versions");
            assertThat(img.section(s.index()).isPresent()).as(s.name()).isEqualTo(shouldLoad);
            if (!shouldLoad) {
                continue;
            }
            loaded++;
            PlacedSection p = img.section(s.index()).orElseThrow();
            Region r = p.region();
            assertThat(p.address() % Math.max(1, s.addralign())).as(s.name() + " aligned").isZero();
            assertThat(p.address()).isGreaterThanOrEqualTo(r.address());
            assertThat(p.address() + p.size()).isLessThanOrEqualTo(r.address() + r.used());
            assertThat(r.layout()).as(s.name()).isEqualTo(s.name().startsWith(".init") ? Layout.INIT : Layout.CORE);
            Part expected = (s.flags() & ElfConstants.SHF_EXECINSTR) != 0 ? Part.TEXT
                    : (s.flags() & ElfConstants.SHF_WRITE) == 0 ? Part.RODATA
                    : s.name().equals(".data..ro_after_init") || s.name().equals("__jump_table") ? Part.RO_AFTER_INIT
                    : s.isNobits() ? Part.BSS : Part.DATA;
            assertThat(r.part()).as(s.name()).isEqualTo(expected);
            if (s.isNobits() && s.size() > 0) {
                assertThat(img.read(p.address(), (int) p.size())).containsOnly((byte) 0);
            }
        }
        assertThat(img.sections()).hasSize(loaded);
        // no two placed sections overlap
        List<PlacedSection> ps = img.sections();
        for (int i = 1; i < ps.size(); i++) {
            assertThat(ps.get(i).address()).isGreaterThanOrEqualTo(ps.get(i - 1).address() + ps.get(i - 1).size());
        }
        for (LoadedImage.StubSection st : img.stubs()) {
            assertThat(st.region().layout()).isEqualTo(Layout.CORE);
            assertThat(st.region().part()).isEqualTo(st.kind() != LoadedImage.StubKind.GOT ? Part.TEXT : Part.RODATA);
            assertThat(st.address() % 16).isZero();
            for (PlacedSection p : ps) {
                assertThat(p.address() + p.size() <= st.address() || p.address() >= st.address() + st.size())
                        .as(st.name() + " clear of " + p.name()).isTrue();
            }
        }
        // final permissions were applied per region (ro_after_init stays RW until completeInit)
        if (img.memory() instanceof FaultyMemory cm) {
            assertThat(cm.protects.get()).isEqualTo(regions.stream().filter(r -> r.size() > 0).count());
        }
    }
}
