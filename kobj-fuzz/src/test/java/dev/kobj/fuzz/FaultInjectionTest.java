package dev.kobj.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kobj.link.FaultyMemory;
import dev.kobj.registry.ModuleCandidate;
import dev.kobj.registry.ModuleCommand;
import dev.kobj.registry.ModuleException;
import dev.kobj.registry.ModuleHandler;
import dev.kobj.registry.ModuleInfo;
import dev.kobj.registry.ModuleRegistry;
import dev.kobj.registry.SecurityPolicy;
import dev.kobj.symtab.KernelSymbol;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 11, point 4: a fault at every step of link, load and unload, for every module of a
 * sample of real modules with dependencies ({@link Samples}). For each kind of fault (the n-th
 * allocation of host memory, the n-th write of page permissions, the security policy refusing
 * the n-th module, the n-th INIT failing, the thread interrupted at the n-th allocation) and each
 * n until a load sees no fault, the load of the sample's top module (which loads its
 * dependencies first) is made to fail there; then the registry's listing, its export table and
 * the host memory's live allocations are compared with a snapshot taken before (not assumed),
 * and the error must name the module and the step. Unload: the policy refusing and FINI failing
 * for each module leave the loaded state as it was.
 */
class FaultInjectionTest {

    static List<Samples> samples() throws Exception {
        return Samples.all();
    }

    /** What a registry, its symbol tables and its memory hold, compared by value. */
    record Snapshot(List<ModuleInfo> modules, Set<String> exports, int exportCount, List<String> memory) {
        static Snapshot of(ModuleRegistry r, FaultyMemory m, Set<String> names) {
            Set<String> ex = new TreeSet<>();
            for (String n : names) {
                Optional<KernelSymbol> s = r.exports().lookup(n);
                s.ifPresent(k -> ex.add(k.name() + "@" + Long.toHexString(k.address()) + ":" + k.owner()));
            }
            return new Snapshot(r.list(), ex, r.exports().size(), m.liveAllocations());
        }
    }

    /** The injected faults, each armed at its n-th occurrence (-1: disarmed). */
    static final class Faults {
        final AtomicInteger checks = new AtomicInteger();
        final AtomicInteger inits = new AtomicInteger();
        volatile int refuseCheck = -1;
        volatile int failInit = -1;
        volatile String refuseUnloadOf = "";
        volatile String failFiniOf = "";

        final SecurityPolicy policy = new SecurityPolicy() {
            @Override
            public void checkLoad(ModuleCandidate c) throws ModuleException {
                if (checks.getAndIncrement() == refuseCheck) {
                    throw new ModuleException(ModuleException.Errno.EPERM, c.name() + ": load refused by the policy "
                            + "(injected)");
                }
            }

            @Override
            public void checkUnload(ModuleInfo m) throws ModuleException {
                if (m.name().equals(refuseUnloadOf)) {
                    throw new ModuleException(ModuleException.Errno.EPERM, m.name() + ": unload refused by the policy "
                            + "(injected)");
                }
            }
        };

        final ModuleHandler handler = (cmd, ctx) -> {
            if (cmd == ModuleCommand.INIT && inits.getAndIncrement() == failInit) {
                throw new IllegalStateException("injected INIT failure");
            }
            if (cmd == ModuleCommand.FINI && ctx.name().equals(failFiniOf)) {
                throw new IllegalStateException("injected FINI failure");
            }
        };
    }

    /** A fault kind: arms the n-th occurrence; {@return the words the error must contain besides the module} */
    interface Kind {
        List<String> arm(int n, FaultyMemory memory, Faults faults);
    }

