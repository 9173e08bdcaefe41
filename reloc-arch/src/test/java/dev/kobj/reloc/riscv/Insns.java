package dev.kobj.reloc.riscv;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;

/** Generators of instructions of one class: random registers and funct fields, the right opcode. */
final class Insns {
    private Insns() {
    }

    static Arbitrary<Integer> withOpcode(int... opcodes) {
        return Arbitraries.integers().between(Integer.MIN_VALUE, Integer.MAX_VALUE)
                .flatMap(r -> Arbitraries.of(box(opcodes)).map(op -> (r & ~0x7f) | op));
    }

    static Arbitrary<Integer> branch() {
        return withOpcode(0x63).flatMap(i -> Arbitraries.of(0, 1, 4, 5, 6, 7).map(f3 -> (i & ~0x7000) | (f3 << 12)));
    }

    static Arbitrary<Integer> jal() {
        return withOpcode(0x6f);
    }

    static Arbitrary<Integer> auipc() {
        return withOpcode(0x17);
    }

    static Arbitrary<Integer> lui() {
        return withOpcode(0x37);
    }

    static Arbitrary<Integer> jalr() {
        return withOpcode(0x67).map(i -> i & ~0x7000);
    }

    /** Loads, fp loads, addi and friends, addiw and friends, jalr. */
    static Arbitrary<Integer> iType() {
        return Arbitraries.oneOf(withOpcode(0x03, 0x07, 0x13, 0x1b), jalr());
    }

    static Arbitrary<Integer> sType() {
        return withOpcode(0x23, 0x27);
    }

    /** c.beqz / c.bnez: quadrant 1, funct3 110 or 111, random rs1' and offset bits. */
    static Arbitrary<Integer> cBranch() {
        return Arbitraries.integers().between(0, 0xffff).flatMap(r -> Arbitraries.of(6, 7).map(f3 -> (r & 0x1ffc) | (f3 << 13) | 1));
    }

    /** c.j, and c.jal when {@code xlen} is 32. */
    static Arbitrary<Integer> cJump(int xlen) {
        Arbitrary<Integer> f3s = xlen == 32 ? Arbitraries.of(5, 1) : Arbitraries.just(5);
        return Arbitraries.integers().between(0, 0xffff).flatMap(r -> f3s.map(f3 -> (r & 0x1ffc) | (f3 << 13) | 1));
    }

    private static Integer[] box(int[] a) {
        Integer[] b = new Integer[a.length];
        for (int i = 0; i < a.length; i++) {
            b[i] = a[i];
        }
        return b;
    }
}
