package dev.kobj.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kobj.elf.ElfFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The per-CPU section as Linux places it: {@code percpu_modalloc} (kernel/module/main.c) puts
 * {@code .data..percpu} in the kernel's per-CPU area, not in the module's allocations, and
 * {@code simplify_symbols} gives each of its symbols the per-CPU address plus st_value, so a
 * {@code __ksymtab_gpl} entry exporting one points there (on the real 6.12 kernel,
 * {@code xt_recseq} of x_tables at the per-CPU offset 0x39000: KernelLoadOracleTest). kobj takes
 * that address as the base of region {@code percpu}. Expected values from readelf: st_value of
 * the symbol, the offset and addend of the relocation in {@code .rela__ksymtab_gpl}; the word is
 * S + A - P (R_X86_64_PC32, R_AARCH64_PREL32).
 */
class PerCpuPlacementTest {
    static final long PERCPU = 0x39000;

    @ParameterizedTest
    @ValueSource(strings = {"amd64", "arm64"})
    void perCpuSymbolsAndTheirExportsPointIntoThePerCpuArea(String arch) throws Exception {
        Path ko = dev.kobj.testkit.Corpus.root().resolve(arch)
                .resolve("lib/modules/6.1.0-57-" + arch + "/kernel/net/netfilter/x_tables.ko");
        assumeTrue(Files.isRegularFile(ko), "no " + ko);
        dev.kobj.testkit.Tools.require("readelf");

        long value = -1;
        for (String l : dev.kobj.testkit.Tools.run("readelf", "-sW", ko.toString()).split("\n")) {
            Matcher m = Pattern.compile("^\\s*\\d+:\\s+([0-9a-f]+)\\s+\\d+\\s+OBJECT\\s+GLOBAL\\s+\\S+\\s+\\d+\\s+xt_recseq$")
                    .matcher(l);
            if (m.find()) {
                value = Long.parseLong(m.group(1), 16);
            }
        }
        assertThat(value).as("readelf: xt_recseq").isNotNegative();
        long offset = -1;
        long addend = 0;
        boolean inKsymtabGpl = false;
        for (String l : dev.kobj.testkit.Tools.run("readelf", "-rW", ko.toString()).split("\n")) {
            if (l.startsWith("Relocation section")) {
                inKsymtabGpl = l.contains("'.rela__ksymtab_gpl'");
            }
            Matcher m = Pattern.compile("^([0-9a-f]+)\\s+[0-9a-f]+\\s+R_(?:X86_64_PC32|AARCH64_PREL32)\\s+[0-9a-f]+\\s+xt_recseq \\+ ([0-9a-f]+)$")
                    .matcher(l);
            if (inKsymtabGpl && m.find()) {
                offset = Long.parseLong(m.group(1), 16);
                addend = Long.parseLong(m.group(2), 16);
            }
        }
        assertThat(offset).as("readelf: the __ksymtab_gpl relocation of xt_recseq").isNotNegative();

        try (ElfFile elf = ElfFile.open(ko)) {
            for (LayoutStrategy layout : List.of(LayoutStrategy.LINUX_6_1, LayoutStrategy.LINUX_6_4)) {
                LoadedImage img = KernelLayoutTest.link(elf, layout, Map.of("percpu", PERCPU));
                var pcpu = img.section(".data..percpu").orElseThrow();
                assertThat(pcpu.address()).as("%s: .data..percpu in the per-CPU area", layout).isEqualTo(PERCPU);
                for (LoadedImage.Area a : img.areas()) {
                    assertThat(a.contains(PERCPU)).as("%s: area %s holds the per-CPU address", layout, a.name())
                            .isEqualTo(a.name().equals("percpu"));
                }
                assertThat(img.symbol("xt_recseq")).as("%s: xt_recseq", layout).hasValue(PERCPU + value);
                var ksym = img.section("__ksymtab_gpl").orElseThrow();
                long p = ksym.address() + offset;
                int word = ByteBuffer.wrap(img.read(p, 4)).order(ByteOrder.LITTLE_ENDIAN).getInt();
                assertThat(word).as("%s: __ksymtab_gpl+0x%x = xt_recseq - P", layout, offset)
                        .isEqualTo((int) (PERCPU + value + addend - p));
            }
        }
    }
}
