package dev.kobj.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kobj.elf.ElfFile;
import dev.kobj.elf.ElfSymbol;
import dev.kobj.elf.RelocationTable;
import dev.kobj.link.LoadedImage.PlacedSection;
import dev.kobj.reloc.RelocationEngines;
import dev.kobj.reloc.RelocationKind;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The oracle: GNU ld given kobj's placement (a generated linker script with one output
 * section per input-section name at the address kobj chose, {@code --defsym} for the
 * undefined symbols, {@code --no-relax}) must produce the same bytes for every placed
 * section kobj and ld can be compared on. Not compared: sections whose name repeats (ld
 * cannot place them one by one), sections with a GOT relocation or one against
 * {@code _GLOBAL_OFFSET_TABLE_} (kobj's GOT is not ld's; reloc-arch's GotFollow covers those)
 * and sections referring to symbols in repeated-name sections.
 */
class GnuLdCompareTest {

    static final Map<String, int[]> TOTALS = new LinkedHashMap<>();

    static Stream<TestObjects.Fixture> fixtures() {
        return TestObjects.all().stream().filter(f -> !f.tls() && !f.path().endsWith(".xz") && ldCommand(f.arch()) != null);
    }

    static List<String> ldCommand(String arch) {
        List<String> c = switch (arch) {
            case "x86_64" -> List.of("x86_64-linux-gnu-ld", "-m", "elf_x86_64");
            case "aarch64" -> List.of("aarch64-linux-gnu-ld", "-EL");
            case "aarch64_be" -> List.of("aarch64-linux-gnu-ld", "-EB");
            case "riscv64" -> List.of("riscv64-linux-gnu-ld", "-m", "elf64lriscv");
            case "riscv32" -> List.of("riscv64-linux-gnu-ld", "-m", "elf32lriscv");
            default -> null;
        };
        if (c == null || find(c.getFirst()).isEmpty()) {
            return null;
        }
        return c;
    }

    static Optional<Path> find(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String d : path.split(File.pathSeparator)) {
            Path p = Path.of(d, program);
            if (Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void sameBytesAsGnuLd(TestObjects.Fixture f, @TempDir Path dir) throws Exception {
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

    private void compare(TestObjects.Fixture f, ElfFile elf, LoadedImage img, Map<String, Long> plan, Path dir)
            throws Exception {
        Map<String, List<PlacedSection>> byName = new LinkedHashMap<>();
        for (PlacedSection p : img.sections()) {
            byName.computeIfAbsent(p.name(), k -> new ArrayList<>()).add(p);
        }
        StringBuilder script = new StringBuilder("SECTIONS\n{\n");
        Map<String, String> outputOf = new HashMap<>();
        int k = 0;
        for (var e : byName.entrySet()) {
            String out = ".k" + k++;
            outputOf.put(e.getKey(), out);
            script.append(String.format("  %s 0x%x : { *(%s) }%n", out, e.getValue().getFirst().address(), e.getKey()));
        }
        script.append("  .kobj_modinfo 0x70000000 : { *(.modinfo) *(__versions) }\n}\n");
        Path ld = dir.resolve("link.ld");
        Files.writeString(ld, script);
        Path out = dir.resolve("out.elf");
        List<String> cmd = new ArrayList<>(ldCommand(f.arch()));
        cmd.addAll(List.of("--no-relax", "-nostdlib", "-static", "-e", "0", "--no-check-sections", "-T", ld.toString(),
                "-o", out.toString()));
        for (var e : plan.entrySet()) {
            cmd.add("--defsym=" + e.getKey() + "=0x" + Long.toHexString(e.getValue()));
        }
        cmd.add(ldInput(elf, dir.resolve("in.o")).toString());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assumeTrue(p.exitValue() == 0, "GNU ld refuses it: " + log);

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
        try (ElfFile ldOut = ElfFile.open(out)) {
            for (PlacedSection s : img.sections()) {
                if (s.nobits() || s.size() == 0 || !s.header().isAlloc()) {
                    continue; // not SHF_ALLOC in the object: the kernel's copy of .symtab/.strtab, not ld's input
                }
                if (skip.contains(s.index())) {
                    skipped++;
                    continue;
                }
                var os = ldOut.section(outputOf.get(s.name())).orElseThrow(() -> new AssertionError(
                        "ld made no " + outputOf.get(s.name()) + " for " + s.name() + "\n" + log));
                assertThat(os.addr()).as(s.name() + " address in ld's output").isEqualTo(s.address());
                byte[] expected = ldOut.contents(os).asSlice(0, s.size()).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
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

    /**
     * The object as ld must see it to lay out the same bytes as a loader: SHF_MERGE/SHF_STRINGS
     * cleared on SHF_ALLOC sections (ld would merge duplicate strings; a loader loads the section
     * as it is) and R_RISCV_ALIGN made R_RISCV_NONE (binutils deletes alignment NOPs even with
     * --no-relax). The same two edits as reloc-arch's LdInput.
     */
    static Path ldInput(ElfFile elf, Path out) throws Exception {
        byte[] copy = elf.bytes().toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
        var m = java.lang.foreign.MemorySegment.ofArray(copy);
        var order = elf.header().order();
        boolean is64 = elf.header().is64();
        long bits = dev.kobj.elf.ElfConstants.SHF_MERGE | dev.kobj.elf.ElfConstants.SHF_STRINGS;
        for (var s : elf.sections()) {
            if (s.isAlloc() && (s.flags() & bits) != 0) {
                long at = elf.sectionHeaderOffset(s.index()) + 8;
                if (is64) {
                    m.set(java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED.withOrder(order), at, s.flags() & ~bits);
                } else {
                    m.set(java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED.withOrder(order), at, (int) (s.flags() & ~bits));
                }
            }
        }
        if (elf.header().machine() == 243) {
            for (RelocationTable t : elf.relocationTables()) {
                long ent = t.section().entsize() != 0 ? t.section().entsize() : (is64 ? 24 : 12);
                for (long i = 0; i < t.size(); i++) {
                    if (t.type(i) == 43) {
                        long info = t.section().offset() + i * ent + (is64 ? 8 : 4);
                        if (is64) {
                            m.set(java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED.withOrder(order), info, 0);
                        } else {
                            m.set(java.lang.foreign.ValueLayout.JAVA_BYTE, info, (byte) 0);
                        }
                    }
                }
            }
        }
        Files.write(out, copy);
        return out;
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
