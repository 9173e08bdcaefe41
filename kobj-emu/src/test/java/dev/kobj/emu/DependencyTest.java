package dev.kobj.emu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kobj.link.LoadedImage;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * ISSUE 10 item 3: two modules in one guest. testdata's kobj_exporter (src/exporter.c) exports
 * kobj_shared_counter and kobj_shared_add through __ksymtab; kobj_importer (src/importer.c,
 * depends=kobj_exporter) calls them. Loaded in order into one machine, the importer's undefined
 * symbols are the exporter's definitions and the inits print what the C computes: exporter's
 * init sets the counter to 100 and prints the COMDAT helper's 7; the importer adds 5.
 */
class DependencyTest {

    @BeforeAll
    static void unicorn() {
        EmuTests.requireUnicorn();
    }

    @ParameterizedTest
    @ValueSource(strings = {"x86_64-gcc-kernel", "x86_64-clang-pic", "aarch64-small", "riscv64-medany"})
    void importerRunsAgainstTheExporterInTheSameGuest(String variant) throws Exception {
        Path dir = EmuTests.testdata().resolve("obj").resolve(variant);
        try (Machine m = Machine.open(Machine.options(variant.startsWith("x86") ? Cpu.X86_64
                : variant.startsWith("aarch64") ? Cpu.AARCH64 : Cpu.RISCV64).build())) {
            LoadedImage exporter = m.load(dir.resolve("exporter.o"));
            assertThat(m.run(exporter, "init_module").outcome()).isEqualTo(new Outcome.Returned(0));
            LoadedImage importer = m.load(dir.resolve("importer.o"));
            for (String name : new String[] {"kobj_shared_add", "kobj_shared_counter"}) {
                assertThat(importer.symbols()).filteredOn(s -> s.name().equals(name) && s.wasUndefined())
                        .extracting(LoadedImage.LinkedSymbol::address)
                        .containsExactly(exporter.symbol(name).orElseThrow());
            }
            assertThat(m.run(importer, "init_module").outcome()).isEqualTo(new Outcome.Returned(0));
            assertThat(m.kernel().console()).extracting(Kernel.Line::text)
                    .containsExactly("kobj_exporter: ready (7)", "kobj_importer: counter=105 value=105");
            // kobj_importer_bump(2): last = add(2) + add(1) = 107 + 108, plus the counter (108) twice
            assertThat(m.run(importer, "kobj_importer_bump", 2).outcome()).isEqualTo(
                    new Outcome.Returned(107 + 108 + 108 + 108));
        }
    }
}
