package dev.kobj.registry;

import java.util.List;
import java.util.Locale;

/** The kmadmin -s / -S listings (and the modprobe CLI's table). */
public final class ModuleListing {
    private ModuleListing() {
    }

    /**
     * {@return the listing of {@code modules}}: short (-s) is one line a module (id, name, state,
     * class); full (-S) adds load address, size, refcount, dependents, unload delay and source.
     * Columns are separated by at least one space; the first line is the header.
     *
     * @param modules the modules, in listing order
     * @param full the full listing (kmadmin -S) rather than the short one (-s)
     */
    public static String format(List<ModuleInfo> modules, boolean full) {
        StringBuilder sb = new StringBuilder();
        int w = "NAME".length();
        for (ModuleInfo m : modules) {
            w = Math.max(w, m.name().length());
        }
        if (full) {
            sb.append(String.format(Locale.ROOT, "%4s  %-" + w + "s  %-8s  %-12s  %18s  %10s  %4s  %4s  %6s  %-9s%n",
                    "ID", "NAME", "CLASS", "STATE", "ADDRESS", "SIZE", "REFS", "DEPS", "DELAY", "SOURCE"));
            for (ModuleInfo m : modules) {
                sb.append(String.format(Locale.ROOT,
                        "%4d  %-" + w + "s  %-8s  %-12s  0x%016x  %10d  %4d  %4d  %6s  %-9s%n", m.id(), m.name(),
                        lower(m.moduleClass()), lower(m.state()), m.loadAddress(), m.size(), m.refcount(),
                        m.dependents(), delay(m), lower(m.source())));
            }
        } else {
            sb.append(String.format(Locale.ROOT, "%4s  %-" + w + "s  %-12s  %-8s%n", "ID", "NAME", "STATE", "CLASS"));
            for (ModuleInfo m : modules) {
                sb.append(String.format(Locale.ROOT, "%4d  %-" + w + "s  %-12s  %-8s%n", m.id(), m.name(),
                        lower(m.state()), lower(m.moduleClass())));
            }
        }
        return sb.toString();
    }

    private static String delay(ModuleInfo m) {
        if (!m.autoloaded() || m.unloadDelay().isZero()) {
            return "-";
        }
        long ms = m.unloadDelay().toMillis();
        return ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
    }

    private static String lower(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }
}
