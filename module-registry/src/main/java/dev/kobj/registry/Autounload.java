package dev.kobj.registry;

import dev.kobj.registry.ModuleException.Errno;
import java.util.ArrayList;
import java.util.List;

/**
 * References and autounload (NetBSD module_hold/module_rele and module_thread): a module
 * autoloaded, or loaded as a requirement, is unloaded once it has been unused for the delay,
 * unless its handler vetoes.
 */
final class Autounload {
    private final RegistryState s;
    private final Lifecycle lifecycle;
    private final Unloading unloading;

    Autounload(RegistryState s, Lifecycle lifecycle, Unloading unloading) {
        this.s = s;
        this.lifecycle = lifecycle;
        this.unloading = unloading;
    }

    void hold(String name) throws ModuleException {
        s.enter();
        try {
            Module m = s.live(name);
            m.holds++;
        } finally {
            s.exit();
        }
    }

    void rele(String name) throws ModuleException {
        s.enter();
        try {
            Module m = s.live(name);
            if (m.holds == 0) {
                throw new ModuleException(Errno.EINVAL, "module " + name + " is not held");
            }
            m.holds--;
            lifecycle.rearm(m);
        } finally {
            s.exit();
        }
    }

    List<String> runAutounload() {
        s.enter();
        try {
            if (s.closed) {
                return List.of();
            }
            long now = s.ticker.nanos();
            List<String> out = new ArrayList<>();
            for (Module m : List.copyOf(s.byId.descendingMap().values())) {
                if (m.state != ModuleState.LOADED || !m.candidate() || now - m.deadline < 0 || m.refcount() > 0
                        || s.activeHere(m)) {
                    continue; // not due, or busy: asked again once it is free (rearm)
                }
                try {
                    lifecycle.runHandlerChecked(m, ModuleCommand.AUTOUNLOAD, null);
                } catch (ModuleException veto) {
                    m.deadline = now + s.delayNanos;
                    continue;
                }
                try {
                    unloading.doUnload(m, true);
                    out.add(m.name);
                } catch (ModuleException e) {
                    m.deadline = now + s.delayNanos;
                    s.post(new RegistryEvent.Failed(m.name, "autounload", e));
                }
            }
            return out;
        } finally {
            s.exit();
        }
    }
}
