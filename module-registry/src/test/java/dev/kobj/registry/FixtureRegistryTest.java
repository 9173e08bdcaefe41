package dev.kobj.registry;

import static dev.kobj.registry.BuiltinRegistryTest.errno;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kobj.link.HeapMemory;
import dev.kobj.link.LoadedImage;
import dev.kobj.registry.ModuleException.Errno;
import dev.kobj.symtab.KernelSymbol;
import dev.kobj.testkit.Testdata;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The registry over real objects (testdata x86_64-gcc-kernel exporter.o and importer.o, gcc
 * -mcmodel=kernel) linked in heap memory at 0xffffffffc0000000 against a kernel table at
 * 0xffffffff81000000. Expected values: testdata/src/exporter.c and importer.c (the symbols
 * exported, their namespace and CRCs), readelf of the objects (sections).
 */
class FixtureRegistryTest {
    @TempDir
    Path tmp;

    final HeapMemory heap = Fixtures.kernelHeap();
    final Map<String, LoadedImage> images = new ConcurrentHashMap<>();
    final List<RegistryEvent> events = new ArrayList<>();

    ModuleRegistry registry(Path... dirs) {
        return Fixtures.registry(heap, dirs).listener(events::add).defaultHandler((cmd, ctx) -> {
            if (cmd == ModuleCommand.INIT) {
                images.put(ctx.name(), ctx.image().orElseThrow());
            }
        }).build();
    }

    @Test
    void requiredModuleLoadsFirstAndImporterLinksAgainstItsExports() throws Exception {
        ModuleRegistry reg = registry(Fixtures.moduleDir(tmp.resolve("mods")));
        ModuleInfo imp = reg.load("kobj_importer");
        assertThat(reg.list()).extracting(ModuleInfo::name).containsExactly("kobj_exporter", "kobj_importer");
        ModuleInfo exp = reg.status("kobj_exporter").orElseThrow();
        assertThat(imp.requires()).containsExactly("kobj_exporter");
        assertThat(imp.metadata().origin()).isEqualTo(ModuleMetadata.Origin.MODINFO);
        assertThat(imp.metadata().importNamespaces()).containsExactly("KOBJ_NS");
        assertThat(imp.metadata().license()).isEqualTo("GPL");
        assertThat(imp.metadata().vermagic()).startsWith("6.1.0 SMP");
        assertThat(exp.dependents()).isEqualTo(1);
        assertThat(exp.autoloaded()).isTrue();
        assertThat(exp.source()).isEqualTo(ModuleSource.FILE);
        assertThat(exp.loadAddress()).isEqualTo(ModuleRegistry.KERNEL_MODULE_BASE);
        assertThat(imp.loadAddress()).isGreaterThan(exp.loadAddress() + exp.size() - 1);
        assertThat(exp.size()).isPositive().isEqualTo(exp.size() / 4096 * 4096);

        // exporter.c: kobj_shared_counter (EXPORT_SYMBOL, CRC 0x0badc0de), kobj_shared_add (GPL, KOBJ_NS, 0x5ca1ab1e)
        LoadedImage e = images.get("kobj_exporter");
        KernelSymbol counter = reg.exports().lookup("kobj_shared_counter").orElseThrow();
        KernelSymbol add = reg.exports().lookup("kobj_shared_add").orElseThrow();
        assertThat(counter.owner()).isEqualTo("kobj_exporter");
        assertThat(counter.crc()).isEqualTo(0x0badc0deL);
        assertThat(add.exportType()).isEqualTo("EXPORT_SYMBOL_GPL");
        assertThat(add.namespace()).isEqualTo("KOBJ_NS");
        assertThat(add.crc()).isEqualTo(0x5ca1ab1eL);
        assertThat(counter.address()).isEqualTo(e.symbol("kobj_shared_counter").orElseThrow());
        assertThat(add.address()).isEqualTo(e.symbol("kobj_shared_add").orElseThrow());

        // the importer's undefined symbols resolved to the exporter's definitions
        LoadedImage i = images.get("kobj_importer");
        for (LoadedImage.LinkedSymbol s : i.symbols()) {
            if (s.name().startsWith("kobj_shared_")) {
                assertThat(s.source()).isEqualTo(LoadedImage.Source.LOOKUP);
                assertThat(s.provider()).isEqualTo("kobj_exporter");
                assertThat(s.address()).isEqualTo(e.symbol(s.name()).orElseThrow());
            }
        }
        assertThat(reg.symbols().lookup("printk")).map(KernelSymbol::address).hasValue(Fixtures.KERNEL.get("printk"));

        errno(Errno.EBUSY, () -> reg.unload("kobj_exporter"));
        errno(Errno.EEXIST, () -> reg.load("kobj_exporter"));
        reg.unload(imp.id());
        assertThat(reg.exports().lookup("kobj_shared_add")).isPresent(); // the exporter stays until autounload
        reg.unload("kobj_exporter");
        assertThat(reg.exports().size()).isZero();
        assertThat(heap.liveAllocations()).isZero();
        assertThat(events).extracting(ev -> ev.getClass().getSimpleName() + " " + ev.name()).containsExactly(
                "Loaded kobj_exporter", "Loaded kobj_importer", "Failed kobj_exporter", "Failed kobj_exporter",
                "Unloaded kobj_importer", "Unloaded kobj_exporter");
    }

