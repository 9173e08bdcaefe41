package dev.kobj.registry;

import dev.kobj.symtab.SymbolLookup;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The registry's state and its operations under one lock. */
final class RegistryCore {
    RegistryCore(ModuleRegistry registry, ModuleRegistry.Builder b) {
    }

    ModuleInfo load(String nameOrPath, Set<LoadFlag> flags, Map<String, String> props, ModuleClass cls, boolean auto)
            throws ModuleException {
        throw new UnsupportedOperationException("not yet");
    }

    ModuleInfo loadPath(Path path, Set<LoadFlag> flags, Map<String, String> props, ModuleClass cls)
            throws ModuleException {
        throw new UnsupportedOperationException("not yet");
    }

    ModuleInfo autoload(String name, ModuleClass cls) throws ModuleException {
        throw new UnsupportedOperationException("not yet");
    }

    void unload(String name) throws ModuleException {
        throw new UnsupportedOperationException("not yet");
    }

    void unload(int id) throws ModuleException {
        throw new UnsupportedOperationException("not yet");
    }

    List<String> unloadAll() {
        throw new UnsupportedOperationException("not yet");
    }

    void hold(String name) throws ModuleException {
        throw new UnsupportedOperationException("not yet");
    }

    void rele(String name) throws ModuleException {
        throw new UnsupportedOperationException("not yet");
    }

    List<ModuleInfo> initClass(ModuleClass cls) {
        throw new UnsupportedOperationException("not yet");
    }

    SectionInfo findSection(String name) throws ModuleException {
        throw new UnsupportedOperationException("not yet");
    }

    Map<String, String> stat(String name) throws ModuleException {
        throw new UnsupportedOperationException("not yet");
    }

    List<String> runAutounload() {
        throw new UnsupportedOperationException("not yet");
    }

    void registerBuiltin(BuiltinModule m) throws ModuleException {
        throw new UnsupportedOperationException("not yet");
    }

    String preload(String fileName, byte[] bytes) throws ModuleException {
        throw new UnsupportedOperationException("not yet");
    }

    void setHandler(String name, ModuleHandler h) {
        throw new UnsupportedOperationException("not yet");
    }

    void addListener(RegistryListener l) {
        throw new UnsupportedOperationException("not yet");
    }

    void removeListener(RegistryListener l) {
        throw new UnsupportedOperationException("not yet");
    }

    List<Path> searchPath() {
        throw new UnsupportedOperationException("not yet");
    }

    void prependSearchPath(Path dir) {
        throw new UnsupportedOperationException("not yet");
    }

    void resetSearchPath() {
        throw new UnsupportedOperationException("not yet");
    }

    Optional<ModuleInfo> status(int id) {
        throw new UnsupportedOperationException("not yet");
    }

    Optional<ModuleInfo> status(String name) {
        throw new UnsupportedOperationException("not yet");
    }

    List<ModuleInfo> list() {
        throw new UnsupportedOperationException("not yet");
    }

    SymbolLookup exports() {
        throw new UnsupportedOperationException("not yet");
    }

    SymbolLookup symbols() {
        throw new UnsupportedOperationException("not yet");
    }

    KernelServices kernel() {
        throw new UnsupportedOperationException("not yet");
    }

    void close() {
    }
}
