package dev.kobj.reloc.riscv;

import dev.kobj.reloc.Fixup;
import dev.kobj.reloc.FixupColumns;
import java.util.List;

/**
 * The fixups of one {@code applyAll}: the columns every computation reads, and, when the caller
 * gave a list, its named {@link Fixup}s for the messages of refusals. A refusal of a row without
 * a list names no symbol and no place (the columns have none); no object is made per row
 * unless a row is refused.
 *
 * @param columns the rows, in table order
 * @param named   the same rows as named fixups, or null
 */
record Rows(FixupColumns columns, List<Fixup> named) {

    /** {@return the rows of {@code fixups}, kept for their names} */
    static Rows of(List<Fixup> fixups) {
        FixupColumns c = new FixupColumns();
        for (Fixup f : fixups) {
            c.add(f.type(), f.offset(), f.place(), f.symbol(), f.addend(), f.symbolSize(), f.got(), f.gotBase(),
                    f.stub());
        }
        return new Rows(c, fixups);
    }

    /** {@return row {@code i} as a fixup, for a message: the caller's when it gave a list} */
    Fixup fixup(int i) {
        return named != null ? named.get(i) : columns.fixup(i);
    }
}
