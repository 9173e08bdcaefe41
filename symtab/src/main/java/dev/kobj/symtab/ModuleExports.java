package dev.kobj.symtab;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The exports of the loaded modules: a module's {@code __ksymtab*} entries are added when it
 * is loaded and removed when it goes, as the kernel's list of modules does for
 * {@code find_symbol}.
 *
 * <p>A name may be exported once: {@link #add} refuses, and changes nothing, when a symbol of
 * the new module is already exported by a loaded module, by the kernel table given to the
 * constructor, or twice by the new module itself; the {@link DuplicateExportException} names
 * both owners. A kernel-table symbol whose owner is the module being added (a table
 * synthesized from Module.symvers with every module's exports) is not a duplicate: it is the
 * same export.
 *
 * <p>Name → symbol is a {@link HashMap}, address → symbol a {@link TreeMap} (O(log n)).
 * Thread-safe: every method takes a read or write lock, so the registry can share one instance
 * among loads, unloads and look-ups.
 */
public final class ModuleExports implements SymbolLookup {
    private final SymbolLookup kernel;
    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    private final Map<String, KernelSymbol> byName = new HashMap<>();
    private final Map<String, List<KernelSymbol>> byModule = new LinkedHashMap<>();
    /** Key: address ^ Long.MIN_VALUE, so the signed order of keys is the unsigned order of addresses. */
    private final TreeMap<Long, List<KernelSymbol>> byAddress = new TreeMap<>();

    /** An empty table that checks duplicates among modules only. */
    public ModuleExports() {
        this(null);
    }

    /**
     * An empty table that also refuses exports the kernel already has ({@code kernel} may be null).
     * @param kernel the kernel's table, or null
     */
    public ModuleExports(SymbolLookup kernel) {
        this.kernel = kernel;
    }

    /**
     * Adds the exports of {@code module}; each symbol's owner becomes {@code module}.
     *
     * @throws DuplicateExportException when a name is exported already (nothing is added)
     * @throws IllegalStateException when {@code module} already has exports here
     * @param module the module's name
     * @param symbols the symbols it exports (its {@code __ksymtab*}, read by {@link KsymtabReader})
     */
    public void add(String module, List<KernelSymbol> symbols) throws DuplicateExportException {
        List<KernelSymbol> owned = new ArrayList<>(symbols.size());
        for (KernelSymbol s : symbols) {
            owned.add(s.owner().equals(module) ? s : s.withOwner(module));
        }
        lock.writeLock().lock();
        try {
            if (byModule.containsKey(module)) {
                throw new IllegalStateException("module " + module + " already has its exports registered");
            }
            Map<String, KernelSymbol> mine = new HashMap<>();
            for (KernelSymbol s : owned) {
                KernelSymbol other = byName.get(s.name());
                if (other != null) {
                    throw new DuplicateExportException(s.name(), other.owner(), module);
                }
                if (kernel != null) {
                    Optional<KernelSymbol> k = kernel.lookup(s.name());
                    if (k.isPresent() && !k.get().ownerModuleName().equals(KernelSymbol.moduleName(module))) {
                        throw new DuplicateExportException(s.name(), k.get().owner(), module);
                    }
                }
                if (mine.putIfAbsent(s.name(), s) != null) {
                    throw new DuplicateExportException(s.name(), module, module);
                }
            }
            byModule.put(module, List.copyOf(owned));
            for (KernelSymbol s : owned) {
                byName.put(s.name(), s);
                byAddress.computeIfAbsent(s.address() ^ Long.MIN_VALUE, k -> new ArrayList<>(1)).add(s);
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    /**
     * Removes the exports of {@code module}.
     *
     * @return whether it had any registered
     * @param module the module's name
     */
    public boolean remove(String module) {
        lock.writeLock().lock();
        try {
            List<KernelSymbol> owned = byModule.remove(module);
            if (owned == null) {
                return false;
            }
            for (KernelSymbol s : owned) {
                byName.remove(s.name());
                Long key = s.address() ^ Long.MIN_VALUE;
                List<KernelSymbol> at = byAddress.get(key);
                at.remove(s);
                if (at.isEmpty()) {
                    byAddress.remove(key);
                }
            }
            return true;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /**
     * {@return the exports of {@code module}, empty when it has none here}
     * @param module the module's name
     */
    public List<KernelSymbol> exportsOf(String module) {
        lock.readLock().lock();
        try {
            return byModule.getOrDefault(module, List.of());
        } finally {
            lock.readLock().unlock();
        }
    }

    /** {@return the modules that have exports here, in the order they were added} */
    public Set<String> modules() {
        lock.readLock().lock();
        try {
            return java.util.Collections.unmodifiableSet(new java.util.LinkedHashSet<>(byModule.keySet()));
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public Optional<KernelSymbol> lookup(String name) {
        lock.readLock().lock();
        try {
            return Optional.ofNullable(byName.get(name));
        } finally {
            lock.readLock().unlock();
        }
    }

    /** {@inheritDoc} Of several symbols at one address, the one added first answers. */
    @Override
    public Optional<KernelSymbol> nearest(long address) {
        lock.readLock().lock();
        try {
            var e = byAddress.floorEntry(address ^ Long.MIN_VALUE);
            return e == null ? Optional.empty() : Optional.of(e.getValue().getFirst());
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public int size() {
        lock.readLock().lock();
        try {
            return byName.size();
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public String toString() {
        return "ModuleExports" + modules();
    }
}
