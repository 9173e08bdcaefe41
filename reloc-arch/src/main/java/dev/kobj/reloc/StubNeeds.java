package dev.kobj.reloc;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * What an object's relocations may need beyond the sections themselves, counted by an engine's
 * pre-scan before layout so that the linker can lay the stubs out with the rest: GOT entries
 * and PLT entries/veneers, each deduplicated by (symbol index, addend); place-specific veneers
 * (one per place that may need one, see {@link VeneerPool}); and the sections whose alignment
 * must grow so that the count is exact.
 *
 * @param gotEntries   the (symbol, addend) pairs that need a GOT entry
 * @param pltEntries   the (symbol, addend) pairs whose branches may need a PLT entry or veneer
 * @param gotEntrySize bytes per GOT entry
 * @param pltEntrySize bytes per PLT entry or veneer, place-specific veneers included
 * @param veneers      how many place-specific veneers the relocations may take (AArch64: ADRPs
 *                     that may land at page offset 0xff8/0xffc, Cortex-A53 erratum 843419)
 * @param alignments   section index → the smallest sh_addralign the engine needs for it; the
 *                     linker lays such a section out at max(sh_addralign, this), in every layout
 *                     (the count of {@code veneers} assumes it does)
 */
public record StubNeeds(Set<Target> gotEntries, Set<Target> pltEntries, int gotEntrySize, int pltEntrySize,
        int veneers, Map<Integer, Long> alignments) {

    /**
     * A symbol of the object's symbol table with an addend.
     *
     * @param symbolIndex r_sym: the symbol's index in the object's symbol table
     * @param addend      the addend the entry's key includes (0 where the engine keys on S alone)
     */
    public record Target(long symbolIndex, long addend) {
        // Written out: the record's generated equals/hashCode go through an invokedynamic
        // bootstrap (ObjectMethods) that was a visible part of a whole-tree check's profile.
        @Override
        public boolean equals(Object o) {
            return o instanceof Target t && t.symbolIndex == symbolIndex && t.addend == addend;
        }

        @Override
        public int hashCode() {
            return 31 * Long.hashCode(symbolIndex) + Long.hashCode(addend);
        }
    }

    /**
     * Adds the target (symbol, addend) to {@code set} unless it is there: one {@link Target} per
     * distinct target at most, none per relocation, and none at all in the {@link TargetSet}s of
     * {@link #empty} (a scan's own sets).
     *
     * @param set the targets found so far
     * @param symbolIndex the target's symbol index
     * @param addend the target's addend
     */
    public static void add(Set<Target> set, long symbolIndex, long addend) {
        if (set instanceof TargetSet t) {
            t.add(symbolIndex, addend);
        } else {
            set.add(new Target(symbolIndex, addend));
        }
    }

    /**
     * Needs with no place-specific veneer and no alignment to raise.
     * @param gotEntries the GOT entries, one per target
     * @param pltEntries the PLT entries, one per target
     * @param gotEntrySize the size of a GOT entry in bytes
     * @param pltEntrySize the size of a PLT entry or veneer in bytes
     */
    public StubNeeds(Set<Target> gotEntries, Set<Target> pltEntries, int gotEntrySize, int pltEntrySize) {
        this(gotEntries, pltEntries, gotEntrySize, pltEntrySize, 0, new LinkedHashMap<>());
    }

    /**
     * {@return needs of nothing yet, to be filled by a scan}
     *
     * @param gotEntrySize the size of a GOT entry in bytes
     * @param pltEntrySize the size of a PLT entry or veneer in bytes
     */
    public static StubNeeds empty(int gotEntrySize, int pltEntrySize) {
        return new StubNeeds(new TargetSet(), new TargetSet(), gotEntrySize, pltEntrySize);
    }

    /**
     * {@return the same needs with {@code n} place-specific veneers and these section alignments}
     * @param n how many place-specific veneers
     * @param sectionAlignments section index to the alignment it needs
     */
    public StubNeeds withVeneers(int n, Map<Integer, Long> sectionAlignments) {
        return new StubNeeds(gotEntries, pltEntries, gotEntrySize, pltEntrySize, n, sectionAlignments);
    }

    /** {@return the bytes the GOT needs} */
    public long gotSize() {
        return (long) gotEntries.size() * gotEntrySize;
    }

    /** {@return the bytes the PLT/veneer section needs (not counting place-specific veneers)} */
    public long pltSize() {
        return (long) pltEntries.size() * pltEntrySize;
    }

    /** {@return the bytes the place-specific veneers need} */
    public long veneerSize() {
        return (long) veneers * pltEntrySize;
    }
}
