package dev.kobj.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kobj.link.HeapMemory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Eight threads share one registry and do random loads, unloads, holds, releases, autoloads and
 * autounload passes over builtin modules with dependencies and the two real objects (exporter,
 * importer), bounded to 20 000 operations or 20 s. After every step a thread checks the
 * invariants atomically; at the end, with the threads joined, the holds equal the holds the
 * threads took minus those they released, and the memory holds exactly the loaded images.
 */
class StressTest {
    static final int THREADS = 8;
    static final int OPERATIONS = 20_000;
    static final long MAX_NANOS = Duration.ofSeconds(20).toNanos();

    @TempDir
    Path tmp;

    @Test
    void randomOperationsKeepTheInvariants() throws Exception {
        // a failing INIT (flaky) rolls back the modules loaded for it, concurrently with the rest
        HeapMemory heap = Fixtures.kernelHeap();
        ManualTicker clock = new ManualTicker();
        ModuleRegistry reg = Fixtures.registry(heap, Fixtures.moduleDir(tmp.resolve("mods"))).ticker(clock)
                .autounloadDelay(Duration.ofMillis(5)).build();
        // builtins: base <- mid1, mid2 <- top (a diamond), leaf alone, and a chain c1 <- c2 <- c3
        Map<String, String[]> deps = Map.of("base", new String[0], "mid1", new String[] {"base"}, "mid2",
                new String[] {"base"}, "top", new String[] {"mid1", "mid2"}, "leaf", new String[0], "c1", new String[0],
                "c2", new String[] {"c1"}, "c3", new String[] {"c2", "kobj_exporter"}, "flaky",
                new String[] {"leaf", "kobj_importer"});
        // flaky's INIT fails one time in three: its chain is undone while other threads work
        ModuleHandler flaky = (cmd, ctx) -> {
            if (cmd == ModuleCommand.INIT && java.util.concurrent.ThreadLocalRandom.current().nextInt(3) == 0) {
                throw new ModuleException(ModuleException.Errno.ENOEXEC, "flaky init");
            }
        };
        for (var e : deps.entrySet()) {
            reg.registerBuiltin(new BuiltinModule(ModuleMetadata.of(e.getKey(), e.getValue()),
                    e.getKey().equals("flaky") ? flaky : ModuleHandler.NONE));
        }
        List<String> names = new ArrayList<>(deps.keySet());
        names.add("kobj_exporter");
        names.add("kobj_importer");
        Collections.sort(names);
        Map<String, AtomicInteger> heldByTests = new ConcurrentHashMap<>();
        names.forEach(n -> heldByTests.put(n, new AtomicInteger()));
        AtomicInteger ops = new AtomicInteger();
        AtomicLong succeeded = new AtomicLong();
        List<String> violations = Collections.synchronizedList(new ArrayList<>());
        Map<ModuleException.Errno, AtomicInteger> errnos = new ConcurrentHashMap<>();
        long start = System.nanoTime();
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            SplittableRandom rnd = new SplittableRandom(42 + t);
            threads.add(Thread.ofPlatform().name("stress-" + t).start(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                while (ops.incrementAndGet() <= OPERATIONS && System.nanoTime() - start < MAX_NANOS) {
                    String n = names.get(rnd.nextInt(names.size()));
                    try {
                        switch (rnd.nextInt(7)) {
                            case 0 -> reg.load(n, Set.of(LoadFlag.FORCE), Map.of(), ModuleClass.ANY);
                            case 1 -> reg.unload(n);
                            case 2 -> {
                                reg.hold(n);
                                heldByTests.get(n).incrementAndGet();
                            }
                            case 3 -> {
                                reg.rele(n);
                                heldByTests.get(n).decrementAndGet();
                            }
                            case 4 -> reg.autoload(n, ModuleClass.ANY);
                            case 5 -> {
                                clock.advance(Duration.ofMillis(rnd.nextInt(4)));
                                reg.runAutounload();
                            }
                            default -> {
                                // release everything this name holds, so that unloads can succeed
                                while (heldByTests.get(n).get() > 0) {
                                    reg.rele(n);
                                    heldByTests.get(n).decrementAndGet();
                                }
                            }
                        }
                        succeeded.incrementAndGet();
                    } catch (ModuleException e) {
                        errnos.computeIfAbsent(e.errno(), k -> new AtomicInteger()).incrementAndGet();
                    }
                    List<String> bad = reg.checkInvariants();
                    if (!bad.isEmpty()) {
                        violations.addAll(bad);
                        return;
                    }
                }
            }));
        }
        go.countDown();
        for (Thread t : threads) {
            t.join();
        }
        System.out.printf("StressTest: %d operations in %d ms, %d succeeded, refusals %s%n",
                Math.min(ops.get(), OPERATIONS), (System.nanoTime() - start) / 1_000_000, succeeded.get(), errnos);
        assertThat(violations).isEmpty();
        assertThat(reg.checkInvariants()).isEmpty();
        for (String n : names) {
            int holds = reg.status(n).filter(m -> m.state() == ModuleState.LOADED).map(ModuleInfo::holds).orElse(0);
            assertThat(holds).as("holds of " + n).isEqualTo(heldByTests.get(n).get());
        }
        long images = reg.list().stream().filter(m -> m.state() == ModuleState.LOADED && m.source() == ModuleSource.FILE)
                .count();
        assertThat(heap.liveAllocations()).isEqualTo(images * 1); // one core allocation each (init freed)
        assertThat(succeeded.get()).isGreaterThan(1000);
        // everything releasable goes; then nothing is left of the files
        for (String n : names) {
            while (heldByTests.get(n).getAndDecrement() > 0) {
                reg.rele(n);
            }
        }
        reg.unloadAll(); // leaves the builtins (c3 keeps kobj_exporter)
        for (int round = 0; round < names.size(); round++) {
            for (String n : names) {
                try {
                    reg.unload(n);
                } catch (ModuleException e) {
                    // not loaded, or still required: next round
                }
            }
        }
        assertThat(reg.list()).allMatch(m -> m.state() == ModuleState.DISABLED);
        assertThat(reg.exports().size()).isZero();
        assertThat(heap.liveAllocations()).isZero();
    }
}
