package dev.kobj.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kobj.testkit.Corpus;
import dev.kobj.testkit.Tools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kobjdump check} of Debian 13's riscv64 amdgpu.ko.xz (58 MiB unpacked, 1.74 M symbols)
 * in a JVM started with the launcher's options for check (its 160 MiB heap, read from the
 * {@code kobjdump} script): the module links, with as many relocations as readelf lists for its
 * loaded sections (the file unpacked by xz(1)). Before big modules were unpacked and laid out in
 * native memory it ran out of heap ("not enough Java heap to link this module").
 */
class SmallHeapCheckTest {
    @TempDir
    Path dir;

    /** {@return the JVM options the launcher gives {@code check}} (its {@code check) opts+=(...)} line) */
    static List<String> launcherCheckOptions() throws Exception {
        Path launcher = Path.of("..", "kobjdump");
        Matcher m = Pattern.compile("(?m)^\\s*check\\) opts\\+=\\(([^)]*-Xmx[^)]*)\\)").matcher(Files.readString(launcher));
        assertThat(m.find()).as("the launcher's heap options for check").isTrue();
        return Arrays.asList(m.group(1).trim().split("\\s+"));
    }

    /** {@return readelf's count of the RELA entries that apply to SHF_ALLOC sections of {@code ko}} */
    static long readelfRelocations(Path ko) throws Exception {
        String sections = Tools.run("readelf", "-SW", ko.toString());
        Pattern row = Pattern.compile("^\\s*\\[\\s*(\\d+)]\\s+(\\S+)\\s+(\\S+)\\s+\\S+\\s+\\S+\\s+(\\S+)\\s+(\\S+)\\s+(\\S*?)\\s*(\\d+)\\s+(\\d+)\\s+\\d+$");
        Map<Integer, String[]> rows = new HashMap<>(); // index -> type, size, flags, sh_info (section 0 has no name)
        for (String line : sections.lines().toList()) {
            Matcher m = row.matcher(line);
            if (m.find()) {
                rows.put(Integer.parseInt(m.group(1)), new String[] {m.group(3), m.group(4), m.group(6), m.group(8)});
            }
        }
        long total = 0;
        for (String[] r : rows.values()) {
            if (r[0].equals("RELA")) {
                String[] target = rows.get(Integer.parseInt(r[3]));
                if (target != null && target[2].contains("A")) {
                    total += Long.parseLong(r[1], 16) / 24;
                }
            }
        }
        return total;
    }

    @Test
    void riscv64AmdgpuLinksUnderTheLaunchersHeap() throws Exception {
        Path ko = Corpus.module("riscv64", "amdgpu.ko.xz");
        long expected = readelfRelocations(Corpus.plain(ko, dir.resolve("amdgpu.ko")));
        Path modules = Files.createDirectory(dir.resolve("modules"));
        Files.createSymbolicLink(modules.resolve("amdgpu.ko.xz"), ko.toAbsolutePath());
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(launcherCheckOptions());
        cmd.addAll(List.of("--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                "dev.kobj.cli.Main", "check", "-v", "--kernel", Corpus.require("riscv64").resolve("Module.symvers").toString(),
                modules.toString()));
        Tools.Run r = Tools.exec(cmd, null, true, Duration.ofMinutes(3));
        assertThat(r.out()).as(r.command()).doesNotContain("not enough Java heap")
                .contains(modules.resolve("amdgpu.ko.xz") + ": OK (" + expected + " relocations)")
                .contains("Modules:       1 (1 would load, 0 refused, 0 unreadable)");
        assertThat(r.exit()).isZero();
    }
}
