package dev.kobj.registry.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kobj.registry.ModuleException;
import dev.kobj.registry.ModuleException.Errno;
import dev.kobj.registry.kernel.SyscallTable.Installation;
import dev.kobj.registry.kernel.SyscallTable.Mode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** The system-call table: lkm(4)'s rightful place, in every unload order; NetBSD's exclusive mode. */
class SyscallTableTest {

    private static final int SLOT = 5;

    private static Syscall returning(long v) {
        return args -> v;
    }

    @Test
    void freshTableRunsOriginalsAndNosys() {
        SimulatedKernel k = SimulatedKernel.standard();
        SyscallTable t = k.syscalls();
        assertThat(t.size()).isEqualTo(SyscallTable.DEFAULT_SIZE);
        assertThat(t.invoke(SimulatedKernel.SYS_GETPID)).isEqualTo(SimulatedKernel.PID);
        assertThat(t.entry(SimulatedKernel.SYS_GETPID).name()).isEqualTo("getpid");
        assertThat(t.invoke(SLOT, 1, 2)).isEqualTo(-SyscallTable.ENOSYS);
        assertThat(t.entry(SLOT).isNosys()).isTrue();
        assertThat(t.invoke(-1)).isEqualTo(-SyscallTable.ENOSYS);
        assertThat(t.invoke(100_000)).isEqualTo(-SyscallTable.ENOSYS);
        assertThat(t.replacedSlots()).isEmpty();
    }

    @Test
    void installRunsAndUninstallRestores() throws ModuleException {
        SyscallTable t = SimulatedKernel.standard().syscalls();
        Installation a = t.install("a", SLOT, "add", args -> args[0] + args[1], Mode.REPLACE);
        assertThat(t.invoke(SLOT, 40, 2)).isEqualTo(42);
        assertThat(t.entry(SLOT)).isSameAs(a.entry());
        assertThat(t.replacedSlots()).containsExactly(SLOT);
        t.uninstall(a);
        assertThat(t.entry(SLOT)).isEqualTo(t.original(SLOT));
        assertThat(t.invoke(SLOT, 40, 2)).isEqualTo(-SyscallTable.ENOSYS);
        t.uninstall(a); // twice: nothing
        assertThat(t.replacedSlots()).isEmpty();
    }

    @Test
    void replacingARealSystemCallReturnsItToItsRightfulPlace() throws ModuleException {
        SyscallTable t = SimulatedKernel.standard().syscalls();
        int slot = SimulatedKernel.SYS_GETPID;
        Installation a = t.install("fakepid", slot, "getpid", returning(4242), Mode.REPLACE);
        assertThat(t.invoke(slot)).isEqualTo(4242);
        t.uninstall(a);
        assertThat(t.invoke(slot)).isEqualTo(SimulatedKernel.PID);
    }

    @Test
    void stackedReplacementsUnloadedOutOfOrderDoNotBreakTheNewer() throws ModuleException {
        SyscallTable t = SimulatedKernel.standard().syscalls();
        Installation a = t.install("A", SLOT, "a", returning(1), Mode.REPLACE);
        Installation b = t.install("B", SLOT, "b", returning(2), Mode.REPLACE);
        assertThat(t.invoke(SLOT)).isEqualTo(2);
        t.uninstall(a); // A is below B: B keeps running, and now stands on the original
        assertThat(t.invoke(SLOT)).isEqualTo(2);
        assertThat(t.chain(SLOT)).containsExactly(t.original(SLOT), b.entry());
        t.uninstall(b);
        assertThat(t.entry(SLOT)).isEqualTo(t.original(SLOT));
    }

    @Test
    void stackedReplacementsUnloadedInReverseOrderRestoreEachStep() throws ModuleException {
        SyscallTable t = SimulatedKernel.standard().syscalls();
        Installation a = t.install("A", SLOT, "a", returning(1), Mode.REPLACE);
        Installation b = t.install("B", SLOT, "b", returning(2), Mode.REPLACE);
        Installation c = t.install("C", SLOT, "c", returning(3), Mode.REPLACE);
        t.uninstall(c);
        assertThat(t.invoke(SLOT)).isEqualTo(2);
        t.uninstall(b);
        assertThat(t.invoke(SLOT)).isEqualTo(1);
        t.uninstall(a);
        assertThat(t.invoke(SLOT)).isEqualTo(-SyscallTable.ENOSYS);
    }

    /** lkm's literal save/restore, kept here only to show why the table does more than that. */
    @Test
    void literalSaveRestoreWouldLoseTheNewerModule() {
        Syscall original = returning(-SyscallTable.ENOSYS);
        Syscall[] slot = {original};
        Syscall savedByA = slot[0];
        slot[0] = returning(1); // A loads
        Syscall savedByB = slot[0];
        slot[0] = returning(2); // B loads
        slot[0] = savedByA; // A unloads: writes back what it saved
        assertThat(slot[0].call(new long[6])).as("B lost while still loaded").isEqualTo(-SyscallTable.ENOSYS);
        slot[0] = savedByB; // B unloads
        assertThat(slot[0].call(new long[6])).as("A's entry back though A is gone").isEqualTo(1);
    }

