package dev.kobj.cli;

import dev.kobj.testkit.Corpus;
import dev.kobj.testkit.Depmod;
import dev.kobj.testkit.Readelf;
import dev.kobj.testkit.Testdata;
import dev.kobj.testkit.Tools;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --json} of check and verify against outside oracles: check's unknown symbols are
 * readelf's undefined globals that the System.map lacks, and its relocation count is readelf's
 * count of the relocations of loaded sections; verify's signer is openssl's subject of the
 * certificate and its outcome the kernel's errno names. modprobe's JSON is its table's rows.
 * (depmod's JSON is checked against kmod in {@link DepmodGraphTest}.)
 */
class ResultsJsonTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern TABLE = Pattern.compile("(?m)^Relocation section '\\.rela?([^']*)' at offset 0x[0-9a-f]+ contains (\\d+) entr");

    @TempDir
    Path dir;

    @Test
    void checkJsonHasReadelfsUnknownSymbolsAndRelocationCount() throws Exception {
        Tools.require("readelf");
        Path src = Testdata.root().resolve("obj/x86_64-gcc-kernel");
        Path map = Files.writeString(dir.resolve("System.map"), LinkCommandTest.X86_MAP);
        var r = LinkCommandTest.kobjdump("check", "--json", "--kernel", map.toString(),
                src.resolve("module.o").toString(), src.resolve("importer.o").toString());
        assertThat(r.rc()).isEqualTo(1);
        JsonNode root = JSON.readTree(r.out());
        JsonNode ok = root.get("modules").get(0);
        JsonNode refused = root.get("modules").get(1);
        assertThat(ok.get("status").asText()).isEqualTo("ok");
        assertThat(ok.get("relocations").asLong()).isEqualTo(loadedRelocations(src.resolve("module.o")));
        assertThat(refused.get("status").asText()).isEqualTo("refused");

        List<String> unknown = new ArrayList<>();
        for (String l : Tools.run("readelf", "-sW", src.resolve("importer.o").toString()).split("\n")) {
            String[] f = l.trim().split("\\s+");
            if (f.length == 8 && f[6].equals("UND") && f[4].equals("GLOBAL")
                    && !LinkCommandTest.X86_SYMBOLS.containsKey(f[7])) {
                unknown.add(f[7]);
            }
        }
        List<String> reported = new ArrayList<>();
        refused.get("problems").forEach(p -> {
            assertThat(p.get("kind").asText()).isEqualTo("UNRESOLVED");
            reported.add(p.get("symbol").asText());
        });
        assertThat(unknown).isNotEmpty();
        assertThat(reported).containsExactlyInAnyOrderElementsOf(unknown);
        assertThat(root.get("summary").get("ok").asInt()).isEqualTo(1);
        assertThat(root.get("summary").get("refused").asInt()).isEqualTo(1);
    }

    /** {@return readelf -rW's entry count over the tables whose section readelf -SW flags SHF_ALLOC} */
    private static long loadedRelocations(Path object) throws Exception {
        Map<String, String> flags = new HashMap<>();
        for (Readelf.SectionLine s : Readelf.sectionLines(Tools.run("readelf", "-SW", object.toString()))) {
            flags.put(s.name(), s.flags());
        }
        Matcher m = TABLE.matcher(Tools.run("readelf", "-rW", object.toString()));
        long n = 0;
        while (m.find()) {
            if (flags.getOrDefault(m.group(1), "").contains("A")) {
                n += Long.parseLong(m.group(2));
            }
        }
        return n;
    }

    @Test
    void verifyJsonNamesOpensslsSignerAndTheKernelsErrno() throws Exception {
        Path special = Testdata.root().resolve("special");
        Path cert = special.resolve("signing-cert.pem");
        var subject = SignCommandTest.openssl("x509", "-in", cert.toString(), "-noout", "-subject", "-nameopt", "RFC2253");
        String expected = subject.out().strip().replaceFirst("^subject=", "");
        var r = LinkCommandTest.kobjdump("verify", "--json", "--cert", cert.toString(),
                special.resolve("module-signed.ko").toString(), special.resolve("module.ko").toString(),
                dir.resolve("missing.ko").toString());
        assertThat(r.rc()).isEqualTo(1);
        JsonNode a = JSON.readTree(r.out());
        assertThat(a).hasSize(3);
        assertThat(a.get(0).get("verified").asBoolean()).isTrue();
        assertThat(a.get(0).get("errno").asText()).isEqualTo("0");
        assertThat(a.get(0).get("digest").asText()).isEqualTo("sha256");
        assertThat(a.get(0).get("signer").asText()).isEqualTo(expected);
        assertThat(a.get(1).get("verified").asBoolean()).isFalse();
        assertThat(a.get(1).get("outcome").asText()).isEqualTo("UNSIGNED");
        assertThat(a.get(1).get("errno").asText()).isEqualTo("ENODATA");
        assertThat(a.get(2).get("error").asText()).contains("No such file");
    }

    @Test
    void modprobeJsonIsTheTable() throws Exception {
        Path src = Testdata.root().resolve("obj/x86_64-gcc-kernel");
        Path tree = dir.resolve("lib/modules/6.1.0");
        Files.createDirectories(tree.resolve("kernel/lib"));
        Files.copy(src.resolve("exporter.o"), tree.resolve("kernel/lib/kobj-exporter.ko"));
        Files.copy(src.resolve("module.o"), tree.resolve("kernel/lib/kobj-demo.ko"));
        Path map = Files.writeString(dir.resolve("System.map"), LinkCommandTest.X86_MAP);
        String[] args = {"modprobe", "--permissive", "--kernel", map.toString(), "--path", tree.toString(),
            "kobj-exporter", "kobj-demo"};
        var text = LinkCommandTest.kobjdump(args);
        assertThat(text.rc()).as(text.err()).isZero();
        String[] withJson = java.util.Arrays.copyOf(args, args.length + 1);
        withJson[args.length] = "--json";
        var json = LinkCommandTest.kobjdump(withJson);
        assertThat(json.rc()).as(json.err()).isZero();
        JsonNode mods = JSON.readTree(json.out()).get("modules");
        assertThat(mods).hasSize(2);
        assertThat(mods.get(0).get("address").asLong()).isEqualTo(0xffff_ffff_c000_0000L); // Linux's MODULES_VADDR
        List<String> lines = text.out().lines().skip(1).toList();
        for (int i = 0; i < mods.size(); i++) {
            JsonNode m = mods.get(i);
            assertThat(lines.get(i)).contains(m.get("name").asText())
                    .contains(Long.toHexString(m.get("address").asLong()));
        }
        assertThat(JSON.readTree(json.out()).get("error").isNull()).isTrue();
    }
}
