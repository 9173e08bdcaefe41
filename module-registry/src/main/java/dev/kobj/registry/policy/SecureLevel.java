package dev.kobj.registry.policy;

import dev.kobj.registry.ModuleCandidate;
import dev.kobj.registry.ModuleException;
import dev.kobj.registry.ModuleException.Errno;
import dev.kobj.registry.ModuleInfo;
import dev.kobj.registry.SecurityPolicy;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The BSD securelevel: at 1 or more, no module is loaded or unloaded ({@link Errno#EPERM}).
 * FreeBSD's {@code kern_kldload} and {@code kern_kldunload} both begin with
 * {@code securelevel_gt(cred, 0)}; NetBSD's {@code secmodel_securelevel} denies
 * {@code KAUTH_SYSTEM_MODULE} (load, unload and autoload alike) when securelevel &gt; 0. Every
 * load and unload the registry makes is refused, autoloads, dependencies and autounloads
 * included.
 *
 * <p>The level may be raised at any time but not lowered, as {@code kern.securelevel} by any
 * process but init; -1 is "permanently insecure", 0 "insecure".
 */
public final class SecureLevel implements SecurityPolicy {
    private final AtomicInteger level;

    /**
     * A securelevel that starts at {@code initial}.
     *
     * @param initial the level at boot (-1, 0, 1, 2 or 3 in the BSDs; any int here)
     */
    public SecureLevel(int initial) {
        this.level = new AtomicInteger(initial);
    }

    /** {@return the current level} */
    public int level() {
        return level.get();
    }

    /**
     * Sets the level.
     *
     * @throws ModuleException EPERM if {@code newLevel} is lower than the current level
     * @param newLevel the new level
     */
    public void set(int newLevel) throws ModuleException {
        int cur;
        do {
            cur = level.get();
            if (newLevel < cur) {
                throw new ModuleException(Errno.EPERM, "securelevel " + cur + " may be raised, not lowered to " + newLevel);
            }
        } while (!level.compareAndSet(cur, newLevel));
    }

    @Override
    public void checkLoad(ModuleCandidate candidate) throws ModuleException {
        int l = level.get();
        if (l > 0) {
            throw new ModuleException(Errno.EPERM, "securelevel is " + l + ": loading module " + candidate.name()
                    + candidate.path().map(p -> " (" + p + ")").orElse("") + " is not permitted");
        }
    }

    @Override
    public void checkUnload(ModuleInfo module) throws ModuleException {
        int l = level.get();
        if (l > 0) {
            throw new ModuleException(Errno.EPERM, "securelevel is " + l + ": unloading module " + module.name()
                    + " (id " + module.id() + ") is not permitted");
        }
    }

    @Override
    public String toString() {
        return "securelevel " + level.get();
    }
}
