package dev.kobj.registry;

import dev.kobj.elf.ElfFile;
import dev.kobj.elf.ElfFormatException;
import dev.kobj.elf.ElfSymbol;
import dev.kobj.elf.SymbolTable;
import dev.kobj.link.HostMemory;
import dev.kobj.link.LinkException;
import dev.kobj.link.LinkRequest;
import dev.kobj.link.Linker;
import dev.kobj.link.LoadPolicy;
import dev.kobj.link.LoadedImage;
import dev.kobj.registry.ModuleException.Errno;
import dev.kobj.symtab.ChainedLookup;
import dev.kobj.symtab.DuplicateExportException;
import dev.kobj.symtab.KernelSymbol;
import dev.kobj.symtab.ModuleExports;
import dev.kobj.symtab.SymbolLookup;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The registry's state and its operations, all under one reentrant lock (NetBSD's
 * module_lock). Events are queued per thread and delivered when the thread's outermost
 * operation has released the lock.
 */
final class RegistryCore {
    private final ModuleRegistry registry;
    private final ReentrantLock lock = new ReentrantLock();
    private final HostMemory memory;
    private final SymbolLookup kernelSymbols;
    private final Map<String, Long> bindings;
    private final LoadPolicy linkPolicy;
    private final SecurityPolicy security;
    private final KernelServices kernel;
    private final Ticker ticker;
    private final Duration delay;
    private final long delayNanos;
    private final int maxDepth;
    private final List<Path> defaultPath;
    private final ModuleLocator locator;
    private final ModuleHandler defaultHandler;
    private final List<RegistryListener> listeners = new CopyOnWriteArrayList<>();
    private final ModuleExports exports;
    private final SymbolLookup symbols;
    private final ExportIndex index;

    // ---- guarded by lock
    private final Map<String, ModuleHandler> handlers = new HashMap<>();
    private final List<Path> searchPath = new ArrayList<>();
    private final Map<String, BuiltinModule> builtins = new LinkedHashMap<>();
    private final Map<String, Preloaded> preloaded = new LinkedHashMap<>();
    /** Live modules and disabled builtins, by name. */
    private final Map<String, Module> byName = new HashMap<>();
    private final TreeMap<Integer, Module> byId = new TreeMap<>();
    private int nextId = 1;
    /** Modules whose handler runs on some thread, innermost last (per thread). */
    private final ThreadLocal<Deque<Active>> active = ThreadLocal.withInitial(ArrayDeque::new);
    private final ThreadLocal<List<RegistryEvent>> pendingEvents = ThreadLocal.withInitial(ArrayList::new);
    private final Thread autounloader;
    private volatile boolean closed;

    private record Preloaded(String fileName, byte[] bytes, Metadata metadata) {
    }

    private record Active(Module module, ModuleCommand command) {
    }

    RegistryCore(ModuleRegistry registry, ModuleRegistry.Builder b) {
        this.registry = registry;
        this.memory = b.memory;
        this.kernelSymbols = b.kernelSymbols == null ? LinkRequest.NO_SYMBOLS : b.kernelSymbols;
        this.bindings = Map.copyOf(b.bindings);
        this.linkPolicy = b.linkPolicy;
        this.security = b.security;
        this.kernel = b.kernel;
        this.ticker = b.ticker;
        this.delay = b.autounloadDelay;
        this.delayNanos = Ticker.toNanos(b.autounloadDelay);
        this.maxDepth = b.maxDepth;
        this.defaultPath = List.copyOf(b.searchPath);
        this.searchPath.addAll(defaultPath);
        this.locator = b.locator;
        this.defaultHandler = b.defaultHandler;
        this.listeners.addAll(b.listeners);
        this.handlers.putAll(b.handlers);
        this.exports = new ModuleExports(b.kernelSymbols);
        this.symbols = new ChainedLookup(exports, kernelSymbols);
        this.index = new ExportIndex(locator);
        if (b.autounloadThread) {
            autounloader = Thread.ofPlatform().daemon().name("kobj-autounload").start(this::autounloadLoop);
        } else {
            autounloader = null;
        }
    }

    // ================================================================== locking and events

    private void enter() {
        lock.lock();
    }

