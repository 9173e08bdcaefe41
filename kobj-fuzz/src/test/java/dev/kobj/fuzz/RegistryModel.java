package dev.kobj.fuzz;

import dev.kobj.registry.ModuleException.Errno;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The sequential model of one thread's chain of modules {@code a -> b -> c} (a requires b, b
 * requires c), as module(9)/kld promise them: what each operation returns (an errno or success)
 * and what it leaves (loaded, holds, dependents, autoloaded).
 */
final class RegistryModel {
    /** One module of the model. */
    static final class M {
        final String name;
        final String requires; // or null
        boolean loaded;
        boolean autoloaded;
        int holds;

        M(String name, String requires) {
            this.name = name;
            this.requires = requires;
        }
    }

    final Map<String, M> modules = new LinkedHashMap<>();

    RegistryModel(List<String> chain) {
        for (int i = 0; i < chain.size(); i++) {
            String n = chain.get(i);
            modules.put(n, new M(n, i + 1 < chain.size() ? chain.get(i + 1) : null));
        }
    }

    int dependents(String name) {
        int d = 0;
        for (M m : modules.values()) {
            if (m.loaded && name.equals(m.requires)) {
                d++;
            }
        }
        return d;
    }

    /** {@return the errno a load (or autoload) of {@code name} gives, null for success}, applied when it succeeds */
    Errno load(String name, boolean auto, boolean initFails, boolean policyRefuses) {
        M m = modules.get(name);
        if (m.loaded) {
            return auto ? null : Errno.EEXIST;
        }
        if (policyRefuses) {
            return Errno.EPERM;
        }
        if (initFails) {
            return Errno.ENOEXEC;
        }
        List<M> chain = new ArrayList<>();
        for (M x = m; x != null && !x.loaded; x = x.requires == null ? null : modules.get(x.requires)) {
            chain.add(x);
        }
        for (M x : chain) {
            x.loaded = true;
            x.holds = 0;
            x.autoloaded = x != m || auto;
        }
        return null;
    }

    Errno unload(String name) {
        M m = modules.get(name);
        if (!m.loaded) {
            return Errno.ENOENT;
        }
        if (m.holds > 0 || dependents(name) > 0) {
            return Errno.EBUSY;
        }
        m.loaded = false;
        return null;
    }

    Errno hold(String name) {
        M m = modules.get(name);
        if (!m.loaded) {
            return Errno.ENOENT;
        }
        m.holds++;
        return null;
    }

    Errno rele(String name) {
        M m = modules.get(name);
        if (!m.loaded) {
            return Errno.ENOENT;
        }
        if (m.holds == 0) {
            return Errno.EINVAL;
        }
        m.holds--;
        return null;
    }

    /** Autounload once every delay has passed, until nothing more goes. */
    void autounloadAll() {
        boolean changed = true;
        while (changed) {
            changed = false;
            for (M m : modules.values()) {
                if (m.loaded && m.autoloaded && m.holds == 0 && dependents(m.name) == 0) {
                    m.loaded = false;
                    changed = true;
                }
            }
        }
    }
}
