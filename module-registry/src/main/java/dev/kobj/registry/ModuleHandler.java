package dev.kobj.registry;

/**
 * A module's lifecycle (NetBSD {@code modcmd}): the registry calls it with INIT after the
 * link, FINI before the unload, AUTOUNLOAD before an autounload, STAT on
 * {@link ModuleRegistry#stat}. Throwing a {@link ModuleException} refuses: INIT fails the
 * load (everything is undone), FINI keeps the module loaded, AUTOUNLOAD vetoes. A command the
 * handler does not know must return normally (NetBSD's ENOTTY: no veto, nothing to report).
 *
 * <p>Calls are made with the registry's lock held, on the thread that asked: a handler may
 * load and unload other modules, {@link ModuleRegistry#findSection} its own sections during
 * INIT, but loading itself gives EEXIST and unloading itself EBUSY (NetBSD).
 *
 * <p>Which handler a module gets: the one given to the load or builtin registration, else the
 * registry's {@link KernelServices#handlerFor} (class-specific handlers of the simulated kernel),
 * else for images in native memory {@link NativeModuleHandler} (the module's own
 * {@code init_module}/{@code cleanup_module}, or {@code modcmd}), else {@link #NONE}.
 */
@FunctionalInterface
public interface ModuleHandler {

    /** Does nothing (every command succeeds). */
    ModuleHandler NONE = (command, context) -> {
    };

    /**
     * Carries out {@code command} for the module of {@code context}.
     * @param command what the registry asks (INIT, FINI, AUTOUNLOAD, STAT)
     * @param context the module and its registry
     * @throws ModuleException to refuse the command (FINI or AUTOUNLOAD: the module stays; INIT: the load fails and is undone)
     */
    void command(ModuleCommand command, ModuleContext context) throws ModuleException;
}
