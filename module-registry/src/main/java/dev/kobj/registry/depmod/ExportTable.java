package dev.kobj.registry.depmod;

import java.util.Arrays;
import java.util.List;

/**
 * The direct dependencies of modules whose symbols are {@link NameList}s, computed by
 * {@link DependencyGraph}'s rules 1 and 2 on the names' bytes: an open-addressing table from
 * each exported name (its bytes and hash) to its owner, the last exporter in module order
 * winning; each import looked up in it, a leading {@code '.'} skipped. No {@code String}, no
 * boxed index, no set per module.
 */
final class ExportTable {
    private final List<DependencyGraph.Node> nodes;
    private final int mask;
    private final int[] slotNode; // owner + 1; 0 for an empty slot
    private final int[] slotName; // index of the name in the owner's exports
    private final int[] slotHash;

    private ExportTable(List<DependencyGraph.Node> nodes) {
        this.nodes = nodes;
        long total = 0;
        for (DependencyGraph.Node m : nodes) {
            total += m.symbols().exports().size();
        }
        int cap = Integer.highestOneBit((int) Math.min(1 << 29, Math.max(8, total * 2))) * 2;
        mask = cap - 1;
        slotNode = new int[cap];
        slotName = new int[cap];
        slotHash = new int[cap];
        for (int i = 0; i < nodes.size(); i++) {
            NameList ex = (NameList) nodes.get(i).symbols().exports();
            for (int k = 0; k < ex.size(); k++) {
                int h = ex.hashes[k];
                int x = find(h, ex.bytes, ex.start(k), ex.ends[k]);
                slotNode[x] = i + 1; // the last exporter wins
                slotName[x] = k;
                slotHash[x] = h;
            }
        }
    }

    /** {@return whether every module's exports and imports are {@link NameList}s} */
    static boolean applies(List<DependencyGraph.Node> nodes) {
        for (DependencyGraph.Node m : nodes) {
            if (!(m.symbols().exports() instanceof NameList) || !(m.symbols().imports() instanceof NameList)) {
                return false;
            }
        }
        return true;
    }

    /** {@return each module's direct dependencies, in order of first reference} */
    static int[][] direct(List<DependencyGraph.Node> nodes) {
        ExportTable t = new ExportTable(nodes);
        int n = nodes.size();
        int[][] direct = new int[n][];
        int[] mark = new int[n]; // i + 1 once module i has the owner as a dependency
        int[] deps = new int[16];
        for (int i = 0; i < n; i++) {
            NameList im = (NameList) nodes.get(i).symbols().imports();
            int c = 0;
            for (int k = 0; k < im.size(); k++) {
                int from = im.start(k);
                int to = im.ends[k];
                int h = im.hashes[k];
                if (from < to && im.bytes[from] == '.') {
                    from++; // the PowerPC64 function-descriptor form
                    h = NameList.hash(im.bytes, from, to);
                }
                int x = t.find(h, im.bytes, from, to);
                int o = t.slotNode[x] - 1;
                if (o >= 0 && o != i && mark[o] != i + 1) {
                    mark[o] = i + 1;
                    if (c == deps.length) {
                        deps = Arrays.copyOf(deps, c * 2);
                    }
                    deps[c++] = o;
                }
            }
            direct[i] = Arrays.copyOf(deps, c);
        }
        return direct;
    }

    /** {@return the slot holding the name {@code b[from, to)}, or the empty slot where it would go} */
    private int find(int h, byte[] b, int from, int to) {
        int x = (h ^ (h >>> 16)) & mask;
        while (slotNode[x] != 0) {
            if (slotHash[x] == h) {
                NameList ex = (NameList) nodes.get(slotNode[x] - 1).symbols().exports();
                int k = slotName[x];
                if (Arrays.equals(ex.bytes, ex.start(k), ex.ends[k], b, from, to)) {
                    return x;
                }
            }
            x = (x + 1) & mask;
        }
        return x;
    }
}
