package dev.kobj.registry;

import java.util.ArrayList;
import java.util.List;

/**
 * The registry's invariants, checked atomically (tests and stress runs): refcount = holds +
 * dependents, requirements loaded and symmetric, exports present if and only if their module
 * is live.
 */
final class Invariants {
    private Invariants() {
    }

    /**
     * {@return what is wrong with the registry's state, checked under the lock} (empty when
     * sound): refcount = holds + dependents, requirements loaded and symmetric, exports present
     * if and only if their module is live.
     */
    static List<String> check(RegistryState s) {
        s.enter();
        try {
            List<String> bad = new ArrayList<>();
            for (Module m : s.byId.values()) {
                if (s.byName.get(m.name) != m) {
                    bad.add(m.name + ": id " + m.id + " is not the module of its name");
                }
                if (!m.live()) {
                    if (!s.exports.exportsOf(m.name).isEmpty()) {
                        bad.add(m.name + " is " + m.state + " but has exports");
                    }
                    continue;
                }
                ModuleInfo i = m.info(s.delay);
                if (i.refcount() != i.holds() + i.dependents() || i.holds() < 0) {
                    bad.add(m.name + ": refcount " + i.refcount() + " != holds " + i.holds() + " + dependents "
                            + i.dependents());
                }
                for (Module r : m.requires) {
                    if (s.byName.get(r.name) != r || r.state != ModuleState.LOADED) {
                        bad.add(m.name + " is " + m.state + " without its requirement " + r.name + " (" + r.state + ")");
                    }
                    if (!r.requiredBy.contains(m)) {
                        bad.add(r.name + " does not list its dependent " + m.name);
                    }
                }
                for (Module d : m.requiredBy) {
                    if (!d.requires.contains(m) || s.byName.get(d.name) != d) {
                        bad.add(m.name + " lists a dependent " + d.name + " that does not require it");
                    }
                }
                boolean hasExports = !s.exports.exportsOf(m.name).isEmpty();
                boolean shouldHave = m.image != null && !m.image.object().section("__ksymtab").isEmpty()
                        && m.state == ModuleState.LOADED;
                if (m.state == ModuleState.LOADED && hasExports != shouldHave) {
                    bad.add(m.name + ": exports present " + hasExports + ", module loaded with an export table "
                            + shouldHave);
                }
            }
            if (s.byName.values().stream().filter(m -> m.live()).count() != s.byId.values().stream()
                    .filter(m -> m.live()).count()) {
                bad.add("the name and id maps disagree");
            }
            for (String owner : s.exports.modules()) {
                Module m = s.byName.get(owner);
                if (m == null || !m.live()) {
                    bad.add("exports of " + owner + " remain, but it is not loaded");
                }
            }
            return bad;
        } finally {
            s.exit();
        }
    }
}
