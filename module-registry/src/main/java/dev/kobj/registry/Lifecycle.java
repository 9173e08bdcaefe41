package dev.kobj.registry;

import dev.kobj.registry.ModuleException.Errno;
import java.util.Deque;
import java.util.Map;

/**
 * A module's lifecycle calls (NetBSD's MODULE_CMD_INIT/FINI/AUTOUNLOAD/STAT through the
 * module's {@link ModuleHandler}) and its removal: what loading, unloading and autounload share.
 * Call with the registry's lock held.
 */
final class Lifecycle {
    private final RegistryState s;

    Lifecycle(RegistryState s) {
        this.s = s;
    }

    /** Runs one command whose refusal cannot stop anything (FINI of a rollback): the refusal is ignored. */
    void runHandlerQuietly(Module m, ModuleCommand cmd) {
        try {
            runHandlerChecked(m, cmd, null);
        } catch (ModuleException | RuntimeException e) {
            // the module goes anyway: the load that made it failed
        }
    }

    void runHandlerChecked(Module m, ModuleCommand cmd, Map<String, String> report) throws ModuleException {
        Deque<RegistryState.Active> stack = s.active.get();
        stack.push(new RegistryState.Active(m, cmd));
        try {
            m.handler.command(cmd, new HandlerContext(s, m, report));
        } catch (ModuleException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new ModuleException(cmd == ModuleCommand.INIT ? Errno.ENOEXEC : Errno.EBUSY,
                    m.name + ": " + cmd + " threw " + e, e);
        } finally {
            stack.pop();
        }
    }

    /** Removes a module that is not (or no longer) to be: exports, image, object, links, maps. */
    void destroy(Module m) {
        s.exports.remove(m.name);
        if (m.image != null) {
            m.image.close();
            m.image = null;
        }
        if (m.elf != null) {
            m.elf.close();
            m.elf = null;
        }
        for (Module r : m.requires) {
            r.requiredBy.remove(m);
            rearm(r);
        }
        m.requires.clear();
        if (s.byName.get(m.name) == m) {
            s.byName.remove(m.name);
        }
        s.byId.remove(m.id, m);
    }

    /** An autounload candidate that just became unused waits a whole delay from now. */
    void rearm(Module m) {
        if (m.candidate() && m.refcount() == 0) {
            m.deadline = Math.max(m.deadline, s.ticker.nanos() + s.delayNanos);
        }
    }
}
