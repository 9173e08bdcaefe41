package dev.kobj.registry;

import dev.kobj.elf.ElfFile;
import dev.kobj.symtab.SymbolLookup;
import java.util.Map;

/**
 * Bindings chosen per object at link time, searched after the registry's symbols and its fixed
 * {@link ModuleRegistryBuilder#bind bindings}: for a simulated kernel that makes an entry point
 * for each undefined symbol an object needs (an emulator's kernel-function trampolines, which
 * depend on how the object uses the symbol: called or read as data).
 */
@FunctionalInterface
public interface LinkBindings {

    /** No per-object bindings. */
    LinkBindings NONE = (object, symbols) -> Map.of();

    /**
     * {@return name → address for the undefined symbols of {@code object} that {@code symbols}
     * (loaded modules' exports, then the kernel's symbols) does not define}
     *
     * @throws ModuleException when the object cannot be bound (ENOEXEC: the load fails, undone)
     */
    Map<String, Long> bindingsFor(ElfFile object, SymbolLookup symbols) throws ModuleException;
}
