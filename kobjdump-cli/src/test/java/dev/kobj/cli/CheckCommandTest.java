package dev.kobj.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kobj.testkit.Testdata;
import dev.kobj.testkit.Tools;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kobjdump check} on testdata's module.ko (x86_64 kobj_demo) and its compressed copies,
 * against testdata's special/Module.symvers (the CRCs of testdata/src/module.c's
 * {@code __versions}), or a copy the test changes. Relocation counts come from readelf -r.
 */
class CheckCommandTest {
    /** module.c's __versions, as a kernel's Module.symvers would list them (testdata/build.sh writes it). */
    static final String SYMVERS = new String(Testdata.read("special/Module.symvers"), StandardCharsets.UTF_8);

    @TempDir
    Path dir;

    private Path symvers(String text) throws Exception {
        Path p = dir.resolve("Module.symvers");
        Files.writeString(p, text);
        return p;
    }

    private static Path module() {
        return Testdata.root().resolve("special/module.ko");
    }

    /** {@return the number of relocations readelf -r lists for module.ko} (all of them target loaded sections) */
    private static long readelfRelocations() throws Exception {
        Matcher m = Pattern.compile("contains (\\d+) entr").matcher(Tools.run("readelf", "-rW", module().toString()));
        long n = 0;
        while (m.find()) {
            n += Long.parseLong(m.group(1));
        }
        return n;
    }

    @Test
    void aModuleThatWouldLoad() throws Exception {
        var r = LinkCommandTest.kobjdump("check", "--kernel", symvers(SYMVERS).toString(), module().toString());
        assertThat(r.rc()).as(r.err()).isZero();
        long relocs = readelfRelocations();
        assertThat(relocs).isEqualTo(91);
        assertThat(r.out()).startsWith(module() + ": OK (" + relocs + " relocations)\n");
        assertThat(r.out()).contains("Modules:       1 (1 would load, 0 refused, 0 unreadable)\n",
                "Kernel table:  synthesized from 1 Module.symvers file(s)\n", "Relocations:   " + relocs + " applied\n");
        assertThat(r.out()).containsPattern("\nModules/s:     \\d+\\.\\d\n")
                .containsPattern("\nRelocations/s: \\d+\\.\\d\n")
                .containsPattern("\nPeak heap:     \\d+\\.\\d MiB");
    }

    @Test
    void everyProblemOfAModuleAtOnce() throws Exception {
        String bad = SYMVERS.replace("0x92997ed8\tprintk", "0x12345678\tprintk")
                .replace("0xeb233a45\tkmalloc\tvmlinux\tEXPORT_SYMBOL\t\n", "");
        var r = LinkCommandTest.kobjdump("check", "--kernel", symvers(bad).toString(), "--vermagic", "6.1.0 SMP",
                module().toString());
        assertThat(r.rc()).isEqualTo(1);
        assertThat(r.out()).contains(module() + ": 3 problems\n");
        assertThat(r.out()).contains("disagrees about version of symbol printk", "Unknown symbol kmalloc",
                "version magic '6.1.0 SMP mod_unload modversions '");
        assertThat(r.out()).contains("Modules:       1 (0 would load, 1 refused, 0 unreadable)\n",
                "Refused for:   CRC_MISMATCH 1, UNRESOLVED 1, VERMAGIC_MISMATCH 1 (modules per kind)\n");
    }

    @Test
    void checksOnlyLinksNothing() throws Exception {
        var r = LinkCommandTest.kobjdump("check", "--checks-only", "--kernel", symvers(SYMVERS).toString(),
                module().toString());
        assertThat(r.rc()).isZero();
        assertThat(r.out()).startsWith(module() + ": OK\n").doesNotContain("Relocations");
    }

    @Test
    void aWholeTreeWithASummary() throws Exception {
        Path tree = Files.createDirectories(dir.resolve("lib/modules/6.1.0/kernel/drivers/misc"));
        Files.copy(module(), tree.resolve("kobj_demo.ko"));
        Files.copy(Testdata.root().resolve("special/module.ko.xz"), tree.resolve("kobj_xz.ko.xz"));
        Path deeper = Files.createDirectories(tree.resolve("deeper"));
        Files.copy(Testdata.root().resolve("special/module.ko.zst"), deeper.resolve("kobj_zst.ko.zst"));
        Files.writeString(tree.resolve("README"), "not a module\n");
        byte[] whole = Files.readAllBytes(module());
        Files.write(deeper.resolve("truncated.ko"), java.util.Arrays.copyOf(whole, 200));
        var r = LinkCommandTest.kobjdump("check", "--kernel", symvers(SYMVERS).toString(), "--threads", "2",
                dir.resolve("lib").toString());
        assertThat(r.rc()).isEqualTo(1);
        // Modules found in a tree are not listed when they would load (only with -v); the broken one is.
        assertThat(r.out()).doesNotContain("kobj_demo.ko: OK").contains("truncated.ko: ");
        assertThat(r.out()).contains("Modules:       4 (3 would load, 0 refused, 1 unreadable)\n",
                "Relocations:   " + 3 * readelfRelocations() + " applied\n");
        var v = LinkCommandTest.kobjdump("check", "-v", "--kernel", symvers(SYMVERS).toString(), tree.toString());
        assertThat(v.out()).contains("kobj_demo.ko: OK (91 relocations)", "kobj_xz.ko.xz: OK (91 relocations)",
                "kobj_zst.ko.zst: OK (91 relocations)");
    }

    @Test
    void aSystemMapIsReadAsItIs() throws Exception {
        Path map = dir.resolve("System.map");
        Files.writeString(map, LinkCommandTest.X86_MAP);
        var r = LinkCommandTest.kobjdump("check", "--kernel", map.toString(), "--kernel", symvers(SYMVERS).toString(),
                module().toString());
        assertThat(r.rc()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("Kernel table:  2 file(s)\n");
    }

    @Test
    void missingInputs() throws Exception {
        var r = LinkCommandTest.kobjdump("check", "--kernel", symvers(SYMVERS).toString(),
                dir.resolve("absent").toString());
        assertThat(r.rc()).isEqualTo(1);
        assertThat(r.out()).contains("absent: No such file or directory",
                "Modules:       1 (0 would load, 0 refused, 1 unreadable)");
        var noArgs = LinkCommandTest.kobjdump("check");
        assertThat(noArgs.rc()).isEqualTo(2);
    }
}
