package dev.kobj.registry;

import dev.kobj.link.HostMemory;
import dev.kobj.link.LinkRequest;
import dev.kobj.link.LoadPolicy;
import dev.kobj.registry.ModuleException.Errno;
import dev.kobj.symtab.ChainedLookup;
import dev.kobj.symtab.ModuleExports;
import dev.kobj.symtab.SymbolLookup;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The registry's state, shared by its parts ({@link Loading}, {@link Unloading},
 * {@link Autounload}, {@link Registrations}, {@link Listings}, ...), all under one reentrant
 * lock (NetBSD's module_lock). Events are queued per thread and delivered when the thread's
 * outermost operation has released the lock.
 */
final class RegistryState {
    final ModuleRegistry registry;
    final ReentrantLock lock = new ReentrantLock();
    final HostMemory memory;
    final SymbolLookup kernelSymbols;
    final Map<String, Long> bindings;
    final LinkBindings linkBindings;
    final LoadPolicy linkPolicy;
    final SecurityPolicy security;
    final KernelServices kernel;
    final Ticker ticker;
    final Duration delay;
    final long delayNanos;
    final int maxDepth;
    final Personality personality;
    final List<Path> defaultPath;
    final ModuleLocator locator;
    final ModuleHandler defaultHandler;
    final List<RegistryListener> listeners = new CopyOnWriteArrayList<>();
    final ModuleExports exports;
    final SymbolLookup symbols;
    final ExportIndex index;
    /** The lifecycle calls and the removal of modules, which every operation shares. */
    final Lifecycle lifecycle = new Lifecycle(this);

    // ---- guarded by lock
    final Map<String, ModuleHandler> handlers = new HashMap<>();
    final List<Path> searchPath = new ArrayList<>();
    final Map<String, BuiltinModule> builtins = new LinkedHashMap<>();
    final Map<String, Preloaded> preloaded = new LinkedHashMap<>();
    /** Live modules and disabled builtins, by name. */
    final Map<String, Module> byName = new HashMap<>();
    final TreeMap<Integer, Module> byId = new TreeMap<>();
    int nextId = 1;
    /** Modules whose handler runs on some thread, innermost last (per thread). */
    final ThreadLocal<Deque<Active>> active = ThreadLocal.withInitial(ArrayDeque::new);
    final ThreadLocal<List<RegistryEvent>> pendingEvents = ThreadLocal.withInitial(ArrayList::new);
    private Thread autounloader;
    volatile boolean closed;

    record Preloaded(String fileName, byte[] bytes, Metadata metadata) {
    }

    record Active(Module module, ModuleCommand command) {
    }

    RegistryState(ModuleRegistry registry, ModuleRegistryBuilder b) {
        this.registry = registry;
        this.memory = b.memory;
        this.kernelSymbols = b.kernelSymbols == null ? LinkRequest.NO_SYMBOLS : b.kernelSymbols;
        this.bindings = Map.copyOf(b.bindings);
        this.linkBindings = b.linkBindings;
        this.linkPolicy = b.linkPolicy;
        this.security = b.security;
        this.kernel = b.kernel;
        this.ticker = b.ticker;
        this.delay = b.autounloadDelay;
        this.delayNanos = Ticker.toNanos(b.autounloadDelay);
        this.maxDepth = b.maxDepth;
        this.personality = b.personality;
        this.defaultPath = List.copyOf(b.searchPath);
        this.searchPath.addAll(defaultPath);
        this.locator = b.locator;
        this.defaultHandler = b.defaultHandler;
        this.listeners.addAll(b.listeners);
        this.handlers.putAll(b.handlers);
        this.exports = new ModuleExports(b.kernelSymbols);
        this.symbols = new ChainedLookup(exports, kernelSymbols);
        this.index = new ExportIndex(locator);
    }

    // ================================================================== locking and events

    void enter() {
        lock.lock();
    }

    /**
     * What readers see without taking the lock ({@link Listings}): the state as the last
     * outermost operation left it. A load in progress is not in it until the load completes, so
     * a reader never waits for a load (NetBSD's modstat takes module_lock; kobj's status views do
     * not). A thread inside an operation (a lifecycle call) reads the live state instead.
     */
    record Published(List<ModuleInfo> list, Map<Integer, ModuleInfo> byId, Map<String, ModuleInfo> byName) {
    }

    volatile Published published = new Published(List.of(), Map.of(), Map.of());

    void exit() {
        if (lock.getHoldCount() == 1) {
            publish();
        }
        lock.unlock();
        if (lock.getHoldCount() == 0) {
            List<RegistryEvent> events = pendingEvents.get();
            if (!events.isEmpty()) {
                List<RegistryEvent> copy = List.copyOf(events);
                events.clear();
                for (RegistryEvent e : copy) {
                    for (RegistryListener l : listeners) {
                        try {
                            l.event(e);
                        } catch (RuntimeException ignored) {
                            // a listener's failure does not undo the event
                        }
                    }
                }
            }
        }
    }

    private void publish() {
        List<ModuleInfo> list = new ArrayList<>(byId.size());
        Map<Integer, ModuleInfo> ids = new HashMap<>();
        for (Module m : byId.values()) {
            ModuleInfo i = m.info(delay);
            list.add(i);
            ids.put(m.id, i);
        }
        list.sort(java.util.Comparator.comparingInt(ModuleInfo::id));
        Map<String, ModuleInfo> names = new HashMap<>();
        for (Module m : byName.values()) {
            names.put(m.name, ids.containsKey(m.id) && byId.get(m.id) == m ? ids.get(m.id) : m.info(delay));
        }
        builtins.forEach((n, b) -> names.putIfAbsent(n, Listings.registered(b.metadata(), ModuleSource.BUILTIN)));
        preloaded.forEach((n, p) -> names.putIfAbsent(n, Listings.registered(p.metadata().metadata(),
                ModuleSource.PRELOADED)));
        published = new Published(List.copyOf(list), Map.copyOf(ids), Map.copyOf(names));
    }

    void post(RegistryEvent e) {
        pendingEvents.get().add(e);
    }

    /** Throws EPERM once the registry is closed. */
    void checkOpen() throws ModuleException {
        if (closed) {
            throw new ModuleException(Errno.EPERM, "the registry is closed");
        }
    }

    /** {@return the loaded module named {@code name}}; ENOENT when there is none. Call with the lock held. */
    Module live(String name) throws ModuleException {
        Module m = byName.get(name);
        if (m == null || !m.live()) {
            throw new ModuleException(Errno.ENOENT, "module " + name + " is not loaded");
        }
        return m;
    }

    /** {@return whether {@code m}'s own lifecycle call is running on this thread (then it cannot load or unload itself)} */
    boolean activeHere(Module m) {
        for (Active a : active.get()) {
            if (a.module() == m) {
                return true;
            }
        }
        return false;
    }

    /** {@return whether a load argument is a path rather than a module name} */
    static boolean isPath(String s) {
        return s.indexOf('/') >= 0 || s.indexOf(java.io.File.separatorChar) >= 0;
    }

    /** Starts the thread that runs {@code pass} once a second until the registry closes. */
    void startAutounloader(Runnable pass) {
        autounloader = Thread.ofPlatform().daemon().name("kobj-autounload").start(() -> {
            while (!closed) {
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException e) {
                    return;
                }
                pass.run();
            }
        });
    }

    /** Marks the registry closed and stops the autounload thread, if any. */
    void close() {
        closed = true;
        if (autounloader != null) {
            autounloader.interrupt();
        }
    }
}
