package dev.kobj.reloc;

/**
 * One relocation to apply, with every quantity its psABI formula may use. Names follow the
 * psABIs: S (symbol value), A (addend), P (place), G/GOT, L (PLT entry), Z (symbol size).
 *
 * @param type       the raw ELF relocation type
 * @param offset     r_offset: the place's offset inside the section being relocated
 * @param place      P: the address the place will have when loaded
 * @param symbol     S: the address the symbol resolved to (0 for a weak undefined symbol)
 * @param addend     A: r_addend (RELA), or the addend read from the place for REL objects
 * @param symbolSize Z: st_size of the symbol (SIZE32/SIZE64)
 * @param got        the address of the GOT entry that holds S + key addend, the key being
 *                   {@link RelocationEngine#stubTarget} (S+A by default, S on x86-64), or 0 when
 *                   the linker made none (the kinds that need one then fail clearly)
 * @param gotBase    GOT: the address of the GOT itself (x86-64 GOTPC32, GOTOFF64, ...)
 * @param stub       the address of the PLT entry or branch veneer that reaches S + key addend
 *                   ({@link RelocationEngine#stubTarget}: S+A by default, S on x86-64), or 0
 *                   when none was made; used only when S+A itself is out of branch range
 * @param name       the symbol's name, for messages ("" for a section or no symbol)
 * @param where      where the place is, for messages: "file: section+0xoffset"
 */
public record Fixup(int type, long offset, long place, long symbol, long addend, long symbolSize, long got,
        long gotBase, long stub, String name, String where) {

    /**
     * {@return a fixup with only the common quantities; no GOT, no stub}
     * @param type the raw ELF relocation type
     * @param offset r_offset: the place's offset inside the section
     * @param place P: the address the place will have when loaded
     * @param symbol S: the address the symbol resolved to
     * @param addend A: the addend
     * @param name the symbol's name, for messages
     * @param where where the place is, for messages: "file: section+0xoffset"
     */
    public static Fixup of(int type, long offset, long place, long symbol, long addend, String name, String where) {
        return new Fixup(type, offset, place, symbol, addend, 0, 0, 0, 0, name, where);
    }

    /**
     * {@return the same fixup with GOT entry {@code got} and GOT base {@code gotBase}}
     * @param got the address of the GOT entry
     * @param gotBase the address of the GOT
     */
    public Fixup withGot(long got, long gotBase) {
        return new Fixup(type, offset, place, symbol, addend, symbolSize, got, gotBase, stub, name, where);
    }

    /**
     * {@return the same fixup with stub (PLT entry or veneer) {@code stub}}
     * @param stub the address of the PLT entry or veneer
     */
    public Fixup withStub(long stub) {
        return new Fixup(type, offset, place, symbol, addend, symbolSize, got, gotBase, stub, name, where);
    }

    /**
     * {@return the same fixup with symbol size {@code z}}
     * @param z Z: st_size of the symbol
     */
    public Fixup withSymbolSize(long z) {
        return new Fixup(type, offset, place, symbol, addend, z, got, gotBase, stub, name, where);
    }
}
