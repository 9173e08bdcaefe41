package dev.kobj.registry;

import dev.kobj.elf.ElfFile;
import dev.kobj.elf.ElfFormatException;
import dev.kobj.elf.ElfSymbol;
import dev.kobj.elf.SymbolTable;
import dev.kobj.registry.ModuleException.Errno;
import dev.kobj.symtab.KernelSymbol;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What a module requires: the modules its undefined symbols imply (as depmod computes them)
 * and whether a module already loaded satisfies a requirement (NetBSD's class, FreeBSD's
 * version range). Call with the registry's lock held.
 */
final class Dependencies {
    private final RegistryState s;

    Dependencies(RegistryState s) {
        this.s = s;
    }

    /**
     * The modules {@code elf} needs for its undefined symbols (as depmod computes): a symbol the
     * kernel table gives to a module, else one a loaded module exports, else one a module of the
     * search path exports. Bound symbols and the kernel's own are no dependency.
     */
    List<String> impliedDependencies(ElfFile elf, String self) throws ModuleException {
        Set<String> out = new LinkedHashSet<>();
        try {
            Optional<SymbolTable> t = elf.symbolTable();
            if (t.isEmpty()) {
                return List.of();
            }
            for (ElfSymbol sym : t.get().all()) {
                if (!sym.isUndefined() || sym.name().isEmpty() || sym.index() == 0 || s.bindings.containsKey(sym.name())) {
                    continue;
                }
                String owner = null;
                Optional<KernelSymbol> k = s.kernelSymbols.lookup(sym.name());
                if (k.isPresent()) {
                    owner = k.get().inVmlinux() ? null : k.get().ownerModuleName();
                } else {
                    Optional<KernelSymbol> e = s.exports.lookup(sym.name());
                    if (e.isPresent()) {
                        owner = e.get().ownerModuleName();
                    } else {
                        owner = s.index.owner(sym.name(), List.copyOf(s.searchPath)).orElse(null);
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
    /** A module already live satisfies a dependency or an autoload; a plain load of it is EEXIST. */
    Module present(Module m, Dependency wanted, ModuleClass cls, boolean reuse) throws ModuleException {
        if (!reuse || s.activeHere(m)) {
            throw new ModuleException(Errno.EEXIST, "module " + m.name + " is already loaded (id " + m.id + ")"
                    + (s.activeHere(m) ? ": a module cannot load itself from its own lifecycle call" : ""));
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

    static String incompatible(ModuleMetadata md, ModuleClass asked) {
        return "incompatible module class for " + md.name() + ": " + md.moduleClass() + " is not the " + asked
                + " asked for";
    }
}
