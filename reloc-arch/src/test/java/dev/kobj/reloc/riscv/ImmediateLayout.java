package dev.kobj.reloc.riscv;

import java.util.ArrayList;
import java.util.List;

/**
 * Test-only decoders, written apart from the main encoders: each layout is the ISA manual's
 * own notation, e.g. J-type {@code inst[31:12] = imm[20|10:1|11|19:12]}, parsed into a list of
 * (instruction bit, immediate bit) pairs. Decoding gathers the bits and sign-extends from the
 * immediate's top bit; {@link #mask()} is the set of instruction bits the field occupies.
 */
record ImmediateLayout(String name, int signBit, List<int[]> bitPairs) {

    /** inst[31:25] = imm[12|10:5], inst[11:7] = imm[4:1|11] */
    static final ImmediateLayout B = of("B", 12, 31, "12|10:5", 11, "4:1|11");
    /** inst[31:12] = imm[20|10:1|11|19:12] */
    static final ImmediateLayout J = of("J", 20, 31, "20|10:1|11|19:12");
    /** inst[31:20] = imm[11:0] */
    static final ImmediateLayout I = of("I", 11, 31, "11:0");
    /** inst[31:25] = imm[11:5], inst[11:7] = imm[4:0] */
    static final ImmediateLayout S = of("S", 11, 31, "11:5", 11, "4:0");
    /** inst[31:12] = imm[31:12] */
    static final ImmediateLayout U = of("U", 31, 31, "31:12");
    /** c.beqz/c.bnez: inst[12:10] = offset[8|4:3], inst[6:2] = offset[7:6|2:1|5] */
    static final ImmediateLayout CB = of("CB", 8, 12, "8|4:3", 6, "7:6|2:1|5");
    /** c.j/c.jal: inst[12:2] = offset[11|4|9:8|10|6|7|3:1|5] */
    static final ImmediateLayout CJ = of("CJ", 11, 12, "11|4|9:8|10|6|7|3:1|5");

    /**
     * @param parts alternately the highest instruction bit of a run, then the immediate bits it
     *              holds, most significant instruction bit first
     */
    static ImmediateLayout of(String name, int signBit, Object... parts) {
        List<int[]> pairs = new ArrayList<>();
        for (int i = 0; i < parts.length; i += 2) {
            int instBit = (Integer) parts[i];
            for (String seg : ((String) parts[i + 1]).split("\\|")) {
                String[] r = seg.split(":");
                int hi = Integer.parseInt(r[0]);
                int lo = r.length == 2 ? Integer.parseInt(r[1]) : hi;
                for (int b = hi; b >= lo; b--) {
                    pairs.add(new int[] {instBit--, b});
                }
            }
        }
        return new ImmediateLayout(name, signBit, pairs);
    }

    /** {@return the signed immediate the instruction holds} */
    long decode(int insn) {
        long imm = 0;
        for (int[] p : bitPairs) {
            imm |= (long) ((insn >>> p[0]) & 1) << p[1];
        }
        int shift = 63 - signBit;
        return imm << shift >> shift;
    }

    /** {@return the instruction bits the immediate occupies} */
    int mask() {
        int m = 0;
        for (int[] p : bitPairs) {
            m |= 1 << p[0];
        }
        return m;
    }
}
