package dev.kobj.registry;

import dev.kobj.link.LoadedImage;
import dev.kobj.registry.ModuleException.Errno;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The status views (kmadmin -q/-Q/-s/-S, kldstat, modstat): one module by id or name, the
 * whole list, and what a module may ask about itself from its lifecycle calls (its sections,
 * its STAT report).
 */
final class Listings {
    private final RegistryState s;
    private final Lifecycle lifecycle;

    Listings(RegistryState s, Lifecycle lifecycle) {
        this.s = s;
        this.lifecycle = lifecycle;
    }

    Optional<ModuleInfo> status(int id) {
        s.enter();
        try {
            return Optional.ofNullable(s.byId.get(id)).map(m -> m.info(s.delay));
        } finally {
            s.exit();
        }
    }

    Optional<ModuleInfo> status(String name) {
        s.enter();
        try {
            Module m = s.byName.get(name);
            if (m != null) {
                return Optional.of(m.info(s.delay));
            }
            BuiltinModule b = s.builtins.get(name);
            if (b != null) {
                return Optional.of(registered(b.metadata(), ModuleSource.BUILTIN));
            }
            RegistryState.Preloaded p = s.preloaded.get(name);
            if (p != null) {
                return Optional.of(registered(p.metadata().metadata(), ModuleSource.PRELOADED));
            }
            return Optional.empty();
        } finally {
            s.exit();
        }
    }

    static ModuleInfo registered(ModuleMetadata md, ModuleSource source) {
        return new ModuleInfo(0, md.name(), md.moduleClass(), ModuleState.REGISTERED, source, 0, 0, 0, 0, 0, List.of(),
                List.of(), md.version(), false, Duration.ZERO, Optional.empty(), md);
    }

    List<ModuleInfo> list() {
        s.enter();
        try {
            return s.byId.values().stream().sorted(Comparator.comparingInt(m -> m.id)).map(m -> m.info(s.delay)).toList();
        } finally {
            s.exit();
        }
    }

    SectionInfo findSection(String name) throws ModuleException {
        s.enter();
        try {
            RegistryState.Active a = s.active.get().peek();
            if (a == null || a.command() != ModuleCommand.INIT) {
                throw new ModuleException(Errno.ENOENT, "findSection(" + name + ") outside a module's INIT");
            }
            Module m = a.module();
            if (m.image == null) {
                throw new ModuleException(Errno.ENOENT, "module " + m.name + " has no object to find " + name + " in");
            }
            LoadedImage.PlacedSection sec = m.image.section(name).orElseThrow(() -> new ModuleException(Errno.ENOENT,
                    "module " + m.name + " has no loaded section " + name));
            return new SectionInfo(sec.name(), sec.address(), sec.size());
        } finally {
            s.exit();
        }
    }

    Map<String, String> stat(String name) throws ModuleException {
        s.enter();
        try {
            Module m = s.byName.get(name);
            if (m == null || m.state != ModuleState.LOADED) {
                throw new ModuleException(Errno.ENOENT, "module " + name + " is not loaded");
            }
            Map<String, String> report = new LinkedHashMap<>();
            lifecycle.runHandlerChecked(m, ModuleCommand.STAT, report);
            return report;
        } finally {
            s.exit();
        }
    }
}
