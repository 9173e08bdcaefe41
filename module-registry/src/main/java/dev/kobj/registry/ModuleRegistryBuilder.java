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

/**
 * Configures a {@link ModuleRegistry}: host memory, kernel symbols, bindings, link and security
 * policies, kernel services, autounload, search path, handlers and personality. Made by
 * {@link ModuleRegistry#builder()}.
 */
public final class ModuleRegistryBuilder {
    HostMemory memory = new HeapMemory(ModuleRegistry.KERNEL_MODULE_BASE);
    SymbolLookup kernelSymbols;
    final Map<String, Long> bindings = new HashMap<>();
    LinkBindings linkBindings = LinkBindings.NONE;
    LoadPolicy linkPolicy = LoadPolicy.defaults();
    SecurityPolicy security = SecurityPolicy.PERMISSIVE;
    KernelServices kernel = KernelServices.NONE;
    Ticker ticker = Ticker.system();
    Duration autounloadDelay = ModuleRegistry.DEFAULT_AUTOUNLOAD_DELAY;
    int maxDepth = ModuleRegistry.DEFAULT_MAX_DEPTH;
    final List<Path> searchPath = new ArrayList<>();
    ModuleLocator locator = ModuleLocator.searchPath();
    final List<RegistryListener> listeners = new ArrayList<>();
    final Map<String, ModuleHandler> handlers = new LinkedHashMap<>();
    ModuleHandler defaultHandler;
    boolean autounloadThread;
    Personality personality = Personality.NETBSD;

    ModuleRegistryBuilder() {
    }

    /** Where images are linked (default: {@link HeapMemory} choosing addresses from {@link ModuleRegistry#KERNEL_MODULE_BASE}). */
    public ModuleRegistryBuilder memory(HostMemory m) {
        this.memory = Objects.requireNonNull(m);
        return this;
    }

    /**
     * The kernel's symbols (System.map, kallsyms, Module.symvers). A symbol whose owner is a
     * module (Module.symvers of a whole tree) implies a dependency on that module.
     */
    public ModuleRegistryBuilder kernelSymbols(SymbolLookup symbols) {
        this.kernelSymbols = symbols;
        return this;
    }

    /** Extra bindings for undefined symbols (native functions, upcalls), asked after the symbols. */
    public ModuleRegistryBuilder bind(String name, long address) {
        bindings.put(name, address);
        return this;
    }

    /** Extra bindings, see {@link #bind}. */
    public ModuleRegistryBuilder bindAll(Map<String, Long> all) {
        bindings.putAll(all);
        return this;
    }

    /** Per-object bindings, asked at each link after the fixed {@link #bind} ones (an emulator's trampolines). */
    public ModuleRegistryBuilder linkBindings(LinkBindings b) {
        this.linkBindings = Objects.requireNonNull(b);
        return this;
    }

    /** The linker's load checks (default {@link LoadPolicy#defaults()}). */
    public ModuleRegistryBuilder linkPolicy(LoadPolicy p) {
        this.linkPolicy = Objects.requireNonNull(p);
        return this;
    }

    /** The security policy consulted on every load and unload (default permissive). */
    public ModuleRegistryBuilder security(SecurityPolicy p) {
        this.security = Objects.requireNonNull(p);
        return this;
    }

    /** The simulated kernel (default {@link KernelServices#NONE}). */
    public ModuleRegistryBuilder kernel(KernelServices k) {
        this.kernel = Objects.requireNonNull(k);
        return this;
    }

    /** The clock of autounload delays (default {@link Ticker#system()}). */
    public ModuleRegistryBuilder ticker(Ticker t) {
        this.ticker = Objects.requireNonNull(t);
        return this;
    }

    /** The autounload delay (default 10 s). */
    public ModuleRegistryBuilder autounloadDelay(Duration d) {
        if (d.isNegative()) {
            throw new IllegalArgumentException("negative delay " + d);
        }
        this.autounloadDelay = d;
        return this;
    }

    /** The deepest dependency chain allowed, the module asked for counting 1 (default 6, as NetBSD). */
    public ModuleRegistryBuilder maxDepth(int depth) {
        if (depth < 1) {
            throw new IllegalArgumentException("depth " + depth);
        }
        this.maxDepth = depth;
        return this;
    }

    /** The default search path (kmadmin -D restores it). */
    public ModuleRegistryBuilder searchPath(List<Path> directories) {
        searchPath.clear();
        searchPath.addAll(directories);
        return this;
    }

    /** How names become files (default {@link ModuleLocator#searchPath()}). */
    public ModuleRegistryBuilder locator(ModuleLocator l) {
        this.locator = Objects.requireNonNull(l);
        return this;
    }

    /** Adds a listener. */
    public ModuleRegistryBuilder listener(RegistryListener l) {
        listeners.add(Objects.requireNonNull(l));
        return this;
    }

    /** The handler of the module named {@code name} (a module loaded from a file or preloaded). */
    public ModuleRegistryBuilder handler(String name, ModuleHandler h) {
        handlers.put(name, Objects.requireNonNull(h));
        return this;
    }

    /**
     * The handler of modules that have none of their own, none from the kernel services and
     * no native image (default {@link ModuleHandler#NONE}).
     */
    public ModuleRegistryBuilder defaultHandler(ModuleHandler h) {
        this.defaultHandler = Objects.requireNonNull(h);
        return this;
    }

    /** Runs {@link ModuleRegistry#runAutounload} on a daemon thread once a second (default off: tests drive it). */
    public ModuleRegistryBuilder autounloadThread(boolean on) {
        this.autounloadThread = on;
        return this;
    }

    /**
     * Whose errnos a refusal carries where the classic loaders differ (default
     * {@link Personality#NETBSD}; {@link Personality#LINUX}: unloading a module in use is EAGAIN).
     */
    public ModuleRegistryBuilder personality(Personality p) {
        this.personality = Objects.requireNonNull(p);
        return this;
    }

    /** {@return the registry} */
    public ModuleRegistry build() {
        return new ModuleRegistry(this);
    }
}
