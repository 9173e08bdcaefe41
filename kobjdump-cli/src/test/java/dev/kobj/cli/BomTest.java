package dev.kobj.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kobj.testkit.Testdata;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * kobj-bom lists every kobj artifact that kobj-parent manages, at the reactor's version: a
 * module added to one list and not the other fails here. Read from the two pom.xml files.
 */
class BomTest {
    private static final Path ROOT = Testdata.root().toAbsolutePath().getParent();

    @Test
    void theBomManagesTheKobjArtifactsOfTheParentAtItsVersion() throws Exception {
        Document parent = read(ROOT.resolve("pom.xml"));
        Document bom = read(ROOT.resolve("kobj-bom/pom.xml"));
        assertThat(managedKobjArtifacts(bom)).isNotEmpty().containsExactlyInAnyOrderElementsOf(managedKobjArtifacts(parent));
        assertThat(child(bom.getDocumentElement(), "version")).isEqualTo(child(parent.getDocumentElement(), "version"));
        List<String> modules = new ArrayList<>();
        NodeList ms = parent.getElementsByTagName("module");
        for (int i = 0; i < ms.getLength(); i++) {
            modules.add(ms.item(i).getTextContent().trim());
        }
        assertThat(modules).contains("kobj-bom");
    }

    private static List<String> managedKobjArtifacts(Document pom) {
        Element dm = (Element) pom.getElementsByTagName("dependencyManagement").item(0);
        NodeList deps = dm.getElementsByTagName("dependency");
        List<String> out = new ArrayList<>();
        for (int i = 0; i < deps.getLength(); i++) {
            Element d = (Element) deps.item(i);
            if (child(d, "groupId").equals("dev.kobj")) {
                assertThat(child(d, "version")).isEqualTo("${project.version}");
                out.add(child(d, "artifactId"));
            }
        }
        return out;
    }

    private static String child(Element e, String name) {
        NodeList l = e.getChildNodes();
        for (int i = 0; i < l.getLength(); i++) {
            if (l.item(i) instanceof Element c && c.getTagName().equals(name)) {
                return c.getTextContent().trim();
            }
        }
        return "";
    }

    private static Document read(Path p) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(p.toFile());
    }
}