    private void exit() {
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

    private void post(RegistryEvent e) {
        pendingEvents.get().add(e);
    }

    // ================================================================== load

    /** What one top-level load made: undone in reverse order if the load fails. */
    private static final class Txn {
        final List<Module> loaded = new ArrayList<>();
        final List<RegistryEvent> events = new ArrayList<>();
    }

    ModuleInfo load(String nameOrPath, Set<LoadFlag> flags, Map<String, String> props, ModuleClass cls, boolean auto)
            throws ModuleException {
        if (isPath(nameOrPath)) {
            return loadPath(Path.of(nameOrPath), flags, props, cls);
        }
        return topLevel(nameOrPath, auto ? "autoload" : "load", txn -> {
            Module m = doLoad(nameOrPath, null, null, flags, props, cls, auto, 1, new ArrayDeque<>(), txn);
            return m;
        });
    }

    ModuleInfo loadPath(Path path, Set<LoadFlag> flags, Map<String, String> props, ModuleClass cls)
            throws ModuleException {
        return topLevel(path.toString(), "load",
                txn -> doLoad(null, path, null, flags, props, cls, false, 1, new ArrayDeque<>(), txn));
    }

    ModuleInfo autoload(String name, ModuleClass cls) throws ModuleException {
        enter();
        try {
            Module m = byName.get(name);
            if (m != null && m.state == ModuleState.LOADED) {
                if (!m.metadata.moduleClass().satisfies(cls)) {
                    throw new ModuleException(Errno.ENOENT, incompatible(m.metadata, cls));
                }
                return m.info(delay);
            }
            return load(name, Set.of(), Map.of(), cls, true);
        } finally {
            exit();
        }
    }

    @FunctionalInterface
    private interface LoadStep {
        Module run(Txn txn) throws ModuleException;
    }

    private ModuleInfo topLevel(String what, String operation, LoadStep step) throws ModuleException {
        enter();
        try {
            checkOpen();
            Txn txn = new Txn();
            try {
                Module m = step.run(txn);
                pendingEvents.get().addAll(txn.events);
                for (Module x : txn.loaded) {
                    kernel.loaded(x.info(delay));
                }
                return m.info(delay);
            } catch (ModuleException e) {
                rollback(txn);
                post(new RegistryEvent.Failed(what, operation, e));
                throw e;
            } catch (RuntimeException e) {
                rollback(txn);
                ModuleException me = new ModuleException(Errno.ENOEXEC, what + ": " + e, e);
                post(new RegistryEvent.Failed(what, operation, me));
                throw me;
            }
        } finally {
            exit();
        }
    }

    /** Undoes a failed load: its new modules go, newest first, FINI called (its refusal ignored). */
    private void rollback(Txn txn) {
        for (Module m : txn.loaded.reversed()) {
            runHandlerQuietly(m, ModuleCommand.FINI);
            destroy(m);
        }
    }

    /**
     * Loads one module and its requirements (NetBSD module_do_load).
     *
     * @param name    a module name (searched), or null with {@code path}
     * @param wanted  the dependency being satisfied (version range), null for a top-level load
     * @param pending the names being loaded further up this chain (cycle detection)
     */
    private Module doLoad(String name, Path path, Dependency wanted, Set<LoadFlag> flags, Map<String, String> props,
            ModuleClass cls, boolean auto, int depth, Deque<String> pending, Txn txn) throws ModuleException {
        if (depth > maxDepth) {
            throw new ModuleException(Errno.EMLINK, "too many required modules: loading "
                    + String.join(" -> ", pending.reversed()) + " -> " + (name != null ? name : path)
                    + " is deeper than " + maxDepth);
        }
        boolean isDep = wanted != null;
        // An already present module (by name): a dependency is satisfied by it, anything else is EEXIST.
        if (name != null) {
            Module present = byName.get(name);
            if (present != null && present.live()) {
                return present(present, wanted, cls, isDep || auto);
            }
        }
        Opened o = open(name, path, flags);
        try {
            ModuleMetadata md = o.metadata.metadata();
            String modName = md.name();
            if (!md.moduleClass().satisfies(cls)) {
                throw new ModuleException(Errno.ENOENT, incompatible(md, cls));
            }
            if (isDep && !modName.equals(wanted.name()) && !modName.equals(KernelSymbol.moduleName(wanted.name()))) {
                throw new ModuleException(Errno.ENOENT, "dependency name mismatch: wanted " + wanted.name()
                        + ", " + o.where() + " is " + modName);
            }
            Module present = byName.get(modName);
            if (present != null && present.live()) {
                o.close();
                return present(present, wanted, cls, isDep || auto);
            }
            if (present != null && present.state == ModuleState.DISABLED && !flags.contains(LoadFlag.FORCE)) {
                throw new ModuleException(Errno.EPERM, "builtin module " + modName
                        + " was unloaded (disabled); load it with FORCE to reinstate it");
            }
            if (pending.contains(modName)) {
                throw new ModuleException(Errno.EDEADLK, "circular dependency: "
                        + String.join(" -> ", pending.reversed()) + " -> " + modName);
            }
            if (isDep && !wanted.accepts(md.version())) {
                throw new ModuleException(Errno.ENOENT, pending.peek() + " depends on " + wanted.name() + " version "
                        + wanted.range() + ", but " + o.where() + " is " + modName + " version " + md.version());
            }
            Map<String, String> allProps = new LinkedHashMap<>(o.metadata.properties());
            allProps.putAll(props);
            ModuleCandidate candidate = new ModuleCandidate(modName, o.source, o.path, Optional.ofNullable(o.elf), md,
                    flags, allProps, auto || isDep);
            security.checkLoad(candidate);

            // Requirements: declared, then implied by imported symbols.
            List<Dependency> deps = new ArrayList<>(md.requires());
            if (o.elf != null) {
                for (String implied : impliedDependencies(o.elf, modName)) {
                    if (deps.stream().noneMatch(d -> d.name().equals(implied))) {
                        deps.add(Dependency.implied(implied));
                    }
                }
            }
            pending.push(modName);
            List<Module> required = new ArrayList<>();
            try {
                for (Dependency d : deps) {
                    if (d.name().equals(modName)) {
                        throw new ModuleException(Errno.EDEADLK, "self-dependency of " + modName);
                    }
                    Module r = doLoad(d.name(), null, d, Set.of(), Map.of(), ModuleClass.ANY, true, depth + 1, pending,
                            txn);
                    if (!required.contains(r)) {
                        required.add(r);
                    }
                }
            } finally {
                pending.pop();
            }

            ModuleHandler handler = handlerFor(o, candidate);
            Module m = new Module(modName, o.source, md, allProps, handler, o.path);
            m.elf = o.elf;
            if (o.elf != null) {
                m.image = link(o.elf, modName, o.where());
            }
            o.elf = null; // owned by m now
            m.noAutoload = md.noAutoload() || flags.contains(LoadFlag.NOAUTOUNLOAD);
            m.autoloaded = auto || isDep;
            if (present != null) { // a disabled builtin reinstated
                byId.remove(present.id);
            }
            m.id = nextId++;
            m.state = ModuleState.INITIALIZING;
            byName.put(modName, m);
            byId.put(m.id, m);
            for (Module r : required) {
                m.requires.add(r);
                r.requiredBy.add(m);
            }
            try {
                if (m.image != null) {
                    List<KernelSymbol> ex = m.image.exports();
                    try {
                        exports.add(modName, ex);
                    } catch (DuplicateExportException e) {
                        throw new ModuleException(Errno.ENOEXEC, modName + ": " + e.getMessage(), e);
                    }
                }
                runHandlerChecked(m, ModuleCommand.INIT, null);
                if (m.image != null) {
                    try {
                        m.image.completeInit();
                    } catch (LinkException e) {
                        runHandlerQuietly(m, ModuleCommand.FINI);
                        throw new ModuleException(Errno.ENOEXEC, modName + ": " + e.getMessage(), e);
                    }
                }
            } catch (ModuleException e) {
                destroy(m);
                if (present != null) { // the builtin stays disabled
                    byName.put(modName, present);
                    byId.put(present.id, present);
                }
                throw e;
            }
            m.state = ModuleState.LOADED;
            if (m.candidate()) {
                m.deadline = ticker.nanos() + delayNanos;
            }
            txn.loaded.add(m);
            txn.events.add(new RegistryEvent.Loaded(m.info(delay)));
            return m;
        } finally {
            o.close();
        }
    }

    /** A module already live satisfies a dependency or an autoload; a plain load of it is EEXIST. */
    private Module present(Module m, Dependency wanted, ModuleClass cls, boolean reuse) throws ModuleException {
        if (!reuse || activeHere(m)) {
            throw new ModuleException(Errno.EEXIST, "module " + m.name + " is already loaded (id " + m.id + ")"
                    + (activeHere(m) ? ": a module cannot load itself from its own lifecycle call" : ""));
        }
        if (m.state != ModuleState.LOADED) {
            throw new ModuleException(Errno.EDEADLK, "module " + m.name + " is " + m.state.name().toLowerCase()
                    + ": it cannot be required now");
        }
        if (!m.metadata.moduleClass().satisfies(cls)) {
            throw new ModuleException(Errno.ENOENT, incompatible(m.metadata, cls));
        }
        if (wanted != null && !wanted.accepts(m.metadata.version())) {
            throw new ModuleException(Errno.ENOENT, "a module depends on " + wanted.name() + " version "
                    + wanted.range() + ", but the loaded " + m.name + " is version " + m.metadata.version());
        }
        return m;
    }

    private static String incompatible(ModuleMetadata md, ModuleClass asked) {
        return "incompatible module class for " + md.name() + ": " + md.moduleClass() + " is not the " + asked
                + " asked for";
    }

    /** The object to load, opened: the registry owns {@code elf} until a {@link Module} takes it. */
    private final class Opened implements AutoCloseable {
        ModuleSource source;
        Optional<Path> path = Optional.empty();
        ElfFile elf;
        Metadata metadata;
        BuiltinModule builtin;

        String where() {
            return path.map(Path::toString).orElse(source.name().toLowerCase() + " module " + metadata.metadata().name());
        }

        @Override
        public void close() {
            if (elf != null) {
                elf.close();
                elf = null;
            }
        }
    }

    private Opened open(String name, Path path, Set<LoadFlag> flags) throws ModuleException {
        Opened o = new Opened();
        if (name != null) {
            BuiltinModule b = builtins.get(name);
            if (b != null) {
                o.source = ModuleSource.BUILTIN;
                o.builtin = b;
                o.metadata = new Metadata(b.metadata(), Map.of());
                return o;
            }
            Preloaded p = preloaded.get(name);
            if (p != null) {
                o.source = ModuleSource.PRELOADED;
                o.metadata = p.metadata();
                try {
                    o.elf = ElfFile.of(p.fileName(), p.bytes());
                } catch (ElfFormatException e) {
                    throw new ModuleException(Errno.ENOEXEC, p.fileName() + ": " + e.getMessage(), e);
                }
                return o;
            }
            path = locator.find(name, List.copyOf(searchPath)).orElseThrow(() -> new ModuleException(Errno.ENOENT,
                    "module " + name + " not found in the search path " + searchPath));
        }
        o.source = ModuleSource.FILE;
        o.path = Optional.of(path);
        if (!Files.isRegularFile(path)) {
            throw new ModuleException(Errno.ENOENT, path + ": no such file");
        }
        try {
            o.elf = ElfFile.open(path);
            o.metadata = Metadata.read(o.elf, o.path, !flags.contains(LoadFlag.NO_PROPS));
        } catch (IOException e) {
            o.close();
            throw new ModuleException(Errno.ENOENT, path + ": " + e.getMessage(), e);
        } catch (ElfFormatException e) {
            o.close();
            throw new ModuleException(Errno.ENOEXEC, path + ": " + e.getMessage(), e);
        } catch (ModuleException e) {
            o.close();
            throw e;
        }
        return o;
    }

    private ModuleHandler handlerFor(Opened o, ModuleCandidate c) {
        if (o.builtin != null) {
            return o.builtin.handler();
        }
        ModuleHandler h = handlers.get(c.name());
        if (h != null) {
            return h;
        }
        Optional<ModuleHandler> k = kernel.handlerFor(c);
        if (k.isPresent()) {
            return k.get();
        }
        if ("native".equals(memory.kind())) {
            return NativeModuleHandler.INSTANCE;
        }
        return defaultHandler != null ? defaultHandler : ModuleHandler.NONE;
    }

    private LoadedImage link(ElfFile elf, String name, String where) throws ModuleException {
        LinkRequest req = LinkRequest.builder(memory).symbols(symbols).policy(linkPolicy).bindAll(bindings).build();
        try {
            return Linker.link(elf, req);
        } catch (LinkException e) {
            throw new ModuleException(Errno.ENOEXEC, name + " (" + where + "): " + e.getMessage(), e);
        }
    }

    /**
     * The modules {@code elf} needs for its undefined symbols (as depmod computes): a symbol the
     * kernel table gives to a module, else one a loaded module exports, else one a module of the
     * search path exports. Bound symbols and the kernel's own are no dependency.
     */
    private List<String> impliedDependencies(ElfFile elf, String self) throws ModuleException {
        Set<String> out = new LinkedHashSet<>();
        try {
            Optional<SymbolTable> t = elf.symbolTable();
            if (t.isEmpty()) {
                return List.of();
            }
            for (ElfSymbol s : t.get().all()) {
                if (!s.isUndefined() || s.name().isEmpty() || s.index() == 0 || bindings.containsKey(s.name())) {
                    continue;
                }
                String owner = null;
                Optional<KernelSymbol> k = kernelSymbols.lookup(s.name());
                if (k.isPresent()) {
                    owner = k.get().inVmlinux() ? null : k.get().ownerModuleName();
                } else {
                    Optional<KernelSymbol> e = exports.lookup(s.name());
                    if (e.isPresent()) {
                        owner = e.get().ownerModuleName();
                    } else {
                        owner = index.owner(s.name(), List.copyOf(searchPath)).orElse(null);
                    }
                }
                if (owner != null && !owner.equals(self)) {
                    out.add(owner);
                }
            }
        } catch (ElfFormatException e) {
            throw new ModuleException(Errno.ENOEXEC, elf.name() + ": " + e.getMessage(), e);
        }
        return List.copyOf(out);
    }

    /** Removes a module that is not (or no longer) to be: exports, image, object, links, maps. */
    private void destroy(Module m) {
        exports.remove(m.name);
        if (m.image != null) {
            m.image.close();
            m.image = null;
        }
        if (m.elf != null) {
            m.elf.close();
            m.elf = null;
        }
        for (Module r : m.requires) {
            r.requiredBy.remove(m);
            rearm(r);
        }
        m.requires.clear();
        if (byName.get(m.name) == m) {
            byName.remove(m.name);
        }
        byId.remove(m.id, m);
    }

    /** An autounload candidate that just became unused waits a whole delay from now. */
    private void rearm(Module m) {
        if (m.candidate() && m.refcount() == 0) {
            m.deadline = Math.max(m.deadline, ticker.nanos() + delayNanos);
        }
    }

    // ================================================================== handlers

    private final class Context implements ModuleContext {
        private final Module m;
        private final Map<String, String> report;

        Context(Module m, Map<String, String> report) {
            this.m = m;
            this.report = report;
        }

        @Override
        public int id() {
            return m.id;
        }

        @Override
        public String name() {
            return m.name;
        }

        @Override
        public ModuleClass moduleClass() {
            return m.metadata.moduleClass();
        }

        @Override
        public ModuleMetadata metadata() {
            return m.metadata;
        }

        @Override
        public Optional<LoadedImage> image() {
            return Optional.ofNullable(m.image);
        }

        @Override
        public Map<String, String> properties() {
            return m.properties;
        }

        @Override
        public KernelServices kernel() {
            return kernel;
        }

        @Override
        public ModuleRegistry registry() {
            return registry;
        }

        @Override
        public void report(String key, String value) {
            if (report != null) {
                report.put(key, value);
            }
        }
    }

    /** Runs one command whose refusal cannot stop anything (FINI of a rollback): the refusal is ignored. */
    private void runHandlerQuietly(Module m, ModuleCommand cmd) {
        try {
            runHandlerChecked(m, cmd, null);
        } catch (ModuleException | RuntimeException e) {
            // the module goes anyway: the load that made it failed
        }
    }

    private void runHandlerChecked(Module m, ModuleCommand cmd, Map<String, String> report) throws ModuleException {
        Deque<Active> stack = active.get();
        stack.push(new Active(m, cmd));
        try {
            m.handler.command(cmd, new Context(m, report));
        } catch (ModuleException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new ModuleException(cmd == ModuleCommand.INIT ? Errno.ENOEXEC : Errno.EBUSY,
                    m.name + ": " + cmd + " threw " + e, e);
        } finally {
            stack.pop();
        }
    }

    private boolean activeHere(Module m) {
        for (Active a : active.get()) {
            if (a.module() == m) {
                return true;
            }
        }
        return false;
    }

    // ================================================================== unload

    void unload(String name) throws ModuleException {
        enter();
        try {
            Module m;
            try {
                m = live(name);
            } catch (ModuleException e) {
                post(new RegistryEvent.Failed(name, "unload", e));
                throw e;
            }
            try {
                doUnload(m, false);
            } catch (ModuleException e) {
                post(new RegistryEvent.Failed(name, "unload", e));
                throw e;
            }
        } finally {
            exit();
        }
    }

    void unload(int id) throws ModuleException {
        if (id == 0) {
            unloadAll();
            return;
        }
        String name;
        enter();
        try {
            Module m = byId.get(id);
            if (m == null || !m.live()) {
                throw new ModuleException(Errno.ENOENT, "no module with id " + id + " is loaded");
            }
            name = m.name;
            unload(name);
        } finally {
            exit();
        }
    }

    private void doUnload(Module m, boolean auto) throws ModuleException {
        if (activeHere(m) || m.state != ModuleState.LOADED) {
            throw new ModuleException(Errno.EBUSY, "module " + m.name + " is " + m.state.name().toLowerCase()
                    + (activeHere(m) ? " (its own lifecycle call is running)" : ""));
        }
        if (m.refcount() > 0) {
            throw new ModuleException(Errno.EBUSY, "module " + m.name + " is busy: " + m.holds + " hold(s), required by "
                    + m.requiredBy.stream().map(x -> x.name).toList());
        }
        security.checkUnload(m.info(delay));
        m.state = ModuleState.UNLOADING;
        try {
            runHandlerChecked(m, ModuleCommand.FINI, null);
        } catch (ModuleException e) {
            m.state = ModuleState.LOADED;
            throw e;
        }
        destroy(m);
        if (m.source == ModuleSource.BUILTIN) {
            // NetBSD: a builtin module cannot go; it is disabled and needs FORCE to come back.
            m.state = ModuleState.DISABLED;
            m.holds = 0;
            byName.put(m.name, m);
            byId.put(m.id, m);
        }
        ModuleInfo info = m.info(delay);
        info = new ModuleInfo(info.id(), info.name(), info.moduleClass(),
                m.source == ModuleSource.BUILTIN ? ModuleState.DISABLED : info.state(), info.source(), 0, 0, 0, 0, 0,
                List.of(), List.of(), info.version(), info.autoloaded(), info.unloadDelay(), info.path(),
                info.metadata());
        kernel.unloaded(info);
        post(auto ? new RegistryEvent.Autounloaded(info) : new RegistryEvent.Unloaded(info));
    }

    List<String> unloadAll() {
        enter();
        try {
            List<String> out = new ArrayList<>();
            boolean progress = true;
            while (progress) {
                progress = false;
                for (Module m : List.copyOf(byId.descendingMap().values())) {
                    if (m.state != ModuleState.LOADED || m.source == ModuleSource.BUILTIN || m.refcount() > 0
                            || activeHere(m)) {
                        continue;
                    }
                    try {
                        doUnload(m, false);
                        out.add(m.name);
                        progress = true;
                    } catch (ModuleException e) {
                        post(new RegistryEvent.Failed(m.name, "unload", e));
                    }
                }
            }
            return out;
        } finally {
            exit();
        }
    }

    // ================================================================== hold, rele, autounload

    /** {@return the loaded module named {@code name}}; ENOENT when there is none. Call with the lock held. */
    private Module live(String name) throws ModuleException {
        Module m = byName.get(name);
        if (m == null || !m.live()) {
            throw new ModuleException(Errno.ENOENT, "module " + name + " is not loaded");
        }
        return m;
    }

    void hold(String name) throws ModuleException {
        enter();
        try {
            Module m = live(name);
            m.holds++;
        } finally {
            exit();
        }
    }

    void rele(String name) throws ModuleException {
        enter();
        try {
            Module m = live(name);
            if (m.holds == 0) {
                throw new ModuleException(Errno.EINVAL, "module " + name + " is not held");
            }
            m.holds--;
            rearm(m);
        } finally {
            exit();
        }
    }

    List<String> runAutounload() {
        enter();
        try {
            if (closed) {
                return List.of();
            }
            long now = ticker.nanos();
            List<String> out = new ArrayList<>();
            for (Module m : List.copyOf(byId.descendingMap().values())) {
                if (m.state != ModuleState.LOADED || !m.candidate() || now - m.deadline < 0 || m.refcount() > 0
                        || activeHere(m)) {
                    continue; // not due, or busy: asked again once it is free (rearm)
                }
                try {
                    runHandlerChecked(m, ModuleCommand.AUTOUNLOAD, null);
                } catch (ModuleException veto) {
                    m.deadline = now + delayNanos;
                    continue;
                }
                try {
                    doUnload(m, true);
                    out.add(m.name);
                } catch (ModuleException e) {
                    m.deadline = now + delayNanos;
                    post(new RegistryEvent.Failed(m.name, "autounload", e));
                }
            }
            return out;
        } finally {
            exit();
        }
    }

    private void autounloadLoop() {
        while (!closed) {
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                return;
            }
            runAutounload();
        }
    }

