package dev.kobj.registry.kernel;

import dev.kobj.link.NativeBindings;
import dev.kobj.registry.ModuleException;
import dev.kobj.registry.ModuleException.Errno;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.OptionalLong;

/**
 * The C side of {@link SimulatedKernelServices}: each {@code kobj_*} function a module may call,
 * as a Java upcall (see {@link SimulatedKernelServices} for the list). Every target returns
 * {@code -errno} instead of throwing, and credits what it registers to the module whose lifecycle
 * command runs on the calling thread.
 */
final class KernelUpcalls {

    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT;
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG;
    private static final ValueLayout PTR = ValueLayout.ADDRESS;

    private final SimulatedKernelServices services;

    private KernelUpcalls(SimulatedKernelServices services) {
        this.services = services;
    }

    static NativeBindings bind(SimulatedKernelServices services) {
        KernelUpcalls u = new KernelUpcalls(services);
        NativeBindings b = new NativeBindings();
        try {
            b.upcall("kobj_syscall_establish", u.handle("syscallEstablish", int.class, int.class, MemorySegment.class),
                    FunctionDescriptor.of(INT, INT, PTR));
            b.upcall("kobj_syscall_disestablish", u.handle("syscallDisestablish", int.class, int.class),
                    FunctionDescriptor.of(INT, INT));
            b.upcall("kobj_syscall", u.handle("syscall", long.class, int.class, long.class, long.class, long.class),
                    FunctionDescriptor.of(LONG, INT, LONG, LONG, LONG));
            b.upcall("kobj_make_dev", u.handle("makeDev", int.class, MemorySegment.class, int.class, int.class),
                    FunctionDescriptor.of(INT, PTR, INT, INT));
            b.upcall("kobj_destroy_dev", u.handle("destroyDev", int.class, MemorySegment.class),
                    FunctionDescriptor.of(INT, PTR));
            b.upcall("kobj_vfs_attach", u.handle("vfsAttach", int.class, MemorySegment.class),
                    FunctionDescriptor.of(INT, PTR));
            b.upcall("kobj_vfs_detach", u.handle("vfsDetach", int.class, MemorySegment.class),
                    FunctionDescriptor.of(INT, PTR));
            b.upcall("kobj_exec_add", u.handle("execAdd", int.class, MemorySegment.class, MemorySegment.class,
                    int.class, int.class), FunctionDescriptor.of(INT, PTR, PTR, INT, INT));
            b.upcall("kobj_exec_remove", u.handle("execRemove", int.class, MemorySegment.class),
                    FunctionDescriptor.of(INT, PTR));
            b.upcall("kobj_secmodel_add", u.handle("secmodelAdd", int.class, MemorySegment.class, MemorySegment.class),
                    FunctionDescriptor.of(INT, PTR, PTR));
            b.upcall("kobj_secmodel_remove", u.handle("secmodelRemove", int.class, MemorySegment.class),
                    FunctionDescriptor.of(INT, PTR));
        } catch (ReflectiveOperationException | RuntimeException e) {
            b.close();
            throw new IllegalStateException("kernel upcalls: " + e, e);
        }
        return b;
    }

    private MethodHandle handle(String name, Class<?> ret, Class<?>... params) throws ReflectiveOperationException {
        return MethodHandles.lookup().findVirtual(KernelUpcalls.class, name, MethodType.methodType(ret, params))
                .bindTo(this);
    }

    /** A kernel-service call that may refuse. */
    @FunctionalInterface
    private interface Call {
        int run(String owner) throws ModuleException;
    }

    private static int credited(Call call) {
        var owner = SimulatedKernelServices.currentOwner();
        if (owner.isEmpty()) {
            return -KernelErrno.number(Errno.EPERM);
        }
        try {
            return call.run(owner.get());
        } catch (ModuleException e) {
            return -KernelErrno.number(e.errno());
        }
    }

    private SimulatedKernel kernel() {
        return services.kernel();
    }

    int syscallEstablish(int slot, MemorySegment fn) {
        return credited(owner -> {
            if (fn.equals(MemorySegment.NULL)) {
                throw new ModuleException(Errno.EINVAL, owner + ": null system call");
            }
            return kernel().syscalls().install(owner, slot, owner, SimulatedKernelServices.nativeSyscall(fn.address()),
                    OptionalLong.of(fn.address()), SyscallTable.Mode.REPLACE).entry().slot();
        });
    }

    int syscallDisestablish(int slot) {
        return credited(owner -> {
            var mine = kernel().syscalls().installations(owner).stream().filter(i -> i.entry().slot() == slot)
                    .findFirst().orElseThrow(() -> new ModuleException(Errno.ENOENT,
                            owner + ": nothing installed at system-call slot " + slot));
            kernel().syscalls().uninstall(mine);
            return 0;
        });
    }

    long syscall(int slot, long a0, long a1, long a2) {
        return kernel().syscalls().invoke(slot, a0, a1, a2);
    }

    int makeDev(MemorySegment name, int major, int minor) {
        return credited(owner -> kernel().devices().make(owner, owner, NativeBindings.string(name),
                DeviceNamespace.Type.CHAR, major, minor).major());
    }

    int destroyDev(MemorySegment name) {
        return credited(owner -> {
            kernel().devices().destroy(owner, NativeBindings.string(name));
            return 0;
        });
    }

    int vfsAttach(MemorySegment name) {
        return credited(owner -> {
            kernel().fileSystems().register(owner, NativeBindings.string(name));
            return 0;
        });
    }

    int vfsDetach(MemorySegment name) {
        return credited(owner -> {
            kernel().fileSystems().unregister(owner, NativeBindings.string(name));
            return 0;
        });
    }

    int execAdd(MemorySegment name, MemorySegment magic, int length, int offset) {
        return credited(owner -> {
            if (length <= 0 || length > 256 || magic.equals(MemorySegment.NULL)) {
                throw new ModuleException(Errno.EINVAL, owner + ": exec magic of length " + length);
            }
            byte[] m = magic.reinterpret(length).toArray(ValueLayout.JAVA_BYTE);
            kernel().exec().add(owner, NativeBindings.string(name), ExecSwitch.Priority.ANY,
                    ExecSwitch.Recogniser.magic(offset, m));
            return 0;
        });
    }

    int execRemove(MemorySegment name) {
        return credited(owner -> {
            kernel().exec().remove(owner, NativeBindings.string(name));
            return 0;
        });
    }

    int secmodelAdd(MemorySegment name, MemorySegment decide) {
        return credited(owner -> {
            if (decide.equals(MemorySegment.NULL)) {
                throw new ModuleException(Errno.EINVAL, owner + ": null security-model function");
            }
            kernel().security().add(owner, NativeBindings.string(name),
                    SimulatedKernelServices.nativeListener(decide.address()));
            return 0;
        });
    }

    int secmodelRemove(MemorySegment name) {
        return credited(owner -> {
            kernel().security().remove(owner, NativeBindings.string(name));
            return 0;
        });
    }
}
