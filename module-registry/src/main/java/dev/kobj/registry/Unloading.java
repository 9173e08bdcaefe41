package dev.kobj.registry;

import dev.kobj.registry.ModuleException.Errno;
import java.util.ArrayList;
import java.util.List;

/**
 * Unloading (NetBSD module_unload, kldunload, kmadmin -U/-u): refused while the module is
 * held, required or running its own lifecycle call; a builtin is disabled rather than removed.
 */
final class Unloading {
    private final RegistryState s;

    Unloading(RegistryState s) {
        this.s = s;
    }

    // ================================================================== unload

    void unload(String name) throws ModuleException {
        s.enter();
        try {
            Module m;
            try {
                m = s.live(name);
            } catch (ModuleException e) {
                s.post(new RegistryEvent.Failed(name, "unload", e));
                throw e;
            }
            try {
                doUnload(m, false);
            } catch (ModuleException e) {
                s.post(new RegistryEvent.Failed(name, "unload", e));
                throw e;
            }
        } finally {
            s.exit();
        }
    }

    void unload(int id) throws ModuleException {
        if (id == 0) {
            unloadAll();
            return;
        }
        String name;
        s.enter();
        try {
            Module m = s.byId.get(id);
            if (m == null || !m.live()) {
                throw new ModuleException(Errno.ENOENT, "no module with id " + id + " is loaded");
            }
            name = m.name;
            unload(name);
        } finally {
            s.exit();
        }
    }

    void doUnload(Module m, boolean auto) throws ModuleException {
        if (s.activeHere(m) || m.state != ModuleState.LOADED) {
            throw new ModuleException(Errno.EBUSY, "module " + m.name + " is " + m.state.name().toLowerCase()
                    + (s.activeHere(m) ? " (its own lifecycle call is running)" : ""));
        }
        if (m.refcount() > 0) {
            throw new ModuleException(s.personality.inUse(), "module " + m.name + " is busy: " + m.holds + " hold(s), required by "
                    + m.requiredBy.stream().map(x -> x.name).toList());
        }
        s.security.checkUnload(m.info(s.delay));
        m.state = ModuleState.UNLOADING;
        try {
            s.lifecycle.runHandlerChecked(m, ModuleCommand.FINI, null);
        } catch (ModuleException e) {
            m.state = ModuleState.LOADED;
            throw e;
        }
        s.lifecycle.destroy(m);
        if (m.source == ModuleSource.BUILTIN) {
            // NetBSD: a builtin module cannot go; it is disabled and needs FORCE to come back.
            m.state = ModuleState.DISABLED;
            m.holds = 0;
            s.byName.put(m.name, m);
            s.byId.put(m.id, m);
        }
        ModuleInfo info = m.info(s.delay);
        info = new ModuleInfo(info.id(), info.name(), info.moduleClass(),
                m.source == ModuleSource.BUILTIN ? ModuleState.DISABLED : info.state(), info.source(), 0, 0, 0, 0, 0,
                List.of(), List.of(), info.version(), info.autoloaded(), info.unloadDelay(), info.path(),
                info.metadata());
        s.kernel.unloaded(info);
        s.post(auto ? new RegistryEvent.Autounloaded(info) : new RegistryEvent.Unloaded(info));
    }

    List<String> unloadAll() {
        s.enter();
        try {
            List<String> out = new ArrayList<>();
            boolean progress = true;
            while (progress) {
                progress = false;
                for (Module m : List.copyOf(s.byId.descendingMap().values())) {
                    if (m.state != ModuleState.LOADED || m.source == ModuleSource.BUILTIN || m.refcount() > 0
                            || s.activeHere(m)) {
                        continue;
                    }
                    try {
                        doUnload(m, false);
                        out.add(m.name);
                        progress = true;
                    } catch (ModuleException e) {
                        s.post(new RegistryEvent.Failed(m.name, "unload", e));
                    }
                }
            }
            return out;
        } finally {
            s.exit();
        }
    }
}