    // ================================================================== classes, sections, stat

    List<ModuleInfo> initClass(ModuleClass cls) {
        List<String> names = new ArrayList<>();
        enter();
        try {
            for (BuiltinModule b : builtins.values()) {
                Module m = byName.get(b.name());
                if (m == null && b.metadata().moduleClass().satisfies(cls)) {
                    names.add(b.name());
                }
            }
            for (var e : preloaded.entrySet()) {
                if (!byName.containsKey(e.getKey()) && e.getValue().metadata().metadata().moduleClass().satisfies(cls)) {
                    names.add(e.getKey());
                }
            }
            List<ModuleInfo> out = new ArrayList<>();
            for (String n : names) {
                Module m = byName.get(n);
                if (m != null) {
                    continue; // loaded meanwhile, as a dependency of an earlier one
                }
                try {
                    out.add(load(n, Set.of(), Map.of(), ModuleClass.ANY, false));
                } catch (ModuleException e) {
                    // reported as a Failed event by load
                }
            }
            return out;
        } finally {
            exit();
        }
    }

    SectionInfo findSection(String name) throws ModuleException {
        enter();
        try {
            Active a = active.get().peek();
            if (a == null || a.command() != ModuleCommand.INIT) {
                throw new ModuleException(Errno.ENOENT, "findSection(" + name + ") outside a module's INIT");
            }
            Module m = a.module();
            if (m.image == null) {
                throw new ModuleException(Errno.ENOENT, "module " + m.name + " has no object to find " + name + " in");
            }
            LoadedImage.PlacedSection s = m.image.section(name).orElseThrow(() -> new ModuleException(Errno.ENOENT,
                    "module " + m.name + " has no loaded section " + name));
            return new SectionInfo(s.name(), s.address(), s.size());
        } finally {
            exit();
        }
    }

