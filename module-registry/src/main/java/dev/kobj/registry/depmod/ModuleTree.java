package dev.kobj.registry.depmod;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The modules of a tree such as {@code /lib/modules/6.1.0-56-amd64}, found and ordered as
 * depmod finds and orders them.
 *
 * <p>The rules (kmod's depmod, observed and documented behaviour):
 * <ul>
 * <li>every file under the root ending in {@code .ko}, {@code .ko.gz}, {@code .ko.xz} or
 *     {@code .ko.zst} is a module; directories named {@code build} or {@code source} are not
 *     entered (at any depth); symbolic links are followed;
 * <li>a module's name is its file name up to the first {@code '.'}, with {@code '-'} read as
 *     {@code '_'}; when two files give the same name, the one under {@code updates/} wins
 *     (depmod's default search order is "updates, then built-in"), otherwise the first found
 *     (here: the first in path order);
 * <li>modules named in {@code modules.order} (as {@code kernel/.../foo.ko}, the compression
 *     suffix removed; the last line naming a module counts) come first, in that file's order;
 *     the others follow, in path order (depmod leaves their order unspecified).
 * </ul>
 */
public final class ModuleTree {
    /** The file-name endings of modules, longest first. */
    static final List<String> EXTENSIONS = List.of(".ko.zst", ".ko.xz", ".ko.gz", ".ko");

    /**
     * One module file of the tree.
     *
     * @param path    the path relative to the root, with {@code '/'} separators, as modules.dep writes it
     * @param name    the module name ({@code snd_hda_codec} for {@code snd-hda-codec.ko.xz})
     * @param file    the file
     * @param ordered whether modules.order names it
     */
    public record Entry(String path, String name, Path file, boolean ordered) {
        /** Checks that nothing is null. */
        public Entry {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(name, "name");
        }
    }

    private final Path root;
    private final List<Entry> modules;

    private ModuleTree(Path root, List<Entry> modules) {
        this.root = root;
        this.modules = List.copyOf(modules);
    }

    /** {@return the root directory} */
    public Path root() {
        return root;
    }

    /** {@return the modules, in depmod's order} */
    public List<Entry> modules() {
        return modules;
    }

    /**
     * {@return whether the file name ends as a module's does}
     * @param fileName a file name
     */
    public static boolean isModuleFile(String fileName) {
        for (String ext : EXTENSIONS) {
            if (fileName.endsWith(ext) && fileName.length() > ext.length()) {
                return true;
            }
        }
        return false;
    }

    /**
     * {@return the module name a file name gives: up to the first '.', '-' read as '_'}
     * @param fileName a file name
     */
    public static String moduleName(String fileName) {
        int slash = fileName.lastIndexOf('/');
        String base = slash >= 0 ? fileName.substring(slash + 1) : fileName;
        int dot = base.indexOf('.');
        return (dot >= 0 ? base.substring(0, dot) : base).replace('-', '_');
    }

    /**
     * {@return the path with its compression suffix removed: {@code a/b.ko.xz} gives {@code a/b.ko}}
     * @param path a module path in the tree
     */
    public static String uncompressedPath(String path) {
        for (String ext : EXTENSIONS) {
            if (path.endsWith(ext)) {
                return path.substring(0, path.length() - ext.length()) + ".ko";
            }
        }
        return path;
    }

    /**
     * Finds the modules under {@code root} and orders them.
     *
     * @throws NoSuchFileException when the root is not a directory
     * @throws IOException         when the tree or modules.order cannot be read
     * @param root the tree: lib/modules/RELEASE
     * @return every module under {@code root}, in path order
     */
    public static ModuleTree scan(Path root) throws IOException {
        return scan(root, null);
    }

    /**
     * Finds the modules under {@code root} and orders them, telling {@code found} of each module
     * file as the walk finds it (so that reading can start before the walk ends). Every file
     * the tree's entries name is told, each once; files that lose to another of the same module
     * name are told too.
     *
     * @param root  the tree
     * @param found told each module file (the same {@code Path} object as {@link Entry#file()}); may be null
     * @return the tree, as {@link #scan(Path)} gives it
     * @throws IOException as {@link #scan(Path)}
     */
    static ModuleTree scan(Path root, Consumer<Path> found) throws IOException {
        Objects.requireNonNull(root, "root");
        if (!Files.isDirectory(root)) {
            throw new NoSuchFileException(root.toString(), null, "not a directory");
        }
        List<Path> files = new ArrayList<>();
        Files.walkFileTree(root, EnumSet.of(FileVisitOption.FOLLOW_LINKS), Integer.MAX_VALUE, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                if (!dir.equals(root)) {
                    String n = dir.getFileName().toString();
                    if (n.equals("build") || n.equals("source")) {
                        return FileVisitResult.SKIP_SUBTREE;
                    }
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                if (attrs.isRegularFile() && isModuleFile(file.getFileName().toString())) {
                    files.add(file);
                    if (found != null) {
                        found.accept(file);
                    }
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
                return FileVisitResult.CONTINUE; // as depmod: an unreadable entry is skipped
            }
        });
        files.sort(null); // natural order
        Map<String, Entry> byName = new LinkedHashMap<>();
        for (Path f : files) {
            String rel = relative(root, f);
            String name = moduleName(rel);
            Entry old = byName.get(name);
            if (old == null || (priority(rel) < priority(old.path()))) {
                byName.put(name, new Entry(rel, name, f, false));
            }
        }
        Map<String, Integer> order = readOrder(root.resolve("modules.order"));
        // Each module's line in modules.order, looked up once; lines are distinct, so the
        // listed modules fall in order when put at their line (no sort, no comparator).
        Entry[] atLine = new Entry[order.size() == 0 ? 0 : lines(order)];
        List<Entry> rest = new ArrayList<>();
        for (Entry e : byName.values()) {
            Integer line = order.get(uncompressedPath(e.path()));
            if (line != null) {
                atLine[line] = new Entry(e.path(), e.name(), e.file(), true);
            } else {
                rest.add(e);
            }
        }
        rest.sort(BY_PATH);
        List<Entry> all = new ArrayList<>(byName.size());
        for (Entry e : atLine) {
            if (e != null) {
                all.add(e);
            }
        }
        all.addAll(rest);
        return new ModuleTree(root, all);
    }

    /** Entries by path (a class, not a lambda: nothing to spin at run time). */
    private static final Comparator<Entry> BY_PATH = new Comparator<>() {
        @Override
        public int compare(Entry a, Entry b) {
            return a.path().compareTo(b.path());
        }
    };

    /** {@return one more than the highest line number in {@code order}} */
    private static int lines(Map<String, Integer> order) {
        int max = -1;
        for (int v : order.values()) {
            max = Math.max(max, v);
        }
        return max + 1;
    }

    /** {@return 0 for a module under updates/, 1 for the others: lower wins} */
    private static int priority(String rel) {
        return rel.startsWith("updates/") ? 0 : 1;
    }

    private static String relative(Path root, Path file) {
        // The walk makes every path by resolving names against the root: its string starts
        // with the root's and a separator (cheaper than relativize and a Path per name).
        String r = root.toString();
        String f = file.toString();
        String sep = file.getFileSystem().getSeparator();
        if (sep.equals("/") && f.length() > r.length() + 1 && f.startsWith(r)
                && (r.endsWith("/") ? f.charAt(r.length() - 1) == '/' : f.charAt(r.length()) == '/')) {
            return f.substring(r.endsWith("/") ? r.length() : r.length() + 1);
        }
        Path rel = root.relativize(file);
        StringBuilder sb = new StringBuilder();
        for (Path part : rel) {
            if (!sb.isEmpty()) {
                sb.append('/');
            }
            sb.append(part);
        }
        return sb.toString();
    }

    /**
     * {@return line position (from 0) of each path named in modules.order; empty when it is absent}
     * @throws IOException when the tree cannot be read
     */
    static Map<String, Integer> readOrder(Path file) throws IOException {
        Map<String, Integer> order = new HashMap<>();
        if (!Files.isRegularFile(file)) {
            return order;
        }
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.ISO_8859_1)) {
            String line;
            int i = 0;
            while ((line = in.readLine()) != null) {
                if (!line.isEmpty()) {
                    order.put(line, i);
                }
                i++;
            }
        }
        return order;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "ModuleTree[%s, %d modules]", root, modules.size());
    }
}
