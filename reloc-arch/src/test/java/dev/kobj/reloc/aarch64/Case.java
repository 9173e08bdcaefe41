package dev.kobj.reloc.aarch64;

import dev.kobj.reloc.Fixup;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Random;

/**
 * One generated relocation: a {@link Spec}, the X it should produce, the other inputs chosen
 * at random (A, P, GOT and the bits a Page() drops), the instruction at the place (of some
 * class, garbage elsewhere) and the byte order of the object. {@link #fixup} solves S and G so
 * that the operation yields X; {@link #section} is a random 32-byte section with the
 * instruction at {@link #offset}.
 */
record Case(Spec spec, long x, long a, long p, long got, long low, int insn, ByteOrder order, int slot) {

    static final int SECTION_SIZE = 32;
    static final ValueLayout.OfInt LE_INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** {@return P: instructions sit at 4-aligned addresses, data anywhere} */
    long place() {
        return spec.shape().isData() ? p : p & ~3L;
    }

    long offset() {
        return 4 + slot;
    }

    long s() {
        return spec.op().solve(x, a, place(), got, low)[0];
    }

    long g() {
        return spec.op().usesG() ? spec.op().solve(x, a, place(), got, low)[1] : 0;
    }

    /** {@return X as the test-side formula computes it from the fixup's inputs} */
    long oracleX() {
        return spec.op().x(s(), a, place(), g(), got);
    }

    Fixup fixup() {
        return new Fixup(spec.kind().type(), offset(), place(), s(), a, 0, g(), got, 0, "sym",
                "t.o: .text+0x" + Long.toHexString(offset()));
    }

    MemorySegment section() {
        byte[] b = new byte[SECTION_SIZE];
        new Random(x ^ p ^ insn).nextBytes(b);
        MemorySegment s = MemorySegment.ofArray(b);
        if (!spec.shape().isData()) {
            s.set(LE_INT, offset(), insn);
        }
        return s;
    }

    boolean valid() {
        return got != 0 && (!spec.op().usesG() || g() != 0);
    }

    @Override
    public String toString() {
        return spec.kind() + "{x=" + x + " (0x" + Long.toHexString(x) + "), A=" + a + ", P=0x" + Long.toHexString(place())
                + ", GOT=0x" + Long.toHexString(got) + ", insn=0x" + Integer.toHexString(insn) + ", " + order + "}";
    }
}