    Map<String, String> stat(String name) throws ModuleException {
        enter();
        try {
            Module m = byName.get(name);
            if (m == null || m.state != ModuleState.LOADED) {
                throw new ModuleException(Errno.ENOENT, "module " + name + " is not loaded");
            }
            Map<String, String> report = new LinkedHashMap<>();
            runHandlerChecked(m, ModuleCommand.STAT, report);
            return report;
        } finally {
            exit();
        }
    }

    // ================================================================== registration

    void registerBuiltin(BuiltinModule b) throws ModuleException {
        enter();
        try {
            String n = b.name();
            if (builtins.containsKey(n) || preloaded.containsKey(n) || byName.containsKey(n)) {
                throw new ModuleException(Errno.EEXIST, "a module named " + n + " is already registered");
            }
            builtins.put(n, b);
        } finally {
            exit();
        }
    }

    String preload(String fileName, byte[] bytes) throws ModuleException {
        Metadata md;
        try (ElfFile elf = ElfFile.of(fileName, bytes.clone())) {
            md = Metadata.read(elf, Optional.empty(), false);
        } catch (ElfFormatException e) {
            throw new ModuleException(Errno.ENOEXEC, fileName + ": " + e.getMessage(), e);
        }
        enter();
        try {
            String n = md.metadata().name();
            if (builtins.containsKey(n) || preloaded.containsKey(n) || byName.containsKey(n)) {
                throw new ModuleException(Errno.EEXIST, "a module named " + n + " is already registered");
            }
            preloaded.put(n, new Preloaded(fileName, bytes.clone(), md));
            return n;
        } finally {
            exit();
        }
    }

