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
import org.junit.jupiter.params.provider.ValueSource;

/**
 * printk's format decoding on testdata/src/emu_printk.c: the standard conversions equal C's
 * vprintf in kobj-host run natively or under qemu-user; the kernel's extensions equal the
 * examples of Linux's Documentation/core-api/printk-formats.rst.
 */
class PrintkTest {

    @BeforeAll
    static void unicorn() {
        EmuTests.requireUnicorn();
    }

    static List<Kernel.Line> console(String variant, String function) throws Exception {
        try (ElfFile elf = ElfFile.open(EmuExecutionTest.object(variant, "emu_printk.o"));
             Machine m = Machine.forObject(elf, Machine.options(Cpu.X86_64))) {
            LoadedImage img = m.load(elf);
            assertThat(m.run(img, function).outcome()).isEqualTo(new Outcome.Returned(0));
            return m.kernel().console();
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"x86_64-gcc-pic, x86_64", "x86_64-clang-pic, x86_64", "aarch64-small, aarch64",
        "riscv64-medany-norelax, riscv64"})
    void standardConversionsAsCPrintf(String variant, String arch, @TempDir Path tmp) throws Exception {
        List<String> host = HostOracle.run(arch, EmuExecutionTest.object(variant, "emu_printk.o"), tmp,
                List.of("printk_std"));
        List<String> expected = host.stream().filter(l -> l.startsWith("printk: ")).map(l -> l.substring(8))
                .toList();
        assertThat(expected).hasSize(8);
        assertThat(console(variant, "printk_std")).extracting(Kernel.Line::text).containsExactlyElementsOf(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"x86_64-gcc-kernel", "aarch64-small", "riscv64-medany-norelax"})
    void kernelExtensionsAsPrintkFormatsRst(String variant) throws Exception {
        assertThat(console(variant, "printk_kernel")).containsExactly(
                new Kernel.Line(3, "level err"),
                new Kernel.Line(6, "part one and two"),
                new Kernel.Line(-1, "mac=00:01:02:03:04:05"),
                new Kernel.Line(-1, "mac=000102030405"),
                new Kernel.Line(-1, "ip=192.168.1.2 ip=192.168.001.002"),
                new Kernel.Line(-1, "hex=de ad be ef hexC=de:ad:be:ef hexN=deadbeef"),
                new Kernel.Line(-1, "err=-ENOMEM"));
    }
}
