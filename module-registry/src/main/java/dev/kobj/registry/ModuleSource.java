package dev.kobj.registry;

/** Where a module came from (NetBSD {@code modsrc_t}, shown in listings). */
public enum ModuleSource {
    /** Registered programmatically: a name, a handler and metadata, no ELF. */
    BUILTIN,
    /** Handed to the registry before boot (the boot loader's modules): an ELF object in memory. */
    PRELOADED,
    /** Read from a file, by path or through the search path. */
    FILE
}
