package dev.kobj.registry;

/** Flags of {@link ModuleRegistry#load} (NetBSD {@code MODCTL_*} flags). */
public enum LoadFlag {
    /**
     * Load a disabled builtin module again (NetBSD MODCTL_LOAD_FORCE); without it that load
     * is refused with EPERM.
     */
    FORCE,
    /** Ignore the {@code .properties}/{@code .plist} file beside the object (NetBSD MODCTL_NO_PROP). */
    NO_PROPS,
    /** Mark the module noautoload even if its metadata does not say so. */
    NOAUTOUNLOAD
}
