package dev.kobj.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A Module.symvers read for the verdict test (kbuild's format: CRC, symbol, module, export type,
 * namespace, tab-separated), and written back holding only the exports of vmlinux and of the
 * modules loaded in the guest: the tables the kernel had when it judged a load.
 */
record Symvers(List<String[]> rows, Map<String, String[]> byName) {
    static Symvers read(Path file) throws IOException {
        List<String[]> rows = new ArrayList<>();
        Map<String, String[]> by = new HashMap<>();
        for (String l : Files.readAllLines(file)) {
            String[] f = l.split("\t", -1);
            if (f.length >= 4) {
                rows.add(f);
                by.putIfAbsent(f[1], f);
            }
        }
        return new Symvers(rows, by);
    }

    boolean gplOnlyFromVmlinux(String symbol) {
        String[] f = byName.get(symbol);
        return f != null && f[2].equals("vmlinux") && f[3].equals("EXPORT_SYMBOL_GPL");
    }

    String namespace(String symbol) {
        String[] f = byName.get(symbol);
        return f == null || f.length < 5 || !f[2].equals("vmlinux") ? "" : f[4];
    }

    void write(Path out, Set<String> loadedModules) throws IOException {
        StringBuilder s = new StringBuilder();
        for (String[] f : rows) {
            String owner = f[2].substring(f[2].lastIndexOf('/') + 1).replace('-', '_');
            if (f[2].equals("vmlinux") || loadedModules.contains(owner)) {
                s.append(String.join("\t", f)).append('\n');
            }
        }
        Files.writeString(out, s);
    }
}
