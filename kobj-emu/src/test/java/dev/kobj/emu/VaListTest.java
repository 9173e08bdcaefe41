package dev.kobj.emu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kobj.elf.ElfFile;
import dev.kobj.link.LoadedImage;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The va_list handlers (vsnprintf, vprintk: {@link VaList} per psABI) on testdata/src/emu_vsnprintf.c,
 * whose varargs wrappers pass their va_list on, with more arguments than registers. Oracle:
 * execution, the same object run by kobj-host (run_host.c, whose vsnprintf and vprintk are the C
 * library's vsnprintf and vprintf on the same ABI) natively (x86_64) or under qemu-user.
 */
class VaListTest {

    @BeforeAll
    static void unicorn() {
        EmuTests.requireUnicorn();
    }

    @ParameterizedTest(name = "{0} {2}")
    @CsvSource({"x86_64-gcc-pic, x86_64, vsnprintf_std, 5", "x86_64-clang-pic, x86_64, vsnprintf_std, 5",
        "aarch64-small, aarch64, vsnprintf_std, 5", "aarch64-large, aarch64, vsnprintf_std, 5",
        "riscv64-medany-norelax, riscv64, vsnprintf_std, 5",
        "x86_64-gcc-pic, x86_64, vprintk_std, 1", "x86_64-clang-pic, x86_64, vprintk_std, 1",
        "aarch64-small, aarch64, vprintk_std, 1", "riscv64-medany-norelax, riscv64, vprintk_std, 1"})
    void vaListArgumentsAsTheCLibraryReadsThem(String variant, String arch, String function, int lines,
            @TempDir Path tmp) throws Exception {
        Path object = EmuExecutionTest.object(variant, "emu_vsnprintf.o");
        List<String> expected = HostOracle.run(arch, object, tmp, List.of(function)).stream()
                .filter(l -> l.startsWith("printk: ")).map(l -> l.substring(8)).toList();
        assertThat(expected).hasSize(lines);
        try (ElfFile elf = ElfFile.open(object); Machine m = Machine.forObject(elf, Machine.options(Cpu.X86_64))) {
            LoadedImage img = m.load(elf);
            assertThat(m.run(img, function).outcome()).isEqualTo(new Outcome.Returned(0));
            assertThat(m.kernel().console()).extracting(Kernel.Line::text).containsExactlyElementsOf(expected);
        }
    }

    @ParameterizedTest
    @CsvSource({"0, 0", "1, 1", "3, 1", "4, 2", "15, 3", "16, 4", "4294967295, 65535", "4294967296, 65536",
        "-1, 4294967295", "-8589934591, 4294967295", "-8589934592, 4294967294"})
    void intSqrtIsTheFloorOfTheSquareRoot(long x, long root) {
        // expected values: Python's math.isqrt of x as unsigned ((2^32-1)^2 = 2^64 - 8589934591)
        assertThat(SurveyHandlers.isqrt(x)).isEqualTo(root);
    }
}
