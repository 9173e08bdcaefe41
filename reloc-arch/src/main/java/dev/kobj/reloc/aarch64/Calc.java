package dev.kobj.reloc.aarch64;

import dev.kobj.reloc.Fixup;

/**
 * The aaelf64 relocation operations ("Relocation operations"): how X is computed from S, A, P,
 * G (the GOT entry for S+A) and GOT (the GOT's address). {@code Page(x)} is {@code x & ~0xFFF}
 * whatever the platform's page size. Arithmetic is two's complement on 64 bits: X is "the
 * intermediate result viewed as a 64-bit signed integer".
 */
enum Calc {
    /** No value: R_AARCH64_NONE. */
    NONE("none", false, false),
    /** {@code S + A}. */
    ABS("S + A", false, false),
    /** {@code S + A - P}. */
    PREL("S + A - P", false, false),
    /** {@code Page(S + A) - Page(P)}. */
    PAGE_PREL("Page(S + A) - Page(P)", false, false),
    /** {@code S + A - GOT}. */
    GOTREL("S + A - GOT", false, true),
    /** {@code G(GDAT(S + A))}: the GOT entry's address. */
    GOT("G(GDAT(S + A))", true, false),
    /** {@code G(GDAT(S + A)) - P}. */
    GOT_PREL("G(GDAT(S + A)) - P", true, false),
    /** {@code Page(G(GDAT(S + A))) - Page(P)}. */
    GOT_PAGE_PREL("Page(G(GDAT(S + A))) - Page(P)", true, false),
    /** {@code G(GDAT(S + A)) - GOT}. */
    GOT_OFF("G(GDAT(S + A)) - GOT", true, true),
    /** {@code G(GDAT(S + A)) - Page(GOT)}. */
    GOT_PAGE_OFF("G(GDAT(S + A)) - Page(GOT)", true, true);

    private final String formula;
    private final boolean needsEntry;
    private final boolean needsBase;

    Calc(String formula, boolean needsEntry, boolean needsBase) {
        this.formula = formula;
        this.needsEntry = needsEntry;
        this.needsBase = needsBase;
    }

    /** {@return the aaelf64 spelling of the operation} */
    String formula() {
        return formula;
    }

    /** {@return true when the operation reads a GOT entry G (the fixup must carry one)} */
    boolean needsGotEntry() {
        return needsEntry;
    }

    /** {@return true when the operation reads the GOT's address (the fixup must carry it)} */
    boolean needsGotBase() {
        return needsBase;
    }

    static long page(long x) {
        return x & ~0xFFFL;
    }

    /** {@return X for {@code f}} */
    long compute(Fixup f) {
        return compute(f.symbol(), f.addend(), f.place(), f.got(), f.gotBase());
    }

    /**
     * {@return X from the quantities themselves}
     * @param s S, the symbol's value
     * @param a A, the addend
     * @param p P, the place's address
     * @param got G(GDAT(S + A)), the GOT entry's address
     * @param gotBase GOT, the GOT's address
     */
    long compute(long s, long a, long p, long got, long gotBase) {
        long sa = s + a;
        return switch (this) {
            case NONE -> 0;
            case ABS -> sa;
            case PREL -> sa - p;
            case PAGE_PREL -> page(sa) - page(p);
            case GOTREL -> sa - gotBase;
            case GOT -> got;
            case GOT_PREL -> got - p;
            case GOT_PAGE_PREL -> page(got) - page(p);
            case GOT_OFF -> got - gotBase;
            case GOT_PAGE_OFF -> got - page(gotBase);
        };
    }
}
