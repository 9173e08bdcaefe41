package dev.kobj.registry;

import static dev.kobj.registry.BuiltinRegistryTest.errno;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kobj.elf.ElfFile;
import dev.kobj.link.HeapMemory;
import dev.kobj.registry.ModuleException.Errno;
import dev.kobj.testkit.Testdata;
import dev.kobj.testkit.Tools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kobj module descriptors beside real objects (NAME.properties, NAME.plist) and in a
 * {@code .kobj.module} section; FreeBSD-style version ranges checked on load; preloaded modules.
 */
class DescriptorTest {
    @TempDir
    Path tmp;

    final HeapMemory heap = Fixtures.kernelHeap();
    final Map<String, Map<String, String>> props = new ConcurrentHashMap<>();

    ModuleRegistryBuilder builder(Path dir) {
        return Fixtures.registry(heap, dir).defaultHandler((cmd, ctx) -> {
            if (cmd == ModuleCommand.INIT) {
                props.put(ctx.name(), ctx.properties());
            }
        });
    }

    @Test
    void propertiesFileGivesClassVersionRequirementsAndHandlerProperties() throws Exception {
        Path dir = Fixtures.moduleDir(tmp.resolve("mods"));
        Files.writeString(dir.resolve("kobj_exporter.properties"), """
                # a kobj module descriptor
                class = vfs
                version = 1
                greeting = hello
                """);
        Files.writeString(dir.resolve("kobj_importer.properties"), "requires = kobj_exporter:2:2:3\n");
        ModuleRegistry reg = builder(dir).build();
        assertThatThrownBy(() -> reg.load("kobj_importer")).isInstanceOf(ModuleException.class)
                .hasMessageContaining("kobj_importer depends on kobj_exporter version 2..3 (preferred 2)")
                .hasMessageContaining("kobj_exporter.o is kobj_exporter version 1")
                .satisfies(e -> assertThat(((ModuleException) e).errno()).isEqualTo(Errno.ENOENT));
        assertThat(reg.list()).isEmpty();
        assertThat(heap.liveAllocations()).isZero();

        Files.writeString(dir.resolve("kobj_exporter.properties"), "class=VFS\nversion=2\ngreeting=hello\n");
        ModuleInfo imp = reg.load("kobj_importer");
        ModuleInfo exp = reg.status("kobj_exporter").orElseThrow();
        assertThat(exp.moduleClass()).isEqualTo(ModuleClass.VFS);
        assertThat(exp.version()).isEqualTo(2);
        assertThat(exp.metadata().origin()).isEqualTo(ModuleMetadata.Origin.PROPERTIES_FILE);
        assertThat(exp.metadata().license()).isEqualTo("GPL"); // .modinfo still read
        assertThat(props.get("kobj_exporter")).containsExactly(Map.entry("greeting", "hello"));
        assertThat(imp.metadata().requires()).containsExactly(Dependency.on("kobj_exporter", 2, 2, 3));
        // a loaded exporter of the wrong class is no match for a class-specific load
        errno(Errno.ENOENT, () -> reg.autoload("kobj_exporter", ModuleClass.DRIVER));
    }

    @Test
    void plistGivesNoautoloadAndNoPropsIgnoresIt() throws Exception {
        Path dir = Fixtures.moduleDir(tmp.resolve("mods"));
        Files.writeString(dir.resolve("kobj_exporter.plist"), """
                <?xml version="1.0" encoding="UTF-8"?>
                <plist version="1.0">
                <dict>
                  <key>name</key><string>kobj_exporter</string>
                  <key>class</key><string>misc</string>
                  <key>version</key><integer>3</integer>
                  <key>noautoload</key><true/>
                  <key>units</key><array><string>a</string><string>b</string></array>
                </dict>
                </plist>
                """);
        ManualTicker clock = new ManualTicker();
        ModuleRegistry reg = builder(dir).ticker(clock).build();
        reg.autoload("kobj_importer", ModuleClass.ANY);
        ModuleInfo exp = reg.status("kobj_exporter").orElseThrow();
        assertThat(exp.metadata().origin()).isEqualTo(ModuleMetadata.Origin.PLIST_FILE);
        assertThat(exp.metadata().noAutoload()).isTrue();
        assertThat(exp.unloadDelay()).isEqualTo(Duration.ZERO);
        assertThat(exp.version()).isEqualTo(3);
        assertThat(props.get("kobj_exporter")).containsEntry("units", "a, b");
        clock.advance(Duration.ofMinutes(1));
        assertThat(reg.runAutounload()).containsExactly("kobj_importer");
        clock.advance(Duration.ofMinutes(1));
        assertThat(reg.runAutounload()).isEmpty();
        assertThat(reg.list()).extracting(ModuleInfo::name).containsExactly("kobj_exporter");
        reg.unload("kobj_exporter");

        ModuleInfo plain = reg.load(dir.resolve("kobj_exporter.o"), Set.of(LoadFlag.NO_PROPS), Map.of(),
                ModuleClass.ANY);
        assertThat(plain.metadata().origin()).isEqualTo(ModuleMetadata.Origin.MODINFO);
        assertThat(plain.version()).isEqualTo(1);
    }

