package dev.kobj.registry.kernel;

import dev.kobj.link.LoadedImage;
import dev.kobj.registry.KernelServices;
import dev.kobj.registry.ModuleClass;
import dev.kobj.registry.ModuleContext;
import dev.kobj.registry.ModuleMetadata;
import dev.kobj.registry.ModuleRegistry;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A module as a handler sees it, without a registry: for driving handlers directly. */
record TestContext(int id, String name, ModuleClass moduleClass, ModuleMetadata metadata, Optional<LoadedImage> image,
        Map<String, String> properties, KernelServices kernel, Map<String, String> reports) implements ModuleContext {

    static TestContext of(String name, ModuleClass c, KernelServices k, Map<String, String> props) {
        return new TestContext(1, name, c, ModuleMetadata.of(name, c, 1, List.of()), Optional.empty(), props, k,
                new LinkedHashMap<>());
    }

    static TestContext of(String name, ModuleClass c, KernelServices k, LoadedImage image, Map<String, String> props) {
        return new TestContext(1, name, c, ModuleMetadata.of(name, c, 1, List.of()), Optional.of(image), props, k,
                new LinkedHashMap<>());
    }

    @Override
    public ModuleRegistry registry() {
        throw new UnsupportedOperationException("no registry in this test");
    }

    @Override
    public void report(String key, String value) {
        reports.put(key, value);
    }
}
