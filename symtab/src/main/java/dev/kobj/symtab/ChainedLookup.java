package dev.kobj.symtab;

import java.util.List;
import java.util.Optional;

/**
 * Several tables asked in order: the linker's {@code new ChainedLookup(loadedModules, kernel)}
 * (the object's own symbols come before both and are the linker's business). A name is answered
 * by the first table that has it; an address by the highest of the tables' answers (the first
 * table's on a tie). Costs one look-up per table. As thread-safe as its tables.
 */
public final class ChainedLookup implements SymbolLookup {
    private final List<SymbolLookup> tables;

    /**
     * The tables, asked in this order.
     *
     * @param tables the tables, first first
     */
    public ChainedLookup(SymbolLookup... tables) {
        this(List.of(tables));
    }

    /**
     * The tables, asked in this order.
     *
     * @param tables the tables, first first (copied)
     */
    public ChainedLookup(List<? extends SymbolLookup> tables) {
        this.tables = List.copyOf(tables);
    }

    /** {@return the tables, in the order they are asked} */
    public List<SymbolLookup> tables() {
        return tables;
    }

    @Override
    public Optional<KernelSymbol> lookup(String name) {
        for (SymbolLookup t : tables) {
            Optional<KernelSymbol> s = t.lookup(name);
            if (s.isPresent()) {
                return s;
            }
        }
        return Optional.empty();
    }

    @Override
    public KernelSymbol find(byte[] names, int offset, int length) {
        for (SymbolLookup t : tables) {
            KernelSymbol s = t.find(names, offset, length);
            if (s != null) {
                return s;
            }
        }
        return null;
    }

    @Override
    public Optional<KernelSymbol> nearest(long address) {
        KernelSymbol best = null;
        for (SymbolLookup t : tables) {
            KernelSymbol s = t.nearest(address).orElse(null);
            if (s != null && (best == null || Long.compareUnsigned(s.address(), best.address()) > 0)) {
                best = s;
            }
        }
        return Optional.ofNullable(best);
    }

    /** {@return the sum of the tables' sizes (a name in two tables counts twice)} */
    @Override
    public int size() {
        int n = 0;
        for (SymbolLookup t : tables) {
            n += t.size();
        }
        return n;
    }
}
