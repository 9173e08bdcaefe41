package dev.kobj.registry.policy;

import dev.kobj.registry.ModuleCandidate;
import dev.kobj.registry.ModuleException;
import dev.kobj.registry.ModuleException.Errno;
import dev.kobj.registry.SecurityPolicy;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Modules that may not be loaded, by module name: a load of one is refused with
 * {@link Errno#EPERM}, as Linux 6.1 refuses a module named on the {@code module_blacklist=}
 * command line ("Module %s is blacklisted", checked after the signature, before any memory is
 * allocated). Unloads are not affected.
 *
 * <p>Names match as kmod matches them: '-' and '_' are the same character. Aliases are not
 * entries: modprobe.d's {@code blacklist NAME} names a module and makes modprobe ignore that
 * module's aliases, and the kernel's list names modules only; since a load by alias resolves to
 * the module first, a blacklisted module is refused however it was asked for, and an entry that
 * is only an alias of another module blocks nothing. Builtin modules are refused too (the
 * registry loads them like any other).
 */
public final class Blacklist implements SecurityPolicy {
    private final Set<String> names = ConcurrentHashMap.newKeySet();

    /**
     * A blacklist of these module names.
     * @param modules module names ('-' and '_' are the same)
     */
    public Blacklist(Collection<String> modules) {
        modules.forEach(this::add);
    }

    /**
     * A blacklist of these module names.
     * @param modules module names ('-' and '_' are the same)
     * @return a blacklist of {@code modules}
     */
    public static Blacklist of(String... modules) {
        return new Blacklist(List.of(modules));
    }

    /**
     * Reads modprobe.d files ({@code blacklist NAME} lines; '#' starts a comment; other
     * commands are ignored).
     *
     * @param files modprobe.d configuration files
     * @return the modules the files' {@code blacklist} lines name
     * @throws IOException when a file cannot be read
     */
    public static Blacklist fromModprobeConf(Collection<Path> files) throws IOException {
        Blacklist b = new Blacklist(List.of());
        for (Path f : files) {
            for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
                int hash = line.indexOf('#');
                String[] w = (hash >= 0 ? line.substring(0, hash) : line).trim().split("\\s+");
                if (w.length >= 2 && w[0].equals("blacklist")) {
                    b.add(w[1]);
                }
            }
        }
        return b;
    }

    /**
     * Reads the kernel command line's {@code module_blacklist=a,b,c} (every occurrence).
     * @param cmdline a kernel command line
     * @return the modules of its {@code module_blacklist=} (Linux: comma-separated)
     */
    public static Blacklist fromKernelCommandLine(String cmdline) {
        Blacklist b = new Blacklist(List.of());
        for (String word : cmdline.trim().split("\\s+")) {
            if (word.startsWith("module_blacklist=")) {
                for (String n : word.substring("module_blacklist=".length()).split(",")) {
                    if (!n.isEmpty()) {
                        b.add(n);
                    }
                }
            }
        }
        return b;
    }

    /**
     * Adds a module name.
     * @param module a module name
     */
    public void add(String module) {
        names.add(normalize(module));
    }

    /**
     * Removes a module name.
     *
     * @return whether it was listed
     * @param module a module name
     */
    public boolean remove(String module) {
        return names.remove(normalize(module));
    }

    /**
     * {@return whether the module name is listed}
     * @param module a module name
     */
    public boolean contains(String module) {
        return names.contains(normalize(module));
    }

    /** {@return the listed names, normalised ('-' as '_'), sorted} */
    public Set<String> names() {
        return new TreeSet<>(names);
    }

    @Override
    public void checkLoad(ModuleCandidate candidate) throws ModuleException {
        if (contains(candidate.name())) {
            throw new ModuleException(Errno.EPERM, "module " + candidate.name() + " is blacklisted"
                    + candidate.path().map(p -> " (" + p + ")").orElse(""));
        }
    }

    private static String normalize(String name) {
        return name.replace('-', '_');
    }

    @Override
    public String toString() {
        return "blacklist " + names();
    }
}
