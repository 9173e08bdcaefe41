package dev.kobj.registry;

import java.util.Objects;

/**
 * A required module with the versions accepted (FreeBSD {@code MODULE_DEPEND(mod, dep, min,
 * pref, max)}): a loaded module of that name must have a version in {@code [min, max]};
 * when it is to be loaded, a file of version {@code preferred} is chosen first, then the
 * highest in range.
 *
 * @param name      the required module's name
 * @param min       the lowest version accepted
 * @param preferred the version preferred
 * @param max       the highest version accepted
 * @param implied   true when no metadata declared it: the module imports symbols that the
 *                  required module exports (as depmod computes)
 */
public record Dependency(String name, int min, int preferred, int max, boolean implied) {

    /** Any version. */
    public static final int ANY_MIN = 0;
    /** Any version. */
    public static final int ANY_MAX = Integer.MAX_VALUE;

    /** Checks that the name is not empty and that {@code min <= preferred <= max}. */
    public Dependency {
        Objects.requireNonNull(name);
        if (name.isEmpty()) {
            throw new IllegalArgumentException("empty dependency name");
        }
        if (min > max || preferred < min || preferred > max) {
            throw new IllegalArgumentException(name + ": version range " + min + " <= " + preferred + " <= " + max
                    + " is empty");
        }
    }

    /**
     * {@return a declared dependency on any version of {@code name}}
     * @param name the required module's name
     */
    public static Dependency on(String name) {
        return new Dependency(name, ANY_MIN, ANY_MIN, ANY_MAX, false);
    }

    /**
     * {@return a declared dependency on {@code name} with versions {@code [min, max]}, preferring {@code preferred}}
     * @param name the required module's name
     * @param min the lowest version accepted
     * @param preferred the version preferred when several are found
     * @param max the highest version accepted
     */
    public static Dependency on(String name, int min, int preferred, int max) {
        return new Dependency(name, min, preferred, max, false);
    }

    /**
     * {@return a dependency implied by imported symbols}
     * @param name the required module's name
     */
    public static Dependency implied(String name) {
        return new Dependency(name, ANY_MIN, ANY_MIN, ANY_MAX, true);
    }

    /**
     * {@return true when {@code version} is in range}
     * @param version a module's version
     */
    public boolean accepts(int version) {
        return version >= min && version <= max;
    }

    /** {@return the range as text, "" for any version} */
    public String range() {
        return min == ANY_MIN && max == ANY_MAX ? "" : min + ".." + max + " (preferred " + preferred + ")";
    }
}
