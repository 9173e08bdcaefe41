package dev.kobj.reloc;

import dev.kobj.elf.Arch;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Optional;

/**
 * The relocation engine of one architecture.
 *
 * <p>{@link #applyAll} is the linker's entry point: it receives every fixup of one section
 * (in relocation-table order) and applies them with the architecture's semantics: RISC-V
 * {@code PCREL_LO12_*} find their {@code *_HI20} partner by the auipc's address whatever
 * the order, ADD/SUB/SET/ULEB128 at one place accumulate and are encoded once, RELAX is a
 * no-op, ALIGN is checked. It is all or nothing: when any fixup fails, no byte of the section
 * has changed.
 */
public interface RelocationEngine {

    /** {@return the architecture} */
    Arch arch();

    /**
     * {@return what relocation type {@code type} is, if the architecture defines it}
     * @param type the raw ELF relocation type
     */
    Optional<RelocationKind> kind(int type);

    /** {@return every relocation type this engine knows (appliable or not)} */
    List<RelocationKind> kinds();

    /**
     * Applies one fixup to {@code section} (the bytes of the section being relocated, in the
     * object's byte order {@code order}). Checks first, then writes: on any exception no byte
     * has changed.
     *
     * @param section the bytes of the section being relocated
     * @param order the object's data byte order
     * @param fixup the relocation, with every quantity its formula uses
     * @throws RelocationException when the kind is unknown or refused, the value is out of range or misaligned, or the instruction is not the kind's (psABI); nothing is written then
     */
    void apply(MemorySegment section, ByteOrder order, Fixup fixup) throws RelocationException;

    /**
     * Applies every fixup of one section, with pairing and accumulation as the psABI says.
     * All or nothing: on any exception no byte of {@code section} has changed.
     *
     * @param section the bytes of the section being relocated
     * @param order the object's data byte order
     * @param fixups the relocations of the section, in table order
     * @throws RelocationException at the first relocation refused (see {@link #apply}); the ones before it are written
     */
    void applyAll(MemorySegment section, ByteOrder order, List<Fixup> fixups) throws RelocationException;

    /**
     * As {@link #applyAll(MemorySegment, ByteOrder, List)}, with a pool of place-specific veneer
     * slots the engine may take from ({@link StubNeeds#veneers()} of them were counted by
     * {@link #scan}). All or nothing: on any exception no byte of {@code section} has changed and
     * the slots taken by this call are back in the pool, their bytes as they were.
     *
     * <p>By default the pool is not used: engines whose relocations never need such a veneer
     * (x86-64, RISC-V) keep their three-argument method. The AArch64 engine uses it for the
     * Cortex-A53 erratum 843419 ADRP veneers.
     *
     * @param section the bytes of the section being relocated
     * @param order the object's data byte order
     * @param fixups the relocations of the section, in table order
     * @param veneers where branch veneers for out-of-range calls are made, or null
     * @throws RelocationException at the first relocation refused; the veneers it took are given back
     */
    default void applyAll(MemorySegment section, ByteOrder order, List<Fixup> fixups, VeneerPool veneers)
            throws RelocationException {
        applyAll(section, order, fixups);
    }

    /**
     * As {@link #applyAll(MemorySegment, ByteOrder, List, VeneerPool)}, from reusable primitive
     * columns: the linker's entry point, which makes no object per relocation. All or nothing,
     * as the list form. A refusal's message names no symbol and no place (the rows have none); a
     * caller that wants them applies the section again as named {@link Fixup}s, which throws
     * the same refusal with them. By default the rows are made into fixups and applied as a list.
     *
     * @param section the section's bytes, as placed
     * @param order the object's byte order
     * @param fixups the section's fixups, one row per relocation
     * @param veneers where the engine takes veneers for branches out of range
     * @throws RelocationException at the first relocation refused; the veneers it took are given back
     */
    default void applyAll(MemorySegment section, ByteOrder order, FixupColumns fixups, VeneerPool veneers)
            throws RelocationException {
        applyAll(section, order, fixups.toList(), veneers);
    }

    /**
     * Pre-scan: the GOT entries and PLT entries/veneers an object's relocations may need,
     * deduplicated by the key {@link #stubTarget} gives (symbol and addend by default).
     *
     * <p>An engine may also ask for place-specific veneers ({@link StubNeeds#veneers()}, see
     * {@link VeneerPool}) and for a larger alignment of some sections
     * ({@link StubNeeds#alignments()}); for both it needs each relocation's {@link Place}. A
     * relocation without one is counted as if it could land anywhere.
     *
     * @param relocations (type, symbol index, addend, place) of every relocation of the object
     * @return the GOT entries, PLT entries, veneers and section alignments the relocations may need
     */
    default StubNeeds scan(List<RawRelocation> relocations) {
        return scan(RelocationBatch.of(relocations));
    }

