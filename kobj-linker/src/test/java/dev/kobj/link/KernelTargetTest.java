package dev.kobj.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kobj.elf.ElfFile;
import dev.kobj.link.LinkException.Kind;
import dev.kobj.link.LinkException.Problem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * What {@code check} learns from the target kernel's files and the errno it answers with. The
 * relocation types each loader refuses are stated here as the kernel sources list what
 * apply_relocate_add accepts (arch/x86/kernel/module.c, arch/arm64/kernel/module.c,
 * arch/riscv/kernel/module.c of 6.1 and 6.12); the types each object holds are readelf's;
 * sizeof(struct module) is readelf's size of a Debian module's .gnu.linkonce.this_module.
 */
class KernelTargetTest {
    static final Pattern TYPE = Pattern.compile("\\((R_[A-Z0-9_]+)\\)");

    static Set<String> types(Path f) throws Exception {
        Set<String> out = new TreeSet<>();
        for (String l : dev.kobj.testkit.Tools.run("readelf", "-rW", f.toString()).split("\n")) {
            Matcher m = Pattern.compile("\\s(R_[A-Z0-9_]+)\\s").matcher(l);
            if (m.find()) {
                out.add(m.group(1));
            }
        }
        return out;
    }

    static Set<String> refused(Path f, KernelTarget target) throws Exception {
        try (ElfFile elf = ElfFile.open(f)) {
            List<Problem> ps = Checks.run(elf, LoadPolicy.permissive().toBuilder().target(target).build(),
                    TestObjects.kernel(TestObjects.plan(elf)));
            Set<String> out = new TreeSet<>();
            for (Problem p : ps) {
                assertThat(p.kind()).isEqualTo(Kind.RELOCATION);
                Matcher m = TYPE.matcher(p.message());
                assertThat(m.find()).as(p.message()).isTrue();
                out.add(m.group(1));
            }
            assertThat(LoadErrno.verdict(ps, elf.header().machine())).isEqualTo(ps.isEmpty() ? null
                    : elf.header().machine() == 243 ? LoadErrno.EINVAL : LoadErrno.ENOEXEC);
            return out;
        }
    }

    static Set<String> minus(Set<String> all, String... accepted) {
        Set<String> out = new TreeSet<>(all);
        out.removeAll(Set.of(accepted));
        return out;
    }

    @Test
    void relocationTypesTheTargetsLoaderRefuses() throws Exception {
        dev.kobj.testkit.Tools.require("readelf");
        Path x86 = dev.kobj.testkit.Testdata.root().resolve("obj/x86_64-gcc-kernel/x86_64.o");
        Set<String> x86Refused = minus(types(x86), "R_X86_64_NONE", "R_X86_64_64", "R_X86_64_32", "R_X86_64_32S",
                "R_X86_64_PC32", "R_X86_64_PLT32", "R_X86_64_PC64");
        assertThat(x86Refused).contains("R_X86_64_GOTPCREL", "R_X86_64_REX_GOTPCRELX");
        assertThat(refused(x86, new KernelTarget("6.1.0-57-amd64", 62, 0))).isEqualTo(x86Refused);
        assertThat(refused(x86, new KernelTarget("6.12.48+deb13-amd64", 62, 0))).isEqualTo(x86Refused);

        Path a64 = dev.kobj.testkit.Testdata.root().resolve("obj/aarch64-small/aarch64.o");
        Set<String> a64Refused = new TreeSet<>();
        for (String t : types(a64)) {
            if (t.contains("GOT")) {
                a64Refused.add(t); // the loader makes no GOT
            }
        }
        assertThat(a64Refused).isNotEmpty();
        assertThat(refused(a64, new KernelTarget("6.1.0-57-arm64", 183, 0))).isEqualTo(a64Refused);

        Path rv = dev.kobj.testkit.Testdata.root().resolve("obj/riscv64-medany/riscv.o");
        Set<String> rv61 = minus(types(rv), "R_RISCV_32", "R_RISCV_64", "R_RISCV_BRANCH", "R_RISCV_JAL", "R_RISCV_CALL",
                "R_RISCV_CALL_PLT", "R_RISCV_GOT_HI20", "R_RISCV_PCREL_HI20", "R_RISCV_PCREL_LO12_I",
                "R_RISCV_PCREL_LO12_S", "R_RISCV_HI20", "R_RISCV_LO12_I", "R_RISCV_LO12_S", "R_RISCV_RVC_BRANCH",
                "R_RISCV_RVC_JUMP", "R_RISCV_RELAX", "R_RISCV_ADD32", "R_RISCV_ADD64", "R_RISCV_SUB32", "R_RISCV_SUB64");
        assertThat(refused(rv, new KernelTarget("6.1.0-1-riscv64", 243, 0))).isEqualTo(rv61).contains("R_RISCV_SET8");
        // 6.8 added the remaining relocations; R_RISCV_ALIGN stays refused
        assertThat(refused(rv, new KernelTarget("6.12.48+deb13-riscv64", 243, 0))).containsExactly("R_RISCV_ALIGN");
    }

