package dev.kobj.link;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kobj.elf.ElfFile;
import dev.kobj.symtab.KernelSymbol;
import dev.kobj.testkit.Fixture;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Exports read from the relocated __ksymtab* of every exporter fixture (symtab's KsymtabReader). */
class ExportsTest {

    static Stream<Fixture> exporters() {
        return Fixture.all().stream().filter(f -> f.path().endsWith("/exporter.o"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("exporters")
    void exportsHaveTheirFinalAddresses(Fixture f) throws Exception {
        try (ElfFile elf = ElfFile.open(f.file());
                LoadedImage img = Linker.link(elf, LinkRequest.builder(new HeapMemory()).symbols(TestObjects.kernel(
                        TestObjects.plan(elf))).base(TestObjects.BASE).build())) {
            assertThat(img.exports()).extracting(KernelSymbol::name).containsExactlyInAnyOrder("kobj_shared_counter",
                    "kobj_shared_add");
            for (KernelSymbol k : img.exports()) {
                assertThat(k.address()).as(k.name()).isEqualTo(img.symbol(k.name()).orElseThrow());
                assertThat(k.owner()).isEqualTo(img.name());
            }
        }
    }
}
