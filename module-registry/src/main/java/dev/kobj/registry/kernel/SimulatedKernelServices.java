package dev.kobj.registry.kernel;

import dev.kobj.link.LoadedImage;
import dev.kobj.link.NativeBindings;
import dev.kobj.registry.KernelServices;
import dev.kobj.registry.ModuleCandidate;
import dev.kobj.registry.ModuleClass;
import dev.kobj.registry.ModuleCommand;
import dev.kobj.registry.ModuleContext;
import dev.kobj.registry.ModuleException;
import dev.kobj.registry.ModuleException.Errno;
import dev.kobj.registry.ModuleHandler;
import dev.kobj.registry.ModuleInfo;
import dev.kobj.registry.NativeModuleHandler;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@link KernelServices} of a {@link SimulatedKernel}: what a {@code ModuleRegistry} is built
 * with ({@code .kernel(services).bindAll(services.nativeBindings())}) so that modules of every
 * class register with the kernel and unloading puts back what was there.
 *
 * <ul>
 * <li>{@link #handlerFor} gives every module loaded from a file a {@link ClassHandler} of its
 *     class around its own code ({@link NativeModuleHandler} when the image is in native memory);
 *     builtin modules get one with {@link #handler(ModuleClass, ModuleHandler)}.</li>
 * <li>{@link #nativeBindings()} are the kernel services as C functions (Java upcalls), for a
 *     module's native code to call while its INIT or FINI runs: they are credited to that module
 *     and undone when it goes. Each returns a non-negative value or {@code -errno}
 *     ({@link KernelErrno}); called outside a lifecycle command they return {@code -EPERM}:
 *     <pre>
 * int kobj_syscall_establish(int slot, long (*fn)(long, long, long, long, long, long)); // slot -1: first free; returns the slot
 * int kobj_syscall_disestablish(int slot);
 * long kobj_syscall(int slot, long a0, long a1, long a2);          // runs what the slot runs now
 * int kobj_make_dev(const char *name, int major, int minor);         // major -1: any; returns the major
 * int kobj_destroy_dev(const char *name);
 * int kobj_vfs_attach(const char *name);
 * int kobj_vfs_detach(const char *name);
 * int kobj_exec_add(const char *name, const unsigned char *magic, int length, int offset);
 * int kobj_exec_remove(const char *name);
 * int kobj_secmodel_add(const char *name, int (*decide)(long uid, const char *action, const char *object));
 * int kobj_secmodel_remove(const char *name);</pre>
 *     Function pointers given to the kernel are called through FFM: native code only, which the
 *     module must stay loaded for (it does: FINI takes them away before the image is freed).</li>
 * <li>{@link #loaded}/{@link #unloaded}: after an unload, whatever the module still had
 *     registered (a module whose handler was not a {@link ClassHandler}) is released.</li>
 * </ul>
 *
 * <p>Close it after the registry: the upcall stubs die with it.
 */
public final class SimulatedKernelServices implements KernelServices, AutoCloseable {

    private static final ScopedValue<String> OWNER = ScopedValue.newInstance();
    private static final Linker LINKER = Linker.nativeLinker();
    private static final FunctionDescriptor SYSCALL_FN = FunctionDescriptor.of(ValueLayout.JAVA_LONG,
            ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG,
            ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG);
    private static final FunctionDescriptor RECOGNISER_FN = FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.ADDRESS, ValueLayout.JAVA_LONG);
    private static final FunctionDescriptor LISTENER_FN = FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.JAVA_LONG, ValueLayout.ADDRESS, ValueLayout.ADDRESS);

    /** The own-code part of a file module's handler: its native functions, if it can run. */
    private static final ModuleHandler OWN_CODE = new ModuleHandler() {
        @Override
        public void command(ModuleCommand command, ModuleContext ctx) throws ModuleException {
            Optional<LoadedImage> img = ctx.image();
            if (img.isPresent() && img.get().memory().kind().equals("native")) {
                NativeModuleHandler.INSTANCE.command(command, ctx);
            }
        }

        @Override
        public String toString() {
            return "the module's own code";
        }
    };

    private final SimulatedKernel kernel;
    private final Map<String, Object> functions = new ConcurrentHashMap<>();
    private final Object bindingsLock = new Object();
    private NativeBindings bindings;

    /**
     * Services of {@code kernel}.
     * @param kernel the kernel the modules register into
     */
    public SimulatedKernelServices(SimulatedKernel kernel) {
        this.kernel = Objects.requireNonNull(kernel);
    }

    /** {@return the kernel} */
    public SimulatedKernel kernel() {
        return kernel;
    }

    // ------------------------------------------------------------------ KernelServices

    @Override
    public <T> Optional<T> service(Class<T> type) {
        for (Object s : new Object[] {kernel, kernel.syscalls(), kernel.devices(), kernel.fileSystems(), kernel.exec(),
                kernel.security(), this}) {
            if (type.isInstance(s)) {
                return Optional.of(type.cast(s));
            }
        }
        return Optional.empty();
    }

    @Override
    public Optional<ModuleHandler> handlerFor(ModuleCandidate candidate) {
        return Optional.of(handler(candidate.metadata().moduleClass()));
    }

    @Override
    public void loaded(ModuleInfo module) {
    }

    @Override
    public void unloaded(ModuleInfo module) {
        try {
            kernel.releaseAll(module.name());
        } catch (ModuleException e) {
            // busy: the module is gone already; nothing better to do than leave the entry
        }
    }

    /**
     * {@return a handler for a module of class {@code moduleClass}} that runs {@code own} (e.g. a
     * builtin module's Java lifecycle) and does the class's registration around it
     * ({@link ClassHandler}).
     *
     * @param moduleClass a module class
     * @param own the module's own handler, run after the registration (INIT) or before it is undone (FINI)
     */
    public ModuleHandler handler(ModuleClass moduleClass, ModuleHandler own) {
        return new ClassHandler(moduleClass, own, this);
    }

    /**
     * {@return the handler {@link #handlerFor} gives}: the class's registration around the module's
     * own native code when its image is in native memory (nothing else to run otherwise)
     *
     * @param moduleClass a module class
     */
    public ModuleHandler handler(ModuleClass moduleClass) {
        return handler(moduleClass, OWN_CODE);
    }

    // ------------------------------------------------------------------ named Java functions

    /**
     * Names a Java system call, for a {@code syscall.function} property of a module without native code.
     * @param name the function's symbol name in the module
     * @param fn the Java function
     * @return these services
     */
    public SimulatedKernelServices syscallFunction(String name, Syscall fn) {
        functions.put(name, Objects.requireNonNull(fn));
        return this;
    }

    /**
     * Names a Java exec recogniser, for {@code exec.function}.
     * @param name the function's symbol name in the module
     * @param fn the Java function
     * @return these services
     */
    public SimulatedKernelServices execFunction(String name, ExecSwitch.Recogniser fn) {
        functions.put(name, Objects.requireNonNull(fn));
        return this;
    }

    /**
     * Names a Java security-model rule, for {@code secmodel.function}.
     * @param name the function's symbol name in the module
     * @param fn the Java function
     * @return these services
     */
    public SimulatedKernelServices secmodelFunction(String name, SecurityModels.Listener fn) {
        functions.put(name, Objects.requireNonNull(fn));
        return this;
    }

    ClassHandler.Resolved<Syscall> resolveSyscall(ModuleContext ctx, String name) throws ModuleException {
        OptionalLong addr = nativeFunction(ctx, name);
        if (addr.isPresent()) {
            return new ClassHandler.Resolved<>(nativeSyscall(addr.getAsLong()), addr);
        }
        return new ClassHandler.Resolved<>(javaFunction(ctx, name, Syscall.class), OptionalLong.empty());
    }

    ClassHandler.Resolved<ExecSwitch.Recogniser> resolveRecogniser(ModuleContext ctx, String name)
            throws ModuleException {
        OptionalLong addr = nativeFunction(ctx, name);
        if (addr.isPresent()) {
            return new ClassHandler.Resolved<>(nativeRecogniser(addr.getAsLong()), addr);
        }
        return new ClassHandler.Resolved<>(javaFunction(ctx, name, ExecSwitch.Recogniser.class), OptionalLong.empty());
    }

    ClassHandler.Resolved<SecurityModels.Listener> resolveListener(ModuleContext ctx, String name)
            throws ModuleException {
        OptionalLong addr = nativeFunction(ctx, name);
        if (addr.isPresent()) {
            return new ClassHandler.Resolved<>(nativeListener(addr.getAsLong()), addr);
        }
        return new ClassHandler.Resolved<>(javaFunction(ctx, name, SecurityModels.Listener.class),
                OptionalLong.empty());
    }

    /** The address of function symbol {@code name} of the module's image, when the image can run. */
    private static OptionalLong nativeFunction(ModuleContext ctx, String name) throws ModuleException {
        Optional<LoadedImage> img = ctx.image();
        if (img.isEmpty() || img.get().symbol(name).isEmpty()) {
            return OptionalLong.empty();
        }
        if (!img.get().memory().kind().equals("native")) {
            throw new ModuleException(Errno.ENOEXEC, ctx.name() + ": " + name + " is in " + img.get().memory().kind()
                    + " memory, which cannot run code");
        }
        long a = img.get().symbol(name).getAsLong();
        boolean executable = img.get().regions().stream()
                .anyMatch(r -> r.contains(a) && r.permissions() == dev.kobj.link.Allocation.Permissions.RX);
        if (!executable) {
            throw new ModuleException(Errno.EINVAL, ctx.name() + ": " + name + " is not code");
        }
        return OptionalLong.of(a);
    }

    private <T> T javaFunction(ModuleContext ctx, String name, Class<T> type) throws ModuleException {
        Object f = functions.get(name);
        if (f == null) {
            throw new ModuleException(Errno.ENOENT, ctx.name() + ": no function " + name
                    + " in the module nor among the kernel's Java functions");
        }
        if (!type.isInstance(f)) {
            throw new ModuleException(Errno.EINVAL, ctx.name() + ": function " + name + " is a "
                    + f.getClass().getSimpleName() + ", not a " + type.getSimpleName());
        }
        return type.cast(f);
    }

    // ------------------------------------------------------------------ native code as kernel functions

    /** {@return a system call that runs the native {@code long fn(long × 6)} at {@code address}} */
    static Syscall nativeSyscall(long address) {
        MethodHandle h = LINKER.downcallHandle(MemorySegment.ofAddress(address), SYSCALL_FN);
        return args -> {
            try {
                return (long) h.invokeExact(args[0], args[1], args[2], args[3], args[4], args[5]);
            } catch (Throwable t) {
                throw new IllegalStateException("native system call at 0x" + Long.toHexString(address) + ": " + t, t);
            }
        };
    }

    static ExecSwitch.Recogniser nativeRecogniser(long address) {
        MethodHandle h = LINKER.downcallHandle(MemorySegment.ofAddress(address), RECOGNISER_FN);
        return header -> {
            try (Arena a = Arena.ofConfined()) {
                MemorySegment buf = a.allocate(Math.max(1, header.length));
                MemorySegment.copy(header, 0, buf, ValueLayout.JAVA_BYTE, 0, header.length);
                return (int) h.invokeExact(buf, (long) header.length) != 0;
            } catch (Throwable t) {
                return false;
            }
        };
    }

    static SecurityModels.Listener nativeListener(long address) {
        MethodHandle h = LINKER.downcallHandle(MemorySegment.ofAddress(address), LISTENER_FN);
        return r -> {
            try (Arena a = Arena.ofConfined()) {
                int d = (int) h.invokeExact(r.uid(), a.allocateFrom(r.action()), a.allocateFrom(r.object()));
                return switch (d) {
                    case 0 -> SecurityModels.Decision.ALLOW;
                    case 2 -> SecurityModels.Decision.DEFER;
                    default -> SecurityModels.Decision.DENY;
                };
            } catch (Throwable t) {
                return SecurityModels.Decision.DENY;
            }
        };
    }

    // ------------------------------------------------------------------ the owner of upcalls

    /** Something a lifecycle step does. */
    @FunctionalInterface
    interface Step {
        void run() throws ModuleException;
    }

    /** Runs {@code step} with {@code owner} as the module that native kernel-service calls are credited to. */
    void runAs(String owner, Step step) throws ModuleException {
        ScopedValue.where(OWNER, owner).call(() -> {
            step.run();
            return null;
        });
    }

    /** {@return the module whose lifecycle command is running on this thread} */
    static Optional<String> currentOwner() {
        return OWNER.isBound() ? Optional.of(OWNER.get()) : Optional.empty();
    }

    // ------------------------------------------------------------------ upcalls

    /**
     * {@return the kernel services as C functions} (name → address of a Java upcall stub), to pass
     * to {@code ModuleRegistryBuilder.bindAll} or {@code LinkRequest.Builder.bindAll}. Made once;
     * valid until {@link #close()}.
     */
    public Map<String, Long> nativeBindings() {
        synchronized (bindingsLock) {
            if (bindings == null) {
                bindings = KernelUpcalls.bind(this);
            }
            return bindings.addresses();
        }
    }

    /** Frees the upcall stubs: modules linked against them must be gone. Safe twice. */
    @Override
    public void close() {
        synchronized (bindingsLock) {
            if (bindings != null) {
                bindings.close();
            }
        }
    }
}
