package dev.kobj.link;

import dev.kobj.reloc.RelocationEngine;
import dev.kobj.reloc.RelocationKind;
import java.util.Arrays;

/**
 * Which relocation types of an engine are branches ({@link RelocationKind.Category#BRANCH}, the
 * ones that may go through a PLT entry or veneer), asked once per type and kept in a small
 * array: the link asks for every relocation, and a map of boxed integers cost more than the
 * relocation itself.
 */
final class BranchKinds {
    private final RelocationEngine engine;
    /** Per type: 0 not yet asked, 1 not a branch, 2 a branch. */
    private byte[] known = new byte[64];

    BranchKinds(RelocationEngine engine) {
        this.engine = engine;
    }

    /** The last one a thread used: the modules of a tree share an engine class and architecture. */
    private static final ThreadLocal<BranchKinds> LAST = new ThreadLocal<>();

    /**
     * {@return the thread's answers for {@code engine}}, kept from its previous link when that
     * engine was of the same class and architecture (which kinds are branches is a property of
     * the architecture's relocation types, not of an engine's options)
     */
    static BranchKinds of(RelocationEngine engine) {
        BranchKinds b = LAST.get();
        if (b == null || b.engine.getClass() != engine.getClass() || b.engine.arch() != engine.arch()) {
            b = new BranchKinds(engine);
            LAST.set(b);
        }
        return b;
    }

    boolean isBranch(int type) {
        if (type < 0 || type >= 4096) {
            return ask(type);
        }
        if (type >= known.length) {
            known = Arrays.copyOf(known, type + 1);
        }
        if (known[type] == 0) {
            known[type] = ask(type) ? (byte) 2 : (byte) 1;
        }
        return known[type] == 2;
    }

    private boolean ask(int type) {
        return engine.kind(type).map(k -> k.category() == RelocationKind.Category.BRANCH).orElse(false);
    }
}