    /**
     * As {@link #scan(List)}, from the columns of a {@link RelocationBatch}: the linker's entry
     * point, which makes no object per relocation (one {@link StubNeeds.Target} per distinct GOT
     * or PLT target). The engine keeps no reference to {@code relocations}.
     *
     * @param relocations (type, symbol index, addend, place) of every relocation of the object
     * @return the GOT entries, PLT entries, veneers and section alignments the relocations may need
     */
    StubNeeds scan(RelocationBatch relocations);

    /**
     * {@return whether {@link #scan} reads relocations of type {@code type} at all}: a linker may
     * leave the others out of the batch it hands the scan (the result is the same). True by
     * default; x86-64 reads only the types that need a GOT or PLT entry.
     *
     * @param type the raw ELF relocation type
     */
    default boolean scans(int type) {
        return true;
    }

    /**
     * {@return the key under which {@link #scan} lists the GOT entry or stub that {@code relocation}
     * uses: that GOT entry holds, and that stub reaches, S + key.addend()}. The linker finds a
     * fixup's {@link Fixup#got} and {@link Fixup#stub} under this key and writes S + key.addend()
     * into the entry (and passes it as the stub's target).
     *
     * <p>By default the key is the relocation's own (symbol, addend): the formula takes the entry
     * or veneer of S+A (AArch64 {@code G(GDAT(S+A))}, a CALL26 veneer to S+A). An engine whose
     * formulas add A outside the entry or stub (x86-64 {@code G + GOT + A - P} and
     * {@code L + A - P}, where A is usually -4) keys by (symbol, 0): the entry holds S.
     *
     * @param relocation a relocation of the object
     */
    default StubNeeds.Target stubTarget(RawRelocation relocation) {
        return new StubNeeds.Target(relocation.symbolIndex(),
                stubAddend(relocation.type(), relocation.symbolIndex(), relocation.addend()));
    }

    /**
     * {@return the addend of the {@link #stubTarget} key of a relocation of type {@code type}
     * against symbol {@code symbolIndex} with addend {@code addend}} (the key's symbol is
     * {@code symbolIndex}): {@code addend} by default, 0 on x86-64. The linker looks entries up
     * with it without making a key object.
     *
     * @param type the raw relocation type
     * @param symbolIndex the relocation's symbol index
     * @param addend the relocation's addend
     */
    default long stubAddend(int type, long symbolIndex, long addend) {
        return addend;
    }

    /**
     * A relocation as the pre-scan sees it.
     *
     * @param type        the raw ELF relocation type
     * @param symbolIndex r_sym
     * @param addend      r_addend (or the implicit addend of a REL entry)
     * @param place       where it applies, or null when the caller does not say
     */
    record RawRelocation(int type, long symbolIndex, long addend, Place place) {

        /**
         * A relocation whose place is not known (the pre-scan assumes the worst of it).
         * @param type the raw ELF relocation type
         * @param symbolIndex r_sym: the symbol's index in the symbol table
         * @param addend r_addend (0 for REL)
         */
        public RawRelocation(int type, long symbolIndex, long addend) {
            this(type, symbolIndex, addend, null);
        }
    }

    /**
     * Where a relocation applies, as the pre-scan may need it before layout.
     *
     * @param section    the index of the section being relocated (the key of
     *                   {@link StubNeeds#alignments()})
     * @param offset     r_offset inside that section
     * @param alignment  the section's sh_addralign (0 or 1: none)
     * @param executable true when the section holds code (SHF_EXECINSTR)
     */
    record Place(int section, long offset, long alignment, boolean executable) {
    }

    /**
     * Writes a GOT entry holding {@code value} at {@code offset} of {@code got}.
     * @param got the GOT section's bytes
     * @param offset the entry's offset in it
     * @param order the object's data byte order
     * @param value the address the entry holds
     */
    void writeGotEntry(MemorySegment got, long offset, ByteOrder order, long value);

    /**
     * Writes a PLT entry / branch veneer at {@code offset} of {@code plt} (whose entry will be at
     * address {@code stubAddress}) that jumps to {@code target}; {@code gotSlot} is the address
     * of a GOT entry holding {@code target} for architectures whose stubs load it (0 otherwise).
     *
     * @param plt the PLT (or veneer) section's bytes
     * @param offset the entry's offset in it
     * @param order the object's data byte order
     * @param stubAddress the address the entry will have
     * @param target the address it jumps to
     * @param gotSlot the address of a GOT entry holding {@code target}, or 0
     * @throws RelocationException when the target is out of the stub's range
     */
    void writeStub(MemorySegment plt, long offset, ByteOrder order, long stubAddress, long target, long gotSlot)
            throws RelocationException;
}
