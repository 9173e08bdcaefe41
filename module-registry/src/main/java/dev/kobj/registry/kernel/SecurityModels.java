package dev.kobj.registry.kernel;

import dev.kobj.registry.ModuleException;
import dev.kobj.registry.ModuleException.Errno;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The simulated kernel's security models: the listeners every authorisation asks, in the manner
 * of NetBSD's kauth(9) and its {@code secmodel_*} modules (MODULE_CLASS_SECMODEL).
 *
 * <p>Each model answers {@link Decision#ALLOW}, {@link Decision#DENY} or {@link Decision#DEFER}.
 * The combined answer is kauth's: any DENY denies; otherwise any ALLOW allows; when every model
 * defers (or there is none) the request is denied. A SECMODEL module adds its model on load and
 * removes it on unload. Thread-safe; models are asked without the lock held.
 */
public final class SecurityModels {

    /** One model's answer (KAUTH_RESULT_*). */
    public enum Decision {
        /** Allowed (KAUTH_RESULT_ALLOW), unless another model denies. */
        ALLOW,
        /** Denied (KAUTH_RESULT_DENY): the request fails whatever the others say. */
        DENY,
        /** No opinion (KAUTH_RESULT_DEFER). */
        DEFER
    }

    /**
     * A request: who ({@code uid}) wants to do what ({@code action}, e.g. "module.load",
     * "system.time") on what ({@code object}, may be "").
     *
     * @param uid the user id
     * @param action the action, e.g. "module.load"
     * @param object what it is done on, may be ""
     */
    public record Request(long uid, String action, String object) {
        /** Checks that action and object are there. */
        public Request {
            Objects.requireNonNull(action);
            Objects.requireNonNull(object);
        }
    }

    /** A model's rule. */
    @FunctionalInterface
    public interface Listener {
        /**
         * {@return this model's answer to {@code request}}
         * @param request who wants to do what on what
         */
        Decision decide(Request request);
    }

    /**
     * A security model.
     *
     * @param name     its name (e.g. "suser", "securelevel")
     * @param owner    the module that added it, or {@link SyscallTable#KERNEL}
     * @param listener its rule
     */
    public record Model(String name, String owner, Listener listener) {
        /** Checks that nothing is null. */
        public Model {
            Objects.requireNonNull(name);
            Objects.requireNonNull(owner);
            Objects.requireNonNull(listener);
        }
    }

    /** The kernel's own model, "suser" (secmodel_suser): uid 0 may do anything, others defer. */
    static Model suser() {
        return new Model("suser", SyscallTable.KERNEL, r -> r.uid() == 0 ? Decision.ALLOW : Decision.DEFER);
    }

    private final Object lock = new Object();
    private final List<Model> models = new ArrayList<>();

    SecurityModels(List<Model> builtins) {
        models.addAll(builtins);
    }

    /**
     * Adds model {@code name} for {@code owner}, asked after those already there.
     *
     * @throws ModuleException EEXIST when a model of that name is there
     * @param owner the module that owns it
     * @param name the model's name
     * @param listener what decides
     * @return the model, as registered
     */
    public Model add(String owner, String name, Listener listener) throws ModuleException {
        Model m = new Model(name, owner, listener);
        synchronized (lock) {
            if (models.stream().anyMatch(x -> x.name().equals(name))) {
                throw new ModuleException(Errno.EEXIST, owner + ": security model " + name + " exists");
            }
            models.add(m);
        }
        return m;
    }

    /**
     * Removes model {@code name}, which {@code owner} added.
     *
     * @throws ModuleException ENOENT (no such model), EPERM (someone else's)
     * @param owner the module that owns it
     * @param name the model's name
     */
    public void remove(String owner, String name) throws ModuleException {
        synchronized (lock) {
            Model m = models.stream().filter(x -> x.name().equals(name)).findFirst()
                    .orElseThrow(() -> new ModuleException(Errno.ENOENT, owner + ": no security model " + name));
            if (!m.owner().equals(owner)) {
                throw new ModuleException(Errno.EPERM, owner + ": security model " + name + " belongs to " + m.owner());
            }
            models.remove(m);
        }
    }

    /**
     * Removes every model of {@code owner}.
     *
     * @return those removed
     * @param owner the module that owns it
     */
    public List<Model> removeAll(String owner) {
        synchronized (lock) {
            List<Model> mine = models.stream().filter(m -> m.owner().equals(owner)).toList();
            models.removeAll(mine);
            return mine;
        }
    }

    /** {@return the models, in the order asked} */
    public List<Model> models() {
        synchronized (lock) {
            return List.copyOf(models);
        }
    }

    /**
     * {@return the combined answer to {@code request}}: DENY if any model denies, else ALLOW if
     * any allows, else DENY. A model that throws counts as DENY.
     *
     * @param request who wants to do what on what
     */
    public Decision authorize(Request request) {
        boolean allowed = false;
        for (Model m : models()) {
            Decision d;
            try {
                d = Objects.requireNonNullElse(m.listener().decide(request), Decision.DENY);
            } catch (RuntimeException e) {
                d = Decision.DENY;
            }
            if (d == Decision.DENY) {
                return Decision.DENY;
            }
            allowed |= d == Decision.ALLOW;
        }
        return allowed ? Decision.ALLOW : Decision.DENY;
    }

    /**
     * {@return true when {@link #authorize} allows {@code uid} to do {@code action} on {@code object}}
     * @param uid the user id
     * @param action the action, e.g. "module.load"
     * @param object what it is done on, may be ""
     */
    public boolean allowed(long uid, String action, String object) {
        return authorize(new Request(uid, action, object)) == Decision.ALLOW;
    }
}
