package dev.kobj.elf;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * A file held in a {@code byte[]} is read through plain array loads ({@link Bytes}'s array path,
 * the way the tree commands read every module), any other memory through the segment's accessors.
 * On the fixtures and on {@link ElfMutationFuzzTest}'s damaged copies of them, both give the same
 * walk of the whole file ({@link ElfWalk#all}) or the same exception with the same message.
 */
class ArrayAndNativeReadsAgreeTest extends MutatedFixtures {

    /** {@return the walk's checksum, or the exception's class and message} */
    private static String walk(String name, MemorySegment bytes) {
        try {
            return "ok " + ElfWalk.all(ElfFile.of(name, bytes));
        } catch (Exception | StackOverflowError e) {
            return e.getClass().getName() + ": " + e.getMessage();
        }
    }

    private static void agree(String name, byte[] b) {
        // The array path sees the file at an offset of a bigger array, as ElfReader's buffer holds it.
        byte[] padded = new byte[b.length + 37];
        System.arraycopy(b, 0, padded, 11, b.length);
        MemorySegment inArray = MemorySegment.ofArray(padded).asSlice(11, b.length);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment outside = arena.allocate(Math.max(1, b.length)).asSlice(0, b.length);
            MemorySegment.copy(b, 0, outside, ValueLayout.JAVA_BYTE, 0, b.length);
            assertThat(walk(name, inArray)).as(name).isEqualTo(walk(name, outside));
        }
    }

    @Property(tries = 3000)
    void damagedCopiesReadTheSameFromAnArrayAndFromOtherMemory(
            @ForAll("mutations") ElfMutationFuzzTest.Mutation m) {
        int s = m.seed() % ElfMutationFuzzTest.SEEDS.size();
        agree(ElfMutationFuzzTest.NAMES.get(s) + "~" + m.kind(), ElfMutationFuzzTest.mutate(ElfMutationFuzzTest.SEEDS.get(s), m));
    }

    @Property(tries = 1)
    void everyFixtureReadsTheSameFromAnArrayAndFromOtherMemory() {
        for (int s = 0; s < ElfMutationFuzzTest.SEEDS.size(); s++) {
            agree(ElfMutationFuzzTest.NAMES.get(s), ElfMutationFuzzTest.SEEDS.get(s));
        }
    }
}
