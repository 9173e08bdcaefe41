package dev.kobj.registry.kernel;

import dev.kobj.registry.ModuleException;
import dev.kobj.registry.ModuleException.Errno;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The simulated kernel's file-system types ({@code vfsconf} list / Linux {@code file_systems}),
 * each with a count of live mounts.
 *
 * <p>A VFS module registers its type on load (lkm's LM_VFS, NetBSD {@code vfs_attach}); a second
 * type of the same name is EEXIST. Unregistering a type that is mounted is refused with EBUSY
 * (NetBSD's {@code vfs_detach} refuses while the type's reference count is not zero, and the
 * module stays), so a VFS module cannot be unloaded while mounted. Mounting an unknown type is
 * ENODEV, as {@code mount(2)} says. Thread-safe.
 */
public final class FileSystemTable {

    /**
     * A file-system type.
     *
     * @param name  its name, as mount -t takes it
     * @param owner the module that registered it, or {@link SyscallTable#KERNEL}
     */
    public record FsType(String name, String owner) {
        /** Checks that nothing is null. */
        public FsType {
            Objects.requireNonNull(name);
            Objects.requireNonNull(owner);
        }
    }

    /** A live mount, the token to unmount it with. */
    public static final class Mount {
        private final FsType type;
        private final String on;
        private boolean live = true;

        private Mount(FsType type, String on) {
            this.type = type;
            this.on = on;
        }

        /** {@return the type mounted} */
        public FsType type() {
            return type;
        }

        /** {@return the mount point} */
        public String on() {
            return on;
        }

        @Override
        public String toString() {
            return type.name() + " on " + on;
        }
    }

    private final Object lock = new Object();
    private final Map<String, FsType> types = new LinkedHashMap<>();
    private final List<Mount> mounts = new ArrayList<>();

    FileSystemTable(List<FsType> builtins) {
        builtins.forEach(t -> types.put(t.name(), t));
    }

    /**
     * Registers type {@code name} for {@code owner}.
     *
     * @throws ModuleException EEXIST when a type of that name is registered; EINVAL for a bad name
     * @param owner the module that owns it
     * @param name the file-system type's name (e.g. {@code ffs})
     * @return the type, as registered
     */
    public FsType register(String owner, String name) throws ModuleException {
        if (name.isEmpty() || name.length() > 32 || !name.chars().allMatch(c -> c > 0x20 && c < 0x7f && c != '/')) {
            throw new ModuleException(Errno.EINVAL, owner + ": bad file-system type name \"" + name + "\"");
        }
        synchronized (lock) {
            FsType old = types.get(name);
            if (old != null) {
                throw new ModuleException(Errno.EEXIST, owner + ": file-system type " + name
                        + " is registered by " + old.owner());
            }
            FsType t = new FsType(name, Objects.requireNonNull(owner));
            types.put(name, t);
            return t;
        }
    }

    /**
     * Unregisters type {@code name}, which {@code owner} registered.
     *
     * @throws ModuleException ENOENT (no such type), EPERM (someone else's), EBUSY (mounted)
     * @param owner the module that owns it
     * @param name the file-system type's name (e.g. {@code ffs})
     */
    public void unregister(String owner, String name) throws ModuleException {
        synchronized (lock) {
            FsType t = types.get(name);
            if (t == null) {
                throw new ModuleException(Errno.ENOENT, owner + ": no file-system type " + name);
            }
            if (!t.owner().equals(owner)) {
                throw new ModuleException(Errno.EPERM, owner + ": file-system type " + name
                        + " belongs to " + t.owner());
            }
            int n = mountCount(name);
            if (n > 0) {
                throw new ModuleException(Errno.EBUSY, owner + ": file-system type " + name
                        + " has " + n + " mount(s)");
            }
            types.remove(name);
        }
    }

    /**
     * Unregisters every type of {@code owner}, all or nothing.
     *
     * @return the types removed
     * @throws ModuleException EBUSY when one is mounted; none is removed then
     * @param owner the module that owns it
     */
    public List<FsType> unregisterAll(String owner) throws ModuleException {
        synchronized (lock) {
            List<FsType> mine = types.values().stream().filter(t -> t.owner().equals(owner)).toList();
            for (FsType t : mine) {
                int n = mountCount(t.name());
                if (n > 0) {
                    throw new ModuleException(Errno.EBUSY, owner + ": file-system type " + t.name()
                            + " has " + n + " mount(s)");
                }
            }
            mine.forEach(t -> types.remove(t.name()));
            return mine;
        }
    }

    /** Puts back types that {@link #unregisterAll} took (a release that failed later). */
    void restore(List<FsType> removed) {
        synchronized (lock) {
            removed.forEach(t -> types.putIfAbsent(t.name(), t));
        }
    }

    /**
     * Mounts a file system of type {@code name} on {@code on}.
     *
     * @throws ModuleException ENODEV when no such type is registered
     * @param name the file-system type's name (e.g. {@code ffs})
     * @param on the mount point
     * @return the mount (the type cannot go while it is mounted)
     */
    public Mount mount(String name, String on) throws ModuleException {
        synchronized (lock) {
            FsType t = types.get(name);
            if (t == null) {
                throw new ModuleException(Errno.ENODEV, "mount: unknown file-system type " + name);
            }
            Mount m = new Mount(t, Objects.requireNonNull(on));
            mounts.add(m);
            return m;
        }
    }

    /**
     * Unmounts {@code m}; twice does nothing.
     * @param m a mount
     */
    public void unmount(Mount m) {
        synchronized (lock) {
            if (m.live) {
                m.live = false;
                mounts.remove(m);
            }
        }
    }

    /**
     * {@return the type named {@code name}}
     * @param name the file-system type's name (e.g. {@code ffs})
     */
    public Optional<FsType> lookup(String name) {
        synchronized (lock) {
            return Optional.ofNullable(types.get(name));
        }
    }

    /** {@return the registered types, in registration order} */
    public List<FsType> types() {
        synchronized (lock) {
            return List.copyOf(types.values());
        }
    }

    /**
     * {@return the live mounts of type {@code name}}
     * @param name the file-system type's name (e.g. {@code ffs})
     */
    public int mounts(String name) {
        synchronized (lock) {
            return mountCount(name);
        }
    }

    private int mountCount(String name) {
        return (int) mounts.stream().filter(m -> m.type.name().equals(name)).count();
    }
}
