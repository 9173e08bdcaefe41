package dev.kobj.symtab;

import java.util.Optional;

/** What the linker asks of a symbol table: the kernel's, a module's exports, or both in order. */
public interface SymbolLookup {

    /**
     * {@return the symbol named {@code name}} (O(1))
     * @param name the symbol name, exactly as exported
     */
    Optional<KernelSymbol> lookup(String name);

    /**
     * {@return the symbol at or nearest below {@code address}} (O(log n)). Addresses compare
     * unsigned (kernel addresses have the top bit set); symbols whose address the source did
     * not give take no part.
     *
     * @param address a kernel or module address
     */
    Optional<KernelSymbol> nearest(long address);

    /** {@return the number of symbols} */
    int size();

    /**
     * {@return {@code address} as "name+0xoffset" (or "name" at offset 0), from {@link #nearest}},
     * as the kernel's {@code %pS} prints it
     * @param address a kernel or module address
     */
    default Optional<String> symbolize(long address) {
        return nearest(address).map(s -> s.address() == address ? s.name()
                : s.name() + "+0x" + Long.toHexString(address - s.address()));
    }
}
