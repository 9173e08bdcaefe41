package dev.kobj.emu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kobj.elf.ElfFile;
import dev.kobj.link.LoadedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * ISSUE 10 item 6: testdata/run/VARIANT/run_module.o (src/run_module.c) runs under kobj-emu and
 * prints, line for line, what the same object prints when kobj-host (src/run_host.c) runs it
 * natively (x86_64) or under qemu-user (AArch64, RISC-V 64): the oracle is the real CPU or
 * qemu, the expected lines are never kobj's. The emulator's side answers the host's functions
 * with Java handlers (the SPI: kobj_report added, kmalloc/kfree/printk wrapped to print as
 * run_host.c does); {@link #shimGivesTheHostFunction} gives kobj_report by a C shim instead.
 * x86_64-gcc-kernel (-mcmodel=kernel, top 2 GiB) cannot run in a process: its oracle is the
 * -fpic build of the same source run natively.
 */
class EmuExecutionTest {

    @BeforeAll
    static void unicorn() {
        EmuTests.requireUnicorn();
    }

    static Path object(String variant, String name) {
        return EmuTests.testdata().resolve("run").resolve(variant).resolve(name);
    }

    /** Runs init, result, calls and exit under the emulator; one line per event as run_host.c prints. */
    static List<String> emulate(String variant) throws Exception {
        List<String> out = new ArrayList<>();
        Handlers h = Handlers.standard();
        KernelFunction kmalloc = h.get("kmalloc").orElseThrow();
        KernelFunction kfree = h.get("kfree").orElseThrow();
        KernelFunction printk = h.get("printk").orElseThrow();
        h.put("kobj_report", c -> {
            out.add("report " + c.stringArg(0) + "=" + c.arg(1));
            return 0;
        });
        h.put("kmalloc", c -> {
            long p = kmalloc.call(c);
            out.add(String.format("kmalloc %d 0x%x -> %s", c.arg(0), c.intArg(1), p != 0 ? "ok" : "NULL"));
            return p;
        });
        h.put("kfree", c -> {
            if (c.arg(0) != 0) {
                kfree.call(c);
                out.add("kfree ok");
            }
            return 0;
        });
        h.put("printk", c -> {
            long n = printk.call(c);
            List<Kernel.Line> console = c.kernel().console();
            out.add("printk: " + console.get(console.size() - 1).text());
            return n;
        });
        try (ElfFile elf = ElfFile.open(object(variant, "run_module.o"));
             Machine m = Machine.forObject(elf, Machine.options(Cpu.X86_64).handlers(h))) {
            LoadedImage img = m.load(elf);
            out.add("init returned " + returned(m.run(img, "init_module")));
            out.add("result returned " + returned(m.run(img, "run_module_result")));
            out.add("calls returned " + returned(m.run(img, "run_module_calls")));
            returned(m.run(img, "cleanup_module"));
            out.add("exit done");
            out.add("allocations outstanding " + m.kernel().heap().live());
        }
        return out;
    }

    static int returned(Run r) {
        assertThat(r.outcome()).as(r.function()).isInstanceOf(Outcome.Returned.class);
        return r.returned().orElseThrow();
    }

    @ParameterizedTest(name = "{0} vs kobj-host on {1}")
    @CsvSource({
        "x86_64-gcc-pic, x86_64, x86_64-gcc-pic",
        "x86_64-clang-pic, x86_64, x86_64-clang-pic",
        "x86_64-gcc-kernel, x86_64, x86_64-gcc-pic",
        "aarch64-small, aarch64, aarch64-small",
        "aarch64-large, aarch64, aarch64-large",
        "riscv64-medany-norelax, riscv64, riscv64-medany-norelax",
    })
    void initPrintsWhatTheRealCpuPrints(String variant, String arch, String oracleVariant, @TempDir Path tmp)
            throws Exception {
        List<String> expected = HostOracle.run(arch, object(oracleVariant, "run_module.o"), tmp);
        List<String> actual = emulate(variant);
        System.out.printf("%s under kobj-emu:%n  %s%n", variant, String.join("\n  ", actual));
        assertThat(expected).contains("init returned 0", "exit done");
        assertThat(actual).containsExactlyElementsOf(expected);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"x86_64-gcc-pic, x86_64", "x86_64-gcc-kernel, x86_64", "aarch64-small, aarch64",
        "riscv64-medany-norelax, riscv64"})
    void shimGivesTheHostFunction(String variant, String arch, @TempDir Path tmp) throws Exception {
        String oracleVariant = variant.equals("x86_64-gcc-kernel") ? "x86_64-gcc-pic" : variant;
        // the host's printk and kobj_report lines, as the console shows them (prefix and level off)
        List<String> expected = HostOracle.run(arch, object(oracleVariant, "run_module.o"), tmp).stream()
                .filter(l -> l.startsWith("printk: ") || l.startsWith("report "))
                .map(l -> l.startsWith("printk: ") ? l.substring(8) : l)
                .toList();
        try (ElfFile shim = ElfFile.open(object(variant, "emu_shim.o"));
             ElfFile elf = ElfFile.open(object(variant, "run_module.o"));
             Machine m = Machine.forObject(elf, Machine.options(Cpu.X86_64))) {
            LoadedImage s = m.load(shim);
            LoadedImage img = m.load(elf);
            assertThat(img.symbols()).filteredOn(x -> x.name().equals("kobj_report") && x.wasUndefined())
                    .extracting(LoadedImage.LinkedSymbol::address)
                    .containsExactly(s.symbol("kobj_report").orElseThrow());
            assertThat(m.run(img, "init_module").outcome()).isEqualTo(new Outcome.Returned(0));
            m.run(img, "cleanup_module");
            assertThat(m.kernel().console()).extracting(Kernel.Line::text).containsExactlyElementsOf(expected);
            assertThat(m.kernel().heap().live()).isZero();
        }
    }
}
