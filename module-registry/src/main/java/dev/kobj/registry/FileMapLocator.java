package dev.kobj.registry;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A fixed set of module files by name ({@link ModuleLocator#of}); the search path plays no part. */
final class FileMapLocator implements ModuleLocator {
    private final Map<String, Path> files;

    FileMapLocator(Map<String, Path> files) {
        this.files = new LinkedHashMap<>(files);
    }

    @Override
    public Optional<Path> find(String name, List<Path> searchPath) {
        return Optional.ofNullable(files.get(name));
    }

    @Override
    public List<Path> candidates(List<Path> searchPath) {
        return List.copyOf(files.values());
    }
}
