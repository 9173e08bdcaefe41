package dev.kobj.symtab;

import java.util.Optional;

/** What the linker asks of a symbol table: the kernel's, a module's exports, or both in order. */
public interface SymbolLookup {

    /** {@return the symbol named {@code name}} (O(1)) */
    Optional<KernelSymbol> lookup(String name);

    /** {@return the symbol at or nearest below {@code address}} (O(log n)) */
    Optional<KernelSymbol> nearest(long address);

    /** {@return the number of symbols} */
    int size();
}
