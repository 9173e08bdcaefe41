package dev.kobj.link;

import dev.kobj.reloc.RelocationEngine;
import dev.kobj.reloc.RelocationKind;

/**
 * What the link asks of an engine per relocation type, asked once per type and kept in a small
 * array: whether the type is a branch ({@link RelocationKind.Category#BRANCH}, one that may go
 * through a PLT entry or veneer) and whether the engine's pre-scan looks at it
 * ({@link RelocationEngine#scans}). The link asks for every relocation, and a map of boxed
 * integers (or an interface call) cost more than the relocation itself.
 */
final class TypeFacts {
    private static final byte ASKED = 1;
    private static final byte BRANCH = 2;
    private static final byte SCANNED = 4;

    /** The types answered from {@link #known}: every relocation type of x86-64, AArch64 and RISC-V is below. */
    private static final int TYPES = 1024;

    private final RelocationEngine engine;
    /** Per type below {@link #TYPES}: ASKED with the BRANCH and SCANNED bits, asked once when made. */
    private final byte[] known = new byte[TYPES];

    TypeFacts(RelocationEngine engine) {
        this.engine = engine;
        for (int t = 0; t < TYPES; t++) {
            known[t] = ask(t);
        }
    }

    /** The last one a thread used: the modules of a tree share an engine class and architecture. */
    private static final ThreadLocal<TypeFacts> LAST = new ThreadLocal<>();

    /**
     * {@return the thread's answers for {@code engine}}, kept from its previous link when that
     * engine was of the same class and architecture (which kinds are branches, and which ones
     * the pre-scan reads, are properties of the architecture's relocation types, not of an
     * engine's options)
     */
    static TypeFacts of(RelocationEngine engine) {
        TypeFacts b = LAST.get();
        if (b == null || b.engine.getClass() != engine.getClass() || b.engine.arch() != engine.arch()) {
            b = new TypeFacts(engine);
            LAST.set(b);
        }
        return b;
    }

    // isBranch and isScanned stay small enough for C1 to inline them (one array load)

    /** {@return whether relocations of {@code type} are branches} */
    boolean isBranch(int type) {
        return (((type & ~(TYPES - 1)) == 0 ? known[type] : ask(type)) & BRANCH) != 0;
    }

    /** {@return whether the engine's pre-scan reads relocations of {@code type}} */
    boolean isScanned(int type) {
        return (((type & ~(TYPES - 1)) == 0 ? known[type] : ask(type)) & SCANNED) != 0;
    }

    private byte ask(int type) {
        boolean branch = engine.kind(type).map(k -> k.category() == RelocationKind.Category.BRANCH).orElse(false);
        return (byte) (ASKED | (branch ? BRANCH : 0) | (engine.scans(type) ? SCANNED : 0));
    }
}