    void setHandler(String name, ModuleHandler h) {
        enter();
        try {
            handlers.put(name, h);
        } finally {
            exit();
        }
    }

    void addListener(RegistryListener l) {
        listeners.add(l);
    }

    void removeListener(RegistryListener l) {
        listeners.remove(l);
    }

    // ================================================================== search path

    List<Path> searchPath() {
        enter();
        try {
            return List.copyOf(searchPath);
        } finally {
            exit();
        }
    }

    void prependSearchPath(Path dir) {
        enter();
        try {
            searchPath.addFirst(dir);
            index.invalidate();
        } finally {
            exit();
        }
    }

    void resetSearchPath() {
        enter();
        try {
            searchPath.clear();
            searchPath.addAll(defaultPath);
            index.invalidate();
        } finally {
            exit();
        }
    }

    // ================================================================== status

    Optional<ModuleInfo> status(int id) {
        enter();
        try {
            return Optional.ofNullable(byId.get(id)).map(m -> m.info(delay));
        } finally {
            exit();
        }
    }

    Optional<ModuleInfo> status(String name) {
        enter();
        try {
            Module m = byName.get(name);
            if (m != null) {
                return Optional.of(m.info(delay));
            }
            BuiltinModule b = builtins.get(name);
            if (b != null) {
                return Optional.of(registered(b.metadata(), ModuleSource.BUILTIN));
            }
            Preloaded p = preloaded.get(name);
            if (p != null) {
                return Optional.of(registered(p.metadata().metadata(), ModuleSource.PRELOADED));
            }
            return Optional.empty();
        } finally {
            exit();
        }
    }

