package dev.kobj.fuzz;

import dev.kobj.link.FaultyMemory;
import dev.kobj.link.LoadPolicy;
import dev.kobj.registry.ModuleHandler;
import dev.kobj.registry.ModuleLocator;
import dev.kobj.registry.ModuleRegistry;
import dev.kobj.registry.SecurityPolicy;
import dev.kobj.symtab.KernelSymbol;
import dev.kobj.symtab.KernelSymbolTable;
import dev.kobj.testkit.Testdata;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Figures for notes/fuzz.md (scripts/registry-model.sh --bench): loads of unrelated modules
 * (copies of testdata's module.o under distinct names) by 1 and by 8 threads, and the latency of
 * reads (the listing) made meanwhile. One lock serialises loads, as NetBSD's module_lock does;
 * reads take no lock.
 */
public final class RegistryLoadBench {
    private RegistryLoadBench() {
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 400;
        Path dir = Files.createTempDirectory("kobj-load-bench");
        Map<String, Path> files = new HashMap<>();
        Path module = Testdata.root().resolve("obj/x86_64-gcc-kernel/module.o");
        for (int i = 0; i < n; i++) {
            Path o = dir.resolve("m" + i + ".o");
            Files.copy(module, o);
            Files.writeString(dir.resolve("m" + i + ".properties"), "name=m" + i + "\n");
            files.put("m" + i, o);
        }
        for (int round = 0; round < 3; round++) {
            for (int threads : new int[] {1, 8}) {
                run(files, n, threads, round == 2);
            }
        }
    }

    static void run(Map<String, Path> files, int n, int threads, boolean print) throws Exception {
        FaultyMemory memory = new FaultyMemory(ModuleRegistry.KERNEL_MODULE_BASE, 1L << 30);
        try (ModuleRegistry r = ModuleRegistry.builder().memory(memory)
                .kernelSymbols(RegistryModelTest.kernel()).linkPolicy(LoadPolicy.permissive())
                .locator(ModuleLocator.of(files)).security(SecurityPolicy.PERMISSIVE).defaultHandler(ModuleHandler.NONE)
                .build()) {
            AtomicBoolean done = new AtomicBoolean();
            long[] lat = new long[1 << 20];
            int[] reads = {0};
            Thread reader = Thread.ofPlatform().start(() -> {
                while (!done.get() && reads[0] < lat.length) {
                    long t = System.nanoTime();
                    r.list();
                    lat[reads[0]++] = System.nanoTime() - t;
                }
            });
            long t0 = System.nanoTime();
            List<Thread> ts = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int me = t;
                ts.add(Thread.ofPlatform().start(() -> {
                    for (int i = me; i < n; i += threads) {
                        try {
                            r.load("m" + i);
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    }
                }));
            }
            for (Thread t : ts) {
                t.join();
            }
            long nanos = System.nanoTime() - t0;
            done.set(true);
            reader.join();
            long[] l = Arrays.copyOf(lat, reads[0]);
            Arrays.sort(l);
            if (print) {
                System.out.printf("%d loads on %d thread(s): %.2f s, %.0f loads/s; %d reads meanwhile: p50 %.1f us, "
                        + "p99 %.1f us, max %.1f ms%n", n, threads, nanos / 1e9, n / (nanos / 1e9), l.length,
                        l[l.length / 2] / 1e3, l[(int) (l.length * 0.99)] / 1e3, l[l.length - 1] / 1e6);
            }
            if (r.list().size() != n) {
                throw new AssertionError("loaded " + r.list().size());
            }
        }
    }
}
