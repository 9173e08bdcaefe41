package dev.kobj.registry.kernel;

import dev.kobj.registry.ModuleException;
import dev.kobj.registry.ModuleException.Errno;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The simulated kernel's {@code /dev}: device nodes by path, each naming its driver and its
 * (type, major, minor) number, and the majors drivers hold.
 *
 * <p>A driver module claims a major (lkm's LM_DEV takes a {@code cdevsw}/{@code bdevsw} slot, an
 * explicit one or the first free; NetBSD's {@code devsw_attach} likewise) and makes nodes under
 * it ({@code make_dev} in FreeBSD). On unload everything the module made goes: its nodes
 * disappear and its majors are free again ({@link #removeAll}). Listeners hear each node come and
 * go, as devd hears of devices.
 *
 * <p>Rules: a path is unique (EEXIST); a major of one type belongs to one driver (EBUSY for
 * another); a (type, major, minor) names one node (EEXIST); a node the kernel made cannot be
 * removed by a module (EPERM). Thread-safe.
 */
public final class DeviceNamespace {

    /** Character or block device. */
    public enum Type {
        /** A character device ({@code c} in ls -l). */
        CHAR,
        /** A block device ({@code b} in ls -l). */
        BLOCK
    }

    /**
     * A device node.
     *
     * @param path   its path, starting with {@code /dev/}
     * @param driver the driver's name
     * @param type   character or block
     * @param major  the driver's number
     * @param minor  the unit's number
     * @param owner  the module that made it, or {@link SyscallTable#KERNEL}
     */
    public record Node(String path, String driver, Type type, int major, int minor, String owner) {
        /** Checks the node's fields. */
        public Node {
            Objects.requireNonNull(path);
            Objects.requireNonNull(driver);
            Objects.requireNonNull(type);
            Objects.requireNonNull(owner);
        }

        @Override
        public String toString() {
            return path + " " + (type == Type.CHAR ? 'c' : 'b') + " " + major + "," + minor + " " + driver;
        }
    }

    /**
     * A node made or removed.
     *
     * @param node    the node
     * @param created true when it was made, false when removed
     */
    public record Event(Node node, boolean created) {
    }

    /** The largest major number (Linux's 12-bit major). */
    public static final int MAX_MAJOR = 4095;
    /** The largest minor number (Linux's 20-bit minor). */
    public static final int MAX_MINOR = (1 << 20) - 1;
    /** The first major {@link #claimMajor} hands out when asked for any (Linux's dynamic range starts at 234). */
    public static final int FIRST_DYNAMIC_MAJOR = 234;

    private record MajorKey(Type type, int major) {
    }

    private final Object lock = new Object();
    private final TreeMap<String, Node> nodes = new TreeMap<>();
    private final Map<MajorKey, String> majors = new TreeMap<>(
            java.util.Comparator.comparing(MajorKey::type).thenComparingInt(MajorKey::major));
    private final List<Consumer<Event>> listeners = new CopyOnWriteArrayList<>();

    DeviceNamespace(List<Node> builtins) {
        for (Node n : builtins) {
            nodes.put(n.path(), n);
            majors.put(new MajorKey(n.type(), n.major()), n.owner());
        }
    }

    /**
     * Claims major {@code major} of {@code type} for {@code owner} ({@code -1}: the first free
     * one from {@link #FIRST_DYNAMIC_MAJOR}). Claiming one the owner already holds is a no-op.
     *
     * @return the major claimed
     * @throws ModuleException EBUSY (held by another), EINVAL (out of range), ENFILE (none free)
     * @param owner the module that owns it
     * @param type character or block
     * @param major the major number (0: the first free one)
     */
    public int claimMajor(String owner, Type type, int major) throws ModuleException {
        synchronized (lock) {
            int m = major;
            if (m == -1) {
                m = FIRST_DYNAMIC_MAJOR;
                while (m <= MAX_MAJOR && majors.containsKey(new MajorKey(type, m))) {
                    m++;
                }
                if (m > MAX_MAJOR) {
                    throw new ModuleException(Errno.ENFILE, owner + ": no free " + type + " major");
                }
            } else if (m < 0 || m > MAX_MAJOR) {
                throw new ModuleException(Errno.EINVAL, owner + ": major " + major + " not in [0, " + MAX_MAJOR + "]");
            }
            String holder = majors.get(new MajorKey(type, m));
            if (holder != null && !holder.equals(owner)) {
                throw new ModuleException(Errno.EBUSY, owner + ": " + type + " major " + m + " is held by " + holder);
            }
            majors.put(new MajorKey(type, m), owner);
            return m;
        }
    }

    /**
     * Makes {@code /dev/name} for {@code owner}'s driver {@code driver}, claiming the major if
     * the owner does not hold it yet.
     *
     * @param name a path under /dev (with or without the {@code /dev/} prefix); no "..", no empty part
     * @return the node made
     * @throws ModuleException EEXIST (path or number taken), EBUSY (major held by another),
     *                         EINVAL (bad name or number)
     * @param owner the module that owns it
     * @param driver the driver's name
     * @param type character or block
     * @param major the major number (0: the first free one)
     * @param minor the minor number
     */
    public Node make(String owner, String driver, String name, Type type, int major, int minor)
            throws ModuleException {
        String path = path(owner, name);
        if (minor < 0 || minor > MAX_MINOR) {
            throw new ModuleException(Errno.EINVAL, owner + ": minor " + minor + " not in [0, " + MAX_MINOR + "]");
        }
        Node node;
        synchronized (lock) {
            if (nodes.containsKey(path)) {
                throw new ModuleException(Errno.EEXIST, owner + ": " + path + " exists: " + nodes.get(path));
            }
            int m = claimMajor(owner, type, major);
            for (Node n : nodes.values()) {
                if (n.type() == type && n.major() == m && n.minor() == minor) {
                    throw new ModuleException(Errno.EEXIST, owner + ": " + type + " " + m + "," + minor
                            + " is already " + n.path());
                }
            }
            node = new Node(path, driver, type, m, minor, owner);
            nodes.put(path, node);
        }
        fire(new Event(node, true));
        return node;
    }

    /**
     * Removes {@code /dev/name}, which {@code owner} must have made.
     *
     * @throws ModuleException ENOENT (no such node), EPERM (made by someone else)
     * @param owner the module that owns it
     * @param name the node's name under /dev
     */
    public void destroy(String owner, String name) throws ModuleException {
        String path = path(owner, name);
        Node node;
        synchronized (lock) {
            node = nodes.get(path);
            if (node == null) {
                throw new ModuleException(Errno.ENOENT, owner + ": no device node " + path);
            }
            if (!node.owner().equals(owner)) {
                throw new ModuleException(Errno.EPERM, owner + ": " + path + " belongs to " + node.owner());
            }
            nodes.remove(path);
        }
        fire(new Event(node, false));
    }

    /**
     * Removes every node {@code owner} made and frees its majors.
     *
     * @return the nodes removed
     * @param owner the module that owns it
     */
    public List<Node> removeAll(String owner) {
        List<Node> gone = new ArrayList<>();
        synchronized (lock) {
            nodes.values().removeIf(n -> {
                if (n.owner().equals(owner)) {
                    gone.add(n);
                    return true;
                }
                return false;
            });
            majors.values().removeIf(owner::equals);
        }
        gone.forEach(n -> fire(new Event(n, false)));
        return gone;
    }

    /**
     * {@return the node at {@code path} ("/dev/x" or "x")}
     * @param path a node's path, e.g. {@code /dev/null}
     */
    public Optional<Node> lookup(String path) {
        String p = path.startsWith("/dev/") ? path : "/dev/" + path;
        synchronized (lock) {
            return Optional.ofNullable(nodes.get(p));
        }
    }

    /** {@return every node, by path} */
    public List<Node> nodes() {
        synchronized (lock) {
            return List.copyOf(nodes.values());
        }
    }

    /**
     * {@return the nodes {@code owner} made, by path}
     * @param owner the module that owns it
     */
    public List<Node> nodes(String owner) {
        synchronized (lock) {
            return nodes.values().stream().filter(n -> n.owner().equals(owner)).toList();
        }
    }

    /**
     * {@return who holds major {@code major} of {@code type}}
     * @param type character or block
     * @param major the major number (0: the first free one)
     */
    public Optional<String> majorHolder(Type type, int major) {
        synchronized (lock) {
            return Optional.ofNullable(majors.get(new MajorKey(type, major)));
        }
    }

    /**
     * Adds a listener; it runs on the thread that made the change, after the change, without the lock.
     * @param listener the listener
     */
    public void addListener(Consumer<Event> listener) {
        listeners.add(Objects.requireNonNull(listener));
    }

    /**
     * Removes a listener added before.
     * @param listener the listener
     */
    public void removeListener(Consumer<Event> listener) {
        listeners.remove(listener);
    }

    private void fire(Event e) {
        for (Consumer<Event> l : listeners) {
            try {
                l.accept(e);
            } catch (RuntimeException ignored) {
                // a listener cannot undo a device change
            }
        }
    }

    private static String path(String owner, String name) throws ModuleException {
        String rel = name.startsWith("/dev/") ? name.substring(5) : name;
        if (rel.isEmpty() || rel.startsWith("/") || rel.endsWith("/") || rel.contains("//")
                || List.of(rel.split("/")).stream().anyMatch(p -> p.equals(".") || p.equals(".."))
                || rel.chars().anyMatch(c -> c < 0x21 || c == 0x7f)) {
            throw new ModuleException(Errno.EINVAL, owner + ": bad device name \"" + name + "\"");
        }
        return "/dev/" + rel;
    }
}