    @Test
    void structModuleSizeFromTheTargetTree() throws Exception {
        String c = System.getProperty("kobj.corpus");
        assumeTrue(c != null && !c.isBlank() && !c.startsWith("$"), "no corpus (set -Dkobj.corpus=DIR)");
        dev.kobj.testkit.Tools.require("readelf");
        for (String arch : dev.kobj.testkit.Corpus.ARCHES) {
            Path tree = Path.of(c, arch, "lib/modules");
            assumeTrue(Files.isDirectory(tree), "no corpus for " + arch);
            KernelTarget t = KernelTarget.from(tree).orElseThrow();
            Path first;
            try (var s = Files.walk(tree)) {
                first = s.filter(f -> f.toString().matches(".*\\.ko(\\.xz)?")).sorted().findFirst().orElseThrow();
            }
            // readelf reads the .ko.xz of the riscv64 tree as xz(1) decompressed it
            Path tmp = Files.createTempFile("kobj-target-", ".ko");
            String line;
            try {
                Path plain = dev.kobj.testkit.Corpus.plain(first, tmp);
                line = dev.kobj.testkit.Tools.grep(dev.kobj.testkit.Tools.run("readelf", "-SW", plain.toString()),
                        "\\.gnu\\.linkonce\\.this_module ").getFirst();
            } finally {
                Files.delete(tmp); // the temporary file only, never a corpus module
            }
            Matcher m = Pattern.compile("this_module\\s+\\S+\\s+[0-9a-f]+\\s+[0-9a-f]+\\s+([0-9a-f]+)").matcher(line);
            assertThat(m.find()).as(line).isTrue();
            long size = Long.parseLong(m.group(1), 16);
            assertThat(t.thisModuleSize()).isEqualTo(size);
            if (arch.equals("riscv64")) {
                // Debian 13's riscv64 tree: the release is the name Debian gave its modules directory
                String release;
                try (var s = Files.list(tree)) {
                    release = s.map(f -> f.getFileName().toString()).filter(n -> n.startsWith("6.12.")).findFirst()
                            .orElseThrow();
                }
                assertThat(t.release()).isEqualTo(release).endsWith("+deb13-riscv64");
                assertThat(t.layout()).isEqualTo(LayoutStrategy.LINUX_6_4);
            } else {
                assertThat(t.release()).isEqualTo("6.1.0-57-" + arch);
                assertThat(t.layout()).isEqualTo(LayoutStrategy.LINUX_6_1);
            }
            // a module built for another struct module is refused with ENOEXEC by a 6.4+ kernel;
            // 6.1 does not compare the size (the real 6.1 and 6.12 kernels: KernelVerdictTest)
            try (ElfFile elf = ElfFile.open(first)) {
                KernelTarget other = new KernelTarget("6.12.118+deb12-" + arch, t.machine(), size + 64);
                List<Problem> ps = Checks.run(elf, LoadPolicy.permissive().toBuilder().target(other).build(),
                        LinkRequest.NO_SYMBOLS);
                assertThat(ps).anyMatch(p -> p.message().contains("this_module section size must match"));
                assertThat(LoadErrno.verdict(ps, elf.header().machine())).isEqualTo(LoadErrno.ENOEXEC);
                KernelTarget old = new KernelTarget("6.1.0-57-" + arch, t.machine(), size + 64);
                assertThat(old.checksThisModuleSize()).isFalse();
                assertThat(Checks.run(elf, LoadPolicy.permissive().toBuilder().target(old).build(), LinkRequest.NO_SYMBOLS))
                        .noneMatch(p -> p.message().contains("this_module section size must match"));
            }
        }
    }

    @Test
    void verdictFollowsTheLoadersOrder() {
        Problem unknown = new Problem(Kind.UNRESOLVED, "a", "Unknown symbol a");
        Problem crc = new Problem(Kind.CRC_MISMATCH, "b", "disagrees about version of symbol b");
        Problem vermagic = new Problem(Kind.VERMAGIC_MISMATCH, "", "version magic");
        Problem reloc = new Problem(Kind.RELOCATION, "", "overflow");
        assertThat(LoadErrno.verdict(List.of(), 62)).isNull();
        assertThat(LoadErrno.verdict(List.of(unknown), 62)).isEqualTo(LoadErrno.ENOENT);
        assertThat(LoadErrno.verdict(List.of(crc), 62)).isEqualTo(LoadErrno.EINVAL);
        // simplify_symbols keeps the error of the last bad symbol
        assertThat(LoadErrno.verdict(List.of(unknown, crc), 62)).isEqualTo(LoadErrno.EINVAL);
        assertThat(LoadErrno.verdict(List.of(crc, unknown), 62)).isEqualTo(LoadErrno.ENOENT);
        // the file checks come first; relocations last
        assertThat(LoadErrno.verdict(List.of(vermagic, unknown), 62)).isEqualTo(LoadErrno.ENOEXEC);
        assertThat(LoadErrno.verdict(List.of(reloc, unknown), 62)).isEqualTo(LoadErrno.ENOENT);
        assertThat(LoadErrno.verdict(List.of(reloc), 243)).isEqualTo(LoadErrno.EINVAL);
        assertThat(LoadErrno.verdict(List.of(new Problem(Kind.CRC_MISMATCH, "module_layout", "")), 62))
                .isEqualTo(LoadErrno.ENOEXEC);
    }
}
