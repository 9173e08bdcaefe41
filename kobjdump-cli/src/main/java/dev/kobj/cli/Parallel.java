package dev.kobj.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * Work over many files on several threads: each thread takes the next file not yet taken,
 * biggest files first, so that no thread is left with a big file at the end while the others
 * wait (the longest-processing-time-first rule). Results come back in the files' order.
 */
final class Parallel {
    private Parallel() {
    }

    /**
     * {@return {@code work.apply(i)} for every index of {@code files}}, in index order, computed by
     * {@code threads} threads (the calling thread is one of them)
     *
     * @throws RuntimeException the first exception a work item threw, after every thread stopped
     */
    static <T> List<T> map(List<Path> files, int threads, IntFunction<T> work) throws InterruptedException {
        return map(files, Map.of(), threads, work);
    }

    /**
     * {@return what {@link #map(List, int, IntFunction)} returns}, taking the size of each file in
     * {@code known} from there (a walk read them already) and asking the file system only for the others
     */
    static <T> List<T> map(List<Path> files, Map<Path, Long> known, int threads, IntFunction<T> work)
            throws InterruptedException {
        int n = files.size();
        int[] order = order(sizes(files, known), INDEX_BITS);
        Object[] results = new Object[n];
        AtomicInteger next = new AtomicInteger();
        RuntimeException[] failure = new RuntimeException[1];
        Runnable worker = () -> {
            for (int k; (k = next.getAndIncrement()) < n; ) {
                int i = order[k];
                try {
                    results[i] = work.apply(i);
                } catch (RuntimeException | Error e) {
                    synchronized (failure) {
                        if (failure[0] == null) {
                            failure[0] = e instanceof RuntimeException r ? r : new RuntimeException(e);
                        }
                    }
                    next.set(n);
                }
            }
        };
        List<Thread> started = new ArrayList<>();
        for (int t = 1; t < Math.min(threads, n); t++) {
            started.add(Thread.ofPlatform().name("kobjdump-" + t).start(worker));
        }
        worker.run();
        for (Thread t : started) {
            t.join();
        }
        if (failure[0] != null) {
            throw failure[0];
        }
        @SuppressWarnings("unchecked")
        List<T> list = (List<T>) Arrays.asList(results);
        return list;
    }

    /** Bits of a sort key that hold the file's index (above them, its size's complement). */
    private static final int INDEX_BITS = 24;

    /** {@return each file's size}: from {@code known}, else from the file system (0 when it cannot tell: the work reports the file) */
    private static long[] sizes(List<Path> files, Map<Path, Long> known) {
        long[] sizes = new long[files.size()];
        for (int i = 0; i < sizes.length; i++) {
            Long size = known.get(files.get(i));
            if (size != null) {
                sizes[i] = size;
                continue;
            }
            try {
                sizes[i] = Files.size(files.get(i));
            } catch (IOException e) {
                sizes[i] = 0;
            }
        }
        return sizes;
    }

    /**
     * {@return the indexes of {@code sizes}, biggest first, equal sizes in index order}: when the
     * indexes fit in {@code indexBits} bits, one sort of primitive keys (the size's complement
     * above the index; sizes of 2^(63 - indexBits) bytes and more count as equal), otherwise a
     * sort of boxed indexes through a comparator, which is more cold code for the main thread to
     * run between the tables and the first file
     */
    static int[] order(long[] sizes, int indexBits) {
        int n = sizes.length;
        int[] order = new int[n];
        if (n <= 1 << indexBits) {
            long sizeMax = (1L << (63 - indexBits)) - 1;
            long[] keys = new long[n];
            for (int i = 0; i < n; i++) {
                keys[i] = (sizeMax - Math.clamp(sizes[i], 0, sizeMax)) << indexBits | i;
            }
            Arrays.sort(keys);
            for (int k = 0; k < n; k++) {
                order[k] = (int) (keys[k] & ((1L << indexBits) - 1));
            }
            return order;
        }
        Integer[] boxed = new Integer[n];
        for (int i = 0; i < n; i++) {
            boxed[i] = i;
        }
        Arrays.sort(boxed, Comparator.comparingLong((Integer i) -> sizes[i]).reversed());
        for (int k = 0; k < n; k++) {
            order[k] = boxed[k];
        }
        return order;
    }
}
