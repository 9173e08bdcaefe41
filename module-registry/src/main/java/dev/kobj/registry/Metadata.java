package dev.kobj.registry;

import dev.kobj.elf.ElfFile;
import dev.kobj.elf.ElfFormatException;
import dev.kobj.elf.ModInfoEntry;
import dev.kobj.symtab.KernelSymbol;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/** Metadata and the descriptor's other keys (handler properties), as read (see {@link MetadataReader}). */
record Metadata(ModuleMetadata metadata, Map<String, String> properties) {

    /** The section holding a kobj module descriptor. */
    static final String DESCRIPTOR_SECTION = ".kobj.module";
    /** The longest descriptor read (section or file). */
    static final long MAX_DESCRIPTOR = 1 << 20;

    private static final List<String> DESCRIPTOR_KEYS = List.of("name", "class", "version", "requires", "noautoload");

    static Metadata read(ElfFile elf, Optional<Path> file, boolean beside) throws ModuleException {
        String where = file.map(Path::toString).orElse(elf.name());
        String descriptorWhere = where; // errors in a descriptor's values name the descriptor
        Map<String, List<String>> modinfo = new LinkedHashMap<>();
        String thisModule = "";
        Map<String, String> descriptor = null;
        ModuleMetadata.Origin origin = ModuleMetadata.Origin.NONE;
        try {
            for (ModInfoEntry e : elf.modinfo()) {
                modinfo.computeIfAbsent(e.key(), k -> new ArrayList<>()).add(e.value());
            }
            thisModule = elf.thisModule().map(t -> t.name()).orElse("");
            var section = elf.section(DESCRIPTOR_SECTION);
            if (section.isPresent()) {
                MemorySegment data = elf.contents(section.get());
                if (data.byteSize() > MAX_DESCRIPTOR) {
                    throw new ModuleException(ModuleException.Errno.EINVAL,
                            where + ": " + DESCRIPTOR_SECTION + " is larger than " + MAX_DESCRIPTOR + " bytes");
                }
                byte[] b = data.toArray(ValueLayout.JAVA_BYTE);
                int n = b.length;
                while (n > 0 && b[n - 1] == 0) {
                    n--;
                }
                descriptorWhere = where + " " + DESCRIPTOR_SECTION;
                descriptor = properties(new String(b, 0, n, StandardCharsets.UTF_8), descriptorWhere);
                origin = ModuleMetadata.Origin.DESCRIPTOR_SECTION;
            }
        } catch (ElfFormatException e) {
            throw new ModuleException(ModuleException.Errno.ENOEXEC, where + ": " + e.getMessage(), e);
        }
        if (descriptor == null && beside && file.isPresent()) {
            Path f = file.get();
            String base = baseName(f);
            Path dir = f.toAbsolutePath().getParent();
            Path props = dir.resolve(base + ".properties");
            Path plist = dir.resolve(base + ".plist");
            if (Files.isRegularFile(props)) {
                descriptorWhere = props.toString();
                descriptor = properties(readSmall(props), descriptorWhere);
                origin = ModuleMetadata.Origin.PROPERTIES_FILE;
            } else if (Files.isRegularFile(plist)) {
                descriptorWhere = plist.toString();
                descriptor = plist(plist);
                origin = ModuleMetadata.Origin.PLIST_FILE;
            }
        }
        if (descriptor == null && !modinfo.isEmpty()) {
            origin = ModuleMetadata.Origin.MODINFO;
        }
        Map<String, String> d = descriptor == null ? Map.of() : descriptor;

        String name = first(d.get("name"), first(modinfo, "name"), thisModule,
                file.map(Metadata::baseName).orElse(baseName(Path.of(elf.name()))));
        if (origin == ModuleMetadata.Origin.MODINFO || origin == ModuleMetadata.Origin.NONE) {
            name = KernelSymbol.moduleName(name); // Linux: '-' and '_' are one
        }
        String cls = first(d.get("class"), first(modinfo, "kobj.class"), "");
        ModuleClass moduleClass;
        try {
            moduleClass = ModuleClass.parse(cls);
        } catch (IllegalArgumentException e) {
            throw new ModuleException(ModuleException.Errno.EINVAL, (d.containsKey("class") ? descriptorWhere : where)
                    + ": unknown module class '" + cls + "'");
        }
        String ver = first(d.get("version"), first(modinfo, "kobj.version"), "1");
        int version;
        try {
            version = Integer.parseInt(ver.strip());
        } catch (NumberFormatException e) {
            throw new ModuleException(ModuleException.Errno.EINVAL, (d.containsKey("version") ? descriptorWhere : where)
                    + ": version '" + ver + "' is not an integer");
        }
        List<Dependency> requires = new ArrayList<>();
        if (d.containsKey("requires")) {
            requires.addAll(dependencies(d.get("requires"), descriptorWhere));
        }
        for (String dep : modinfo.getOrDefault("depends", List.of())) {
            for (Dependency x : dependencies(dep, where)) {
                Dependency norm = new Dependency(KernelSymbol.moduleName(x.name()), x.min(), x.preferred(), x.max(),
                        false);
                if (requires.stream().noneMatch(r -> r.name().equals(norm.name()))) {
                    requires.add(norm);
                }
            }
        }
        boolean noAutoload = Boolean.parseBoolean(first(d.get("noautoload"), "false").strip());
        Map<String, List<String>> raw = new LinkedHashMap<>(modinfo);
        d.forEach((k, v) -> raw.put(k, List.of(v)));
        Map<String, String> handlerProps = new LinkedHashMap<>();
        d.forEach((k, v) -> {
            if (!DESCRIPTOR_KEYS.contains(k)) {
                handlerProps.put(k, v);
            }
        });
        ModuleMetadata md = new ModuleMetadata(name, moduleClass, version, requires, noAutoload,
                orEmpty(first(modinfo, "license")), orEmpty(first(modinfo, "vermagic")), modinfo.getOrDefault("alias", List.of()),
                modinfo.getOrDefault("import_ns", List.of()), modinfo.getOrDefault("softdep", List.of()), origin, raw);
        return new Metadata(md, handlerProps);
    }

