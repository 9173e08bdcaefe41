package dev.kobj.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kobj.elf.ElfFile;
import dev.kobj.elf.ElfSymbol;
import dev.kobj.elf.RelocationTable;
import dev.kobj.link.LoadedImage.PlacedSection;
import dev.kobj.reloc.RelocationEngines;
import dev.kobj.reloc.RelocationKind;
import dev.kobj.testkit.Fixture;
import dev.kobj.testkit.GnuLd;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The oracle: GNU ld given kobj's placement (the test kit's {@link GnuLd#linkEach}: a
 * generated linker script with one output section per placed section at the address kobj
 * chose, the undefined symbols at the plan's addresses, {@code --no-relax}) must produce the
 * same bytes for every placed section kobj and ld can be compared on. Not compared: sections
 * whose name repeats, sections with a GOT relocation or one against
 * {@code _GLOBAL_OFFSET_TABLE_} (kobj's GOT is not ld's; reloc-arch's GotFollow covers those)
 * and sections referring to symbols in repeated-name sections.
 */
class GnuLdCompareTest {

    static final Map<String, int[]> TOTALS = new LinkedHashMap<>();

    /** The architectures GNU ld links as a loader would place them (not ILP32: kobj has no engine for it). */
    static final Set<String> ARCHES = Set.of("x86_64", "aarch64", "aarch64_be", "riscv64", "riscv32");

    static Stream<Fixture> fixtures() {
        return Fixture.all().stream().filter(f -> !f.tls() && !f.path().endsWith(".xz") && ARCHES.contains(f.arch()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void sameBytesAsGnuLd(Fixture f, @TempDir Path dir) throws Exception {
        try (ElfFile elf = ElfFile.open(f.file())) {
            Map<String, Long> plan = TestObjects.plan(elf);
            LoadedImage img;
            try {
                img = Linker.link(elf, LinkRequest.builder(new HeapMemory()).symbols(TestObjects.kernel(plan))
                        .base(TestObjects.BASE).build());
            } catch (LinkException e) {
                assumeTrue(false, "kobj refuses it (LinkFixturesTest says why): " + e.getMessage());
                return;
            }
            try (img) {
                compare(f, elf, img, plan, dir);
            }
        }
    }

    private void compare(Fixture f, ElfFile elf, LoadedImage img, Map<String, Long> plan, Path dir)
            throws Exception {
        Map<String, List<PlacedSection>> byName = new LinkedHashMap<>();
        for (PlacedSection p : img.sections()) {
            byName.computeIfAbsent(p.name(), k -> new ArrayList<>()).add(p);
        }
        List<GnuLd.Section> placed = new ArrayList<>();
        long end = 0;
        for (PlacedSection p : img.sections()) {
            if (!p.header().isAlloc() || p.header().type() != elf.section(p.index()).type()) {
                continue; // the kernel's .symtab/.strtab copy, or a stub section the kernel resized: not ld's input
            }
            placed.add(new GnuLd.Section(p.index(), p.name(), p.address(), p.size(), p.nobits()));
        }
        for (LoadedImage.Region r : img.regions()) {
            end = Math.max(end, r.address() + r.size());
        }
        // ld's own GOT right after the image: GOT-relative loads (AArch64 LD_PREL19: +-1 MiB) must reach it
        long ldStubs = (end + 0xfff) & -0x1000L;
        GnuLd.Result ld = GnuLd.linkEach(elf, placed, new LinkedHashMap<>(plan), ldStubs, dir);
        assumeTrue(ld.ok(), "GNU ld refuses it: " + ld.log());
        assertThat(ld.placementErrors()).as("ld placed every section where kobj did").isEmpty();

        Set<Integer> repeated = new HashSet<>();
        byName.values().stream().filter(l -> l.size() > 1).flatMap(List::stream).forEach(s -> repeated.add(s.index()));
        Set<Integer> skip = new HashSet<>(repeated);
        var engine = RelocationEngines.forMachine(elf.header().machine(), elf.header().bits()).orElseThrow();
        List<ElfSymbol> syms = elf.symbolTable().map(t -> {
            try {
                return t.all();
            } catch (Exception x) {
                throw new IllegalStateException(x);
            }
        }).orElse(List.of());
        Map<Integer, List<long[]>> masked = new HashMap<>();
        for (RelocationTable t : elf.relocationTables()) {
            if (t.target() == null) {
                continue;
            }
            for (long i = 0; i < t.size(); i++) {
                var kind = engine.kind((int) t.type(i));
                ElfSymbol s = syms.get((int) t.symbol(i));
                int width = weakBranchWidth(kind.map(RelocationKind::name).orElse(""));
                if (width > 0 && s.isUndefined() && s.bind() == dev.kobj.elf.ElfConstants.STB_WEAK) {
                    masked.computeIfAbsent(t.target().index(), x -> new ArrayList<>()).add(new long[] {t.offset(i),
                        width});
                }
                if (kind.map(x -> x.category() == RelocationKind.Category.GOT).orElse(false)
                        || s.name().equals("_GLOBAL_OFFSET_TABLE_") || (!s.isUndefined() && repeated.contains(
                                (int) s.shndx()))) {
                    skip.add(t.target().index());
                }
            }
        }
        int weakMasked = 0;
        int compared = 0;
        int skipped = 0;
        {
            for (PlacedSection s : img.sections()) {
                if (s.nobits() || s.size() == 0 || !s.header().isAlloc()) {
                    continue; // not SHF_ALLOC in the object: the kernel's copy of .symtab/.strtab, not ld's input
                }
                if (skip.contains(s.index())) {
                    skipped++;
                    continue;
                }
                byte[] expected = ld.bytesBySection().get(s.index());
                assertThat(expected).as("ld's bytes of " + s.name() + "\n" + ld.log()).isNotNull();
                byte[] mine = img.read(s.address(), (int) s.size());
                for (long[] m : masked.getOrDefault(s.index(), List.of())) {
                    // GNU ld's weak-call rewrite (AAELF64: BL becomes NOP; RISC-V: JALR off x0); kobj,
                    // as Linux's loaders, applies S + A - P with S = 0. reloc-arch's WeakBranch oracle
                    // checks those branches; here they are masked on both sides.
                    java.util.Arrays.fill(mine, (int) m[0], (int) (m[0] + m[1]), (byte) 0);
                    java.util.Arrays.fill(expected, (int) m[0], (int) (m[0] + m[1]), (byte) 0);
                    weakMasked++;
                }
                if (!java.util.Arrays.equals(mine, expected)) {
                    int at = java.util.Arrays.mismatch(mine, expected);
                    StringBuilder why = new StringBuilder();
                    for (RelocationTable t : elf.relocationTables()) {
                        if (t.target() != null && t.target().index() == s.index()) {
                            for (long i = 0; i < t.size(); i++) {
                                if (Math.abs(t.offset(i) - at) <= 8) {
                                    why.append(String.format(" [+0x%x type %d sym %s addend %d]", t.offset(i),
                                            t.type(i), syms.get((int) t.symbol(i)).name(), t.addend(i)));
                                }
                            }
                        }
                    }
                    throw new AssertionError(String.format("%s: %s differs from GNU ld at +0x%x (0x%x): kobj %02x, "
                            + "ld %02x; relocations near:%s", f, s.name(), at, s.address() + at, mine[at],
                            expected[at], why));
                }
                compared++;
            }
        }
        synchronized (TOTALS) {
            int[] t = TOTALS.computeIfAbsent(f.arch(), a -> new int[4]);
            t[0]++;
            t[1] += compared;
            t[2] += skipped;
            t[3] += weakMasked;
        }
    }

    @AfterAll
    static void report() {
        TOTALS.forEach((arch, t) -> System.out.printf("GnuLdCompareTest %s: %d objects, %d sections identical to "
                + "GNU ld, %d not comparable (GOT / repeated names), %d weak-undefined calls masked%n", arch, t[0],
                t[1], t[2], t[3]));
    }

    static int weakBranchWidth(String typeName) {
        return switch (typeName) {
            case "R_AARCH64_CALL26", "R_AARCH64_JUMP26" -> 4;
            case "R_RISCV_CALL", "R_RISCV_CALL_PLT" -> 8;
            default -> 0;
        };
    }
}
