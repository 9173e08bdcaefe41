package dev.kobj.cli;

import dev.kobj.testkit.Corpus;
import dev.kobj.testkit.Depmod;
import dev.kobj.testkit.Readelf;
import dev.kobj.testkit.Testdata;
import dev.kobj.testkit.Tools;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * {@code kobjdump link --svg}: the picture is well-formed XML (parsed by the JDK's parser), and
 * its boxes are the image's sections as GNU readelf reads them from the ELF file written by
 * the same link ({@code -o}): every SHF_ALLOC section is one box with readelf's name, address
 * and size, and nothing else is; each region is a PT_LOAD at its address with its permissions
 * (readelf -lW); and each box is drawn to scale inside its region's bar. For the three
 * architectures, AArch64 with its calls going through PLT veneers (stub boxes).
 */
class LinkSvgTest {
    private static final Pattern LOAD = Pattern.compile(
            "(?m)^\\s*LOAD\\s+0x\\S+\\s+0x([0-9a-f]+)\\s+0x\\S+\\s+0x\\S+\\s+0x\\S+\\s+([RWE ]{3})");

    @TempDir
    Path dir;

    record Box(String kind, String name, long address, long size, double x, double width) {
    }

    @ParameterizedTest
    @CsvSource({
        "obj/x86_64-gcc-kernel/module.o, x86, '', readelf",
        "obj/aarch64-small/module.o, a64far, 0x40000000, aarch64-linux-gnu-readelf",
        "obj/riscv64-medany/module.o, a64, 0x40000000, riscv64-linux-gnu-readelf"})
    void boxesAreTheSectionsReadelfReadsFromTheImage(String object, String map, String base, String readelf)
            throws Exception {
        Tools.require(readelf);
        String text = switch (map) {
            case "x86" -> LinkCommandTest.X86_MAP;
            case "a64far" -> LinkCommandTest.A64_MAP.replace("000000004100", "000000005000");
            default -> LinkCommandTest.A64_MAP;
        };
        Path sysmap = dir.resolve("System.map");
        Files.writeString(sysmap, text);
        Path elf = dir.resolve("out.elf");
        Path svg = dir.resolve("out.svg");
        List<String> args = new ArrayList<>(List.of("link", "--kernel", sysmap.toString(), "-o", elf.toString(),
                "--svg", svg.toString()));
        if (!base.isEmpty()) {
            args.addAll(List.of("--base", base));
        }
        args.add(Testdata.root().resolve(object).toString());
        var r = LinkCommandTest.kobjdump(args.toArray(String[]::new));
        assertThat(r.rc()).as(r.err()).isZero();

        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(svg.toFile());
        assertThat(doc.getDocumentElement().getTagName()).isEqualTo("svg");
        double barWidth = LinkSvg.WIDTH - 2 * 24;

        List<Box> boxes = new ArrayList<>();
        Map<Long, String> regions = new HashMap<>();
        NodeList groups = doc.getElementsByTagName("g");
        for (int i = 0; i < groups.getLength(); i++) {
            Element g = (Element) groups.item(i);
            long regionAddress = Long.parseUnsignedLong(g.getAttribute("data-address"), 16);
            long regionSize = Long.parseLong(g.getAttribute("data-size"), 16);
            regions.put(regionAddress, g.getAttribute("data-permissions"));
            NodeList rects = g.getElementsByTagName("rect");
            for (int k = 0; k < rects.getLength(); k++) {
                Element e = (Element) rects.item(k);
                if (!e.hasAttribute("data-name")) {
                    continue;
                }
                Box b = new Box(e.getAttribute("class"), e.getAttribute("data-name"),
                        Long.parseUnsignedLong(e.getAttribute("data-address"), 16),
                        Long.parseLong(e.getAttribute("data-size"), 16),
                        Double.parseDouble(e.getAttribute("x")), Double.parseDouble(e.getAttribute("width")));
                boxes.add(b);
                // To scale: offset and size in the region, at barWidth pixels for the region's size.
                double px = barWidth / regionSize;
                assertThat(b.x() - 24).as("x of %s", b.name()).isCloseTo((b.address() - regionAddress) * px,
                        org.assertj.core.data.Offset.offset(0.02));
                assertThat(b.width()).as("width of %s", b.name()).isCloseTo(Math.max(b.size() * px, 0.75),
                        org.assertj.core.data.Offset.offset(0.02));
                assertThat(b.address() - regionAddress + b.size()).isLessThanOrEqualTo(regionSize);
            }
        }

        List<String> fromSvg = boxes.stream().map(b -> b.name() + " " + Long.toHexString(b.address()) + " "
                + Long.toHexString(b.size())).sorted().toList();
        List<String> fromReadelf = Readelf.sectionLines(Tools.run(readelf, "-SW", elf.toString())).stream()
                // placed = SHF_ALLOC, or given a load address (the kernel's copy of .symtab/.strtab in init)
                .filter(s -> s.flags().contains("A") || s.address() != 0)
                .map(s -> s.name() + " " + Long.toHexString(s.address()) + " " + Long.toHexString(s.size()))
                .sorted().toList();
        assertThat(fromSvg).isNotEmpty().isEqualTo(fromReadelf);
        if (map.equals("a64far")) {
            assertThat(boxes).anyMatch(b -> b.kind().equals("stub"));
        }

        // Regions: a PT_LOAD at each address, with the region's permissions.
        Matcher m = LOAD.matcher(Tools.run(readelf, "-lW", elf.toString()));
        Map<Long, String> loads = new HashMap<>();
        while (m.find()) {
            String flg = m.group(2);
            loads.put(Long.parseUnsignedLong(m.group(1), 16), flg.contains("E") ? "RX" : flg.contains("W") ? "RW" : "R");
        }
        assertThat(loads).isNotEmpty();
        loads.forEach((address, perm) -> assertThat(regions).containsEntry(address, perm));
    }
}
