package dev.kobj.emu;

import dev.kobj.elf.ElfFile;
import dev.kobj.elf.ModInfoEntry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The modules of a directory tree ({@code /lib/modules/RELEASE}) by name, to load a module's
 * dependencies first: a module's {@code .modinfo} {@code depends=} lists them (as depmod reads
 * them), names compare with {@code -} and {@code _} alike (kmod's rule).
 */
public final class ModuleTree {
    private final Map<String, Path> byName = new HashMap<>();

    private ModuleTree() {
    }

    /** {@return the modules under {@code root} ({@code .ko}, {@code .ko.xz}, {@code .ko.zst}, {@code .ko.gz})} */
    public static ModuleTree of(Path root) throws IOException {
        ModuleTree t = new ModuleTree();
        try (Stream<Path> s = Files.walk(root)) {
            s.filter(Files::isRegularFile).forEach(p -> {
                String n = name(p);
                if (n != null) {
                    t.byName.putIfAbsent(n, p);
                }
            });
        }
        return t;
    }

    /**
     * {@return the modules {@code files}, each named by its {@code .modinfo} {@code name=} (the
     * file name when it has none)}, for objects whose file names are not their module names
     */
    public static ModuleTree ofFiles(List<Path> files) throws EmuException {
        ModuleTree t = new ModuleTree();
        for (Path p : files) {
            String n = name(p);
            try (ElfFile elf = ElfFile.open(p)) {
                for (ModInfoEntry e : elf.modinfo()) {
                    if (e.key().equals("name")) {
                        n = e.value();
                    }
                }
            } catch (IOException | dev.kobj.elf.ElfFormatException e) {
                throw new EmuException(p + ": " + e.getMessage(), e);
            }
            if (n == null) {
                String f = p.getFileName().toString();
                n = f.contains(".") ? f.substring(0, f.indexOf('.')) : f;
            }
            t.byName.putIfAbsent(n.replace('-', '_'), p);
        }
        return t;
    }

    /** {@return the module name of a file name (kmod's rule), or null when not a module file} */
    public static String name(Path file) {
        String f = file.getFileName().toString();
        for (String ext : new String[] {".ko", ".ko.xz", ".ko.zst", ".ko.gz"}) {
            if (f.endsWith(ext)) {
                return f.substring(0, f.length() - ext.length()).replace('-', '_');
            }
        }
        return null;
    }

    /** {@return the file of module {@code name}} */
    public Optional<Path> find(String name) {
        return Optional.ofNullable(byName.get(name.replace('-', '_')));
    }

    /** {@return the number of modules} */
    public int size() {
        return byName.size();
    }

    /** {@return every module file, sorted by path} */
    public List<Path> files() {
        return byName.values().stream().sorted().toList();
    }

    /**
     * {@return the files to load for {@code module}, dependencies first (each once, depth first in
     * {@code depends=} order), the module last}
     *
     * @throws EmuException when a dependency is not in the tree
     */
    public List<Path> loadOrder(Path module) throws EmuException {
        Set<Path> out = new LinkedHashSet<>();
        visit(module, out, new LinkedHashSet<>());
        return new ArrayList<>(out);
    }

    private void visit(Path module, Set<Path> out, Set<Path> path) throws EmuException {
        if (out.contains(module) || !path.add(module)) {
            return; // done, or a cycle (depmod refuses those; here the first visit wins)
        }
        for (String dep : depends(module)) {
            Path p = find(dep).orElseThrow(() -> new EmuException(module + ": dependency " + dep
                    + " is not in the module tree"));
            visit(p, out, path);
        }
        path.remove(module);
        out.add(module);
    }

    /** {@return the names in the {@code depends=} entry of {@code module}'s .modinfo} */
    public static List<String> depends(Path module) throws EmuException {
        try (ElfFile elf = ElfFile.open(module)) {
            List<String> out = new ArrayList<>();
            for (ModInfoEntry e : elf.modinfo()) {
                if (e.key().equals("depends") && !e.value().isEmpty()) {
                    for (String d : e.value().split(",")) {
                        out.add(d.trim());
                    }
                }
            }
            return out;
        } catch (IOException | dev.kobj.elf.ElfFormatException e) {
            throw new EmuException(module + ": " + e.getMessage(), e);
        }
    }
}
