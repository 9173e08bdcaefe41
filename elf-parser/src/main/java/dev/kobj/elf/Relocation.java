package dev.kobj.elf;

/**
 * One REL or RELA entry. The raw type number is kept; {@link RelocationTypes} names it.
 *
 * @param index     the entry's index in its table
 * @param offset    r_offset: the place, relative to the start of the relocated section
 * @param type      the relocation type from r_info
 * @param symbol    the symbol-table index from r_info
 * @param addend    r_addend for RELA; 0 for REL (the addend is then in the place)
 * @param hasAddend true for RELA entries
 */
public record Relocation(long index, long offset, long type, long symbol, long addend, boolean hasAddend) {
}
