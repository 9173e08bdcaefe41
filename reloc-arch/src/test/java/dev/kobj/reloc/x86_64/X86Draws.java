package dev.kobj.reloc.x86_64;

import dev.kobj.reloc.Fixup;
import dev.kobj.reloc.x86_64.X86Oracle.Ext;
import dev.kobj.reloc.x86_64.X86Oracle.Spec;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * Generators shared by the property tests. A relocation is drawn by its <em>value</em>: the
 * value is aimed at the edges of the type's range (both sides of both edges, with a few steps
 * around them), or anywhere inside or outside it; S, P, Z, the GOT entry and the GOT base are
 * random, and A is then solved from the formula ({@code A = value - formula_without_A}), so
 * every formula, evaluated with wrapping arithmetic, gives exactly the aimed value.
 */
final class X86Draws {
    private X86Draws() {
    }

    /** One drawn relocation: the value its formula must give and the quantities around it. */
    record Draw(Spec spec, long value, long s, long p, long z, long got, long gotBase) {
        long addend() {
            return value - X86Oracle.withoutAddend(spec.type(), s, p, z, got, gotBase, 0);
        }

        Fixup fixup(long offset) {
            return new Fixup(spec.type(), offset, p, s, addend(), z, got, gotBase, 0, "sym", where(offset));
        }

        boolean fits() {
            return spec.fits(value);
        }

        boolean gotpcrelx() {
            return spec.type() == 41 || spec.type() == 42;
        }
    }

    static String where(long offset) {
        return "t.o: .text+0x" + Long.toHexString(offset);
    }

    /** {@return values aimed at {@code spec}'s range: its edges, inside, outside} */
    static Arbitrary<Long> aimed(Spec spec) {
        if (spec.ext() == Ext.FULL) {
            return Arbitraries.longs();
        }
        long lo = spec.min();
        long hi = spec.max();
        return Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.of(lo - 1, lo, hi, hi + 1)),
                Tuple.of(2, Arbitraries.longs().between(-4, 4).map(d -> lo + d)),
                Tuple.of(2, Arbitraries.longs().between(-4, 4).map(d -> hi + d)),
                Tuple.of(3, Arbitraries.longs().between(lo, hi)),
                Tuple.of(1, Arbitraries.longs().between(Long.MIN_VALUE, lo - 1)),
                Tuple.of(1, Arbitraries.longs().between(hi + 1, Long.MAX_VALUE)));
    }

    /** {@return any long but 0 (0 means "none" for a GOT entry, the GOT or a stub)} */
    static Arbitrary<Long> nonZero() {
        return Arbitraries.longs().filter(v -> v != 0);
    }

    /** {@return draws over the given types} */
    static Arbitrary<Draw> draws(List<Spec> specs) {
        return Arbitraries.of(specs).flatMap(spec -> Combinators.combine(aimed(spec), Arbitraries.longs(),
                Arbitraries.longs(), Arbitraries.longs(), nonZero(), nonZero())
                .as((v, s, p, z, got, gotBase) -> new Draw(spec, v, s, p, z, got, gotBase)));
    }

    /** {@return draws over every appliable type} */
    static Arbitrary<Draw> draws() {
        return draws(List.copyOf(X86Oracle.APPLIABLE.values()));
    }

    /**
     * {@return 3 bytes that end in a GOTPCRELX-markable instruction head: a REX prefix, an
     * opcode (mov, test, ALU load, or FF /2 call, FF /4 jmp) and a RIP-relative ModRM}
     */
    static Arbitrary<byte[]> gotpcrelxHead() {
        Arbitrary<Integer> rex = Arbitraries.integers().between(0x40, 0x4F);
        Arbitrary<int[]> opAndReg = Arbitraries.oneOf(
                Combinators.combine(Arbitraries.of(0x8B, 0x85, 0x03, 0x13, 0x23, 0x3B, 0x0B, 0x1B, 0x2B, 0x33),
                        Arbitraries.integers().between(0, 7)).as((op, reg) -> new int[] {op, reg}),
                Arbitraries.of(2, 4).map(reg -> new int[] {0xFF, reg}));
        return Combinators.combine(rex, opAndReg)
                .as((r, or) -> new byte[] {(byte) (int) r, (byte) or[0], (byte) ((or[1] << 3) | 5)});
    }

    /** {@return random bytes to surround the places with} */
    static Arbitrary<byte[]> noise(int min, int max) {
        return Arbitraries.bytes().array(byte[].class).ofMinSize(min).ofMaxSize(max);
    }
}
