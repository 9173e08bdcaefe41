package dev.kobj.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kobjdump link --layout/--base REGION=ADDR/--map --json} and {@code kobjdump check
 * --target/--json}, read back with GNU readelf: the image's sections sit at the bases asked for,
 * its .symtab keeps every symbol of the module (locals too), and the JSON map says the same as
 * readelf of the image.
 */
class LayoutCommandsTest {
    @TempDir
    Path dir;

    private Path sysmap() throws Exception {
        Path p = dir.resolve("System.map");
        Files.writeString(p, LinkCommandTest.X86_MAP);
        return p;
    }

    private static Path module() {
        return dev.kobj.testkit.Testdata.root().resolve("special/module.ko");
    }

    static List<String> symbolNames(String readelfS) {
        List<String> out = new ArrayList<>();
        Pattern p = Pattern.compile("^\\s*\\d+:\\s+[0-9a-f]+\\s+\\d+\\s+(\\S+)\\s+\\S+\\s+\\S+\\s+\\S+\\s?(.*)$");
        for (String l : readelfS.split("\n")) {
            Matcher m = p.matcher(l);
            if (m.find() && !m.group(1).equals("SECTION") && !m.group(2).isEmpty()) {
                out.add(m.group(2));
            }
        }
        return out;
    }

    @Test
    void regionsAtTheirBasesAndEverySymbolKept() throws Exception {
        dev.kobj.testkit.Tools.require("readelf");
        Path out = dir.resolve("out.elf");
        var r = LinkCommandTest.kobjdump("link", "--kernel", sysmap().toString(), "--layout", "linux-6.4",
                "--base", "text=0xffffffffc0400000", "--base", "init_text=0xffffffffc0200000", "--base",
                "data=0xffffffffc0600000", "-o", out.toString(), "--map", "--json", module().toString());
        assertThat(r.err()).isEmpty();
        assertThat(r.rc()).isZero();
        List<dev.kobj.testkit.Readelf.SectionLine> secs = dev.kobj.testkit.Readelf.sectionLines(dev.kobj.testkit.Tools.run("readelf", "-SW", out.toString()));
        Map<String, Long> expected = Map.of(".text", 0xffffffffc0400000L, ".init.text", 0xffffffffc0200000L);
        for (var e : expected.entrySet()) {
            assertThat(secs.stream().filter(s -> s.name().equals(e.getKey())).findFirst().orElseThrow().address())
                    .as(e.getKey()).isEqualTo(e.getValue());
            assertThat(r.out()).contains("\"name\": \"" + e.getKey() + "\"");
        }
        assertThat(r.out()).contains("\"layout\": \"linux-6.4\"", "\"name\": \"text\"", "\"addressHex\": \"0xffffffffc0400000\"");
        // every section of the JSON map is where readelf sees it in the image
        Pattern sec = Pattern.compile("\\{\"name\": \"([^\"]+)\", \"index\": \\d+, \"address\": \\d+, \"addressHex\": \"0x([0-9a-f]+)\", \"size\": (\\d+), \"region\": \"([a-z_]+)\"");
        Matcher m = sec.matcher(r.out());
        int n = 0;
        while (m.find()) {
            String name = m.group(1);
            long addr = Long.parseUnsignedLong(m.group(2), 16);
            assertThat(secs).as(name).anyMatch(s -> s.name().equals(name) && s.address() == addr);
            if (name.equals(".data")) {
                assertThat(m.group(4)).isEqualTo("data");
                assertThat(addr).isEqualTo(0xffffffffc0600000L);
            }
            n++;
        }
        assertThat(n).isPositive();
        // the image's .symtab holds every named symbol of the module, locals included
        List<String> in = symbolNames(dev.kobj.testkit.Tools.run("readelf", "-sW", module().toString()));
        List<String> outNames = symbolNames(dev.kobj.testkit.Tools.run("readelf", "-sW", out.toString()));
        for (String s : in) {
            assertThat(outNames).as("symbol " + s).contains(s);
        }
    }

