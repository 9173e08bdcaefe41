package dev.kobj.reloc;

/**
 * What one relocation type is, as its psABI table says.
 *
 * @param type      the raw ELF type number
 * @param name      the psABI name (readelf's spelling), e.g. {@code R_AARCH64_CALL26}
 * @param formula   the psABI calculation, e.g. {@code S + A - P}
 * @param category  what kind of relocation it is
 * @param bits      the width in bits of the field written (0 for markers)
 * @param min       the smallest value the field accepts (after scaling is undone)
 * @param max       the largest value the field accepts
 * @param alignment the value must be a multiple of this (1 when any value will do)
 */
public record RelocationKind(int type, String name, String formula, Category category, int bits, long min, long max,
        long alignment) {

    /** Families of relocations, for stub scanning, benchmarks and refusal messages. */
    public enum Category {
        /** Data words: absolute or PC-relative. */
        DATA,
        /** Fields inside instructions: immediates, page addresses, low bits. */
        INSTRUCTION,
        /** Branches and calls (may need a PLT entry or veneer). */
        BRANCH,
        /** Needs a GOT entry. */
        GOT,
        /** Arithmetic on the place's current contents (RISC-V ADD/SUB/SET/ULEB128). */
        ARITHMETIC,
        /** Linker hints: NONE, RELAX, ALIGN. */
        MARKER,
        /** Known, but only a dynamic linker applies it (RELATIVE, COPY, JUMP_SLOT, ...). */
        DYNAMIC,
        /** Thread-local storage: a module loader does not apply it. */
        TLS
    }
}
