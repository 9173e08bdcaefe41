package dev.kobj.cli;

import dev.kobj.registry.depmod.DependencyGraph;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A module tree's dependency graph in Graphviz's DOT language ({@code kobjdump depmod --dot}):
 * one node per module that needs or is needed by another, labelled with its name (its path
 * as tooltip), and one edge {@code "needer" -> "needed"} per direct dependency, that is per
 * module whose exports it imports ({@link DependencyGraph#directDependencies}). The closure
 * of these edges is what modules.dep lists for each module. {@link #svg} renders it with
 * {@code dot -Tsvg} when Graphviz is installed.
 */
final class DependencyDot {
    private DependencyDot() {
    }

    /** {@return the DOT text of {@code graph}} */
    static String of(DependencyGraph graph, String title) {
        Set<DependencyGraph.Node> shown = new LinkedHashSet<>();
        List<String> edges = new ArrayList<>();
        for (DependencyGraph.Node m : graph.modules()) {
            for (DependencyGraph.Node d : graph.directDependencies(m)) {
                shown.add(m);
                shown.add(d);
                edges.add("  " + id(m) + " -> " + id(d) + ";\n");
            }
        }
        StringBuilder sb = new StringBuilder();
        sb.append("// ").append(graph.modules().size()).append(" modules, ").append(shown.size())
                .append(" in a dependency, ").append(edges.size()).append(" direct dependencies\n");
        sb.append("digraph modules {\n");
        sb.append("  label=").append(quote(title)).append(";\n  labelloc=t;\n  rankdir=LR;\n");
        sb.append("  node [shape=box, style=\"rounded,filled\", fillcolor=\"#eef3fb\", color=\"#4a6fa5\", "
                + "fontname=\"Helvetica\", fontsize=10];\n");
        sb.append("  edge [color=\"#7a8699\", arrowsize=0.6];\n");
        for (DependencyGraph.Node n : shown) {
            sb.append("  ").append(id(n)).append(" [tooltip=").append(quote(n.path())).append("];\n");
        }
        edges.forEach(sb::append);
        sb.append("}\n");
        return sb.toString();
    }

    private static String id(DependencyGraph.Node n) {
        return quote(n.name());
    }

    /** {@return {@code s} as a DOT quoted string (backslash and double quote escaped)} */
    static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
    }

    /**
     * Renders {@code dotText} to SVG at {@code out} with Graphviz's {@code dot}.
     *
     * @throws IOException when {@code dot} is not installed or fails (its message included)
     */
    static void svg(String dotText, Path out) throws IOException {
        Process p;
        try {
            p = new ProcessBuilder("dot", "-Tsvg", "-o", out.toString()).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IOException("cannot run Graphviz's dot (is graphviz installed?): " + e.getMessage(), e);
        }
        try (var in = p.getOutputStream()) {
            in.write(dotText.getBytes(StandardCharsets.UTF_8));
        }
        String messages = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        try {
            if (!p.waitFor(10, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IOException("dot took more than 10 minutes");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted waiting for dot", e);
        }
        if (p.exitValue() != 0 || !Files.isRegularFile(out)) {
            throw new IOException("dot -Tsvg failed (exit " + p.exitValue() + ")" + (messages.isEmpty() ? "" : ": " + messages));
        }
    }
}
