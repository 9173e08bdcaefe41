package dev.kobj.registry;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A snapshot of one module's status: a row of kmadmin -s/-S, kldstat, modstat.
 *
 * @param id           its id: ids are given from 1 in load order and never reused (0 for a
 *                     builtin never loaded)
 * @param name         its name
 * @param moduleClass  its class
 * @param state        its state
 * @param source       builtin, preloaded or file
 * @param loadAddress  the address of its first region (0 without an image)
 * @param size         the bytes of its regions (0 without an image)
 * @param refcount     holds + dependents
 * @param holds        {@link ModuleRegistry#hold} count not yet released
 * @param dependents   loaded modules that require it
 * @param requires     the modules it required when loaded (declared and implied), in load order
 * @param requiredBy   the loaded modules that require it
 * @param version      its version
 * @param autoloaded   true when it was brought in by autoload or as a dependency (an autounload candidate)
 * @param unloadDelay  the autounload delay that applies to it; {@link Duration#ZERO} when it is
 *                     not an autounload candidate (loaded explicitly, or noautoload)
 * @param path         its file, for {@link ModuleSource#FILE}
 * @param metadata     what it says about itself
 */
public record ModuleInfo(int id, String name, ModuleClass moduleClass, ModuleState state, ModuleSource source,
        long loadAddress, long size, int refcount, int holds, int dependents, List<String> requires,
        List<String> requiredBy, int version, boolean autoloaded, Duration unloadDelay, Optional<Path> path,
        ModuleMetadata metadata) {

    /** Copies the lists. */
    public ModuleInfo {
        requires = List.copyOf(requires);
        requiredBy = List.copyOf(requiredBy);
    }
}
