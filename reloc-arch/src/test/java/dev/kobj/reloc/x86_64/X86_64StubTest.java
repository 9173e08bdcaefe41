package dev.kobj.reloc.x86_64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.kobj.reloc.RelocationException;
import dev.kobj.reloc.RelocationException.Reason;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * The PLT entry and the GOT entry, read back by a small x86-64 interpreter written here: it
 * follows the stub from its address instruction by instruction (movabs/mov-imm into a register,
 * {@code jmp reg}, {@code jmp rel32}, {@code jmp *[rip+disp32]} through the GOT slot) until the
 * jump that leaves it.
 */
class X86_64StubTest {
    private final X86_64Engine engine = new X86_64Engine();

    /** Where a stub's final jump goes, which registers it wrote, how many bytes it ran. */
    record Run(long target, Set<Integer> written, int length) {
    }

    /** Interprets the stub at {@code start} of {@code code}, loaded at {@code address}. */
    static Run follow(byte[] code, int start, long address, long gotSlot, long gotValue) {
        Map<Integer, Long> regs = new HashMap<>();
        int pc = start;
        for (int step = 0; step < 8; step++) {
            int rex = 0;
            int b = code[pc] & 0xFF;
            if (b >> 4 == 4) {
                rex = b;
                b = code[++pc] & 0xFF;
            }
            if (b >= 0xB8 && b <= 0xBF) { // mov reg, imm (imm64 with REX.W)
                int reg = (b - 0xB8) | (rex & 1) << 3;
                int size = (rex & 8) != 0 ? 8 : 4;
                regs.put(reg, X86Oracle.readLittleEndian(code, pc + 1, size));
                pc += 1 + size;
            } else if (b == 0xFF) {
                int modrm = code[pc + 1] & 0xFF;
                int reg = (modrm >> 3) & 7;
                assertThat(reg).as("FF /4 is jmp").isEqualTo(4);
                if (modrm >> 6 == 3) { // jmp reg
                    int r = (modrm & 7) | (rex & 1) << 3;
                    assertThat(regs).as("jumps through a register it set").containsKey(r);
                    return new Run(regs.get(r), regs.keySet(), pc + 2 - start);
                }
                assertThat(modrm & 0xC7).as("jmp *[rip+disp32]").isEqualTo(0x05);
                long next = address + (pc + 6 - start);
                long slot = next + (int) X86Oracle.readLittleEndian(code, pc + 2, 4);
                assertThat(slot).as("reads the GOT slot").isEqualTo(gotSlot);
                return new Run(gotValue, regs.keySet(), pc + 6 - start);
            } else if (b == 0xE9) { // jmp rel32
                long next = address + (pc + 5 - start);
                return new Run(next + (int) X86Oracle.readLittleEndian(code, pc + 1, 4), regs.keySet(),
                        pc + 5 - start);
            } else {
                throw new AssertionError("unexpected opcode " + Integer.toHexString(b) + " at " + pc);
            }
        }
        throw new AssertionError("the stub does not jump");
    }

    @Provide
    Arbitrary<byte[]> plt() {
        return Arbitraries.bytes().array(byte[].class).ofMinSize(16).ofMaxSize(96);
    }

    /**
     * From any address, the stub's final jump lands exactly on the target; it writes no
     * argument register nor rax (al counts the vector registers of a variadic call); it fits
     * in its 16 bytes, padded with int3; the PLT's other bytes are unchanged.
     */
    @Property(tries = 1000)
    void theStubReachesItsTargetFromAnywhere(@ForAll("plt") byte[] plt, @ForAll @IntRange(min = 0, max = 80) int at,
            @ForAll long stubAddress, @ForAll long target, @ForAll long gotSlot) throws Exception {
        int offset = Math.min(at, plt.length - 16);
        byte[] before = plt.clone();
        engine.writeStub(MemorySegment.ofArray(plt), offset, ByteOrder.LITTLE_ENDIAN, stubAddress, target, gotSlot);
        Run run = follow(plt, offset, stubAddress, gotSlot, target);
        assertThat(run.target()).isEqualTo(target);
        assertThat(run.length()).isLessThanOrEqualTo(16);
        assertThat(run.written()).doesNotContainAnyElementsOf(Set.of(0, 1, 2, 6, 7, 8, 9));
        for (int i = offset + run.length(); i < offset + 16; i++) {
            assertThat(plt[i] & 0xFF).as("padding").isEqualTo(0xCC);
        }
        for (int i = 0; i < plt.length; i++) {
            if (i < offset || i >= offset + 16) {
                assertThat(plt[i]).isEqualTo(before[i]);
            }
        }
    }

    @Test
    void theStubIsMovabsR11JmpR11() throws Exception {
        byte[] plt = new byte[16];
        engine.writeStub(MemorySegment.ofArray(plt), 0, ByteOrder.LITTLE_ENDIAN, 0xffffffffc0000000L,
                0xffffffff81234567L, 0);
        assertThat(plt).containsExactly(0x49, 0xBB, 0x67, 0x45, 0x23, 0x81, 0xFF, 0xFF, 0xFF, 0xFF, 0x41, 0xFF, 0xE3,
                0xCC, 0xCC, 0xCC);
        assertThat(follow(plt, 0, 0, 0, 0)).isEqualTo(new Run(0xffffffff81234567L, new HashSet<>(Set.of(11)), 13));
    }

    @Test
    void aStubThatDoesNotFitIsRefused() {
        byte[] plt = new byte[20];
        byte[] before = plt.clone();
        RelocationException e = catchThrowableOfType(RelocationException.class, () -> engine
                .writeStub(MemorySegment.ofArray(plt), 8, ByteOrder.LITTLE_ENDIAN, 0x1000, 0x2000, 0));
        assertThat(e.reason()).isEqualTo(Reason.BAD_PLACE);
        assertThat(plt).isEqualTo(before);
    }

    /** A GOT entry is the 8-byte little-endian value, and nothing else changes. */
    @Property(tries = 500)
    void theGotEntryHoldsTheValue(@ForAll("plt") byte[] got, @ForAll @IntRange(min = 0, max = 88) int at,
            @ForAll long value) {
        int offset = Math.min(at, got.length - 8);
        byte[] before = got.clone();
        engine.writeGotEntry(MemorySegment.ofArray(got), offset, ByteOrder.LITTLE_ENDIAN, value);
        assertThat(X86Oracle.readLittleEndian(got, offset, 8)).isEqualTo(value);
        for (int i = 0; i < got.length; i++) {
            if (i < offset || i >= offset + 8) {
                assertThat(got[i]).isEqualTo(before[i]);
            }
        }
    }
}
