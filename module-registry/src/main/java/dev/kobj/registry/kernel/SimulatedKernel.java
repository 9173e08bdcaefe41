package dev.kobj.registry.kernel;

import dev.kobj.registry.ModuleException;
import dev.kobj.registry.ModuleException.Errno;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.stream.IntStream;

/**
 * A small kernel for modules to register with: a {@link SyscallTable system-call table}, a
 * {@link DeviceNamespace device-node namespace}, a {@link FileSystemTable file-system-type table},
 * an {@link ExecSwitch exec-interpreter list} and a {@link SecurityModels security-model list}.
 *
 * <p>Every registration names its owner (the module's name), so that what a module did can be
 * undone when it goes, whether or not its own FINI undid it: {@link #releaseAll}. That is the
 * kernel's side of MirBSD lkm(4)'s promise that unloading puts back what was there.
 *
 * <p>Thread-safe: each table has its own lock; {@link #releaseAll} and {@link #snapshot} hold
 * the kernel's lock so that releases and snapshots do not interleave.
 */
public final class SimulatedKernel {

    /** Slot of the builtin {@code getpid} in {@link #standard()} (as in 4.4BSD's syscalls.master). */
    public static final int SYS_GETPID = 20;
    /** The pid that the builtin {@code getpid} returns. */
    public static final long PID = 1;

    private final SyscallTable syscalls;
    private final DeviceNamespace devices;
    private final FileSystemTable fileSystems;
    private final ExecSwitch exec;
    private final SecurityModels security;
    private final Object lock = new Object();

    private SimulatedKernel(Builder b) {
        syscalls = new SyscallTable(b.syscallSlots, b.syscalls);
        devices = new DeviceNamespace(b.nodes);
        fileSystems = new FileSystemTable(b.fsTypes);
        exec = new ExecSwitch(b.interpreters);
        security = new SecurityModels(b.models);
    }

    /**
     * {@return a kernel of {@link SyscallTable#DEFAULT_SIZE} slots} with a few things of its own:
     * system calls {@code getpid} (slot {@value #SYS_GETPID}, returns {@value #PID}); devices
     * /dev/null (c 1,3), /dev/zero (c 1,5), /dev/console (c 5,1); file-system types ffs, procfs,
     * tmpfs; exec interpreters elf and script; security model suser.
     */
    public static SimulatedKernel standard() {
        return builder().build();
    }