    @Test
    void autoSlotIsTheFirstFreeAndFullTableIsEnfile() throws ModuleException {
        SimulatedKernel k = SimulatedKernel.builder().syscallSlots(3).noSyscalls().syscall(0, "zero", returning(0)).build();
        SyscallTable t = k.syscalls();
        assertThat(t.install("m1", SyscallTable.AUTO, "x", returning(7), Mode.REPLACE).entry().slot()).isEqualTo(1);
        assertThat(t.install("m2", SyscallTable.AUTO, "y", returning(8), Mode.REPLACE).entry().slot()).isEqualTo(2);
        assertThatThrownBy(() -> t.install("m3", SyscallTable.AUTO, "z", returning(9), Mode.REPLACE))
                .isInstanceOfSatisfying(ModuleException.class, e -> assertThat(e.errno()).isEqualTo(Errno.ENFILE));
        t.uninstallAll("m1");
        assertThat(t.install("m3", SyscallTable.AUTO, "z", returning(9), Mode.REPLACE).entry().slot()).isEqualTo(1);
    }

    @Test
    void refusals() throws ModuleException {
        SyscallTable t = SimulatedKernel.standard().syscalls();
        assertErrno(() -> t.install("m", 512, "x", returning(0), Mode.REPLACE), Errno.EINVAL);
        assertErrno(() -> t.install("m", -2, "x", returning(0), Mode.REPLACE), Errno.EINVAL);
        // NetBSD syscall_establish: only into a free slot
        assertErrno(() -> t.install("m", SimulatedKernel.SYS_GETPID, "x", returning(0), Mode.EXCLUSIVE), Errno.EBUSY);
        t.install("m", SLOT, "x", returning(0), Mode.EXCLUSIVE);
        assertErrno(() -> t.install("n", SLOT, "y", returning(0), Mode.EXCLUSIVE), Errno.EBUSY);
        assertErrno(() -> t.install("m", SLOT, "x2", returning(0), Mode.REPLACE), Errno.EEXIST);
        assertThat(t.chain(SLOT)).hasSize(2);
    }

    @Test
    void aRunningSystemCallCannotBeRemoved() throws Exception {
        SyscallTable t = SimulatedKernel.standard().syscalls();
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch leave = new CountDownLatch(1);
        Installation a = t.install("slow", SLOT, "slow", args -> {
            inside.countDown();
            try {
                leave.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return 99;
        }, Mode.REPLACE);
        ExecutorService ex = Executors.newSingleThreadExecutor();
        try {
            Future<Long> call = ex.submit(() -> t.invoke(SLOT));
            assertThat(inside.await(10, TimeUnit.SECONDS)).isTrue();
            assertErrno(() -> t.uninstall(a), Errno.EBUSY);
            assertErrno(() -> t.uninstallAll("slow"), Errno.EBUSY);
            assertThat(t.entry(SLOT)).isSameAs(a.entry());
            leave.countDown();
            assertThat(call.get(10, TimeUnit.SECONDS)).isEqualTo(99);
            t.uninstall(a);
            assertThat(t.entry(SLOT).isNosys()).isTrue();
        } finally {
            leave.countDown();
            ex.shutdownNow();
        }
    }

    /**
     * k modules replace the same slot; each step toggles one (load when out, unload when in); at
     * the end the rest go in a random order. At every step the slot runs the most recently loaded
     * module still loaded (kept here as load times, not as the table's chain), else the original;
     * at the end the original is back.
     */
    @Property(tries = 300)
    void everyLoadUnloadOrderLeavesTheRightfulHandler(
            @ForAll @IntRange(min = 1, max = 6) int k,
            @ForAll @Size(max = 40) List<@IntRange(min = 0, max = 5) Integer> toggles,
            @ForAll Random random) throws ModuleException {
        SyscallTable t = SimulatedKernel.standard().syscalls();
        SyscallTable.Entry original = t.original(SLOT);
        Map<Integer, Installation> loaded = new HashMap<>();
        Map<Integer, Long> loadedAt = new HashMap<>();
        long clock = 0;
        for (int raw : toggles) {
            int m = raw % k;
            if (loaded.containsKey(m)) {
                t.uninstall(loaded.remove(m));
                loadedAt.remove(m);
            } else {
                loaded.put(m, t.install("mod" + m, SLOT, "call" + m, returning(1000 + m), Mode.REPLACE));
                loadedAt.put(m, clock++);
            }
            checkSlot(t, original, loadedAt);
        }
        List<Integer> rest = new ArrayList<>(loaded.keySet());
        Collections.shuffle(rest, random);
        for (int m : rest) {
            t.uninstall(loaded.remove(m));
            loadedAt.remove(m);
            checkSlot(t, original, loadedAt);
        }
        assertThat(t.entry(SLOT)).isSameAs(original);
        assertThat(t.chain(SLOT)).containsExactly(original);
        assertThat(t.invoke(SLOT)).isEqualTo(-SyscallTable.ENOSYS);
    }

    private static void checkSlot(SyscallTable t, SyscallTable.Entry original, Map<Integer, Long> loadedAt) {
        var newest = loadedAt.entrySet().stream().max(Map.Entry.comparingByValue());
        if (newest.isEmpty()) {
            assertThat(t.entry(SLOT)).isSameAs(original);
        } else {
            int m = newest.get().getKey();
            assertThat(t.entry(SLOT).owner()).isEqualTo("mod" + m);
            assertThat(t.invoke(SLOT)).isEqualTo(1000 + m);
        }
        assertThat(t.chain(SLOT)).hasSize(1 + loadedAt.size());
    }

    interface Action {
        void run() throws Exception;
    }

    static void assertErrno(Action a, Errno errno) {
        assertThatThrownBy(a::run).isInstanceOfSatisfying(ModuleException.class,
                e -> assertThat(e.errno()).isEqualTo(errno));
    }
}
