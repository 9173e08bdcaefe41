package dev.kobj.link;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kobj.elf.ElfFile;
import dev.kobj.elf.ElfSymbol;
import dev.kobj.symtab.KernelSymbol;
import dev.kobj.symtab.KernelSymbolTable;
import dev.kobj.testkit.QemuUser;
import dev.kobj.testkit.Testdata;
import dev.kobj.testkit.Tools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * ISSUE 4 item 7, AArch64 and RISC-V under qemu-user: testdata/run/ARCH/kobj-host is a static
 * program whose own .symtab is the kernel table (functions {@code kapi_<name>} provide
 * {@code <name>}); kobj links run_module.o against it at 0x40000000 in {@link HeapMemory},
 * writes the regions to an image file, and the host, run by {@code qemu-ARCH-static}, maps the
 * image there, calls init and the other functions, and prints what happened. The expected lines
 * come from run_module.c ({@link RunModule}); run_host.c's printk formats with vprintf.
 *
 * <p>Without qemu-user-static the test is skipped with a message, except under CI=true, where
 * that is a failure.
 */
class QemuExecutionTest {

    /** Where the module goes: a fixed address the host maps, clear of the host program and its heap. */
    static final long BASE = 0x4000_0000L;

    /** The prefix of the host program's kernel API functions: kapi_printk provides printk. */
    static final String PREFIX = "kapi_";

    /** {@return the host program's kapi_* functions (its own .symtab) as a kernel symbol table} */
    static KernelSymbolTable hostTable(ElfFile host) throws Exception {
        List<KernelSymbol> symbols = new ArrayList<>();
        for (ElfSymbol s : host.symbolTable().orElseThrow().all()) {
            if (s.name().startsWith(PREFIX) && s.type() == 2 /* STT_FUNC */ && !s.isUndefined()) {
                symbols.add(new KernelSymbol(s.name().substring(PREFIX.length()), s.value(), -1, "vmlinux",
                        "EXPORT_SYMBOL", ""));
            }
        }
        return KernelSymbolTable.of(host.name() + " .symtab (" + PREFIX + "*)", symbols, true);
    }

    /** Writes the image in run_host.c's format (the test kit's {@link dev.kobj.testkit.HostImage}). */
    static void writeImage(LoadedImage img, Path out) throws IOException {
        List<dev.kobj.testkit.HostImage.Region> regions = new java.util.ArrayList<>();
        for (LoadedImage.Region r : img.regions()) {
            regions.add(dev.kobj.testkit.HostImage.Region.of(r.address(), r.permissions().writable(),
                    r.permissions().executable(), img.read(r.address(), Math.toIntExact(r.size()))));
        }
        dev.kobj.testkit.HostImage.write(regions, out);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "aarch64-small, aarch64",
        "aarch64-large, aarch64",
        "riscv64-medany-norelax, riscv64",
    })
    void initRunsInTheHostUnderQemu(String variant, String arch, @TempDir Path tmp) throws Exception {
        QemuUser.binary(arch);
        Path host = Testdata.root().resolve("run").resolve(arch).resolve("kobj-host");
        Path image = tmp.resolve("image.bin");
        List<String> args = new ArrayList<>(List.of(image.toString()));
        List<String> expected = new ArrayList<>();
        try (ElfFile hostElf = ElfFile.open(host); ElfFile elf = ElfFile.open(RunModule.object(variant))) {
            KernelSymbolTable kernel = hostTable(hostElf);
            // run_host.c's kapi_ functions: printk, vprintk, vsnprintf, kmalloc, kfree, memcpy, memset, strlen, kobj_report
            assertThat(kernel.size()).isEqualTo(9);
            LinkRequest request = LinkRequest.builder(new HeapMemory())
                    .symbols(kernel)
                    .base(BASE)
                    .policy(LoadPolicy.builder().vermagic(RunModule.VERMAGIC).build())
                    .build();
            try (LoadedImage img = Linker.link(elf, request)) {
                assertThat(img.symbols()).filteredOn(LoadedImage.LinkedSymbol::wasUndefined)
                        .filteredOn(s -> kernel.lookup(s.name()).isPresent())
                        .allSatisfy(s -> assertThat(s.address()).isEqualTo(kernel.lookup(s.name()).orElseThrow().address()))
                        .extracting(LoadedImage.LinkedSymbol::name)
                        .containsExactlyInAnyOrder("printk", "kmalloc", "kfree", "memcpy", "memset", "strlen",
                                "kobj_report");
                if (arch.equals("aarch64")) {
                    // kobj-host's text is near 0x400000, ~1 GiB below: BL reaches 128 MiB, so the
                    // calls to the kernel go through kobj's veneers
                    assertThat(img.stubs()).anyMatch(s -> s.kind() == LoadedImage.StubKind.PLT);
                }
                writeImage(img, image);
                for (LoadedImage.Region r : img.regions()) {
                    String p = r.permissions().name().toLowerCase();
                    expected.add(String.format("map 0x%x 0x%x %c%c%c", r.address(), r.size(), p.charAt(0),
                            r.permissions().writable() ? 'w' : '-', r.permissions().executable() ? 'x' : '-'));
                }
                for (String fn : List.of("init_module", "run_module_result", "run_module_calls", "cleanup_module")) {
                    args.add("0x" + Long.toHexString(img.symbol(fn).orElseThrow()));
                }
            }
        }
        for (String e : RunModule.initEvents(true)) {
            expected.add(e.stripTrailing());
        }
        expected.add("init returned 0");
        expected.add("result returned " + RunModule.TOTAL);
        expected.add("calls returned " + RunModule.CALLS);
        expected.add(RunModule.exitEvent(true).stripTrailing());
        expected.add("exit done");
        expected.add("allocations outstanding 0");

        Tools.Run run = QemuUser.run(arch, host, args, Duration.ofSeconds(60));
        String out = run.out();
        System.out.printf("%s: %s%n%s", variant, run.command(), out);
        assertThat(run.exit()).as(out).isZero();
        assertThat(out.lines().toList()).containsExactlyElementsOf(expected);
    }
}
