package dev.kobj.registry;

import dev.kobj.elf.ElfFile;
import dev.kobj.elf.ElfFormatException;
import dev.kobj.link.LinkException;
import dev.kobj.link.LinkRequest;
import dev.kobj.link.Linker;
import dev.kobj.link.LoadedImage;
import dev.kobj.registry.ModuleException.Errno;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Finding and opening the object of a module to load: a registered builtin, a preloaded
 * image, or a file found through the search path; the handler that will run its lifecycle;
 * and its link into the registry's memory. Call with the registry's lock held.
 */
final class Opening {
    private final RegistryState s;

    Opening(RegistryState s) {
        this.s = s;
    }

    /** The object to load, opened: the registry owns {@code elf} until a {@link Module} takes it. */
    final class Opened implements AutoCloseable {
        ModuleSource source;
        Optional<Path> path = Optional.empty();
        ElfFile elf;
        Metadata metadata;
        BuiltinModule builtin;

        String where() {
            return path.map(Path::toString).orElse(source.name().toLowerCase() + " module " + metadata.metadata().name());
        }

        @Override
        public void close() {
            if (elf != null) {
                elf.close();
                elf = null;
            }
        }
    }

    Opened open(String name, Path path, Set<LoadFlag> flags) throws ModuleException {
        Opened o = new Opened();
        if (name != null) {
            BuiltinModule b = s.builtins.get(name);
            if (b != null) {
                o.source = ModuleSource.BUILTIN;
                o.builtin = b;
                o.metadata = new Metadata(b.metadata(), Map.of());
                return o;
            }
            RegistryState.Preloaded p = s.preloaded.get(name);
            if (p != null) {
                o.source = ModuleSource.PRELOADED;
                o.metadata = p.metadata();
                try {
                    o.elf = ElfFile.of(p.fileName(), p.bytes());
                } catch (ElfFormatException e) {
                    throw new ModuleException(Errno.ENOEXEC, p.fileName() + ": " + e.getMessage(), e);
                }
                return o;
            }
            path = s.locator.find(name, List.copyOf(s.searchPath)).orElseThrow(() -> new ModuleException(Errno.ENOENT,
                    "module " + name + " not found in the search path " + s.searchPath));
        }
        o.source = ModuleSource.FILE;
        o.path = Optional.of(path);
        if (!Files.isRegularFile(path)) {
            throw new ModuleException(Errno.ENOENT, path + ": no such file");
        }
        try {
            o.elf = ElfFile.open(path);
            o.metadata = Metadata.read(o.elf, o.path, !flags.contains(LoadFlag.NO_PROPS));
        } catch (IOException e) {
            o.close();
            throw new ModuleException(Errno.ENOENT, path + ": " + e.getMessage(), e);
        } catch (ElfFormatException e) {
            o.close();
            throw new ModuleException(Errno.ENOEXEC, path + ": " + e.getMessage(), e);
        } catch (ModuleException e) {
            o.close();
            throw e;
        }
        return o;
    }

    ModuleHandler handlerFor(Opened o, ModuleCandidate c) {
        if (o.builtin != null) {
            return o.builtin.handler();
        }
        ModuleHandler h = s.handlers.get(c.name());
        if (h != null) {
            return h;
        }
        Optional<ModuleHandler> k = s.kernel.handlerFor(c);
        if (k.isPresent()) {
            return k.get();
        }
        if ("native".equals(s.memory.kind())) {
            return NativeModuleHandler.INSTANCE;
        }
        return s.defaultHandler != null ? s.defaultHandler : ModuleHandler.NONE;
    }

    LoadedImage link(ElfFile elf, String name, String where) throws ModuleException {
        // kobj's layout: one core and one init allocation per module, core = [loadAddress, +size), as the
        // registry's listings (kldstat, kmadmin) describe a module; kobjdump link replays the kernel's layouts
        LinkRequest req = LinkRequest.builder(s.memory).symbols(s.symbols).policy(s.linkPolicy).bindAll(s.bindings)
                .bindAll(s.linkBindings.bindingsFor(elf, s.symbols)).layout(dev.kobj.link.LayoutStrategy.KOBJ).build();
        try {
            return Linker.link(elf, req);
        } catch (LinkException e) {
            throw new ModuleException(Errno.ENOEXEC, name + " (" + where + "): " + e.getMessage(), e);
        }
    }
}
