package dev.kobj.registry;

import java.util.Objects;

/**
 * A module compiled into the kernel (NetBSD {@code MODULE_SOURCE_KERNEL}): metadata and a
 * handler, no ELF object. Registered with {@link ModuleRegistry#registerBuiltin}, initialised by
 * {@link ModuleRegistry#initClass} or by a load of its name. Unloading it disables it; a load
 * with {@link LoadFlag#FORCE} brings it back.
 *
 * @param metadata its name, class, version and required modules
 * @param handler  what runs its lifecycle commands (INIT, FINI, ...)
 */
public record BuiltinModule(ModuleMetadata metadata, ModuleHandler handler) {

    /** Checks that both are there. */
    public BuiltinModule {
        Objects.requireNonNull(metadata);
        Objects.requireNonNull(handler);
    }

    /** {@return the module's name} */
    public String name() {
        return metadata.name();
    }
}
