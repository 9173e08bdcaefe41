package dev.kobj.registry;

import dev.kobj.link.LinkException;
import dev.kobj.registry.ModuleException.Errno;
import dev.kobj.symtab.DuplicateExportException;
import dev.kobj.symtab.KernelSymbol;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Loading (NetBSD module_load and module_autoload, kldload, kmadmin -L): a module and,
 * first, what it requires, as one transaction that a failure undoes whole; and
 * {@code initClass}, which loads the registered modules of a class.
 */
final class Loading {
    private final RegistryState s;
    private final Lifecycle lifecycle;
    private final Opening opening;
    private final Dependencies dependencies;

    Loading(RegistryState s, Lifecycle lifecycle, Opening opening, Dependencies dependencies) {
        this.s = s;
        this.lifecycle = lifecycle;
        this.opening = opening;
        this.dependencies = dependencies;
    }

    /** What one top-level load made: undone in reverse order if the load fails. */
    static final class Txn {
        final List<Module> loaded = new ArrayList<>();
        final List<RegistryEvent> events = new ArrayList<>();
    }

    ModuleInfo load(String nameOrPath, Set<LoadFlag> flags, Map<String, String> props, ModuleClass cls, boolean auto)
            throws ModuleException {
        if (RegistryState.isPath(nameOrPath)) {
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
        s.enter();
        try {
            Module m = s.byName.get(name);
            if (m != null && m.state == ModuleState.LOADED) {
                if (!m.metadata.moduleClass().satisfies(cls)) {
                    throw new ModuleException(Errno.ENOENT, Dependencies.incompatible(m.metadata, cls));
                }
                return m.info(s.delay);
            }
            return load(name, Set.of(), Map.of(), cls, true);
        } finally {
            s.exit();
        }
    }

    @FunctionalInterface
    interface LoadStep {
        Module run(Txn txn) throws ModuleException;
    }

    ModuleInfo topLevel(String what, String operation, LoadStep step) throws ModuleException {
        s.enter();
        try {
            s.checkOpen();
            Txn txn = new Txn();
            try {
                Module m = step.run(txn);
                s.pendingEvents.get().addAll(txn.events);
                for (Module x : txn.loaded) {
                    s.kernel.loaded(x.info(s.delay));
                }
                return m.info(s.delay);
            } catch (ModuleException e) {
                rollback(txn);
                s.post(new RegistryEvent.Failed(what, operation, e));
                throw e;
            } catch (RuntimeException e) {
                rollback(txn);
                ModuleException me = new ModuleException(Errno.ENOEXEC, what + ": " + e, e);
                s.post(new RegistryEvent.Failed(what, operation, me));
                throw me;
            }
        } finally {
            s.exit();
        }
    }

    /** Undoes a failed load: its new modules go, newest first, FINI called (its refusal ignored). */
    void rollback(Txn txn) {
        for (Module m : txn.loaded.reversed()) {
            lifecycle.runHandlerQuietly(m, ModuleCommand.FINI);
            lifecycle.destroy(m);
        }
    }

    /**
     * Loads one module and its requirements (NetBSD module_do_load).
     *
     * @param name    a module name (searched), or null with {@code path}
     * @param wanted  the dependency being satisfied (version range), null for a top-level load
     * @param pending the names being loaded further up this chain (cycle detection)
     */
    Module doLoad(String name, Path path, Dependency wanted, Set<LoadFlag> flags, Map<String, String> props,
            ModuleClass cls, boolean auto, int depth, Deque<String> pending, Txn txn) throws ModuleException {
        if (depth > s.maxDepth) {
            throw new ModuleException(Errno.EMLINK, "too many required modules: loading "
                    + String.join(" -> ", pending.reversed()) + " -> " + (name != null ? name : path)
                    + " is deeper than " + s.maxDepth);
        }
        boolean isDep = wanted != null;
        // An already present module (by name): a dependency is satisfied by it, anything else is EEXIST.
        if (name != null) {
            Module present = s.byName.get(name);
            if (present != null && present.live()) {
                return dependencies.present(present, wanted, cls, isDep || auto);
            }
        }
        Opening.Opened o = opening.open(name, path, flags);
        try {
            ModuleMetadata md = o.metadata.metadata();
            String modName = md.name();
            if (!md.moduleClass().satisfies(cls)) {
                throw new ModuleException(Errno.ENOENT, Dependencies.incompatible(md, cls));
            }
            if (isDep && !modName.equals(wanted.name()) && !modName.equals(KernelSymbol.moduleName(wanted.name()))) {
                throw new ModuleException(Errno.ENOENT, "dependency name mismatch: wanted " + wanted.name()
                        + ", " + o.where() + " is " + modName);
            }
            Module present = s.byName.get(modName);
            if (present != null && present.live()) {
                o.close();
                return dependencies.present(present, wanted, cls, isDep || auto);
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
            s.security.checkLoad(candidate);

            // Requirements: declared, then implied by imported symbols.
            List<Dependency> deps = new ArrayList<>(md.requires());
            if (o.elf != null) {
                for (String implied : dependencies.impliedDependencies(o.elf, modName)) {
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

            ModuleHandler handler = opening.handlerFor(o, candidate);
            Module m = new Module(modName, o.source, md, allProps, handler, o.path);
            m.elf = o.elf;
            if (o.elf != null) {
                m.image = opening.link(o.elf, modName, o.where());
            }
            o.elf = null; // owned by m now
            m.noAutoload = md.noAutoload() || flags.contains(LoadFlag.NOAUTOUNLOAD);
            m.autoloaded = auto || isDep;
            if (present != null) { // a disabled builtin reinstated
                s.byId.remove(present.id);
            }
            m.id = s.nextId++;
            m.state = ModuleState.INITIALIZING;
            s.byName.put(modName, m);
            s.byId.put(m.id, m);
            for (Module r : required) {
                m.requires.add(r);
                r.requiredBy.add(m);
            }
            try {
                if (m.image != null) {
                    List<KernelSymbol> ex = m.image.exports();
                    try {
                        s.exports.add(modName, ex);
                    } catch (DuplicateExportException e) {
                        throw new ModuleException(Errno.ENOEXEC, modName + ": " + e.getMessage(), e);
                    }
                }
                lifecycle.runHandlerChecked(m, ModuleCommand.INIT, null);
                if (m.image != null) {
                    try {
                        m.image.completeInit();
                    } catch (LinkException e) {
                        lifecycle.runHandlerQuietly(m, ModuleCommand.FINI);
                        throw new ModuleException(Errno.ENOEXEC, modName + ": " + e.getMessage(), e);
                    }
                }
            } catch (ModuleException e) {
                lifecycle.destroy(m);
                if (present != null) { // the builtin stays disabled
                    s.byName.put(modName, present);
                    s.byId.put(present.id, present);
                }
                throw e;
            }
            m.state = ModuleState.LOADED;
            if (m.candidate()) {
                m.deadline = s.ticker.nanos() + s.delayNanos;
            }
            txn.loaded.add(m);
            txn.events.add(new RegistryEvent.Loaded(m.info(s.delay)));
            return m;
        } finally {
            o.close();
        }
    }

    List<ModuleInfo> initClass(ModuleClass cls) {
        List<String> names = new ArrayList<>();
        s.enter();
        try {
            for (BuiltinModule b : s.builtins.values()) {
                Module m = s.byName.get(b.name());
                if (m == null && b.metadata().moduleClass().satisfies(cls)) {
                    names.add(b.name());
                }
            }
            for (var e : s.preloaded.entrySet()) {
                if (!s.byName.containsKey(e.getKey()) && e.getValue().metadata().metadata().moduleClass().satisfies(cls)) {
                    names.add(e.getKey());
                }
            }
            List<ModuleInfo> out = new ArrayList<>();
            for (String n : names) {
                Module m = s.byName.get(n);
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
            s.exit();
        }
    }
}
