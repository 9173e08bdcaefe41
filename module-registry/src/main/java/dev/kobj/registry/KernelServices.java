package dev.kobj.registry;

import java.util.Optional;

/**
 * The hook through which the registry reaches the (simulated) kernel: its class-specific
 * services (system-call table, device nodes, file-system types, exec interpreters, security
 * models) and class-specific lifecycle handlers. Implemented by the simulated kernel; the
 * registry itself needs none of it.
 */
public interface KernelServices {

    /** No services. */
    KernelServices NONE = new KernelServices() {
        @Override
        public String toString() {
            return "no kernel services";
        }
    };

    /**
     * {@return the kernel service of type {@code type}}, e.g. the system-call table a SYSCALL
     * module registers through; empty when this kernel has none
     *
     * @param <T>  the service's type
     * @param type the service's class
     */
    default <T> Optional<T> service(Class<T> type) {
        return Optional.empty();
    }

    /**
     * {@return the handler for {@code candidate}} when the kernel has one for its class; asked
     * when the load did not supply a handler. A kernel's handler may itself call the module's
     * own code (e.g. {@link NativeModuleHandler}) around what it registers.
     *
     * @param candidate the module about to be loaded
     */
    default Optional<ModuleHandler> handlerFor(ModuleCandidate candidate) {
        return Optional.empty();
    }

    /**
     * Told after a module is loaded (its INIT succeeded, its exports are visible).
     * @param module the module
     */
    default void loaded(ModuleInfo module) {
    }

    /**
     * Told after a module is unloaded (its FINI succeeded, its exports are gone).
     * @param module the module
     */
    default void unloaded(ModuleInfo module) {
    }
}
