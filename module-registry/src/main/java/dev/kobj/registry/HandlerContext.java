package dev.kobj.registry;

import dev.kobj.link.LoadedImage;
import java.util.Map;
import java.util.Optional;

/** What a module's handler sees of itself and of the registry during one lifecycle call. */
final class HandlerContext implements ModuleContext {
    private final RegistryState s;
    private final Module m;
    private final Map<String, String> report;

    /** @param report where a STAT call's {@link #report} goes; null for the other commands */
    HandlerContext(RegistryState s, Module m, Map<String, String> report) {
        this.s = s;
        this.m = m;
        this.report = report;
    }

    @Override
    public int id() {
        return m.id;
    }

    @Override
    public String name() {
        return m.name;
    }

    @Override
    public ModuleClass moduleClass() {
        return m.metadata.moduleClass();
    }

    @Override
    public ModuleMetadata metadata() {
        return m.metadata;
    }

    @Override
    public Optional<LoadedImage> image() {
        return Optional.ofNullable(m.image);
    }

    @Override
    public Map<String, String> properties() {
        return m.properties;
    }

    @Override
    public KernelServices kernel() {
        return s.kernel;
    }

    @Override
    public ModuleRegistry registry() {
        return s.registry;
    }

    @Override
    public void report(String key, String value) {
        if (report != null) {
            report.put(key, value);
        }
    }
}
