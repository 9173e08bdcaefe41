package dev.kobj.registry.kernel;

import dev.kobj.registry.ModuleException;
import dev.kobj.registry.ModuleException.Errno;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The simulated kernel's system-call table ({@code sysent[]}): a fixed number of slots, each
 * holding the entry that a system call with that number runs.
 *
 * <h2>Semantics of replacement and unload</h2>
 *
 * Facts from the sources (read, not copied):
 * <ul>
 * <li>lkm(4) (4.4BSD LKM, as in OpenBSD and MirBSD; {@code _lkm_syscall}): a system-call module
 *     names a slot, or -1 for "the first slot that holds {@code lkmnosys}" (none free: ENFILE;
 *     a slot outside the table: EINVAL). Any slot may be taken, including one holding a real
 *     system call. On load the old entry is saved in the module ({@code lkm_oldent}) and the new
 *     one written; on unload the saved entry is written back — the replaced system call "is
 *     returned to its rightful place".</li>
 * <li>That literal save/restore is only right when modules leave in the reverse order they came:
 *     with A then B on one slot, unloading A first would write the original back over B (B is lost
 *     while loaded), and unloading B afterwards would write A's entry back although A's code is
 *     gone.</li>
 * <li>NetBSD {@code syscall_establish} avoids stacking: it installs only into slots that hold
 *     {@code sys_nomodule}, else EBUSY, all or nothing; {@code syscall_disestablish} writes
 *     {@code sys_nomodule} back and refuses with EBUSY (putting the module's entries back) while any
 *     thread is still inside one of the calls.</li>
 * </ul>
 *
 * What this table does, for each slot: it keeps the ordered chain of installations on top of the
 * slot's <em>original</em> entry (the one the kernel was built with, or {@code nosys}).
 * <ol>
 * <li><b>The slot runs the newest installation still present</b>, or the original when none is.</li>
 * <li><b>Unloading removes exactly the module's own installation from the chain</b>, wherever it
 *     is. If it was the newest, the slot runs the one below it (lkm's restore); if not, the slot is
 *     unchanged, and the installation just above now stands on what the removed one had saved (the
 *     removed module's {@code lkm_oldent} passes to the one above). So at every moment the slot
 *     holds what it would hold had the unloaded modules never been loaded, and once every module
 *     is gone the original is back, whatever the unload order.</li>
 * <li>{@link Mode#REPLACE} is lkm's rule (any slot, stacking allowed); {@link Mode#EXCLUSIVE} is
 *     NetBSD's (EBUSY unless the slot runs {@code nosys}).</li>
 * <li>An installation that is running ({@link #invoke} in progress on any thread) cannot be
 *     removed: EBUSY, nothing changed, as NetBSD's disestablish.</li>
 * <li>One module installs at most once per slot (EEXIST), as lkm refuses a module loaded twice.</li>
 * </ol>
 *
 * Thread-safe: every change and every look-up holds the table's lock; a call itself runs
 * without it.
 */
public final class SyscallTable {

    /** The slot number that asks for "the first free slot" (lkm's offset -1). */
    public static final int AUTO = -1;
    /** The default number of slots. */
    public static final int DEFAULT_SIZE = 512;
    /** Linux's ENOSYS: what {@code nosys} returns, negated. */
    public static final long ENOSYS = 38;
    /** The name of the entry in free slots ({@code lkmnosys} / {@code sys_nomodule}). */
    public static final String NOSYS = "nosys";
    /** The owner of the entries the kernel was built with. */
    public static final String KERNEL = "kernel";

    /** How an installation treats a slot that already runs something. */
    public enum Mode {
        /** lkm(4): take any slot; what was there comes back on unload. */
        REPLACE,
        /** NetBSD syscall_establish: only a slot that runs {@code nosys}, else EBUSY. */
        EXCLUSIVE
    }

    /**
     * What a slot runs.
     *
     * @param slot          its slot
     * @param name          the call's name, for listings
     * @param owner         the module that installed it, or {@link #KERNEL}
     * @param function      the body
     * @param nativeAddress the address of native code the body calls, if it is native
     */
    public record Entry(int slot, String name, String owner, Syscall function, OptionalLong nativeAddress) {
        /** Checks that nothing is null. */
        public Entry {
            Objects.requireNonNull(name);
            Objects.requireNonNull(owner);
            Objects.requireNonNull(function);
            Objects.requireNonNull(nativeAddress);
        }

        /** {@return true for the entry of a free slot} */
        public boolean isNosys() {
            return owner.equals(KERNEL) && name.equals(NOSYS);
        }

        @Override
        public String toString() {
            return slot + ":" + name + "(" + owner
                    + nativeAddress.stream().mapToObj(a -> ", 0x" + Long.toHexString(a)).findFirst().orElse("") + ")";
        }
    }

    /** One installation, the token to remove it with. */
    public static final class Installation {
        private final Entry entry;
        private final AtomicInteger running = new AtomicInteger();

        private Installation(Entry entry) {
            this.entry = entry;
        }

        /** {@return what was installed} */
        public Entry entry() {
            return entry;
        }

        @Override
        public String toString() {
            return entry.toString();
        }
    }

    private final Entry[] originals;
    /** Per slot, the installations bottom (oldest) to top (newest); null when none. */
    private final List<Installation>[] chains;
    private final Object lock = new Object();

    /** A table of {@code size} slots, all running {@code nosys}, except the given originals. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    SyscallTable(int size, List<Entry> builtins) {
        if (size <= 0) {
            throw new IllegalArgumentException("system-call table size " + size);
        }
        originals = new Entry[size];
        chains = new List[size];
        for (int i = 0; i < size; i++) {
            originals[i] = new Entry(i, NOSYS, KERNEL, args -> -ENOSYS, OptionalLong.empty());
        }
        for (Entry e : builtins) {
            if (e.slot() < 0 || e.slot() >= size) {
                throw new IllegalArgumentException("builtin system call " + e + " outside the table of " + size);
            }
            originals[e.slot()] = e;
        }
    }

    /** {@return the number of slots} */
    public int size() {
        return originals.length;
    }

    /**
     * Installs {@code function} for {@code owner} at {@code slot} ({@link #AUTO}: the first slot
     * running {@code nosys}).
     *
     * @param owner    the module that owns it
     * @param slot     a slot of the table ({@link #AUTO}: the first running {@code nosys})
     * @param name     the system call's name
     * @param function the system call
     * @param mode     how it shares the slot
     * @return the installation, whose {@link Entry#slot()} is the slot taken
     * @throws ModuleException EINVAL (slot outside the table), ENFILE (AUTO and no free slot),
     *                         EBUSY (EXCLUSIVE and the slot is taken), EEXIST (the owner is
     *                         already installed at the slot)
     */
    public Installation install(String owner, int slot, String name, Syscall function, Mode mode)
            throws ModuleException {
        return install(owner, slot, name, function, OptionalLong.empty(), mode);
    }

    /**
     * {@link #install(String, int, String, Syscall, Mode)} for native code at {@code nativeAddress}.
     *
     * @param owner         the module that owns it
     * @param slot          a slot of the table ({@link #AUTO}: the first running {@code nosys})
     * @param name          the system call's name
     * @param function      the system call
     * @param nativeAddress the address of its native code
     * @param mode          how it shares the slot
     * @return the installation, whose {@link Entry#slot()} is the slot taken
     * @throws ModuleException as {@link #install(String, int, String, Syscall, Mode)}
     */
    public Installation install(String owner, int slot, String name, Syscall function, OptionalLong nativeAddress,
            Mode mode) throws ModuleException {
        Objects.requireNonNull(owner);
        Objects.requireNonNull(mode);
        synchronized (lock) {
            int s = slot;
            if (s == AUTO) {
                s = firstFree();
                if (s < 0) {
                    throw new ModuleException(Errno.ENFILE, owner + ": no free system-call slot in " + size());
                }
            } else if (s < 0 || s >= size()) {
                throw new ModuleException(Errno.EINVAL, owner + ": system-call slot " + slot
                        + " is not in [0, " + (size() - 1) + "]");
            }
            Entry current = current(s);
            if (mode == Mode.EXCLUSIVE && !current.isNosys()) {
                throw new ModuleException(Errno.EBUSY, owner + ": system-call slot " + s + " runs " + current);
            }
            List<Installation> chain = chains[s];
            if (chain != null && chain.stream().anyMatch(i -> i.entry.owner().equals(owner))) {
                throw new ModuleException(Errno.EEXIST, owner + ": already installed at system-call slot " + s);
            }
            Installation inst = new Installation(new Entry(s, name, owner, function, nativeAddress));
            if (chain == null) {
                chains[s] = chain = new ArrayList<>(2);
            }
            chain.add(inst);
            return inst;
        }
    }

    /**
     * Removes an installation (see the class comment for what the slot runs afterwards).
     * Removing one already removed does nothing.
     *
     * @throws ModuleException EBUSY while the installation is running; nothing changes
     * @param installation an installation
     */
    public void uninstall(Installation installation) throws ModuleException {
        synchronized (lock) {
            int s = installation.entry.slot();
            List<Installation> chain = chains[s];
            if (chain == null || !chain.contains(installation)) {
                return;
            }
            if (installation.running.get() > 0) {
                throw new ModuleException(Errno.EBUSY, installation.entry.owner() + ": system call "
                        + installation.entry + " is running on " + installation.running.get() + " thread(s)");
            }
            chain.remove(installation);
            if (chain.isEmpty()) {
                chains[s] = null;
            }
        }
    }

    /**
     * Removes every installation of {@code owner}, all or nothing.
     *
     * @return how many were removed
     * @throws ModuleException EBUSY when one of them is running; none is removed then
     * @param owner the module that owns it
     */
    public int uninstallAll(String owner) throws ModuleException {
        synchronized (lock) {
            List<Installation> mine = installations(owner);
            for (Installation i : mine) {
                if (i.running.get() > 0) {
                    throw new ModuleException(Errno.EBUSY, owner + ": system call " + i.entry + " is running");
                }
            }
            for (Installation i : mine) {
                uninstall(i);
            }
            return mine.size();
        }
    }

    /**
     * {@return the installations of {@code owner}, by slot, in the order made}
     * @param owner the module that owns it
     */
    public List<Installation> installations(String owner) {
        synchronized (lock) {
            List<Installation> out = new ArrayList<>();
            for (List<Installation> chain : chains) {
                if (chain != null) {
                    chain.stream().filter(i -> i.entry.owner().equals(owner)).forEach(out::add);
                }
            }
            return out;
        }
    }

    /**
     * {@return how many threads are inside {@code installation}'s call now}
     * @param installation an installation
     */
    public int running(Installation installation) {
        return installation.running.get();
    }

    /**
     * {@return what {@code slot} runs now}
     * @param slot a slot of the table
     */
    public Entry entry(int slot) {
        synchronized (lock) {
            return current(checkSlot(slot));
        }
    }

    /**
     * {@return what {@code slot} ran when the kernel started}
     * @param slot a slot of the table
     */
    public Entry original(int slot) {
        return originals[checkSlot(slot)];
    }

    /**
     * {@return the chain of {@code slot}: its original, then each installation oldest first}
     * @param slot a slot of the table
     */
    public List<Entry> chain(int slot) {
        synchronized (lock) {
            List<Entry> out = new ArrayList<>();
            out.add(originals[checkSlot(slot)]);
            if (chains[slot] != null) {
                chains[slot].forEach(i -> out.add(i.entry));
            }
            return out;
        }
    }

    /** {@return the slots that do not run their original entry now, in order} */
    public int[] replacedSlots() {
        synchronized (lock) {
            return java.util.stream.IntStream.range(0, size()).filter(s -> chains[s] != null).toArray();
        }
    }

    /**
     * Runs system call {@code slot} with {@code args} (missing ones are 0; more than
     * {@link Syscall#MAX_ARGS} is EINVAL's result). A slot outside the table runs {@code nosys}.
     *
     * @return the call's result ({@code -errno} on failure)
     * @param slot a slot of the table
     * @param args the arguments
     */
    public long invoke(int slot, long... args) {
        if (args.length > Syscall.MAX_ARGS) {
            return -22; // EINVAL
        }
        long[] regs = Arrays.copyOf(args, Syscall.MAX_ARGS);
        if (slot < 0 || slot >= size()) {
            return -ENOSYS;
        }
        Installation running;
        Entry e;
        synchronized (lock) {
            List<Installation> chain = chains[slot];
            running = chain == null ? null : chain.getLast();
            e = running == null ? originals[slot] : running.entry;
            if (running != null) {
                running.running.incrementAndGet();
            }
        }
        try {
            return e.function().call(regs);
        } finally {
            if (running != null) {
                running.running.decrementAndGet();
            }
        }
    }

    private Entry current(int slot) {
        List<Installation> chain = chains[slot];
        return chain == null ? originals[slot] : chain.getLast().entry;
    }

    private int firstFree() {
        for (int s = 0; s < size(); s++) {
            if (current(s).isNosys()) {
                return s;
            }
        }
        return -1;
    }

    private int checkSlot(int slot) {
        if (slot < 0 || slot >= size()) {
            throw new IndexOutOfBoundsException("system-call slot " + slot + " not in [0, " + (size() - 1) + "]");
        }
        return slot;
    }
}
