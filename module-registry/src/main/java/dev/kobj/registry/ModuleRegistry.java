package dev.kobj.registry;

import dev.kobj.link.HeapMemory;
import dev.kobj.link.HostMemory;
import dev.kobj.link.LoadPolicy;
import dev.kobj.symtab.SymbolLookup;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The modules of one (simulated) kernel, as NetBSD module(9), FreeBSD kld, HP-UX kmadmin and
 * Linux promise them. Thread-safe: one registry is shared by many threads; every operation
 * runs under one reentrant lock (NetBSD's module_lock), lifecycle calls included, so a
 * handler may load other modules.
 *
 * <p>Errors are {@link ModuleException}s with the errno a kernel would give:
 * <ul>
 * <li>ENOENT: no such module / file; class mismatch (NetBSD); a dependency missing or of a
 *     version outside the required range (FreeBSD, naming both);
 * <li>EEXIST: already loaded (also: a module loading itself from its lifecycle call);
 * <li>EBUSY: held or depended on (also: a module unloading itself from its lifecycle call; a
 *     FINI that refuses); EAGAIN instead for held or depended on under {@link Personality#LINUX};
 * <li>EPERM: a disabled builtin loaded without FORCE; a policy's refusal (securelevel);
 * <li>EDEADLK: a dependency cycle (or a self-dependency);
 * <li>EMLINK: a dependency chain deeper than {@link ModuleRegistryBuilder#maxDepth} (NetBSD: 6);
 * <li>ENOEXEC: not an object the linker can load (the cause says why);
 * <li>EKEYREJECTED: the signature policy's refusal.
 * </ul>
 * A failed load leaves the registry as it was: modules loaded only for it are unloaded, their
 * memory freed and their exports removed.
 */
public final class ModuleRegistry implements AutoCloseable {

    /** The default autounload delay (NetBSD module_autotime: 10 s). */
    public static final Duration DEFAULT_AUTOUNLOAD_DELAY = Duration.ofSeconds(10);

    /** The default depth limit of a dependency chain (NetBSD module_do_load's maxdepth, 6). */
    public static final int DEFAULT_MAX_DEPTH = 6;

    /** The default base of simulated kernel addresses (Linux x86_64 MODULES_VADDR). */
    public static final long KERNEL_MODULE_BASE = 0xffff_ffff_c000_0000L;

    private final RegistryState state;
    private final Loading loading;
    private final Unloading unloading;
    private final Autounload autounload;
    private final Registrations registrations;
    private final Listings listings;

    ModuleRegistry(ModuleRegistryBuilder b) {
        this.state = new RegistryState(this, b);
        this.loading = new Loading(state);
        this.unloading = new Unloading(state);
        this.autounload = new Autounload(state, unloading);
        this.registrations = new Registrations(state);
        this.listings = new Listings(state);
        if (b.autounloadThread) {
            state.startAutounloader(autounload::runAutounload);
        }
    }

    /** {@return a builder with the defaults: heap memory at {@link #KERNEL_MODULE_BASE}, no kernel symbols, permissive security} */
    public static ModuleRegistryBuilder builder() {
        return new ModuleRegistryBuilder();
    }

    // ------------------------------------------------------------------ load and unload

    /**
     * Loads a module and, first, the modules it requires (NetBSD {@code module_load}, kldload,
     * kmadmin -L/-d). A {@code nameOrPath} containing '/' (or ending in a module suffix and
     * naming an existing file) is a path and is not searched; anything else is a module name:
     * a registered builtin or preloaded module of that name, else a file found through the
     * search path. The module is not an autounload candidate.
     *
     * @param nameOrPath a module name, or a path
     * @param flags      load flags
     * @param properties load properties, given to the handler over those of the file beside the object
     * @param moduleClass the class required, {@link ModuleClass#ANY} for any
     * @return the loaded module's status
     * @throws ModuleException when the registry refuses, with the errno a kernel would return (see the list above)
     */
    public ModuleInfo load(String nameOrPath, Set<LoadFlag> flags, Map<String, String> properties,
            ModuleClass moduleClass) throws ModuleException {
        return loading.load(nameOrPath, flags, properties, moduleClass, false);
    }

    /**
     * {@return {@link #load(String, Set, Map, ModuleClass)} with no flags, no properties, any class}
     * @param nameOrPath a module name, or a path (it contains a separator or names an existing file)
     * @throws ModuleException when the registry refuses, with the errno a kernel would return (see the list above)
     */
    public ModuleInfo load(String nameOrPath) throws ModuleException {
        return load(nameOrPath, Set.of(), Map.of(), ModuleClass.ANY);
    }

    /**
     * Loads the file at {@code path} (not searched); see {@link #load(String, Set, Map, ModuleClass)}.
     * @param path the module file
     * @param flags load flags
     * @param properties load properties, given to the handler
     * @param moduleClass the class required, {@link ModuleClass#ANY} for any
     * @return the loaded module's status
     * @throws ModuleException when the registry refuses, with the errno a kernel would return
     */
    public ModuleInfo load(Path path, Set<LoadFlag> flags, Map<String, String> properties, ModuleClass moduleClass)
            throws ModuleException {
        return loading.loadPath(path, flags, properties, moduleClass);
    }

    /**
     * Loads a module on the kernel's behalf (NetBSD {@code module_autoload}): by name only, of
     * class {@code moduleClass}; it becomes an autounload candidate. When it is loaded already,
     * its status is returned (no EEXIST).
     *
     * @param name the module's name
     * @param moduleClass the class required, {@link ModuleClass#ANY} for any
     * @return the module's status (loaded now or already)
     * @throws ModuleException when the registry refuses, with the errno a kernel would return (see the list above)
     */
    public ModuleInfo autoload(String name, ModuleClass moduleClass) throws ModuleException {
        return loading.autoload(name, moduleClass);
    }

    /**
     * Unloads a module (kldunload, kmadmin -U). EBUSY (the personality's {@link Personality#inUse()})
     * while it is held or depended on; EBUSY when
     * its FINI refuses. A builtin module is disabled, not forgotten. Modules it required stay
     * loaded (their dependent counts drop; autoloaded ones are autounloaded after their delay).
     *
     * @param name the module's name
     * @throws ModuleException when the registry refuses, with the errno a kernel would return (see the list above)
     */
    public void unload(String name) throws ModuleException {
        unloading.unload(name);
    }

    /**
     * Unloads the module with id {@code id}; id 0 unloads every module that can be ({@link #unloadAll}), as kmadmin -u 0.
     * @param id the module's id
     * @throws ModuleException when the registry refuses, with the errno a kernel would return (see the list above)
     */
    public void unload(int id) throws ModuleException {
        unloading.unload(id);
    }

    /**
     * Unloads every module that can be unloaded, dependents before their dependencies, repeating
     * until nothing more can go (kmadmin -U 0). Builtin modules are part of the kernel and are
     * left alone (unload them by name to disable them).
     *
     * @return the names unloaded, in order
     */
    public List<String> unloadAll() {
        return unloading.unloadAll();
    }

    /**
     * Adds a hold on a loaded module (NetBSD {@code module_hold}): it cannot be unloaded until released. ENOENT when not loaded.
     * @param name the module's name
     * @throws ModuleException when the registry refuses, with the errno a kernel would return (see the list above)
     */
    public void hold(String name) throws ModuleException {
        autounload.hold(name);
    }

    /**
     * Releases one hold ({@code module_rele}). ENOENT when not loaded, EINVAL when not held.
     * @param name the module's name
     * @throws ModuleException when the registry refuses, with the errno a kernel would return (see the list above)
     */
    public void rele(String name) throws ModuleException {
        autounload.rele(name);
    }

    /**
     * Loads every registered builtin (and preloaded) module of class {@code moduleClass}
     * ({@link ModuleClass#ANY}: of every class) that is not loaded or disabled
     * (NetBSD {@code module_init_class}). Failures are reported as events and skipped.
     *
     * @return the modules loaded
     * @param moduleClass the class whose builtin modules are initialized
     */
    public List<ModuleInfo> initClass(ModuleClass moduleClass) {
        return loading.initClass(moduleClass);
    }

    /**
     * {@return the section {@code name} of the module whose INIT is running on this thread}
     * (NetBSD {@code module_find_section}). ENOENT outside a module's own INIT, for a builtin
     * module, or when it has no such loaded section.
     *
     * @param name the module's name
     * @throws ModuleException when the registry refuses, with the errno a kernel would return (see the list above)
     */
    public SectionInfo findSection(String name) throws ModuleException {
        return listings.findSection(name);
    }

    /**
     * Runs the module's STAT command. ENOENT when not loaded.
     *
     * @return what it reported
     * @param name the module's name
     * @throws ModuleException when the registry refuses, with the errno a kernel would return (see the list above)
     */
    public Map<String, String> stat(String name) throws ModuleException {
        return listings.stat(name);
    }

    /**
     * One autounload pass (NetBSD module_thread): every autounload candidate whose delay has
     * run out is asked AUTOUNLOAD and, unless it vetoes, is held, is depended on or is
     * noautoload, unloaded. A candidate that vetoed, or whose unload failed, is asked again a
     * whole delay later; one that is held or depended on goes once it is free and a whole delay
     * has passed since it became free (so a dependency outlives its last dependent by the delay).
     * NetBSD tries once only; kobj keeps trying, so that dependencies do go.
     *
     * @return the names autounloaded
     */
    public List<String> runAutounload() {
        return autounload.runAutounload();
    }

    // ------------------------------------------------------------------ registration

    /**
     * Registers a builtin module (not initialised: {@link #initClass} or a load does that). EEXIST when the name is taken.
     * @param module the builtin module
     * @throws ModuleException when the registry refuses, with the errno a kernel would return (see the list above)
     */
    public void registerBuiltin(BuiltinModule module) throws ModuleException {
        registrations.registerBuiltin(module);
    }

    /**
     * Registers an object handed over before boot (NetBSD module_prime): the object is read
     * from {@code bytes} now and loaded, from memory, by {@link #initClass} or a load of its
     * name. EEXIST when the name is taken, ENOEXEC when it is not an ELF object.
     *
     * @return its module name
     * @param fileName the name the module is known by (as a boot loader's file name)
     * @param bytes the object file's bytes
     * @throws ModuleException when the registry refuses, with the errno a kernel would return (see the list above)
     */
    public String preload(String fileName, byte[] bytes) throws ModuleException {
        return registrations.preload(fileName, bytes);
    }

    /**
     * Sets the handler of the module named {@code name} for its next loads (over the builder's).
     * @param name the module's name
     * @param handler the handler of its lifecycle commands
     */
    public void setHandler(String name, ModuleHandler handler) {
        registrations.setHandler(name, handler);
    }

    /**
     * Adds a listener.
     * @param listener the listener
     */
    public void addListener(RegistryListener listener) {
        registrations.addListener(listener);
    }

    /**
     * Removes a listener.
     * @param listener the listener
     */
    public void removeListener(RegistryListener listener) {
        registrations.removeListener(listener);
    }

    // ------------------------------------------------------------------ search path

    /** {@return the search path, first directory first} */
    public List<Path> searchPath() {
        return registrations.searchPath();
    }

    /**
     * Puts {@code directory} in front of the search path (kmadmin -d).
     * @param directory a directory searched before the others
     */
    public void prependSearchPath(Path directory) {
        registrations.prependSearchPath(directory);
    }

    /** Restores the search path given to the builder (kmadmin -D). */
    public void resetSearchPath() {
        registrations.resetSearchPath();
    }

    // ------------------------------------------------------------------ status

    /**
     * {@return the status of the module with id {@code id}} (kmadmin -q)
     * @param id the module's id
     */
    public Optional<ModuleInfo> status(int id) {
        return listings.status(id);
    }

    /**
     * {@return the status of the module named {@code name}} (kmadmin -Q), loaded or disabled or registered
     * @param name the module's name
     */
    public Optional<ModuleInfo> status(String name) {
        return listings.status(name);
    }

    /** {@return every loaded or disabled module, by id} (registered builtins never loaded are not listed) */
    public List<ModuleInfo> list() {
        return listings.list();
    }

    /**
     * {@return the kmadmin -s (short) or -S (full) listing of {@link #list()}}
     * @param full the full listing (kmadmin -S) rather than the short one (-s)
     */
    public String listing(boolean full) {
        return ModuleListing.format(list(), full);
    }

    /** {@return the exports of the loaded modules} (a live, thread-safe table) */
    public SymbolLookup exports() {
        return state.exports;
    }

    /** {@return what loaded modules link against: the loaded modules' exports, then the kernel's symbols} */
    public SymbolLookup symbols() {
        return state.symbols;
    }

    /** {@return the violations of the registry's invariants, checked atomically (tests)} */
    List<String> checkInvariants() {
        return Invariants.check(state);
    }

    /** {@return the kernel services given to the builder} */
    public KernelServices kernel() {
        return state.kernel;
    }

    /** Unloads everything that can be and stops the autounload thread, if any. */
    @Override
    public void close() {
        unloading.unloadAll();
        state.close();
    }

    // ------------------------------------------------------------------ builder
}