    private static ModuleInfo registered(ModuleMetadata md, ModuleSource source) {
        return new ModuleInfo(0, md.name(), md.moduleClass(), ModuleState.REGISTERED, source, 0, 0, 0, 0, 0, List.of(),
                List.of(), md.version(), false, Duration.ZERO, Optional.empty(), md);
    }

    List<ModuleInfo> list() {
        enter();
        try {
            return byId.values().stream().sorted(Comparator.comparingInt(m -> m.id)).map(m -> m.info(delay)).toList();
        } finally {
            exit();
        }
    }

    SymbolLookup exports() {
        return exports;
    }

    /**
     * {@return what is wrong with the registry's state, checked under the lock} (empty when
     * sound): refcount = holds + dependents, requirements loaded and symmetric, exports present
     * if and only if their module is live.
     */
    List<String> checkInvariants() {
        enter();
        try {
            List<String> bad = new ArrayList<>();
            for (Module m : byId.values()) {
                if (byName.get(m.name) != m) {
                    bad.add(m.name + ": id " + m.id + " is not the module of its name");
                }
                if (!m.live()) {
                    if (!exports.exportsOf(m.name).isEmpty()) {
                        bad.add(m.name + " is " + m.state + " but has exports");
                    }
                    continue;
                }
                ModuleInfo i = m.info(delay);
                if (i.refcount() != i.holds() + i.dependents() || i.holds() < 0) {
                    bad.add(m.name + ": refcount " + i.refcount() + " != holds " + i.holds() + " + dependents "
                            + i.dependents());
                }
                for (Module r : m.requires) {
                    if (byName.get(r.name) != r || r.state != ModuleState.LOADED) {
                        bad.add(m.name + " is " + m.state + " without its requirement " + r.name + " (" + r.state + ")");
                    }
                    if (!r.requiredBy.contains(m)) {
                        bad.add(r.name + " does not list its dependent " + m.name);
                    }
                }
                for (Module d : m.requiredBy) {
                    if (!d.requires.contains(m) || byName.get(d.name) != d) {
                        bad.add(m.name + " lists a dependent " + d.name + " that does not require it");
                    }
                }
                boolean hasExports = !exports.exportsOf(m.name).isEmpty();
                boolean shouldHave = m.image != null && !m.image.object().section("__ksymtab").isEmpty()
                        && m.state == ModuleState.LOADED;
                if (m.state == ModuleState.LOADED && hasExports != shouldHave) {
                    bad.add(m.name + ": exports present " + hasExports + ", module loaded with an export table "
                            + shouldHave);
                }
            }
            if (byName.values().stream().filter(m -> m.live()).count() != byId.values().stream()
                    .filter(m -> m.live()).count()) {
                bad.add("the name and id maps disagree");
            }
            for (String owner : exports.modules()) {
                Module m = byName.get(owner);
                if (m == null || !m.live()) {
                    bad.add("exports of " + owner + " remain, but it is not loaded");
                }
            }
            return bad;
        } finally {
            exit();
        }
    }

    SymbolLookup symbols() {
        return symbols;
    }

    KernelServices kernel() {
        return kernel;
    }

    private void checkOpen() throws ModuleException {
        if (closed) {
            throw new ModuleException(Errno.EPERM, "the registry is closed");
        }
    }

    private static boolean isPath(String s) {
        return s.indexOf('/') >= 0 || s.indexOf(java.io.File.separatorChar) >= 0;
    }

    void close() {
        unloadAll();
        closed = true;
        if (autounloader != null) {
            autounloader.interrupt();
        }
    }
}
