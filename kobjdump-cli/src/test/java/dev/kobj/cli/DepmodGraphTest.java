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
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.NodeList;

/**
 * {@code kobjdump depmod --dot}, {@code --svg} and {@code --json} against kmod's depmod (the
 * oracle, {@code depmod -n -b BASE VERSION}): the DOT graph has exactly one edge per direct
 * dependency, every edge goes to a module depmod lists for the needer, and the closure of the
 * edges from each module is exactly depmod's list for it; the JSON's "depends" lists are
 * depmod's, in its order. On a small tree of testdata objects, and on Debian's amd64 tree in
 * the Maven profile {@code corpus}.
 */
class DepmodGraphTest {
    private static final Pattern EDGE = Pattern.compile("(?m)^\\s*\"([^\"]+)\" -> \"([^\"]+)\";$");

    @TempDir
    Path tmp;

    @Test
    void smallTreeGraphIsKmodsDependencies() throws Exception {
        Path base = tmp.resolve("base");
        Path tree = base.resolve("lib/modules/6.1.0-kobj");
        Path src = Testdata.root().resolve("obj/x86_64-gcc-kernel");
        Files.createDirectories(tree.resolve("kernel/lib"));
        Files.createDirectories(tree.resolve("kernel/drivers/misc"));
        Files.copy(src.resolve("exporter.o"), tree.resolve("kernel/lib/exporter.ko"));
        Files.copy(src.resolve("importer.o"), tree.resolve("kernel/drivers/misc/importer.ko"));
        Files.copy(src.resolve("module.o"), tree.resolve("kernel/drivers/misc/kobj-demo.ko"));
        Map<String, List<String>> expected = compare(base, "6.1.0-kobj");
        assertThat(expected.values().stream().mapToInt(List::size).sum()).isEqualTo(1);

        // --svg through Graphviz: well-formed, one node per module in a dependency.
        Tools.require("dot");
        Path svg = tmp.resolve("deps.svg");
        var r = LinkCommandTest.kobjdump("depmod", "--svg", svg.toString(), tree.toString());
        assertThat(r.rc()).as(r.err()).isZero();
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false); // dot's DOCTYPE
        NodeList titles = f.newDocumentBuilder().parse(svg.toFile()).getElementsByTagName("title");
        List<String> t = new ArrayList<>();
        for (int i = 0; i < titles.getLength(); i++) {
            t.add(titles.item(i).getTextContent());
        }
        assertThat(t).contains("importer", "exporter", "importer->exporter");
        assertThat(tree.resolve("modules.dep")).doesNotExist();
    }

    @Test
    void debianAmd64TreeGraphIsKmodsDependencies() throws Exception {
        Path base = Corpus.require("amd64");
        Path modules = base.resolve("lib/modules");
        String version;
        try (var s = Files.list(modules)) {
            version = s.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().findFirst().orElseThrow();
        }
        Map<String, List<String>> expected = compare(base, version);
        assertThat(expected.values().stream().mapToInt(List::size).sum()).isGreaterThan(5000);
    }

    /** Runs kmod's depmod and kobjdump depmod --dot and --json on BASE/lib/modules/VERSION; returns depmod's lists. */
    private Map<String, List<String>> compare(Path base, String version) throws Exception {
        Map<String, List<String>> theirs = Depmod.parse(Depmod.modulesDep(base, version));
        Path tree = base.resolve("lib/modules").resolve(version);

        // By name, as the DOT names modules (kmod's name: file name without .ko*, '-' as '_').
        Map<String, Set<String>> expectedByName = new HashMap<>();
        theirs.forEach((m, deps) -> expectedByName.put(name(m), new HashSet<>(deps.stream().map(DepmodGraphTest::name).toList())));

        var dot = LinkCommandTest.kobjdump("depmod", "--dot", tree.toString());
        assertThat(dot.rc()).as(dot.err()).isZero();
        assertThat(dot.out()).startsWith("// ").contains("digraph modules {").endsWith("}\n");
        Map<String, Set<String>> edges = new HashMap<>();
        Matcher m = EDGE.matcher(dot.out());
        long count = 0;
        while (m.find()) {
            count++;
            assertThat(edges.computeIfAbsent(m.group(1), k -> new LinkedHashSet<>()).add(m.group(2)))
                    .as("edge %s -> %s drawn once", m.group(1), m.group(2)).isTrue();
            assertThat(expectedByName).containsKey(m.group(1));
            assertThat(expectedByName.get(m.group(1))).as("depmod lists %s for %s", m.group(2), m.group(1))
                    .contains(m.group(2));
        }
        assertThat(count).isEqualTo(dot.out().lines().filter(l -> l.contains(" -> ")).count());
        for (var e : expectedByName.entrySet()) {
            assertThat(closure(e.getKey(), edges)).as("closure of the edges from %s", e.getKey()).isEqualTo(e.getValue());
        }

        var json = LinkCommandTest.kobjdump("depmod", "--json", tree.toString());
        assertThat(json.rc()).as(json.err()).isZero();
        JsonNode root = new ObjectMapper().readTree(json.out());
        assertThat(root.get("modules")).hasSize(theirs.size());
        for (JsonNode n : root.get("modules")) {
            List<String> deps = new ArrayList<>();
            n.get("depends").forEach(d -> deps.add(d.asText()));
            assertThat(deps).as(n.get("path").asText()).isEqualTo(theirs.get(n.get("path").asText()));
            List<String> direct = new ArrayList<>();
            n.get("direct").forEach(d -> direct.add(name(d.asText())));
            assertThat(direct).containsExactlyInAnyOrderElementsOf(edges.getOrDefault(n.get("name").asText(), Set.of()));
        }
        assertThat(root.get("edges").asLong()).isEqualTo(count);
        assertThat(tree.resolve("modules.dep")).doesNotExist();
        return theirs;
    }

    private static Set<String> closure(String from, Map<String, Set<String>> edges) {
        Set<String> seen = new HashSet<>();
        ArrayDeque<String> work = new ArrayDeque<>(edges.getOrDefault(from, Set.of()));
        while (!work.isEmpty()) {
            String n = work.pop();
            if (seen.add(n)) {
                work.addAll(edges.getOrDefault(n, Set.of()));
            }
        }
        return seen;
    }

    private static String name(String path) {
        String f = path.substring(path.lastIndexOf('/') + 1);
        return f.substring(0, f.indexOf(".ko")).replace('-', '_');
    }
}
