package dev.kobj.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kobj.testkit.Testdata;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kobjdump depmod} on a small tree made of testdata's x86_64 objects: importer.o uses
 * the two symbols exporter.o exports (its {@code __ksymtab_*}) and printk, which no module of
 * the tree exports (vmlinux's: no dependency).
 */
class DepmodCommandTest {
    @TempDir
    Path root;

    private void tree(String order) throws Exception {
        Path src = Testdata.root().resolve("obj/x86_64-gcc-kernel");
        Files.createDirectories(root.resolve("kernel/lib"));
        Files.createDirectories(root.resolve("kernel/drivers/misc"));
        Files.copy(src.resolve("exporter.o"), root.resolve("kernel/lib/exporter.ko"));
        Files.copy(src.resolve("importer.o"), root.resolve("kernel/drivers/misc/importer.ko"));
        Files.copy(src.resolve("module.o"), root.resolve("kernel/drivers/misc/kobj-demo.ko"));
        if (order != null) {
            Files.writeString(root.resolve("modules.order"), order);
        }
    }

    @Test
    void writesModulesDepInTheTreeInModulesOrderOrder() throws Exception {
        tree("kernel/lib/exporter.ko\nkernel/drivers/misc/kobj-demo.ko\nkernel/drivers/misc/importer.ko\n");
        var r = LinkCommandTest.kobjdump("depmod", root.toString());
        assertThat(r.rc()).as(r.err()).isZero();
        assertThat(r.out()).isEmpty();
        assertThat(Files.readString(root.resolve("modules.dep"))).isEqualTo("""
                kernel/lib/exporter.ko:
                kernel/drivers/misc/kobj-demo.ko:
                kernel/drivers/misc/importer.ko: kernel/lib/exporter.ko
                """);
    }

    @Test
    void withoutModulesOrderPathOrderAndStdout() throws Exception {
        tree(null);
        var r = LinkCommandTest.kobjdump("depmod", "-o", "-", "-v", root.toString());
        assertThat(r.rc()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("""
                kernel/drivers/misc/importer.ko: kernel/lib/exporter.ko
                kernel/drivers/misc/kobj-demo.ko:
                kernel/lib/exporter.ko:
                """);
        assertThat(r.err()).startsWith("kobjdump depmod: 3 modules (1 with dependencies, 1 direct edges)");
        assertThat(root.resolve("modules.dep")).doesNotExist();
    }

    @Test
    void unreadableModuleIsListedWithoutDependenciesAndExitsOne() throws Exception {
        tree(null);
        Files.writeString(root.resolve("kernel/lib/broken.ko"), "not an ELF file");
        Path out = root.resolve("out.dep");
        var r = LinkCommandTest.kobjdump("depmod", "-o", out.toString(), root.toString());
        assertThat(r.rc()).isEqualTo(1);
        assertThat(r.err()).startsWith("kobjdump: kernel/lib/broken.ko: ");
        assertThat(Files.readString(out)).contains("kernel/lib/broken.ko:\n",
                "kernel/drivers/misc/importer.ko: kernel/lib/exporter.ko\n");
    }

    @Test
    void missingDirectoryIsAnError() {
        var r = LinkCommandTest.kobjdump("depmod", root.resolve("nope").toString());
        assertThat(r.rc()).isEqualTo(1);
        assertThat(r.err()).startsWith("kobjdump: " + root.resolve("nope"));
    }
}
