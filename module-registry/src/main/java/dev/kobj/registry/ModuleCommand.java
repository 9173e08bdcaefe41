package dev.kobj.registry;

/** The lifecycle commands a {@link ModuleHandler} receives (NetBSD {@code modcmd_t}). */
public enum ModuleCommand {
    /** Initialise: after the link, before the exports are visible. Throwing fails the load. */
    INIT,
    /** Finalise: before unload. Throwing (EBUSY) refuses the unload, the module stays loaded. */
    FINI,
    /** Asked before an autounload. Throwing vetoes it; the module stays loaded (and is asked again later). */
    AUTOUNLOAD,
    /** Report status through {@link ModuleContext#report}. */
    STAT
}
