package dev.kobj.registry;

/** Hears the registry's {@link RegistryEvent}s. A listener that throws is ignored (the event stands). */
@FunctionalInterface
public interface RegistryListener {
    /**
     * Told of one event.
     * @param event what happened
     */
    void event(RegistryEvent event);
}
