package dev.kobj.registry;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How a module name becomes a file: the search path by default ({@link #searchPath()}); a
 * modprobe-style locator may use modules.dep or a whole module tree instead.
 */
public interface ModuleLocator {

    /** The file names tried for {@code NAME}, in order, in each directory of the search path. */
    List<String> SUFFIXES = List.of(".ko", ".ko.xz", ".ko.zst", ".ko.gz", ".o", ".kobj");

    /**
     * {@return the file of module {@code name}} found through {@code searchPath} (the registry's
     * current path, first directory first); empty when none
     *
     * @param name a module name
     * @param searchPath the registry's current search path, first directory first
     */
    Optional<Path> find(String name, List<Path> searchPath);

    /**
     * {@return every module file that {@link #find} could return}, for the index of exported
     * symbols that implied dependencies are looked up in (read lazily, once per path version)
     *
     * @param searchPath the registry's current search path, first directory first
     */
    List<Path> candidates(List<Path> searchPath);

    /**
     * {@return the kmadmin-style locator}: each directory of the path in order (not its
     * subdirectories), each of {@link #SUFFIXES}; a name's '-' and '_' are the same (Linux)
     */
    static ModuleLocator searchPath() {
        return SearchPathLocator.INSTANCE;
    }

    /**
     * {@return a locator over a fixed set of files}: a name is found when it is a key of
     * {@code files}, exactly as spelled; every file is a candidate, in the map's iteration order
     * (the map is copied, so later changes to it are not seen). The search path plays no part.
     *
     * @param files module name to file
     */
    static ModuleLocator of(Map<String, Path> files) {
        return new FileMapLocator(files);
    }
}
