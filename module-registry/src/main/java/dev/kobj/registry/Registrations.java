package dev.kobj.registry;

import dev.kobj.elf.ElfFile;
import dev.kobj.elf.ElfFormatException;
import dev.kobj.registry.ModuleException.Errno;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What the registry knows before anything loads: builtin and preloaded modules, handlers by
 * module name, listeners, and the search path (kmadmin -d prepends, -D resets).
 */
final class Registrations {
    private final RegistryState s;

    Registrations(RegistryState s) {
        this.s = s;
    }

    void registerBuiltin(BuiltinModule b) throws ModuleException {
        s.enter();
        try {
            String n = b.name();
            if (s.builtins.containsKey(n) || s.preloaded.containsKey(n) || s.byName.containsKey(n)) {
                throw new ModuleException(Errno.EEXIST, "a module named " + n + " is already registered");
            }
            s.builtins.put(n, b);
        } finally {
            s.exit();
        }
    }

    String preload(String fileName, byte[] bytes) throws ModuleException {
        Metadata md;
        try (ElfFile elf = ElfFile.of(fileName, bytes.clone())) {
            md = Metadata.read(elf, Optional.empty(), false);
        } catch (ElfFormatException e) {
            throw new ModuleException(Errno.ENOEXEC, fileName + ": " + e.getMessage(), e);
        }
        s.enter();
        try {
            String n = md.metadata().name();
            if (s.builtins.containsKey(n) || s.preloaded.containsKey(n) || s.byName.containsKey(n)) {
                throw new ModuleException(Errno.EEXIST, "a module named " + n + " is already registered");
            }
            s.preloaded.put(n, new RegistryState.Preloaded(fileName, bytes.clone(), md));
            return n;
        } finally {
            s.exit();
        }
    }

    void setHandler(String name, ModuleHandler h) {
        s.enter();
        try {
            s.handlers.put(name, h);
        } finally {
            s.exit();
        }
    }

    void addListener(RegistryListener l) {
        s.listeners.add(l);
    }

    void removeListener(RegistryListener l) {
        s.listeners.remove(l);
    }

    // ================================================================== search path

    List<Path> searchPath() {
        s.enter();
        try {
            return List.copyOf(s.searchPath);
        } finally {
            s.exit();
        }
    }

    void prependSearchPath(Path dir) {
        s.enter();
        try {
            s.searchPath.addFirst(dir);
            s.index.invalidate();
        } finally {
            s.exit();
        }
    }

    void resetSearchPath() {
        s.enter();
        try {
            s.searchPath.clear();
            s.searchPath.addAll(s.defaultPath);
            s.index.invalidate();
        } finally {
            s.exit();
        }
    }
}