    /** Parses {@code a, b:1:2:3} (name, or name:min:preferred:max). */
    static List<Dependency> dependencies(String list, String where) throws ModuleException {
        List<Dependency> out = new ArrayList<>();
        for (String item : list.split(",")) {
            String t = item.strip();
            if (t.isEmpty()) {
                continue;
            }
            String[] p = t.split(":");
            if (p.length == 1) {
                out.add(Dependency.on(p[0].strip()));
            } else if (p.length == 4) {
                try {
                    out.add(Dependency.on(p[0].strip(), Integer.parseInt(p[1].strip()), Integer.parseInt(p[2].strip()),
                            Integer.parseInt(p[3].strip())));
                } catch (IllegalArgumentException e) {
                    throw new ModuleException(ModuleException.Errno.EINVAL,
                            where + ": bad required module '" + t + "': " + e.getMessage());
                }
            } else {
                throw new ModuleException(ModuleException.Errno.EINVAL,
                        where + ": bad required module '" + t + "' (name or name:min:preferred:max)");
            }
        }
        return out;
    }

    /** {@return the file name without its module suffix (or extension)} */
    static String baseName(Path p) {
        String m = SearchPathLocator.moduleName(p);
        if (m != null) {
            return m;
        }
        String f = p.getFileName().toString();
        int dot = f.indexOf('.');
        return dot > 0 ? f.substring(0, dot) : f;
    }

    private static String readSmall(Path p) throws ModuleException {
        try {
            if (Files.size(p) > MAX_DESCRIPTOR) {
                throw new ModuleException(ModuleException.Errno.EINVAL, p + ": larger than " + MAX_DESCRIPTOR + " bytes");
            }
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ModuleException(ModuleException.Errno.ENOENT, p + ": " + e.getMessage(), e);
        }
    }

    private static Map<String, String> properties(String text, String where) throws ModuleException {
        Properties p = new Properties();
        try {
            p.load(new StringReader(text));
        } catch (IOException | IllegalArgumentException e) {
            throw new ModuleException(ModuleException.Errno.EINVAL, where + ": " + e.getMessage(), e);
        }
        Map<String, String> out = new LinkedHashMap<>();
        p.stringPropertyNames().stream().sorted().forEach(k -> out.put(k.strip(), p.getProperty(k).strip()));
        return out;
    }

    /**
     * An XML property list whose top element is a dict: string, integer, true/false values as
     * text; an array of strings joined with ", " (so {@code requires} may be an array).
     */
    private static Map<String, String> plist(Path p) throws ModuleException {
        try (InputStream in = Files.newInputStream(p)) {
            if (Files.size(p) > MAX_DESCRIPTOR) {
                throw new ModuleException(ModuleException.Errno.EINVAL, p + ": larger than " + MAX_DESCRIPTOR + " bytes");
            }
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            f.setExpandEntityReferences(false);
            DocumentBuilder b = f.newDocumentBuilder();
            Element root = b.parse(in).getDocumentElement();
            Element dict = root.getTagName().equals("dict") ? root : child(root, "dict");
            if (dict == null) {
                throw new ModuleException(ModuleException.Errno.EINVAL, p + ": no <dict> in the property list");
            }
            Map<String, String> out = new LinkedHashMap<>();
            String key = null;
            NodeList nodes = dict.getChildNodes();
            for (int i = 0; i < nodes.getLength(); i++) {
                if (!(nodes.item(i) instanceof Element e)) {
                    continue;
                }
                if (e.getTagName().equals("key")) {
                    key = e.getTextContent().strip();
                    continue;
                }
                if (key == null) {
                    throw new ModuleException(ModuleException.Errno.EINVAL, p + ": <" + e.getTagName() + "> without a <key>");
                }
                String value = switch (e.getTagName()) {
                    case "true" -> "true";
                    case "false" -> "false";
                    case "array" -> {
                        List<String> items = new ArrayList<>();
                        NodeList a = e.getChildNodes();
                        for (int j = 0; j < a.getLength(); j++) {
                            if (a.item(j) instanceof Element x) {
                                items.add(x.getTextContent().strip());
                            }
                        }
                        yield String.join(", ", items);
                    }
                    default -> e.getTextContent().strip();
                };
                out.put(key, value);
                key = null;
            }
            return out;
        } catch (IOException | ParserConfigurationException | SAXException e) {
            throw new ModuleException(ModuleException.Errno.EINVAL, p + ": " + e.getMessage(), e);
        }
    }

    private static Element child(Element parent, String tag) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(tag)) {
                return e;
            }
        }
        return null;
    }

    private static String first(Map<String, List<String>> m, String key) {
        List<String> v = m.get(key);
        return v == null || v.isEmpty() ? null : v.getFirst();
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }

    private static String first(String... options) {
        for (String s : options) {
            if (s != null && !s.isEmpty()) {
                return s;
            }
        }
        return "";
    }
}