    /**
     * Linux's delete_module refuses a module that others use with EAGAIN (EWOULDBLOCK), measured
     * on Debian's 6.1 and 6.12 kernels (KernelLoadOracleTest); the BSD loaders and HP-UX say EBUSY.
     * A held module is refused the same way (Linux: a reference count above zero).
     */
    @Test
    void unloadingAModuleInUseGivesThePersonalitysErrno() throws Exception {
        Path dir = Fixtures.moduleDir(tmp.resolve("mods"));
        for (Personality p : Personality.values()) {
            HeapMemory mem = Fixtures.kernelHeap();
            try (ModuleRegistry reg = Fixtures.registry(mem, dir).personality(p).build()) {
                reg.load("kobj_importer");
                Errno expected = p == Personality.LINUX ? Errno.EAGAIN : Errno.EBUSY;
                errno(expected, () -> reg.unload("kobj_exporter"));
                reg.unload("kobj_importer");
                reg.hold("kobj_exporter");
                errno(expected, () -> reg.unload("kobj_exporter"));
                assertThat(reg.status("kobj_exporter")).isPresent();
            }
        }
        assertThat(dev.kobj.registry.kernel.KernelErrno.number(Errno.EAGAIN)).isEqualTo(11);
    }

    @Test
    void undefinedSymbolsImplyTheDependencyAsDepmodComputesIt() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("implied"));
        Files.copy(Testdata.obj("x86_64-gcc-kernel", "exporter.o"), dir.resolve("kobj_exporter.o"));
        Fixtures.importerWithoutDepends(dir.resolve("kobj_importer.o"));
        ModuleRegistry reg = registry(dir);
        ModuleInfo imp = reg.load("kobj_importer");
        assertThat(imp.metadata().requires()).isEmpty();
        assertThat(imp.requires()).containsExactly("kobj_exporter");
        assertThat(reg.status("kobj_exporter").orElseThrow().requiredBy()).containsExactly("kobj_importer");
    }

    @Test
    void withoutTheExporterTheImporterCannotLinkAndNothingIsLeft() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("alone"));
        Fixtures.importerWithoutDepends(dir.resolve("kobj_importer.o"));
        ModuleRegistry reg = registry(dir);
        errno(Errno.ENOEXEC, () -> reg.load("kobj_importer"));
        assertThat(reg.list()).isEmpty();
        assertThat(heap.liveAllocations()).isZero();
    }

    @Test
    void aFailedInitUndoesTheChainMemoryAndExports() throws Exception {
        ModuleRegistry reg = registry(Fixtures.moduleDir(tmp.resolve("mods")));
        reg.setHandler("kobj_importer", (cmd, ctx) -> {
            if (cmd == ModuleCommand.INIT) {
                throw new ModuleException(Errno.ENOEXEC, "init_module returned -12");
            }
        });
        errno(Errno.ENOEXEC, () -> reg.load("kobj_importer"));
        assertThat(reg.list()).isEmpty();
        assertThat(reg.exports().size()).isZero();
        assertThat(heap.liveAllocations()).isZero();
        // and a module loaded before is kept, its dependent count as it was
        reg.load("kobj_exporter");
        errno(Errno.ENOEXEC, () -> reg.load("kobj_importer"));
        assertThat(reg.list()).extracting(ModuleInfo::name).containsExactly("kobj_exporter");
        assertThat(reg.status("kobj_exporter").orElseThrow().refcount()).isZero();
        assertThat(reg.exports().size()).isEqualTo(2);
    }

    @Test
    void autoloadedDependencyGoesAfterItsDelay() throws Exception {
        ManualTicker clock = new ManualTicker();
        ModuleRegistry reg = Fixtures.registry(heap, Fixtures.moduleDir(tmp.resolve("mods"))).ticker(clock)
                .autounloadDelay(Duration.ofSeconds(3)).build();
        reg.autoload("kobj_importer", ModuleClass.MISC);
        clock.advance(Duration.ofSeconds(3));
        assertThat(reg.runAutounload()).containsExactly("kobj_importer");
        assertThat(reg.runAutounload()).isEmpty();
        clock.advance(Duration.ofSeconds(3));
        assertThat(reg.runAutounload()).containsExactly("kobj_exporter");
        assertThat(reg.list()).isEmpty();
        assertThat(heap.liveAllocations()).isZero();
    }

    @Test
    void searchPathPrependResetAndLoadByPath() throws Exception {
        Path mods = Fixtures.moduleDir(tmp.resolve("mods"));
        ModuleRegistry reg = registry();
        errno(Errno.ENOENT, () -> reg.load("kobj_exporter"));
        reg.prependSearchPath(mods);
        assertThat(reg.searchPath()).containsExactly(mods);
        reg.load("kobj_exporter");
        reg.unload("kobj_exporter");
        reg.resetSearchPath();
        assertThat(reg.searchPath()).isEmpty();
        errno(Errno.ENOENT, () -> reg.load("kobj_exporter"));
        // by path: not searched, the file itself
        ModuleInfo e = reg.load(mods.resolve("kobj_exporter.o").toString());
        assertThat(e.path()).hasValue(mods.resolve("kobj_exporter.o"));
        errno(Errno.ENOENT, () -> reg.load(tmp.resolve("nowhere/kobj_exporter.o").toString()));
    }

    @Test
    void compressedModulesAreFoundBySuffix() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("xz"));
        Files.copy(Testdata.root().resolve("special/module.ko.xz"), dir.resolve("kobj_demo.ko.xz"));
        ModuleRegistry reg = registry(dir);
        assertThat(reg.searchPath()).containsExactly(dir);
        ModuleInfo demo = reg.load("kobj_demo");
        assertThat(demo.path()).hasValue(dir.resolve("kobj_demo.ko.xz"));
        assertThat(demo.metadata().aliases()).containsExactly("devname:kobj_demo", "kobj-demo");
        assertThat(images.get("kobj_demo").section(".text")).isPresent();
    }

    @Test
    void findSectionDuringInitGivesTheModulesOwnSection() throws Exception {
        ModuleRegistry reg = registry(Fixtures.moduleDir(tmp.resolve("mods")));
        List<SectionInfo> found = new ArrayList<>();
        reg.setHandler("kobj_exporter", (cmd, ctx) -> {
            if (cmd == ModuleCommand.INIT) {
                found.add(ctx.registry().findSection("__ksymtab"));
                try {
                    ctx.registry().findSection(".nosuch");
                } catch (ModuleException e) {
                    found.add(new SectionInfo(e.errno().name(), 0, 0));
                }
            }
        });
        reg.load("kobj_exporter", Set.of(), Map.of(), ModuleClass.ANY);
        assertThat(found).hasSize(2);
        assertThat(found.get(0).size()).isEqualTo(12); // readelf: __ksymtab size 0xc
        assertThat(found.get(0).address()).isGreaterThanOrEqualTo(ModuleRegistry.KERNEL_MODULE_BASE);
        assertThat(found.get(1).name()).isEqualTo("ENOENT");
        errno(Errno.ENOENT, () -> reg.findSection("__ksymtab"));
    }
}
