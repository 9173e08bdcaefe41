package dev.kobj.registry;

/** The life of a module in the registry. */
public enum ModuleState {
    /** A builtin or preloaded module known to the registry but not initialised yet. */
    REGISTERED,
    /** Linked (if it has an image); its INIT command is running. */
    INITIALIZING,
    /** INIT succeeded: live, its exports visible. */
    LOADED,
    /** Its FINI command is running. */
    UNLOADING,
    /** A builtin module that was unloaded: loading it again needs {@link LoadFlag#FORCE}. */
    DISABLED
}