    /** {@return a builder starting from what {@link #standard()} has} */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return the system-call table} */
    public SyscallTable syscalls() {
        return syscalls;
    }

    /** {@return /dev} */
    public DeviceNamespace devices() {
        return devices;
    }

    /** {@return the file-system types} */
    public FileSystemTable fileSystems() {
        return fileSystems;
    }

    /** {@return the exec interpreters} */
    public ExecSwitch exec() {
        return exec;
    }

    /** {@return the security models} */
    public SecurityModels security() {
        return security;
    }

    /**
     * What {@link #releaseAll} took away.
     *
     * @param syscalls     the system calls uninstalled
     * @param nodes        the device nodes removed
     * @param fileSystems  the file-system types unregistered
     * @param interpreters the exec interpreters removed
     * @param models       the security models removed
     */
    public record Released(List<SyscallTable.Installation> syscalls, List<DeviceNamespace.Node> nodes,
            List<FileSystemTable.FsType> fileSystems, List<ExecSwitch.Interpreter> interpreters,
            List<SecurityModels.Model> models) {

        /** {@return true when nothing was left to release} */
        public boolean isEmpty() {
            return syscalls.isEmpty() && nodes.isEmpty() && fileSystems.isEmpty() && interpreters.isEmpty()
                    && models.isEmpty();
        }
    }

    /**
     * Undoes everything {@code owner} registered: its system calls leave their chains, its device
     * nodes disappear and its majors are freed, its file-system types, exec interpreters and
     * security models are removed.
     *
     * <p>What may refuse is done first, so that a refusal changes nothing: a file-system type of
     * the owner that is mounted, or a system call of the owner running on some thread (EBUSY).
     *
     * @throws ModuleException EBUSY, nothing released
     * @param owner the module
     * @return what was released
     */
    public Released releaseAll(String owner) throws ModuleException {
        Objects.requireNonNull(owner);
        if (owner.equals(SyscallTable.KERNEL)) {
            throw new ModuleException(Errno.EPERM, "the kernel's own entries cannot be released");
        }
        synchronized (lock) {
            List<FileSystemTable.FsType> fs = fileSystems.unregisterAll(owner); // EBUSY if mounted
            List<SyscallTable.Installation> calls = syscalls.installations(owner);
            try {
                syscalls.uninstallAll(owner); // EBUSY if one is running
            } catch (ModuleException e) {
                fileSystems.restore(fs);
                throw e;
            }
            return new Released(calls, devices.removeAll(owner), fs, exec.removeAll(owner),
                    security.removeAll(owner));
        }
    }

    /**
     * What the kernel has registered, comparable with {@code equals}.
     *
     * @param syscallChains each slot's chain: its original entry, then each installation oldest first
     * @param nodes         the device nodes
     * @param fileSystems   the file-system types
     * @param interpreters  the exec interpreters, in order
     * @param models        the security models, in order
     */
    public record Snapshot(List<List<SyscallTable.Entry>> syscallChains, List<DeviceNamespace.Node> nodes,
            List<FileSystemTable.FsType> fileSystems, List<ExecSwitch.Interpreter> interpreters,
            List<SecurityModels.Model> models) {
    }

    /** {@return what is registered now, every slot's chain included} */
    public Snapshot snapshot() {
        synchronized (lock) {
            List<List<SyscallTable.Entry>> chains = IntStream.range(0, syscalls.size())
                    .mapToObj(syscalls::chain).toList();
            return new Snapshot(chains, devices.nodes(), fileSystems.types(), exec.interpreters(), security.models());
        }
    }

    /** Builds a {@link SimulatedKernel}. */
    public static final class Builder {
        private int syscallSlots = SyscallTable.DEFAULT_SIZE;
        private final List<SyscallTable.Entry> syscalls = new ArrayList<>();
        private final List<DeviceNamespace.Node> nodes = new ArrayList<>();
        private final List<FileSystemTable.FsType> fsTypes = new ArrayList<>();
        private final List<ExecSwitch.Interpreter> interpreters = new ArrayList<>(ExecSwitch.builtins());
        private final List<SecurityModels.Model> models = new ArrayList<>(List.of(SecurityModels.suser()));

        private Builder() {
            syscall(SYS_GETPID, "getpid", args -> PID);
            node("null", DeviceNamespace.Type.CHAR, 1, 3);
            node("zero", DeviceNamespace.Type.CHAR, 1, 5);
            node("console", DeviceNamespace.Type.CHAR, 5, 1);
            for (String fs : List.of("ffs", "procfs", "tmpfs")) {
                fsTypes.add(new FileSystemTable.FsType(fs, SyscallTable.KERNEL));
            }
        }

        /**
         * Sets the number of system-call slots.
         * @param n the number of system-call slots
         * @return this builder
         */
        public Builder syscallSlots(int n) {
            if (n <= 0) {
                throw new IllegalArgumentException("system-call slots: " + n);
            }
            syscallSlots = n;
            return this;
        }

        /**
         * Drops the kernel's own system calls: every slot runs {@code nosys}.
         * @return this builder
         */
        public Builder noSyscalls() {
            syscalls.clear();
            return this;
        }

        /**
         * Adds a system call of the kernel's own at {@code slot}.
         * @param slot the slot
         * @param name the name
         * @param function the system call
         * @return this builder
         */
        public Builder syscall(int slot, String name, Syscall function) {
            syscalls.removeIf(e -> e.slot() == slot);
            syscalls.add(new SyscallTable.Entry(slot, name, SyscallTable.KERNEL, function, OptionalLong.empty()));
            return this;
        }

        /**
         * Adds a device node of the kernel's own.
         * @param name the name
         * @param type character or block
         * @param major the major number
         * @param minor the minor number
         * @return this builder
         */
        public Builder node(String name, DeviceNamespace.Type type, int major, int minor) {
            nodes.add(new DeviceNamespace.Node("/dev/" + name, name, type, major, minor, SyscallTable.KERNEL));
            return this;
        }

        /**
         * Adds a file-system type of the kernel's own.
         * @param name the name
         * @return this builder
         */
        public Builder fileSystem(String name) {
            fsTypes.add(new FileSystemTable.FsType(name, SyscallTable.KERNEL));
            return this;
        }

        /** {@return the kernel} */
        public SimulatedKernel build() {
            return new SimulatedKernel(this);
        }
    }
}
