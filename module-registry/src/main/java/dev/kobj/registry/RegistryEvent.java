package dev.kobj.registry;

/**
 * What a {@link RegistryListener} hears (as devd hears kldload): told after the registry's
 * state changed, outside its lock, on the thread that made the change.
 */
public sealed interface RegistryEvent {

    /** {@return the module's name} */
    String name();

    /**
     * A module was loaded: INIT succeeded, its exports are visible.
     *
     * @param module its status at that moment
     */
    record Loaded(ModuleInfo module) implements RegistryEvent {
        @Override
        public String name() {
            return module.name();
        }
    }

    /**
     * A module was unloaded on request (unload, unload-all), or a builtin was disabled.
     *
     * @param module its status at that moment
     */
    record Unloaded(ModuleInfo module) implements RegistryEvent {
        @Override
        public String name() {
            return module.name();
        }
    }

    /**
     * A module was unloaded by {@link ModuleRegistry#runAutounload}.
     *
     * @param module its status at that moment
     */
    record Autounloaded(ModuleInfo module) implements RegistryEvent {
        @Override
        public String name() {
            return module.name();
        }
    }

    /**
     * A load or unload failed.
     *
     * @param name      the module (or the name/path asked for when it could not be read)
     * @param operation "load", "autoload", "unload" or "autounload"
     * @param error     why
     */
    record Failed(String name, String operation, ModuleException error) implements RegistryEvent {
    }
}
