package dev.kobj.emu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kobj.elf.ElfFile;
import dev.kobj.elf.ElfSymbol;
import dev.kobj.link.HeapMemory;
import dev.kobj.link.LoadPolicy;
import dev.kobj.link.LoadedImage;
import dev.kobj.registry.ModuleInfo;
import dev.kobj.registry.ModuleRegistry;
import dev.kobj.symtab.KernelSymbol;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * ISSUE 10 item 3 through the registry: {@link Machine#loadModule} loads testdata's kobj_importer
 * (src/importer.c, depends=kobj_exporter) through the machine's module registry, whose memory is
 * the guest: kobj_exporter loads first, its init runs, the importer resolves to its exports and
 * calls them. Oracles: what the C computes (exporter.c sets the counter to 100 and prints the
 * COMDAT helper's 7; importer.c adds 5; kobj_importer_bump(2) = 107 + 108 + 108 + 108), and a
 * plain registry (heap memory, the same objects under their module names, the kernel functions
 * bound to dummy addresses) loading the same module: same modules in the same order, same
 * requires, refcounts, dependents and autoload flags, same exports at the same offsets.
 */
class RegistryLoadTest {

    @TempDir
    Path tmp;

    @BeforeAll
    static void unicorn() {
        EmuTests.requireUnicorn();
    }

    @ParameterizedTest
    @ValueSource(strings = {"x86_64-gcc-kernel", "x86_64-clang-pic", "aarch64-small", "riscv64-medany"})
    void importerCallsTheExporterThroughTheRegistry(String variant) throws Exception {
        Path dir = EmuTests.testdata().resolve("obj").resolve(variant);
        Path exporter = dir.resolve("exporter.o");
        Path importer = dir.resolve("importer.o");
        Cpu cpu = variant.startsWith("x86") ? Cpu.X86_64 : variant.startsWith("aarch64") ? Cpu.AARCH64 : Cpu.RISCV64;
        try (Machine m = Machine.open(Machine.options(cpu).build())) {
            ModuleLoad load = m.loadModule(importer, ModuleTree.ofFiles(List.of(exporter, importer)), "init_module");
            assertThat(load.runs()).extracting(Run::function, Run::outcome).containsExactly(
                    org.assertj.core.groups.Tuple.tuple("kobj_exporter:init_module", new Outcome.Returned(0)),
                    org.assertj.core.groups.Tuple.tuple("init_module", new Outcome.Returned(0)));
            assertThat(m.kernel().console()).extracting(Kernel.Line::text)
                    .containsExactly("kobj_exporter: ready (7)", "kobj_importer: counter=105 value=105");
            LoadedImage img = load.image().orElseThrow();
            ModuleRegistry reg = m.registry();
            for (String name : new String[] {"kobj_shared_add", "kobj_shared_counter"}) {
                KernelSymbol export = reg.exports().lookup(name).orElseThrow();
                assertThat(export.owner()).isEqualTo("kobj_exporter");
                assertThat(img.symbols()).filteredOn(s -> s.name().equals(name) && s.wasUndefined())
                        .extracting(LoadedImage.LinkedSymbol::address).containsExactly(export.address());
            }
            // the importer calls kobj_shared_add (the exporter's code) through the registry's export
            assertThat(m.run(img, "kobj_importer_bump", 2).outcome()).isEqualTo(
                    new Outcome.Returned(107 + 108 + 108 + 108));

            try (ModuleRegistry plain = plainRegistry(exporter, importer)) {
                plain.load("kobj_importer");
                assertSameState(reg, plain);
            }
            // the registry's rules hold in the guest: the exporter is depended on; unloading goes in order
            assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> m.unloadModule("kobj_exporter")))
                    .isInstanceOf(EmuException.class).hasMessageContaining("EBUSY");
            // importer.c's exit calls kobj_shared_add(-215) (its 4th call: 5, 2, 1, -215); exporter.c's exit prints the count
            assertThat(m.unloadModule("kobj_importer").orElseThrow().outcome().completed()).isTrue();
            assertThat(m.unloadModule("kobj_exporter").orElseThrow().outcome().completed()).isTrue();
            assertThat(m.kernel().console().getLast().text()).isEqualTo("kobj_exporter: 4 calls");
            assertThat(reg.list()).isEmpty();
            assertThat(reg.exports().lookup("kobj_shared_add")).isEmpty();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"x86_64-gcc-kernel", "aarch64-small", "riscv64-medany"})
    void aDependencyWhoseInitFailsUndoesTheWholeLoad(String variant) throws Exception {
        Path dir = EmuTests.testdata().resolve("obj").resolve(variant);
        Path exporter = dir.resolve("exporter.o");
        Path importer = dir.resolve("importer.o");
        Cpu cpu = variant.startsWith("x86") ? Cpu.X86_64 : variant.startsWith("aarch64") ? Cpu.AARCH64 : Cpu.RISCV64;
        // exporter.c's init prints first: a printk that stops the run makes that init fail
        Handlers h = Handlers.standard().put("printk", c -> {
            c.stop("printk refused by the test");
            return 0;
        });
        try (Machine m = Machine.open(Machine.options(cpu).handlers(h).build())) {
            ModuleLoad load = m.loadModule(importer, ModuleTree.ofFiles(List.of(exporter, importer)), "init_module");
            assertThat(load.loaded()).isFalse();
            assertThat(load.runs()).singleElement().satisfies(r -> {
                assertThat(r.function()).isEqualTo("kobj_exporter:init_module");
                assertThat(r.outcome()).isInstanceOf(Outcome.Stopped.class);
            });
            assertThat(m.registry().list()).isEmpty();
            assertThat(m.registry().exports().size()).isZero();
            assertThat(m.memory().liveAllocations()).isZero();
        }
    }

    /** A registry as elsewhere: heap memory, the files under their module names, kernel functions bound to dummies. */
    private ModuleRegistry plainRegistry(Path exporter, Path importer) throws Exception {
        Path mods = Files.createDirectories(tmp.resolve("mods"));
        Files.copy(exporter, mods.resolve("kobj_exporter.o"));
        Files.copy(importer, mods.resolve("kobj_importer.o"));
        Map<String, Long> kernel = new HashMap<>();
        for (Path p : List.of(exporter, importer)) {
            try (ElfFile elf = ElfFile.open(p)) {
                for (ElfSymbol s : elf.symbolTable().orElseThrow().all()) {
                    if (s.isUndefined() && !s.name().isEmpty() && !s.name().startsWith("kobj_shared_")) {
                        kernel.putIfAbsent(s.name(), 0xffff_ffff_8100_0000L + 16L * kernel.size());
                    }
                }
            }
        }
        return ModuleRegistry.builder().memory(new HeapMemory(ModuleRegistry.KERNEL_MODULE_BASE))
                .linkPolicy(LoadPolicy.permissive()).bindAll(kernel).searchPath(List.of(mods)).build();
    }

    private static void assertSameState(ModuleRegistry emu, ModuleRegistry plain) {
        List<ModuleInfo> a = emu.list();
        List<ModuleInfo> b = plain.list();
        assertThat(a).extracting(ModuleInfo::name).containsExactly("kobj_exporter", "kobj_importer");
        assertThat(a).extracting(ModuleInfo::name, ModuleInfo::id, ModuleInfo::state, ModuleInfo::refcount,
                ModuleInfo::holds, ModuleInfo::dependents, ModuleInfo::requires, ModuleInfo::requiredBy,
                ModuleInfo::autoloaded, ModuleInfo::size)
                .isEqualTo(b.stream().map(i -> org.assertj.core.groups.Tuple.tuple(i.name(), i.id(), i.state(),
                        i.refcount(), i.holds(), i.dependents(), i.requires(), i.requiredBy(), i.autoloaded(),
                        i.size())).toList());
        assertThat(a.get(0).dependents()).isEqualTo(1);
        assertThat(emu.exports().size()).isEqualTo(plain.exports().size()).isPositive();
        for (String name : new String[] {"kobj_shared_add", "kobj_shared_counter"}) {
            KernelSymbol x = emu.exports().lookup(name).orElseThrow();
            KernelSymbol y = plain.exports().lookup(name).orElseThrow();
            assertThat(List.of(x.owner(), x.crc(), x.exportType(), x.namespace()))
                    .isEqualTo(List.of(y.owner(), y.crc(), y.exportType(), y.namespace()));
            assertThat(x.address() - a.get(0).loadAddress()).isEqualTo(y.address() - b.get(0).loadAddress());
        }
        assertThat(Optional.of(a.get(1).requires())).hasValue(List.of("kobj_exporter"));
    }
}