    @Test
    void checkLearnsTheTargetAndAnswersWithTheKernelsErrno() throws Exception {
        Path module = module();
        // a target tree whose struct module is another size: a copy of the module with its
        // .gnu.linkonce.this_module sh_size changed (the one malformed field this test needs).
        // Linux compares the size from 6.4 on: a 6.1 target loads the module (as Debian's 6.1.192
        // does: KernelVerdictTest), a 6.9 one (the copy's vermagic release changed) refuses it.
        Path tree61 = dir.resolve("t61/lib/modules/6.1.0-57-amd64/kernel");
        Files.createDirectories(tree61);
        byte[] b = Files.readAllBytes(module);
        Files.write(tree61.resolve("other.ko"), ThisModuleSize.withSize(b, 0x400));
        var old = LinkCommandTest.kobjdump("check", "--kernel", sysmap().toString(), "--target",
                dir.resolve("t61").toString(), "--json", module.toString());
        assertThat(old.out()).contains("\"status\": \"ok\"").doesNotContain("this_module section size must match");
        Path tree = dir.resolve("t69/lib/modules/6.9.0-1-amd64/kernel");
        Files.createDirectories(tree);
        Path other = tree.resolve("other.ko");
        Files.write(other, release(ThisModuleSize.withSize(b, 0x400), "6.1.0 SMP", "6.9.0 SMP"));
        var r = LinkCommandTest.kobjdump("check", "--kernel", sysmap().toString(), "--target", dir.resolve("t69").toString(),
                "--json", module.toString());
        assertThat(r.rc()).isEqualTo(1);
        assertThat(r.out()).contains("\"status\": \"refused\"", "\"errno\": \"ENOEXEC\"", "\"errnoValue\": 8",
                "this_module section size must match");
        // a module whose this_module is 16 bytes short (readelf: 0x60 bytes, init and exit
        // relocated at 0x50 and 0x58): 6.1 takes the section for a whole struct module and
        // writes both past it (Debian's 6.1 loads such a module), 6.4+ refuses it
        Path t61b = dir.resolve("t61b/lib/modules/6.1.0-57-amd64/kernel");
        Files.createDirectories(t61b);
        Files.write(t61b.resolve("same.ko"), b);
        Path shortKo = Files.write(dir.resolve("short.ko"), ThisModuleSize.withSize(b, 0x50));
        var loads = LinkCommandTest.kobjdump("check", "--kernel", sysmap().toString(), "--target",
                dir.resolve("t61b").toString(), "--json", shortKo.toString());
        assertThat(loads.out()).as(loads.out() + loads.err()).contains("\"status\": \"ok\"");
        Path t69b = dir.resolve("t69b/lib/modules/6.9.0-1-amd64/kernel");
        Files.createDirectories(t69b);
        Files.write(t69b.resolve("same.ko"), release(b, "6.1.0 SMP", "6.9.0 SMP"));
        var refused = LinkCommandTest.kobjdump("check", "--kernel", sysmap().toString(), "--target",
                dir.resolve("t69b").toString(), "--json", shortKo.toString());
        assertThat(refused.out()).contains("\"errno\": \"ENOEXEC\"", "this_module section size must match");
        var text = LinkCommandTest.kobjdump("check", module.toString());
        assertThat(text.out()).contains("verdict: ENOENT (errno 2)");
        var ok = LinkCommandTest.kobjdump("check", "--kernel", sysmap().toString(), "--target", module.toString(),
                "--json", module.toString());
        assertThat(ok.out()).contains("\"status\": \"ok\"");
    }

    /** {@return {@code ko} with its vermagic's release {@code from} replaced by {@code to}, of the same length} */
    static byte[] release(byte[] ko, String from, String to) {
        byte[] f = ("vermagic=" + from).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] t = ("vermagic=" + to).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        assertThat(t).hasSameSizeAs(f);
        byte[] out = ko.clone();
        for (int i = 0; i + f.length <= out.length; i++) {
            if (java.util.Arrays.equals(out, i, i + f.length, f, 0, f.length)) {
                System.arraycopy(t, 0, out, i, t.length);
                return out;
            }
        }
        throw new AssertionError("no vermagic=" + from);
    }
}
