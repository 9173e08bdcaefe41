package dev.kobj.reloc;

import java.lang.foreign.MemorySegment;

/**
 * Free slots for place-specific veneers, handed to {@link RelocationEngine#applyAll(MemorySegment,
 * java.nio.ByteOrder, java.util.List, VeneerPool)}: an engine that cannot patch a place where it
 * stands (AArch64: an ADRP at page offset 0xff8/0xffc whose ADR form does not reach, Cortex-A53
 * erratum 843419) takes the next slot, writes a veneer there that does the work from a safe
 * address and branches back, and points the place at it.
 *
 * <p>Unlike a PLT entry, which is shared by every branch to one (symbol, addend), a veneer serves
 * one place: it depends on the instruction's register and on the return address. The linker sizes
 * the pool from {@link StubNeeds#veneers()} (counted by {@link RelocationEngine#scan}) and lays it
 * out in executable memory within branch range of the code.
 *
 * <p>Slots are taken in order. {@link #mark()} and {@link #release(int)} let an engine give back
 * what it took when {@code applyAll} fails as a whole (it also puts the slots' old bytes back).
 * A pool is not thread-safe: one link uses it, section after section.
 */
public final class VeneerPool {
    private final MemorySegment area;
    private final long address;
    private final int entrySize;
    private final int capacity;
    private int used;

    /**
     * A pool over {@code area}, whose first byte will be at {@code address}, cut into slots of
     * {@code entrySize} bytes (a trailing remainder is not used).
     *
     * @throws IllegalArgumentException when {@code entrySize} is not positive
     * @param area the bytes of the veneer section
     * @param address the address its first byte will have
     * @param entrySize the size of one veneer in bytes
     */
    public VeneerPool(MemorySegment area, long address, int entrySize) {
        if (entrySize <= 0) {
            throw new IllegalArgumentException("entry size " + entrySize + " is not positive");
        }
        this.area = area;
        this.address = address;
        this.entrySize = entrySize;
        this.capacity = (int) Math.min(Integer.MAX_VALUE, area.byteSize() / entrySize);
    }

    /** {@return a pool with no slot: an engine that needs a veneer reports that none was made} */
    public static VeneerPool none() {
        return new VeneerPool(MemorySegment.ofArray(new byte[0]), 0, 16);
    }

    /** {@return the address of the first slot} */
    public long address() {
        return address;
    }

    /** {@return bytes per slot} */
    public int entrySize() {
        return entrySize;
    }

    /** {@return the number of slots} */
    public int capacity() {
        return capacity;
    }

    /** {@return the number of slots taken so far} */
    public int used() {
        return used;
    }

    /** {@return true when a slot is left} */
    public boolean hasFree() {
        return used < capacity;
    }

    /** {@return the address the next slot has, whether or not one is left} */
    public long nextAddress() {
        return address + (long) used * entrySize;
    }

    /**
     * {@return the bytes of the next free slot, now taken}
     *
     * @throws IllegalStateException when every slot is taken (check {@link #hasFree()} first)
     */
    public MemorySegment take() {
        if (!hasFree()) {
            throw new IllegalStateException("all " + capacity + " veneer slots are taken");
        }
        MemorySegment slot = area.asSlice((long) used * entrySize, entrySize);
        used++;
        return slot;
    }

    /** {@return a mark to {@link #release} to} */
    public int mark() {
        return used;
    }

    /**
     * Gives back every slot taken since {@code mark} (the caller restores their bytes).
     * @param mark what {@link #mark()} returned
     */
    public void release(int mark) {
        if (mark < 0 || mark > used) {
            throw new IllegalArgumentException("mark " + mark + " is not in [0, " + used + "]");
        }
        used = mark;
    }
}
