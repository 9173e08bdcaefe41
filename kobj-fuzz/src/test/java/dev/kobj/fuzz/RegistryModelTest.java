package dev.kobj.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kobj.link.FaultyMemory;
import dev.kobj.link.LoadPolicy;
import dev.kobj.registry.ManualTicker;
import dev.kobj.registry.ModuleCandidate;
import dev.kobj.registry.ModuleClass;
import dev.kobj.registry.ModuleCommand;
import dev.kobj.registry.ModuleException;
import dev.kobj.registry.ModuleException.Errno;
import dev.kobj.registry.ModuleInfo;
import dev.kobj.registry.ModuleLocator;
import dev.kobj.registry.ModuleRegistry;
import dev.kobj.registry.ModuleState;
import dev.kobj.registry.SecurityPolicy;
import dev.kobj.symtab.KernelSymbol;
import dev.kobj.symtab.KernelSymbolTable;
import dev.kobj.testkit.Testdata;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11, point 3: a model-based concurrent test of the public {@link ModuleRegistry} API.
 * Eight threads run random operations: load, autoload, unload, hold, rele, loads whose INIT
 * fails, loads the security policy refuses (a policy change for that thread); and at barriers
 * (every {@link #ROUND} operations of each thread) one thread runs autounload ticks. Each thread
 * owns a chain of three modules (copies of testdata's module.o with descriptors: a requires b
 * requires c), whose every outcome (errno or success) and state (loaded, holds, dependents,
 * requires, autoloaded) a sequential {@link RegistryModel} predicts exactly; all threads share
 * testdata's exporter and importer, whose outcomes depend on the interleaving and are checked
 * against the invariants only. After every operation, on an atomic listing: refcount = holds +
 * dependents, requirements loaded and symmetric, the thread's modules equal to its model; at
 * every barrier, exports present if and only if the exporter is loaded, and host memory held
 * only by loaded modules; at the end everything unloads and no allocation is left.
 *
 * <p>CI runs {@code 8 × 2,500} operations; {@code -Dkobj.registry.model.ops=1000000} the
 * benchmark-style run (scripts/registry-model.sh prints its figures).
 */
class RegistryModelTest {
    static final int THREADS = 8;
    static final int ROUND = 250;
    static final Duration DELAY = Duration.ofSeconds(10);

    @TempDir
    Path tmp;

    /** {@return the kernel testdata's module.o links against: its undefined symbols at fixed addresses} */
    static KernelSymbolTable kernel() {
        List<KernelSymbol> syms = new ArrayList<>();
        Map.of("printk", 0xffff_ffff_8100_0000L, "kmalloc", 0xffff_ffff_8100_0100L, "kfree", 0xffff_ffff_8100_0200L,
                "memcpy", 0xffff_ffff_8100_0300L, "memset", 0xffff_ffff_8100_0400L, "kobj_ext_value",
                0xffff_ffff_8200_0000L, "kobj_ext_array", 0xffff_ffff_8200_1000L)
                .forEach((n, a) -> syms.add(new KernelSymbol(n, a, -1, KernelSymbol.VMLINUX, "EXPORT_SYMBOL", "")));
        return KernelSymbolTable.of("kernel", syms, true);
    }

    @Test
    void eightThreadsAgreeWithTheSequentialModel() throws Exception {
        long total = Long.getLong("kobj.registry.model.ops", 20_000L);
        int perThread = (int) Math.max(ROUND, total / THREADS / ROUND * ROUND);
        Map<String, Path> files = new HashMap<>();
        Path module = Testdata.root().resolve("obj/x86_64-gcc-kernel/module.o");
        List<List<String>> chains = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            List<String> chain = List.of("t" + t + "a", "t" + t + "b", "t" + t + "c");
            chains.add(chain);
            for (int i = 0; i < 3; i++) {
                Path o = tmp.resolve(chain.get(i) + ".o");
                Files.copy(module, o);
                Files.writeString(tmp.resolve(chain.get(i) + ".properties"), "name=" + chain.get(i) + "\n"
                        + (i < 2 ? "requires=" + chain.get(i + 1) + "\n" : ""));
                files.put(chain.get(i), o);
            }
        }
        Path shared = Testdata.root().resolve("obj/x86_64-gcc-kernel");
        files.put("kobj_exporter", shared.resolve("exporter.o"));
        files.put("kobj_importer", shared.resolve("importer.o"));

        ThreadLocal<boolean[]> inject = ThreadLocal.withInitial(() -> new boolean[2]); // {init fails, policy refuses}
        SecurityPolicy policy = new SecurityPolicy() {
            @Override
            public void checkLoad(ModuleCandidate c) throws ModuleException {
                if (inject.get()[1]) {
                    throw new ModuleException(Errno.EPERM, c.name() + ": refused by this thread's policy");
                }
            }
        };
        FaultyMemory memory = new FaultyMemory(ModuleRegistry.KERNEL_MODULE_BASE, 1L << 30);
        ManualTicker ticker = new ManualTicker();
        ModuleRegistry r = ModuleRegistry.builder().memory(memory).kernelSymbols(kernel())
                .linkPolicy(LoadPolicy.permissive()).locator(ModuleLocator.of(files)).security(policy).ticker(ticker)
                .autounloadDelay(DELAY).defaultHandler((cmd, ctx) -> {
                    if (cmd == ModuleCommand.INIT && inject.get()[0]) {
                        throw new IllegalStateException("injected INIT failure");
                    }
                }).build();

        AtomicReference<Throwable> broken = new AtomicReference<>();
        AtomicLong ops = new AtomicLong();
        AtomicLong barriers = new AtomicLong();
        List<RegistryModel> models = new ArrayList<>();
        for (List<String> c : chains) {
            models.add(new RegistryModel(c));
        }
        CyclicBarrier barrier = new CyclicBarrier(THREADS, () -> {
            try {
                quiescent(r, memory, ticker, models);
                barriers.incrementAndGet();
            } catch (Throwable e) {
                broken.compareAndSet(null, e);
            }
        });
        List<Thread> threads = new ArrayList<>();
        long seed = Long.getLong("kobj.registry.model.seed", new Random().nextLong());
        long t0 = System.nanoTime();
        for (int t = 0; t < THREADS; t++) {
            int me = t;
            threads.add(Thread.ofPlatform().name("model-" + t).start(() -> {
                SplittableRandom rnd = new SplittableRandom(seed + me);
                RegistryModel model = models.get(me);
                List<String> chain = chains.get(me);
                try {
                    for (int i = 0; i < perThread && broken.get() == null; i++) {
                        step(r, model, chain, rnd, inject.get());
                        ops.incrementAndGet();
                        if ((i + 1) % ROUND == 0) {
                            barrier.await();
                        }
                    }
                } catch (Throwable e) {
                    broken.compareAndSet(null, new AssertionError("thread " + me + " (seed " + seed + "): " + e, e));
                    barrier.reset();
                }
            }));
        }
        for (Thread th : threads) {
            th.join();
        }
        long nanos = System.nanoTime() - t0;
        if (broken.get() != null && !(broken.get() instanceof BrokenBarrierException)) {
            throw new AssertionError(broken.get());
        }
        assertThat(broken.get()).isNull();
        // Everything goes, and nothing is left in memory.
        for (ModuleInfo m : r.list()) {
            for (int h = 0; h < m.holds(); h++) {
                r.rele(m.name());
            }
        }
        r.unloadAll();
        r.runAutounload();
        assertThat(r.list()).isEmpty();
        r.close();
        assertThat(memory.live).as("allocations left").isEmpty();
        System.out.printf("registry model: %d operations on %d threads, %d barriers, %.1f s, %.0f operations/s, "
                + "0 broken invariants, 0 leaks (seed %d)%n", ops.get(), THREADS, barriers.get(), nanos / 1e9,
                ops.get() / (nanos / 1e9), seed);
        assertThat(ops.get()).isEqualTo((long) perThread * THREADS);
    }

    /** One random operation of a thread, checked against its model. */
    static void step(ModuleRegistry r, RegistryModel model, List<String> chain, SplittableRandom rnd, boolean[] inject)
            throws Exception {
        int op = rnd.nextInt(100);
        if (op < 15) { // the shared pair: any outcome, invariants only
            String n = rnd.nextBoolean() ? "kobj_importer" : "kobj_exporter";
            try {
                switch (rnd.nextInt(4)) {
                    case 0 -> r.load(n);
                    case 1 -> r.unload(n);
                    case 2 -> r.hold(n);
                    default -> r.rele(n);
                }
            } catch (ModuleException e) {
                assertThat(e.errno()).isIn(Errno.EEXIST, Errno.ENOENT, Errno.EBUSY, Errno.EINVAL);
            }
            invariants(r.list());
            return;
        }
        String name = chain.get(rnd.nextInt(chain.size()));
        Errno expected;
        Errno got = null;
        String message = "";
        // The model is asked first (it applies a success), then the registry.
        if (op < 45) {
            boolean auto = op < 25;
            inject[0] = rnd.nextInt(10) == 0;
            inject[1] = !inject[0] && rnd.nextInt(10) == 0;
            expected = model.load(name, auto, inject[0], inject[1]);
        } else if (op < 65) {
            expected = model.unload(name);
        } else if (op < 85) {
            expected = model.hold(name);
        } else {
            expected = model.rele(name);
        }
        try {
            if (op < 25) {
                r.autoload(name, ModuleClass.ANY);
            } else if (op < 45) {
                r.load(name);
            } else if (op < 65) {
                r.unload(name);
            } else if (op < 85) {
                r.hold(name);
            } else {
                r.rele(name);
            }
        } catch (ModuleException e) {
            got = e.errno();
            message = e.getMessage();
        } finally {
            inject[0] = false;
            inject[1] = false;
        }
        String what = (op < 25 ? "autoload " : op < 45 ? "load " : op < 65 ? "unload " : op < 85 ? "hold " : "rele ")
                + name;
        assertThat(got).as("%s: the model says %s, the registry %s %s", what, expected, got, message)
                .isEqualTo(expected);
        List<ModuleInfo> snap = r.list();
        invariants(snap);
        agree(model, snap);
    }

    static void invariants(List<ModuleInfo> snap) {
        Map<String, ModuleInfo> byName = new HashMap<>();
        for (ModuleInfo m : snap) {
            assertThat(byName.put(m.name(), m)).as("one entry per name").isNull();
        }
        for (ModuleInfo m : snap) {
            assertThat(m.refcount()).as(m.name() + " refcount").isEqualTo(m.holds() + m.dependents());
            assertThat(m.dependents()).isEqualTo(m.requiredBy().size());
            for (String q : m.requires()) {
                ModuleInfo d = byName.get(q);
                assertThat(d).as(m.name() + " requires " + q).isNotNull();
                if (m.state() == ModuleState.LOADED) {
                    assertThat(d.state()).isEqualTo(ModuleState.LOADED);
                }
                assertThat(d.requiredBy()).contains(m.name());
            }
            for (String q : m.requiredBy()) {
                assertThat(byName.get(q).requires()).contains(m.name());
            }
        }
    }

    static void agree(RegistryModel model, List<ModuleInfo> snap) {
        Map<String, ModuleInfo> byName = new HashMap<>();
        snap.forEach(m -> byName.put(m.name(), m));
        for (RegistryModel.M m : model.modules.values()) {
            ModuleInfo i = byName.get(m.name);
            if (!m.loaded) {
                assertThat(i).as(m.name + " not loaded").isNull();
                continue;
            }
            assertThat(i).as(m.name + " loaded").isNotNull();
            assertThat(i.state()).isEqualTo(ModuleState.LOADED);
            assertThat(i.holds()).as(m.name + " holds").isEqualTo(m.holds);
            assertThat(i.dependents()).as(m.name + " dependents").isEqualTo(model.dependents(m.name));
            assertThat(i.requires()).as(m.name + " requires").isEqualTo(m.requires == null ? List.of()
                    : List.of(m.requires));
            assertThat(i.autoloaded()).as(m.name + " autoloaded").isEqualTo(m.autoloaded);
        }
    }

    /** At a barrier (no other thread runs): autounload ticks, exports and memory against the state. */
    static void quiescent(ModuleRegistry r, FaultyMemory memory, ManualTicker ticker, List<RegistryModel> models) {
        for (int i = 0; i < 10; i++) {
            ticker.advance(DELAY.plusSeconds(1));
            if (r.runAutounload().isEmpty() && i > 0) {
                break;
            }
        }
        models.forEach(RegistryModel::autounloadAll);
        List<ModuleInfo> snap = r.list();
        invariants(snap);
        for (RegistryModel m : models) {
            agree(m, snap);
        }
        boolean exporter = snap.stream().anyMatch(m -> m.name().equals("kobj_exporter"));
        assertThat(r.exports().lookup("kobj_shared_counter").isPresent()).as("exports iff the exporter is loaded")
                .isEqualTo(exporter);
        // Memory: one core allocation per loaded module, and an init allocation at most (no leak of failed loads).
        assertThat(memory.live.size()).as("allocations for %d modules", snap.size())
                .isBetween(snap.size(), 2 * snap.size());
    }
}
