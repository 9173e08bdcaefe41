package dev.kobj.registry.depmod;

import dev.kobj.registry.ModuleException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The dependencies between the modules of a tree, computed by depmod's rules, and the
 * modules.dep that writes them.
 *
 * <p>The rules (kmod's depmod; the corpus oracle compares the result with its output):
 * <ol>
 * <li><b>Owners.</b> Each exported name belongs to the module that exports it; when several
 *     do, the last one in module order wins. Names no module exports (vmlinux's, or unknown)
 *     give no dependency.
 * <li><b>Direct dependencies.</b> A module depends on the owner of each name it imports
 *     (weak references included), each owner once, in the order of first reference. A leading
 *     {@code '.'} of an imported name is ignored (the PowerPC64 function-descriptor form).
 * <li><b>Sort index.</b> A topological order from users to providers: the modules that no
 *     module depends on are the first roots, pushed in module order on a stack; the module
 *     popped from the top takes the next index, and each of its direct dependencies, in order,
 *     loses a user and is pushed when it has none left. A module left without an index is in
 *     (or below) a dependency cycle: depmod writes nothing then, and {@link #of} throws
 *     EDEADLK.
 * <li><b>modules.dep.</b> One line per module in module order:
 *     {@code path:} then, for each module of the transitive closure of its dependencies sorted
 *     by sort index, a space and its path. A module's providers therefore come after every
 *     module that uses them: modprobe loads the list from the right.
 * </ol>
 */
public final class DependencyGraph {
    /**
     * One module, as the graph is given it.
     *
     * @param path    the path written in modules.dep
     * @param name    the module name
     * @param symbols what it exports and imports
     */
    public record Node(String path, String name, ModuleSymbols symbols) {
        /** Checks that nothing is null. */
        public Node {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(symbols, "symbols");
        }
    }

    private final List<Node> nodes;
    private final int[][] direct;
    private final int[] sortIndex;
    private final int[] bySort; // the module of each sort index
    private final Map<String, Integer> byPath;
    private final Map<String, Integer> byName;
    private volatile Map<String, Integer> owners; // made on first use of owner()

    private DependencyGraph(List<Node> nodes, int[][] direct, int[] sortIndex) {
        this.nodes = nodes;
        this.direct = direct;
        this.sortIndex = sortIndex;
        this.bySort = new int[sortIndex.length];
        for (int i = 0; i < sortIndex.length; i++) {
            bySort[sortIndex[i]] = i;
        }
        this.byPath = new HashMap<>();
        this.byName = new HashMap<>();
        for (int i = 0; i < nodes.size(); i++) {
            byPath.putIfAbsent(nodes.get(i).path(), i);
            byName.putIfAbsent(nodes.get(i).name(), i);
        }
    }

    /**
     * Computes the graph of {@code modules}, given in module order (see {@link ModuleTree}).
     *
     * @throws ModuleException EDEADLK when modules depend on each other in a cycle; the
     *                         message names one cycle and the number of modules caught in
     *                         or below cycles
     * @param modules every module of the tree, with the symbols it exports and needs
     * @return the graph: each module's direct dependencies, the owner of each needed symbol
     */
    public static DependencyGraph of(List<Node> modules) throws ModuleException {
        List<Node> nodes = List.copyOf(modules);
        int n = nodes.size();
        // Symbols read by Depmod are name bytes: matched without a String per symbol.
        int[][] direct = ExportTable.applies(nodes) ? ExportTable.direct(nodes) : directByName(nodes);
        int[] users = new int[n];
        for (int[] d : direct) {
            for (int o : d) {
                users[o]++;
            }
        }
        int[] sortIndex = new int[n];
        Arrays.fill(sortIndex, -1);
        int[] stack = new int[n];
        int top = 0;
        for (int i = 0; i < n; i++) {
            if (users[i] == 0) {
                stack[top++] = i;
            }
        }
        int sorted = 0;
        while (top > 0) {
            int m = stack[--top];
            sortIndex[m] = sorted++;
            for (int d : direct[m]) {
                if (--users[d] == 0) {
                    stack[top++] = d;
                }
            }
        }
        if (sorted < n) {
            throw new ModuleException(ModuleException.Errno.EDEADLK, (n - sorted)
                    + " modules in or below dependency cycles; a cycle: " + cycle(nodes, direct, sortIndex));
        }
        return new DependencyGraph(nodes, direct, sortIndex);
    }

    /** {@return each exported name's owner: the last exporter in module order} */
    private static Map<String, Integer> owners(List<Node> nodes) {
        Map<String, Integer> owners = new HashMap<>();
        for (int i = 0; i < nodes.size(); i++) {
            for (String e : nodes.get(i).symbols().exports()) {
                owners.put(e, i); // the last exporter in module order wins
            }
        }
        return owners;
    }

    /** {@return each module's direct dependencies, by rules 1 and 2 on the names as strings} */
    private static int[][] directByName(List<Node> nodes) {
        Map<String, Integer> owners = owners(nodes);
        int[][] direct = new int[nodes.size()][];
        for (int i = 0; i < nodes.size(); i++) {
            LinkedHashSet<Integer> deps = new LinkedHashSet<>();
            for (String imp : nodes.get(i).symbols().imports()) {
                Integer o = owners.get(imp.startsWith(".") ? imp.substring(1) : imp);
                if (o != null && o != i) {
                    deps.add(o);
                }
            }
            direct[i] = deps.stream().mapToInt(Integer::intValue).toArray();
        }
        return direct;
    }

    /** The modules of a long cycle named at each end of it in the message. */
    private static final int CYCLE_SHOWN = 8;

    /** {@return one cycle among the modules left without a sort index, as "a -> b -> a"} */
    private static String cycle(List<Node> nodes, int[][] direct, int[] sortIndex) {
        // Every module left unsorted still has a user left unsorted (else its count would have
        // reached zero), so walking from user to user among them must come back to a module seen.
        int m = -1;
        for (int i = 0; i < nodes.size() && m < 0; i++) {
            if (sortIndex[i] < 0) {
                m = i;
            }
        }
        // One unsorted user of each unsorted module, found in one pass over the edges (a walk
        // that searched every module for a user at each step was quadratic: minutes for a
        // cycle of 100,000 modules).
        int[] user = new int[nodes.size()];
        Arrays.fill(user, -1);
        for (int j = 0; j < direct.length; j++) {
            if (sortIndex[j] < 0) {
                for (int d : direct[j]) {
                    if (user[d] < 0) {
                        user[d] = j;
                    }
                }
            }
        }
        List<Integer> walk = new ArrayList<>();
        Map<Integer, Integer> seen = new HashMap<>();
        while (m >= 0 && !seen.containsKey(m)) {
            seen.put(m, walk.size());
            walk.add(m);
            m = user[m];
        }
        if (m < 0) {
            return nodes.get(walk.getFirst()).name();
        }
        // walk[k] is used by walk[k + 1]: print the cycle in dependency order, user first.
        List<Integer> loop = new ArrayList<>(walk.subList(seen.get(m), walk.size()));
        Collections.reverse(loop);
        StringBuilder sb = new StringBuilder();
        for (int k = 0; k < loop.size(); k++) {
            if (loop.size() > 2 * CYCLE_SHOWN && k == CYCLE_SHOWN) {
                sb.append("... (").append(loop.size() - 2 * CYCLE_SHOWN).append(" more) -> ");
                k = loop.size() - CYCLE_SHOWN;
            }
            sb.append(nodes.get(loop.get(k)).name()).append(" -> ");
        }
        sb.append(nodes.get(loop.getFirst()).name());
        return loop.size() > 2 * CYCLE_SHOWN ? sb.append(" (a cycle of ").append(loop.size()).append(" modules)")
                .toString() : sb.toString();
    }

    /** {@return the modules, in module order} */
    public List<Node> modules() {
        return nodes;
    }

    /**
     * {@return the module with this path in modules.dep, or with this module name}
     * @param pathOrName a module's path in the tree or its name
     */
    public Optional<Node> find(String pathOrName) {
        Integer i = byPath.get(pathOrName);
        if (i == null) {
            i = byName.get(pathOrName.replace('-', '_'));
        }
        return i == null ? Optional.empty() : Optional.of(nodes.get(i));
    }

    /**
     * {@return the module that owns an exported name, if a module of the tree exports it}
     * @param symbol an exported symbol
     */
    public Optional<Node> owner(String symbol) {
        Map<String, Integer> o = owners;
        if (o == null) {
            owners = o = owners(nodes);
        }
        Integer i = o.get(symbol);
        return i == null ? Optional.empty() : Optional.of(nodes.get(i));
    }

    /**
     * {@return the modules {@code module} depends on directly, in order of first reference}
     * @param module a module of the graph
     */
    public List<Node> directDependencies(Node module) {
        int[] d = direct[index(module)];
        List<Node> out = new ArrayList<>(d.length);
        for (int x : d) {
            out.add(nodes.get(x));
        }
        return Collections.unmodifiableList(out);
    }

    /**
     * {@return every module {@code module} needs, directly or not, in modules.dep's order}:
     * each module before the modules it needs, so loading goes from the last to the first.
     *
     * @param module a module of the graph
     */
    public List<Node> dependencies(Node module) {
        int n = nodes.size();
        int[] found = new int[n];
        int c = closure(index(module), new int[n], new int[n], found);
        List<Node> out = new ArrayList<>(c);
        for (int k = 0; k < c; k++) {
            out.add(nodes.get(found[k]));
        }
        return Collections.unmodifiableList(out);
    }

    /**
     * Puts in {@code found} every module {@code root} needs, directly or not, in modules.dep's
     * order (by sort index); {@return how many}. {@code seen} is marked with {@code root + 1}
     * (so one array serves every root), {@code stack} is work space.
     */
    private int closure(int root, int[] seen, int[] stack, int[] found) {
        int mark = root + 1;
        int top = 0;
        int c = 0;
        stack[top++] = root;
        seen[root] = mark;
        while (top > 0) {
            for (int d : direct[stack[--top]]) {
                if (seen[d] != mark) {
                    seen[d] = mark;
                    found[c++] = sortIndex[d];
                    stack[top++] = d;
                }
            }
        }
        if (c > 64) {
            Arrays.sort(found, 0, c);
        } else {
            // Most closures are short: an insertion sort, which also keeps Arrays.sort's
            // partition lambdas from being spun (and compiled) in a short run.
            for (int k = 1; k < c; k++) {
                int v = found[k];
                int j = k - 1;
                while (j >= 0 && found[j] > v) {
                    found[j + 1] = found[j];
                    j--;
                }
                found[j + 1] = v;
            }
        }
        for (int k = 0; k < c; k++) {
            found[k] = bySort[found[k]];
        }
        return c;
    }

    /** {@return the number of direct dependency edges} */
    public long edgeCount() {
        long e = 0;
        for (int[] d : direct) {
            e += d.length;
        }
        return e;
    }

    private int index(Node module) {
        Integer i = byPath.get(module.path());
        if (i == null || !nodes.get(i).equals(module)) {
            throw new IllegalArgumentException("not a module of this graph: " + module.path());
        }
        return i;
    }

    /**
     * Writes modules.dep: one line {@code path: dep dep ...} per module, in module order.
     * @param out where modules.dep is written
     * @throws IOException when {@code out} fails
     */
    public void writeModulesDep(Appendable out) throws IOException {
        int n = nodes.size();
        int[] seen = new int[n];
        int[] stack = new int[n];
        int[] found = new int[n];
        StringBuilder line = new StringBuilder(256);
        for (int i = 0; i < n; i++) {
            line.setLength(0);
            line.append(nodes.get(i).path()).append(':');
            int c = closure(i, seen, stack, found);
            for (int k = 0; k < c; k++) {
                line.append(' ').append(nodes.get(found[k]).path());
            }
            line.append('\n');
            out.append(line);
        }
    }

    /** {@return modules.dep as a string} */
    public String modulesDep() {
        StringBuilder sb = new StringBuilder();
        try {
            writeModulesDep(sb);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return sb.toString();
    }
}
