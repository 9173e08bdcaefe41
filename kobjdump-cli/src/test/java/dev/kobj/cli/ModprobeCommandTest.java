package dev.kobj.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kobj.elf.ElfFile;
import dev.kobj.elf.ModVersion;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kobjdump modprobe}: testdata's kobj_importer (x86_64) needs kobj_exporter, by its
 * .modinfo depends and by the two symbols it imports; on the Debian corpus, nfsv4 needs the seven
 * modules Debian's depmod lists for it.
 */
class ModprobeCommandTest {
    @TempDir
    Path root;

    /** One row of the full listing. */
    record Row(int id, String name, String state, long address, long size, int refs, int deps, String delay) {
    }

    static List<Row> rows(String listing) {
        Pattern p = Pattern.compile("^\\s*(\\d+)\\s+(\\S+)\\s+\\S+\\s+(\\S+)\\s+0x([0-9a-f]{16})\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)"
                + "\\s+(\\S+)\\s+file\\s*$", Pattern.MULTILINE);
        Matcher m = p.matcher(listing);
        List<Row> out = new ArrayList<>();
        while (m.find()) {
            out.add(new Row(Integer.parseInt(m.group(1)), m.group(2), m.group(3), Long.parseUnsignedLong(m.group(4), 16),
                    Long.parseLong(m.group(5)), Integer.parseInt(m.group(6)), Integer.parseInt(m.group(7)), m.group(8)));
        }
        return out;
    }

    /** A Module.symvers for the fixtures: each imported name with the CRC the importer's __versions records. */
    private Path symvers(Path... objects) throws Exception {
        StringBuilder sb = new StringBuilder();
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (Path o : objects) {
            try (ElfFile f = ElfFile.open(o)) {
                for (ModVersion v : f.modversions()) {
                    if (!seen.add(v.name())) {
                        continue;
                    }
                    String owner = v.name().startsWith("kobj_shared_") ? "lib/kobj-exporter" : "vmlinux";
                    sb.append(String.format(Locale.ROOT, "0x%08x\t%s\t%s\tEXPORT_SYMBOL\t%n", v.crc() & 0xffffffffL,
                            v.name(), owner));
                }
            }
        }
        Path p = root.resolve("Module.symvers");
        Files.writeString(p, sb);
        return p;
    }

    @Test
    void importerBringsInExporterFromTheTree() throws Exception {
        Path src = Tools.testdata().resolve("obj/x86_64-gcc-kernel");
        Path tree = root.resolve("lib/modules/6.1.0");
        Files.createDirectories(tree.resolve("kernel/lib"));
        Files.createDirectories(tree.resolve("kernel/drivers/misc"));
        Files.copy(src.resolve("exporter.o"), tree.resolve("kernel/lib/kobj-exporter.ko"));
        Files.copy(src.resolve("importer.o"), tree.resolve("kernel/drivers/misc/kobj_importer.ko"));
        Path sv = symvers(src.resolve("importer.o"), src.resolve("exporter.o"));
        var r = LinkCommandTest.kobjdump("modprobe", "--permissive", "--kernel", sv.toString(), "--path", tree.toString(),
                "kobj-importer");
        assertThat(r.rc()).as(r.err()).isZero();
        List<Row> rows = rows(r.out());
        assertThat(rows).extracting(Row::name).containsExactly("kobj_exporter", "kobj_importer");
        Row exporter = rows.getFirst();
        Row importer = rows.get(1);
        assertThat(exporter.id()).isEqualTo(1);
        assertThat(exporter.address()).isEqualTo(0xffff_ffff_c000_0000L);
        assertThat(exporter.refs()).isEqualTo(1);
        assertThat(exporter.deps()).isEqualTo(1);
        assertThat(exporter.delay()).isEqualTo("10s"); // brought in as a dependency: an autounload candidate
        assertThat(importer.address()).isGreaterThanOrEqualTo(exporter.address() + exporter.size());
        assertThat(importer.refs()).isZero();
        assertThat(importer.delay()).isEqualTo("-");
        assertThat(r.out()).startsWith("  ID  NAME");
    }

    @Test
    void unknownModuleIsEnoent() throws Exception {
        Files.createDirectories(root.resolve("tree"));
        var r = LinkCommandTest.kobjdump("modprobe", "--path", root.resolve("tree").toString(), "nosuch");
        assertThat(r.rc()).isEqualTo(1);
        assertThat(r.err()).contains("ENOENT");
    }

    @Test
    void debianNfsv4LoadsTheModulesDepmodListsForIt() throws Exception {
        Path corpus = CorpusReadelfOracleTest.corpus().resolve("amd64");
        Path modules = corpus.resolve("lib/modules");
        List<Path> releases = Files.isDirectory(modules) ? Files.list(modules).filter(Files::isDirectory).toList() : List.of();
        Path depmod = CorpusDepmodOracleTest.depmod();
        String missing = releases.size() != 1 || !Files.isRegularFile(corpus.resolve("Module.symvers"))
                ? "corpus " + modules + " (one release and Module.symvers) is missing: run scripts/fetch-corpus.sh"
                : depmod == null ? "depmod (kmod) is not installed" : null;
        if (missing != null) {
            if ("true".equals(System.getenv("CI"))) {
                throw new AssertionError("CI=true and " + missing);
            }
            System.err.println("SKIPPED: " + missing);
            Assumptions.abort(missing);
        }
        Path tree = releases.getFirst();
        // The oracle: kmod's depmod on the same tree lists nfsv4's dependencies.
        var dep = CorpusDepmodOracleTest.parse(CorpusDepmodOracleTest.runDepmod(depmod, corpus, tree.getFileName().toString()));
        String key = dep.keySet().stream().filter(k -> k.matches("(.*/)?nfsv4\\.ko(\\.[a-z]+)?")).findFirst().orElseThrow();
        List<String> expected = new ArrayList<>();
        for (String d : dep.get(key)) {
            expected.add(d.substring(d.lastIndexOf('/') + 1).replaceAll("\\.ko(\\.[a-z]+)?$", "").replace('-', '_'));
        }
        expected.add("nfsv4");
        var r = LinkCommandTest.kobjdump("modprobe", "--kernel", corpus.resolve("Module.symvers").toString(), "--path",
                tree.toString(), "nfsv4");
        assertThat(r.rc()).as(r.err()).isZero();
        List<Row> rows = rows(r.out());
        assertThat(expected).hasSizeGreaterThan(3);
        assertThat(rows).extracting(Row::name).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(rows.getLast().name()).isEqualTo("nfsv4");
        assertThat(rows).allSatisfy(row -> {
            assertThat(row.state()).isEqualTo("loaded");
            assertThat(row.address()).isGreaterThanOrEqualTo(0xffff_ffff_c000_0000L);
        });
        Row sunrpc = rows.stream().filter(x -> x.name().equals("sunrpc")).findFirst().orElseThrow();
        // sunrpc is used by lockd, nfs and nfsv4 (its users among these, as Linux's lsmod would show).
        assertThat(sunrpc.deps()).isEqualTo(3);
        assertThat(sunrpc.refs()).isEqualTo(3);
    }
}
