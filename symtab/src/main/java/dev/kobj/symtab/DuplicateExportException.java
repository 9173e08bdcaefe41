package dev.kobj.symtab;

import dev.kobj.elf.KobjException;

/**
 * Two modules (or a module and the kernel) export the same symbol: the kernel refuses the
 * second module's load. The message names both owners:
 * {@code symbol foo exported by both a and b}.
 */
public final class DuplicateExportException extends KobjException {
    private static final long serialVersionUID = 1L;

    /** The symbol exported twice. */
    private final String symbol;
    /** The owner that exported it first. */
    private final String firstOwner;
    /** The owner whose export was refused. */
    private final String secondOwner;

    /**
     * The second export of {@code symbol}.
     *
     * @param symbol      the symbol exported twice
     * @param firstOwner  the owner that exported it first (already loaded, or the kernel)
     * @param secondOwner the owner whose export is refused
     */
    public DuplicateExportException(String symbol, String firstOwner, String secondOwner) {
        super(firstOwner.equals(secondOwner)
                ? "symbol " + symbol + " exported twice by " + firstOwner
                : "symbol " + symbol + " exported by both " + firstOwner + " and " + secondOwner);
        this.symbol = symbol;
        this.firstOwner = firstOwner;
        this.secondOwner = secondOwner;
    }

    /** {@return the symbol exported twice} */
    public String symbol() {
        return symbol;
    }

    /** {@return the owner that exported it first (already loaded, or the kernel)} */
    public String firstOwner() {
        return firstOwner;
    }

    /** {@return the owner whose export was refused} */
    public String secondOwner() {
        return secondOwner;
    }
}
