package dev.kobj.registry;

import dev.kobj.elf.ElfFile;
import dev.kobj.link.LoadedImage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** One module's mutable record; guarded by the registry's lock. */
final class Module {
    final String name;
    final ModuleSource source;
    final ModuleMetadata metadata;
    final Map<String, String> properties;
    final ModuleHandler handler;
    final Optional<Path> path;
    int id;
    ModuleState state;
    /** The object, when the registry opened it (closed at unload). */
    ElfFile elf;
    LoadedImage image;
    final List<Module> requires = new ArrayList<>();
    final Set<Module> requiredBy = new LinkedHashSet<>();
    int holds;
    boolean autoloaded;
    boolean noAutoload;
    /** Ticker time after which an autoloaded module may go. */
    long deadline;

    Module(String name, ModuleSource source, ModuleMetadata metadata, Map<String, String> properties,
            ModuleHandler handler, Optional<Path> path) {
        this.name = name;
        this.source = source;
        this.metadata = metadata;
        this.properties = Map.copyOf(properties);
        this.handler = handler;
        this.path = path;
    }

    int refcount() {
        return holds + requiredBy.size();
    }

    boolean live() {
        return state == ModuleState.LOADED || state == ModuleState.INITIALIZING || state == ModuleState.UNLOADING;
    }

    boolean candidate() {
        return autoloaded && !noAutoload;
    }

    ModuleInfo info(Duration delay) {
        long address = 0;
        long size = 0;
        if (image != null && !image.regions().isEmpty()) {
            address = image.regions().getFirst().address();
            for (LoadedImage.Region r : image.regions()) {
                if (r.layout() == LoadedImage.Layout.CORE) {
                    size += r.size();
                }
            }
        }
        return new ModuleInfo(id, name, metadata.moduleClass(), state, source, address, size, refcount(), holds,
                requiredBy.size(), requires.stream().map(m -> m.name).toList(),
                requiredBy.stream().map(m -> m.name).toList(), metadata.version(), autoloaded,
                candidate() ? delay : Duration.ZERO, path, metadata);
    }
}
