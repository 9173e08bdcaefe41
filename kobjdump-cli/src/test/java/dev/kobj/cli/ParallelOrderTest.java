package dev.kobj.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * {@link Parallel#order}: biggest first, equal sizes in index order, the order a stable sort of
 * the indexes by decreasing size gives (what {@code Parallel.map} did before it sorted keys).
 */
class ParallelOrderTest {

    /** The definition: a stable sort of boxed indexes by decreasing size. */
    private static int[] stableBySizeDescending(long[] sizes) {
        Integer[] idx = IntStream.range(0, sizes.length).boxed().toArray(Integer[]::new);
        Arrays.sort(idx, Comparator.comparingLong((Integer i) -> sizes[i]).reversed());
        return Arrays.stream(idx).mapToInt(Integer::intValue).toArray();
    }

    @Provide
    Arbitrary<long[]> sizes() {
        // few distinct sizes (many ties), file sizes, and sizes past what a key holds apart
        Arbitrary<Long> size = Arbitraries.oneOf(List.of(
                Arbitraries.longs().between(0, 3),
                Arbitraries.longs().between(0, 20_000_000),
                Arbitraries.longs().between(0, Long.MAX_VALUE)));
        return size.array(long[].class).ofMaxSize(300);
    }

    @Property(tries = 300)
    void keysSortAsTheStableSortByDecreasingSize(@ForAll("sizes") long[] sizes) {
        // with 24 index bits, sizes of 2^39 bytes and more are one size to the keys: compare
        // against the definition on sizes cut there, as the keys see them
        long[] seen = Arrays.stream(sizes).map(s -> Math.min(s, (1L << 39) - 1)).toArray();
        assertThat(Parallel.order(sizes, 24)).containsExactly(stableBySizeDescending(seen));
    }

    @Property(tries = 200)
    void moreFilesThanTheKeysHoldTakeTheGeneralSort(@ForAll("sizes") long[] sizes) {
        // 4 index bits: keys up to 16 files, the comparator sort beyond (exact sizes)
        int[] order = Parallel.order(sizes, 4);
        long[] seen = sizes.length <= 16
                ? Arrays.stream(sizes).map(s -> Math.min(s, (1L << 59) - 1)).toArray()
                : sizes;
        assertThat(order).containsExactly(stableBySizeDescending(seen));
    }
}