    static final List<Kind> LOAD_FAULTS = List.of(
            (n, m, f) -> {
                m.failAllocation = n;
                return List.of(": allocation: ", "refused (injected)");
            },
            (n, m, f) -> {
                m.failProtect = n;
                return List.of(": finalization: |: completing init (ro_after_init", "refused (injected)");
            },
            (n, m, f) -> {
                f.refuseCheck = n;
                return List.of("refused by the policy");
            },
            (n, m, f) -> {
                f.failInit = n;
                return List.of("INIT");
            });
    static final List<String> KIND_NAMES = List.of("allocation", "permission write", "policy", "INIT");

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void aFaultAtEveryStepOfALoadLeavesEverythingAsItWas(Samples sample) throws Exception {
        Set<String> exportNames = cleanExports(sample);
        int faults = 0;
        for (int k = 0; k < LOAD_FAULTS.size(); k++) {
            for (int n = 0; ; n++) {
                FaultyMemory memory = new FaultyMemory(sample.base(), 1L << 30);
                Faults f = new Faults();
                try (ModuleRegistry r = sample.registry(memory, f.policy, f.handler)) {
                    if (!sample.shared().isEmpty()) {
                        r.load(sample.shared()); // a dependency already loaded: the failed load must keep it
                    }
                    memory.allocations.set(0);
                    memory.protects.set(0);
                    f.checks.set(0);
                    f.inits.set(0);
                    Snapshot before = Snapshot.of(r, memory, exportNames);
                    List<String> words = LOAD_FAULTS.get(k).arm(n, memory, f);
                    try {
                        r.load(sample.top());
                    } catch (ModuleException e) {
                        faults++;
                        assertThat(Snapshot.of(r, memory, exportNames)).as("%s: %s fault %d: %s", sample,
                                KIND_NAMES.get(k), n, e.getMessage()).isEqualTo(before);
                        assertThat(e.getMessage()).as("%s fault %d", KIND_NAMES.get(k), n).containsAnyOf(
                                sample.files().keySet().toArray(String[]::new));
                        for (String w : words) { // "a|b": either
                            assertThat(e.getMessage()).as("%s fault %d names the step", KIND_NAMES.get(k), n)
                                    .containsAnyOf(w.split("\\|"));
                        }
                        continue;
                    }
                    // No fault was reached: every step of this kind has been tried.
                    assertThat(n).as("%s: %s faults tried", sample, KIND_NAMES.get(k)).isPositive();
                    break;
                }
            }
        }
        assertThat(faults).isGreaterThan(10);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void anInterruptAtEveryAllocationLeavesALoadWholeOrUndone(Samples sample) throws Exception {
        Set<String> exportNames = cleanExports(sample);
        Snapshot loaded = null;
        for (int n = 0; n < 64; n++) {
            int at = n;
            FaultyMemory memory = new FaultyMemory(sample.base(), 1L << 30) {
                @Override
                public dev.kobj.link.Allocation allocate(long address, long size, long alignment)
                        throws dev.kobj.link.LinkException {
                    if (allocations.get() == at) {
                        Thread.currentThread().interrupt();
                    }
                    return super.allocate(address, size, alignment);
                }
            };
            Faults f = new Faults();
            try (ModuleRegistry r = sample.registry(memory, f.policy, f.handler)) {
                Snapshot before = Snapshot.of(r, memory, exportNames);
                boolean done;
                try {
                    r.load(sample.top());
                    done = true;
                } catch (ModuleException e) {
                    done = false;
                }
                boolean interrupted = Thread.interrupted(); // clears it
                Snapshot after = Snapshot.of(r, memory, exportNames);
                if (done) {
                    loaded = loaded == null ? after : loaded;
                    assertThat(after.modules().size()).isEqualTo(sample.files().size());
                    assertThat(after.exportCount()).isEqualTo(loaded.exportCount());
                    r.unload(sample.top());
                } else {
                    assertThat(after).isEqualTo(before);
                }
                if (!interrupted) {
                    break; // fewer than n allocations: every one has been tried
                }
                assertThat(interrupted).as("the interrupt status is kept").isTrue();
            }
        }
        assertThat(loaded).as("the loads completed despite the interrupt (nothing in a load waits)").isNotNull();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void aRefusedOrFailedUnloadOfEachModuleLeavesEverythingAsItWas(Samples sample) throws Exception {
        Set<String> exportNames = cleanExports(sample);
        for (String victim : sample.files().keySet()) {
            for (int mode = 0; mode < 2; mode++) {
                FaultyMemory memory = new FaultyMemory(sample.base(), 1L << 30);
                Faults f = new Faults();
                try (ModuleRegistry r = sample.registry(memory, f.policy, f.handler)) {
                    r.load(sample.top());
                    // Unload from the top down to the victim; the victim's unload fails.
                    List<String> order = unloadOrder(r, sample.top(), victim);
                    for (String u : order.subList(0, order.size() - 1)) {
                        r.unload(u);
                    }
                    Snapshot before = Snapshot.of(r, memory, exportNames);
                    if (mode == 0) {
                        f.refuseUnloadOf = victim;
                    } else {
                        f.failFiniOf = victim;
                    }
                    try {
                        r.unload(victim);
                        throw new AssertionError(victim + ": the unload should have failed");
                    } catch (ModuleException e) {
                        assertThat(e.getMessage()).contains(victim)
                                .contains(mode == 0 ? "refused by the policy" : "FINI");
                    }
                    assertThat(Snapshot.of(r, memory, exportNames)).as("%s: unload of %s", sample, victim)
                            .isEqualTo(before);
                }
            }
        }
    }

    /** {@return the modules to unload, dependents first, ending with {@code victim}} */
    private static List<String> unloadOrder(ModuleRegistry r, String top, String victim) {
        List<String> order = new ArrayList<>();
        collect(r, top, victim, order);
        order.remove(victim);
        order.add(victim);
        return order;
    }

    private static void collect(ModuleRegistry r, String name, String victim, List<String> order) {
        if (order.contains(name)) {
            return;
        }
        ModuleInfo i = r.status(name).orElseThrow();
        for (String d : i.requiredBy()) {
            collect(r, d, victim, order);
        }
        if (!order.contains(name)) {
            order.add(name);
        }
        if (!name.equals(victim)) {
            for (String q : i.requires()) {
                if (dependsOn(r, q, victim) || q.equals(victim)) {
                    collect(r, q, victim, order);
                }
            }
        }
    }

    private static boolean dependsOn(ModuleRegistry r, String name, String on) {
        for (String q : r.status(name).orElseThrow().requires()) {
            if (q.equals(on) || dependsOn(r, q, on)) {
                return true;
            }
        }
        return false;
    }

    /** {@return the names every module of the sample exports, from a clean load} */
    private static Set<String> cleanExports(Samples sample) throws Exception {
        FaultyMemory memory = new FaultyMemory(sample.base(), 1L << 30);
        Faults f = new Faults();
        try (ModuleRegistry r = sample.registry(memory, f.policy, f.handler)) {
            r.load(sample.top());
            assertThat(r.list()).hasSize(sample.files().size());
            Set<String> out = new TreeSet<>();
            for (ModuleInfo m : r.list()) {
                assertThat(m.metadata()).isNotNull();
            }
            // The names the sample's modules export (their __ksymtab_ symbols, as depmod reads them).
            for (var file : sample.files().values()) {
                try (dev.kobj.elf.ElfFile elf = dev.kobj.elf.ElfFile.open(file)) {
                    out.addAll(dev.kobj.registry.depmod.ModuleSymbols.read(elf).exports());
                }
            }
            assertThat(out.stream().filter(n -> r.exports().lookup(n).isPresent())).as("exports loaded").isNotEmpty();
            return out;
        }
    }
}
