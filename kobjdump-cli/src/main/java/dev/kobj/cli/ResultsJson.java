package dev.kobj.cli;

import dev.kobj.link.LinkException;
import dev.kobj.link.LoadErrno;
import dev.kobj.registry.ModuleInfo;
import dev.kobj.registry.depmod.DependencyGraph;
import dev.kobj.registry.sign.SignatureCheck;
import java.util.List;

/**
 * The {@code --json} output of the commands that report results rather than files: check,
 * depmod, modprobe and verify. Each writes one JSON value, objects with readelf-like or
 * kernel-like member names; addresses are unsigned integers, as in the file commands.
 */
final class ResultsJson {
    private ResultsJson() {
    }

    /**
     * {@code check --json}: {@code {"modules": [{"file", "status": "ok"|"refused"|"unreadable",
     * "relocations", "errno" and "errnoValue" (what the kernel would return, when refused),
     * "problems": [{"kind", "symbol", "errno", "message"}], "error"}], "summary": {"modules",
     * "ok", "refused", "unreadable", "relocations", "seconds", "threads"}}}.
     */
    static String check(List<CheckCommand.Result> results, double seconds, int threads) {
        StringBuilder sb = new StringBuilder();
        Json j = new Json(sb).beginObject().name("modules").beginArray();
        long ok = 0;
        long refused = 0;
        long unreadable = 0;
        long relocations = 0;
        for (CheckCommand.Result r : results) {
            relocations += r.relocations();
            String status = r.error() != null ? "unreadable" : r.problems().isEmpty() ? "ok" : "refused";
            switch (status) {
                case "ok" -> ok++;
                case "refused" -> refused++;
                default -> unreadable++;
            }
            j.beginObject().field("file", r.path().toString()).field("status", status)
                    .field("relocations", r.relocations());
            if (r.error() != null) {
                j.field("error", r.error());
            }
            LoadErrno e = r.errno();
            if (e != null) {
                j.field("errno", e.name()).field("errnoValue", e.number());
            }
            j.name("problems").beginArray();
            for (LinkException.Problem p : r.problems()) {
                j.beginCompactObject().field("kind", p.kind().name()).field("symbol", p.symbol())
                        .field("errno", LoadErrno.of(p.kind(), r.machine()).name())
                        .field("message", Fmt.oneLine(p.message())).endObject();
            }
            j.endArray().endObject();
        }
        j.endArray().name("summary").beginObject().field("modules", ok + refused + unreadable).field("ok", ok)
                .field("refused", refused).field("unreadable", unreadable).field("relocations", relocations)
                .field("seconds", seconds).field("threads", threads).endObject().endObject();
        return sb.append('\n').toString();
    }

    /**
     * {@code depmod --json}: {@code {"modules": [{"path", "name", "direct": [paths], "depends":
     * [paths, modules.dep's order]}], "edges", "problems": [messages]}}, modules in
     * modules.order order, paths relative to the tree as in modules.dep.
     */
    static String depmod(DependencyGraph graph, List<String> problems) {
        StringBuilder sb = new StringBuilder();
        Json j = new Json(sb).beginObject().name("modules").beginArray();
        for (DependencyGraph.Node n : graph.modules()) {
            j.beginObject().field("path", n.path()).field("name", n.name()).name("direct").beginCompactArray();
            for (DependencyGraph.Node d : graph.directDependencies(n)) {
                j.value(d.path());
            }
            j.endArray().name("depends").beginCompactArray();
            for (DependencyGraph.Node d : graph.dependencies(n)) {
                j.value(d.path());
            }
            j.endArray().endObject();
        }
        j.endArray().field("edges", graph.edgeCount()).name("problems").beginArray();
        for (String p : problems) {
            j.value(Fmt.oneLine(p));
        }
        j.endArray().endObject();
        return sb.append('\n').toString();
    }

    /**
     * {@code modprobe --json}: {@code {"modules": [{"id", "name", "class", "state", "source",
     * "address", "size", "refcount", "holds", "dependents", "requires", "required_by",
     * "autoloaded", "unload_delay_ms", "path"}], "error"}}, the registry's listing.
     */
    static String modprobe(List<ModuleInfo> modules, String error) {
        StringBuilder sb = new StringBuilder();
        Json j = new Json(sb).beginObject().name("modules").beginArray();
        for (ModuleInfo m : modules) {
            j.beginObject().field("id", m.id()).field("name", m.name()).field("class", m.moduleClass().toString())
                    .field("state", m.state().toString()).field("source", m.source().toString())
                    .fieldUnsigned("address", m.loadAddress()).field("size", m.size()).field("refcount", m.refcount())
                    .field("holds", m.holds()).field("dependents", m.dependents());
            j.name("requires").beginCompactArray();
            m.requires().forEach(j::value);
            j.endArray().name("required_by").beginCompactArray();
            m.requiredBy().forEach(j::value);
            j.endArray().field("autoloaded", m.autoloaded()).field("unload_delay_ms", m.unloadDelay().toMillis())
                    .field("path", m.path().map(Object::toString).orElse(null)).endObject();
        }
        j.endArray().field("error", error).endObject();
        return sb.append('\n').toString();
    }

    /**
     * {@code verify --json}: {@code [{"file", "verified", "outcome", "errno", "reason", "digest",
     * "signer"}]}, or {@code {"file", "error"}} for a file that could not be read.
     */
    static void verify(Json j, SignatureCheck c) {
        verify(j, c, false);
    }

    /** One verify result; {@code enforced}: the target enforces signatures (errno as it gives it). */
    static void verify(Json j, SignatureCheck c, boolean enforced) {
        j.beginObject().field("file", c.file()).field("verified", c.verified()).field("outcome", c.outcome().name())
                .field("errno", enforced && !c.verified() ? c.kernelErrno(true) : c.outcome().kernelErrno())
                .field("enforced", enforced).field("reason", c.reason()).field("digest", c.digest())
                .field("signer", c.signer().map(s -> s.getSubjectX500Principal().getName()).orElse(null)).endObject();
    }
}
