package dev.kobj.reloc;

import java.util.List;

/**
 * The fixups of one {@code applyAll} of the AArch64 and RISC-V engines: the columns every
 * computation reads, and, when the caller gave a list, its named {@link Fixup}s for the
 * messages of refusals. A refusal of a row without a list names no symbol and no place (the
 * columns have none); no object is made per row unless a row is refused.
 *
 * @param columns the rows, in relocation-table order
 * @param named   the same rows as named fixups, or null
 */
public record FixupRows(FixupColumns columns, List<Fixup> named) {

    /**
     * {@return the rows of {@code fixups}, kept for their names}
     *
     * @param fixups the fixups of one section, in table order
     */
    public static FixupRows of(List<Fixup> fixups) {
        FixupColumns c = new FixupColumns();
        for (Fixup f : fixups) {
            c.add(f.type(), f.offset(), f.place(), f.symbol(), f.addend(), f.symbolSize(), f.got(), f.gotBase(),
                    f.stub());
        }
        return new FixupRows(c, fixups);
    }

    /**
     * {@return row {@code i} as a fixup, for a message: the caller's when it gave a list}
     *
     * @param i the row, from 0
     */
    public Fixup fixup(int i) {
        return named != null ? named.get(i) : columns.fixup(i);
    }
}
