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
        long[] sizes = new long[n];
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
            Long size = known.get(files.get(i));
            if (size != null) {
                sizes[i] = size;
                continue;
            }
            try {
                sizes[i] = Files.size(files.get(i));
            } catch (IOException e) {
                sizes[i] = 0; // the work reports it
            }
        }
        Arrays.sort(order, Comparator.comparingLong((Integer i) -> sizes[i]).reversed());
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
}