    @Test
    void malformedDescriptorIsEinval() throws Exception {
        Path dir = Fixtures.moduleDir(tmp.resolve("mods"));
        Files.writeString(dir.resolve("kobj_exporter.properties"), "version=two\n");
        ModuleRegistry reg = builder(dir).build();
        errno(Errno.EINVAL, () -> reg.load("kobj_exporter"));
        Files.writeString(dir.resolve("kobj_exporter.properties"), "requires=a:1:2\n");
        errno(Errno.EINVAL, () -> reg.load("kobj_exporter"));
        Files.writeString(dir.resolve("kobj_exporter.properties"), "class=printer\n");
        errno(Errno.EINVAL, () -> reg.load("kobj_exporter"));
    }

    @Test
    void descriptorSectionInTheObject() throws Exception {
        Tools.require("objcopy");
        Path desc = Files.writeString(tmp.resolve("desc.txt"), "name=kobj_fs\nclass=VFS\nversion=7\nrequires=\n");
        Path out = tmp.resolve("kobj_fs.o");
        Tools.Run objcopy = Tools.exec(List.of("objcopy", "--add-section", ".kobj.module=" + desc,
                Testdata.obj("x86_64-gcc-kernel", "exporter.o").toString(), out.toString()), null, true,
                Duration.ofSeconds(60));
        assertThat(objcopy.exit()).as(objcopy.out()).isZero();
        try (ElfFile elf = ElfFile.open(out)) {
            ModuleMetadata md = MetadataReader.read(elf, Optional.of(out), true);
            assertThat(md.name()).isEqualTo("kobj_fs");
            assertThat(md.moduleClass()).isEqualTo(ModuleClass.VFS);
            assertThat(md.version()).isEqualTo(7);
            assertThat(md.origin()).isEqualTo(ModuleMetadata.Origin.DESCRIPTOR_SECTION);
        }
        ModuleRegistry reg = builder(tmp).build();
        ModuleInfo fs = reg.load("kobj_fs", Set.of(), Map.of(), ModuleClass.VFS);
        assertThat(fs.moduleClass()).isEqualTo(ModuleClass.VFS);
    }

    @Test
    void preloadedModulesLoadFromMemoryByInitClassOrName() throws Exception {
        ModuleRegistry reg = builder(tmp).build();
        String name = reg.preload("exporter.o", Files.readAllBytes(Testdata.obj("x86_64-gcc-kernel", "exporter.o")));
        assertThat(name).isEqualTo("kobj_exporter");
        assertThat(reg.status(name).orElseThrow().state()).isEqualTo(ModuleState.REGISTERED);
        errno(Errno.EEXIST, () -> reg.preload("again.o",
                Files.readAllBytes(Testdata.obj("x86_64-gcc-kernel", "exporter.o"))));
        errno(Errno.ENOEXEC, () -> reg.preload("junk.o", new byte[] {1, 2, 3}));
        assertThat(reg.initClass(ModuleClass.VFS)).isEmpty();
        assertThat(reg.initClass(ModuleClass.MISC)).extracting(ModuleInfo::name).containsExactly("kobj_exporter");
        ModuleInfo m = reg.status(name).orElseThrow();
        assertThat(m.source()).isEqualTo(ModuleSource.PRELOADED);
        assertThat(m.path()).isEmpty();
        assertThat(reg.listing(true)).contains("preloaded");
        assertThat(reg.exports().lookup("kobj_shared_add")).isPresent();
    }
}
