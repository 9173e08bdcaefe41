package dev.kobj.emu;

import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Kernel functions by name. {@link #standard()} is the library (printk family, kmalloc family,
 * string functions, locks/RCU/preemption as no-ops, registrations, kallsyms_lookup_name, the x86
 * thunks...); {@link #put} adds a handler or overrides one. A machine takes a copy when built.
 */
public final class Handlers {
    private final Map<String, KernelFunction> byName = new ConcurrentHashMap<>();

    private Handlers() {
    }

    /** {@return no handler at all} */
    public static Handlers empty() {
        return new Handlers();
    }

    /** {@return a new set holding the standard library of handlers} */
    public static Handlers standard() {
        Handlers h = new Handlers();
        PrintkHandlers.install(h);
        MemoryHandlers.install(h);
        StringHandlers.install(h);
        NoopHandlers.install(h);
        RegistrationHandlers.install(h);
        LibHandlers.install(h);
        SurveyHandlers.install(h);
        NoprofHandlers.install(h);
        return h;
    }

    /** Answers calls of {@code name} with {@code function}, replacing any handler of that name. @return this */
    public Handlers put(String name, KernelFunction function) {
        byName.put(name, function);
        return this;
    }

    /** Answers calls of each of {@code names} with {@code value}. @return this */
    public Handlers constant(long value, String... names) {
        for (String n : names) {
            put(n, c -> value);
        }
        return this;
    }

    /** Removes the handler of {@code name}. @return this */
    public Handlers remove(String name) {
        byName.remove(name);
        return this;
    }

    /**
     * {@return the handler of {@code name}}; an x86 static-call trampoline {@code __SCT__f}
     * (include/linux/static_call.h) is answered by the handler of {@code f}
     */
    public Optional<KernelFunction> get(String name) {
        KernelFunction f = byName.get(name);
        if (f == null && name.startsWith("__SCT__")) {
            f = byName.get(name.substring("__SCT__".length()));
        }
        return Optional.ofNullable(f);
    }

    /** {@return the names handled, sorted} */
    public Set<String> names() {
        return Collections.unmodifiableSet(new TreeMap<>(byName).keySet());
    }

    /** {@return a copy} */
    public Handlers copy() {
        Handlers h = new Handlers();
        h.byName.putAll(byName);
        return h;
    }
}
