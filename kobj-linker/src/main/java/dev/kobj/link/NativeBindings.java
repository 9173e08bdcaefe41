package dev.kobj.link;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Addresses for a module's undefined symbols in this process, for a link into
 * {@link NativeMemory}: libc functions (found by {@code Linker.nativeLinker().defaultLookup()})
 * and Java methods behind upcall stubs. {@link #addresses()} goes to
 * {@code LinkRequest.Builder.bindAll}.
 *
 * <pre>{@code
 * List<String> log = new ArrayList<>();
 * try (NativeBindings b = new NativeBindings()) {
 *     b.libc("memcpy", "memset").libcAs("kmalloc", "malloc").printk(log::add);
 *     ... link with b.addresses(), call init ...
 * }   // the upcall stubs are freed here: the module must not call them afterwards
 * }</pre>
 *
 * <p>A Java upcall must not throw: an exception escaping an upcall ends the JVM. The stubs made
 * by {@link #printk} catch everything; {@link #upcall} wraps the target the same way, returning 0
 * (or null) and passing the exception to the consumer given to {@link #onError}.
 */
public final class NativeBindings implements AutoCloseable {

    private static final Linker LINKER = Linker.nativeLinker();
    /** How far a C string from the module is read when looking for its NUL. */
    static final long MAX_STRING = 1 << 16;

    private final Arena arena = Arena.ofShared();
    private final Map<String, Long> addresses = new LinkedHashMap<>();
    private volatile Consumer<Throwable> errors = t -> { };

    /** Bindings with nothing bound yet. */
    public NativeBindings() {
    }

    /**
     * Binds each name to the libc function of the same name.
     * @param names C library function names
     * @return these bindings
     */
    public NativeBindings libc(String... names) {
        for (String n : names) {
            libcAs(n, n);
        }
        return this;
    }

    /**
     * Binds {@code name} to libc's {@code function} (e.g. {@code kmalloc} to {@code malloc}: the
     * extra flags argument is ignored by the callee).
     *
     * @throws IllegalArgumentException when libc has no such function
     * @param name the symbol name the module uses
     * @param function the C library function it is bound to
     * @return these bindings
     */
    public NativeBindings libcAs(String name, String function) {
        MemorySegment fn = LINKER.defaultLookup().find(function)
                .orElseThrow(() -> new IllegalArgumentException("libc has no function " + function));
        return address(name, fn.address());
    }

    /**
     * Binds {@code name} to a raw address.
     * @param name the symbol name the module uses
     * @param address the address
     * @return these bindings
     */
    public NativeBindings address(String name, long address) {
        addresses.put(Objects.requireNonNull(name), address);
        return this;
    }

    /**
     * Binds {@code name} to an upcall stub calling {@code target}, whose type must match
     * {@code descriptor} (Java {@code int} for C {@code int}, {@code long} for C {@code long},
     * {@code MemorySegment} for pointers: zero-length, use {@link #string} to read a C string).
     * Exceptions thrown by {@code target} are caught, passed to {@link #onError}'s consumer, and
     * the C caller gets 0.
     *
     * @param name the symbol name the module uses
     * @param target the Java method
     * @param descriptor its C signature
     * @return these bindings
     */
    public NativeBindings upcall(String name, MethodHandle target, FunctionDescriptor descriptor) {
        MethodHandle safe = MethodHandles.catchException(target, Throwable.class,
                swallow(target.type()));
        MemorySegment stub = LINKER.upcallStub(safe, descriptor, arena);
        return address(name, stub.address());
    }

    /**
     * Binds {@code name} (e.g. {@code printk}, C {@code int printk(const char *fmt, ...)}) to an
     * upcall that hands the format string, unformatted, to {@code sink} and returns its length.
     * Only the first argument is read: variadic arguments arrive in the registers of ordinary
     * ones on the x86_64, AArch64 and RISC-V Linux ABIs, so the callee may ignore them.
     *
     * @param name the symbol name the module uses
     * @param sink what receives each formatted message
     * @return these bindings
     */
    public NativeBindings printk(String name, Consumer<String> sink) {
        Objects.requireNonNull(sink);
        MethodHandle h = MethodHandles.insertArguments(PRINTK, 0, sink);
        return upcall(name, h, FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS));
    }

    /**
     * {@link #printk(String, Consumer)} under the name {@code printk}.
     * @param sink what receives each formatted message
     * @return these bindings
     */
    public NativeBindings printk(Consumer<String> sink) {
        return printk("printk", sink);
    }

    /**
     * Where exceptions thrown by upcall targets go (they never reach the C caller).
     * @param consumer what receives the throwable
     * @return these bindings
     */
    public NativeBindings onError(Consumer<Throwable> consumer) {
        this.errors = Objects.requireNonNull(consumer);
        return this;
    }

    /** {@return the name → address map to pass to the link, in binding order} */
    public Map<String, Long> addresses() {
        return Collections.unmodifiableMap(addresses);
    }

    /**
     * {@return the NUL-terminated string at {@code address} (at most 64 KiB is searched), as UTF-8}
     * @param pointer a NUL-terminated C string
     */
    public static String string(MemorySegment pointer) {
        if (pointer.equals(MemorySegment.NULL)) {
            return "(null)";
        }
        return pointer.reinterpret(MAX_STRING).getString(0);
    }

    /** Frees the upcall stubs: code that still calls them would crash. Safe twice. */
    @Override
    public void close() {
        if (arena.scope().isAlive()) {
            arena.close();
        }
    }

    private static int printkTarget(Consumer<String> sink, MemorySegment fmt) {
        String s = string(fmt);
        sink.accept(s);
        return s.length();
    }

    private static final MethodHandle PRINTK;
    private static final MethodHandle REPORT;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            PRINTK = l.findStatic(NativeBindings.class, "printkTarget",
                    MethodType.methodType(int.class, Consumer.class, MemorySegment.class));
            REPORT = l.findVirtual(NativeBindings.class, "report",
                    MethodType.methodType(void.class, Throwable.class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private void report(Throwable t) {
        try {
            errors.accept(t);
        } catch (Throwable ignored) {
            // nothing may escape into native code
        }
    }

    /** A handler (Throwable, args...) → zero of the return type, after reporting. */
    private MethodHandle swallow(MethodType type) {
        Class<?> r = type.returnType();
        MethodHandle zero = r == void.class ? MethodHandles.empty(MethodType.methodType(void.class))
                : r == MemorySegment.class ? MethodHandles.constant(MemorySegment.class, MemorySegment.NULL)
                : MethodHandles.zero(r);
        MethodHandle reportThenZero = MethodHandles.foldArguments(
                MethodHandles.dropArguments(zero, 0, Throwable.class), REPORT.bindTo(this));
        return MethodHandles.dropArguments(reportThenZero, 1, type.parameterList());
    }
}
