package dev.kobj.cli.kernel;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * A kernel's module tree as kmod's depmod describes it (modules.dep, modules.softdep,
 * modules.alias, written by fetch-kernels.sh): names, paths, and the order in which modprobe
 * loads a module with its dependencies. Names are the kernel's (file name without .ko*, '-' as
 * '_').
 *
 * <p>modules.dep lists, per module, every module it needs, the deepest last; modprobe loads them
 * from last to first, then the module. Softdeps (modinfo "softdep=pre: a post: b", collected by
 * depmod into modules.softdep) add "pre" modules before and "post" modules after; their names may
 * be aliases (modules.alias).
 */
public final class ModuleTree {
    private final Path dir;
    private final Map<String, String> path = new HashMap<>();
    private final Map<String, List<String>> deps = new HashMap<>();
    private final Map<String, List<String>> pre = new HashMap<>();
    private final Map<String, List<String>> post = new HashMap<>();
    private final Map<String, String> alias = new HashMap<>();

    public ModuleTree(Path modulesDir) {
        this.dir = modulesDir;
        try {
            for (String line : Files.readAllLines(modulesDir.resolve("modules.dep"))) {
                int colon = line.indexOf(':');
                if (colon < 0) {
                    continue;
                }
                String file = line.substring(0, colon).trim();
                String name = name(file);
                path.put(name, file);
                List<String> d = new ArrayList<>();
                for (String f : line.substring(colon + 1).trim().split("\\s+")) {
                    if (!f.isEmpty()) {
                        d.add(name(f));
                    }
                }
                deps.put(name, d);
            }
            Path soft = modulesDir.resolve("modules.softdep");
            if (Files.exists(soft)) {
                for (String line : Files.readAllLines(soft)) {
                    String[] w = line.trim().split("\\s+");
                    if (w.length < 3 || !w[0].equals("softdep")) {
                        continue;
                    }
                    List<String> target = null;
                    for (int i = 2; i < w.length; i++) {
                        switch (w[i]) {
                            case "pre:" -> target = pre.computeIfAbsent(norm(w[1]), k -> new ArrayList<>());
                            case "post:" -> target = post.computeIfAbsent(norm(w[1]), k -> new ArrayList<>());
                            default -> {
                                if (target != null) {
                                    target.add(w[i]);
                                }
                            }
                        }
                    }
                }
            }
            Path al = modulesDir.resolve("modules.alias");
            if (Files.exists(al)) {
                for (String line : Files.readAllLines(al)) {
                    String[] w = line.trim().split("\\s+");
                    if (w.length == 3 && w[0].equals("alias")) {
                        alias.putIfAbsent(w[1], norm(w[2]));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String norm(String name) {
        return name.replace('-', '_');
    }

    /** {@return the module name of a tree path: kernel/lib/crc8.ko.xz -> crc8} */
    public static String name(String file) {
        String base = file.substring(file.lastIndexOf('/') + 1);
        int ko = base.indexOf(".ko");
        return norm(ko > 0 ? base.substring(0, ko) : base);
    }

    /** {@return every module name, sorted} */
    public List<String> names() {
        List<String> n = new ArrayList<>(path.keySet());
        Collections.sort(n);
        return n;
    }

    public boolean has(String name) {
        return path.containsKey(name);
    }

    /** {@return the module's file} */
    public Path file(String name) {
        String p = path.get(name);
        if (p == null) {
            throw new IllegalArgumentException("no module " + name + " in " + dir);
        }
        return dir.resolve(p);
    }

    /** {@return the modules.dep dependencies of {@code name} (direct and indirect, as listed)} */
    public List<String> deps(String name) {
        return deps.getOrDefault(name, List.of());
    }

    /**
     * {@return the modules a modprobe of {@code name} loads, in load order, {@code name} last (its
     * softdep "post" modules after it); modules in {@code loaded} are skipped and the result is
     * added to it}
     */
    public List<String> loadOrder(String name, Set<String> loaded) {
        List<String> out = new ArrayList<>();
        add(name, loaded, out, new LinkedHashSet<>());
        return out;
    }

    private void add(String name, Set<String> loaded, List<String> out, Set<String> visiting) {
        if (loaded.contains(name) || !has(name) || !visiting.add(name)) {
            return;
        }
        for (String s : pre.getOrDefault(name, List.of())) {
            add(resolve(s), loaded, out, visiting);
        }
        List<String> d = deps(name);
        for (int i = d.size() - 1; i >= 0; i--) {
            add(d.get(i), loaded, out, visiting);
        }
        if (loaded.add(name)) {
            out.add(name);
        }
        for (String s : post.getOrDefault(name, List.of())) {
            add(resolve(s), loaded, out, visiting);
        }
    }

    private String resolve(String softdep) {
        String n = norm(softdep);
        return has(n) ? n : alias.getOrDefault(softdep, n);
    }

    /** {@return {@code n} module names drawn with {@code seed} from {@code names}, in draw order} */
    public static List<String> sample(List<String> names, int n, long seed) {
        List<String> copy = new ArrayList<>(names);
        Collections.shuffle(copy, new Random(seed));
        return copy.subList(0, Math.min(n, copy.size()));
    }
}
