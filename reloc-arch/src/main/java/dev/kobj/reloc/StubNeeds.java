package dev.kobj.reloc;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * What an object's relocations may need beyond the sections themselves, counted by an engine's
 * pre-scan before layout so that the linker can lay the stubs out with the rest: GOT entries
 * and PLT entries/veneers, each deduplicated by (symbol index, addend).
 *
 * @param gotEntries the (symbol, addend) pairs that need a GOT entry
 * @param pltEntries the (symbol, addend) pairs whose branches may need a PLT entry or veneer
 * @param gotEntrySize bytes per GOT entry
 * @param pltEntrySize bytes per PLT entry or veneer
 */
public record StubNeeds(Set<Target> gotEntries, Set<Target> pltEntries, int gotEntrySize, int pltEntrySize) {

    /** A symbol of the object's symbol table with an addend. */
    public record Target(long symbolIndex, long addend) {
    }

    public static StubNeeds empty(int gotEntrySize, int pltEntrySize) {
        return new StubNeeds(new LinkedHashSet<>(), new LinkedHashSet<>(), gotEntrySize, pltEntrySize);
    }

    /** {@return the bytes the GOT needs} */
    public long gotSize() {
        return (long) gotEntries.size() * gotEntrySize;
    }

    /** {@return the bytes the PLT/veneer section needs} */
    public long pltSize() {
        return (long) pltEntries.size() * pltEntrySize;
    }
}
