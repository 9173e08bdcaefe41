package dev.kobj.symtab;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** What the linker asks of a symbol table: the kernel's, a module's exports, or both in order. */
public interface SymbolLookup {

    /**
     * {@return the symbol named {@code name}} (O(1))
     * @param name the symbol name, exactly as exported
     */
    Optional<KernelSymbol> lookup(String name);

    /**
     * {@return the symbol named by the {@code length} bytes at {@code offset} of {@code names},
     * or null}: what {@link #lookup} answers for those bytes decoded as ISO-8859-1 (as
     * elf-parser decodes symbol names), for a linker that reads names from an ELF string table
     * and would otherwise make a {@code String} per undefined symbol. Tables that can override
     * it answer without making one; by default it makes the string and calls {@link #lookup}.
     *
     * @param names  the bytes holding the name (an ELF string table's)
     * @param offset where the name starts in {@code names}
     * @param length the name's length in bytes, without a NUL
     */
    default KernelSymbol find(byte[] names, int offset, int length) {
        return lookup(new String(names, offset, length, StandardCharsets.ISO_8859_1)).orElse(null);
    }

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
