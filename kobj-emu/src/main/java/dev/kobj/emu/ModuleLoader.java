package dev.kobj.emu;

import dev.kobj.elf.ElfFile;
import dev.kobj.elf.ElfFormatException;
import dev.kobj.link.LoadedImage;
import dev.kobj.registry.ModuleCommand;
import dev.kobj.registry.ModuleContext;
import dev.kobj.registry.ModuleException;
import dev.kobj.registry.ModuleException.Errno;
import dev.kobj.registry.ModuleHandler;
import dev.kobj.registry.ModuleLocator;
import dev.kobj.registry.ModuleRegistry;
import dev.kobj.symtab.ChainedLookup;
import dev.kobj.symtab.KernelSymbol;
import dev.kobj.symtab.SymbolLookup;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The machine's module registry ({@code dev.kobj.registry}) with the guest memory as its
 * {@code HostMemory}: modules and their dependencies load through it (dependencies first, each
 * once, refcounted, exports in the registry's table), their undefined symbols bound per object to
 * the kernel's trampolines and data slots ({@link Bindings}, as the registry's {@code LinkBindings}),
 * their lifecycle calls running the module's own code in the guest: INIT runs {@code init_module}
 * (a non-zero return fails the load, which the registry undoes), FINI {@code cleanup_module}.
 * Objects loaded outside the registry ({@link Machine#load(ElfFile)}: shims, plain objects) are
 * part of the kernel from the registry's point of view: their globals are its kernel symbols.
 */
final class ModuleLoader implements ModuleHandler {

    /** The load property naming the function INIT runs for the module asked for (its dependencies run init_module). */
    static final String INIT_PROPERTY = "kobj.emu.init";

    /**
     * Linux limits no dependency chain (modprobe loads depends= recursively; Debian 6.1 has chains
     * of 7, e.g. snd-sof-pci-intel-tgl), so NetBSD's depth limit of 6 is lifted well above them.
     */
    static final int LINUX_MAX_DEPTH = 64;

    private final Machine machine;
    private final Kernel kernel;
    private final Cpu cpu;
    private final List<SymbolLookup> direct = new ArrayList<>();
    private final ModuleRegistry registry;
    private final List<Run> runs = new ArrayList<>();
    private final Map<String, LoadedImage> images = new HashMap<>();
    private ModuleTree tree;
    private boolean quiet;
    /** What the init of the module asked for (not its dependencies') registered. */
    private List<Kernel.Registration> registered = List.of();

    ModuleLoader(Machine machine, Kernel kernel, Cpu cpu, Options options) {
        this.machine = machine;
        this.kernel = kernel;
        this.cpu = cpu;
        this.registry = ModuleRegistry.builder()
                .memory(machine.memory())
                .kernelSymbols(new DirectSymbols())
                .linkPolicy(options.policy())
                .linkBindings(this::bindings)
                .locator(new TreeLocator())
                .defaultHandler(this)
                .maxDepth(LINUX_MAX_DEPTH)
                .build();
    }

    ModuleRegistry registry() {
        return registry;
    }

    /** The symbols of the registry's modules and of the objects loaded outside it. */
    SymbolLookup symbols() {
        return registry.symbols();
    }

    /** Makes the globals (or {@code __ksymtab} exports) of an object loaded outside the registry visible to later loads. */
    void addDirect(SymbolLookup exports) {
        direct.add(0, exports);
    }

    private Map<String, Long> bindings(ElfFile object, SymbolLookup symbols) throws ModuleException {
        try {
            return Bindings.of(object, cpu, kernel, symbols);
        } catch (ElfFormatException | EmuException e) {
            throw new ModuleException(Errno.ENOEXEC, object.name() + ": " + e.getMessage(), e);
        }
    }

    /** What {@link Machine#loadModule} did: the lifecycle runs in order, and the module when it stayed loaded. */
    record Result(String name, List<Run> runs, Optional<LoadedImage> image, List<Kernel.Registration> registered) {
    }

    Result load(Path module, ModuleTree modules, String init) throws EmuException {
        this.tree = modules;
        this.registered = List.of();
        int first = runs.size();
        try {
            var info = registry.load(module, java.util.Set.of(), Map.of(INIT_PROPERTY, init),
                    dev.kobj.registry.ModuleClass.ANY);
            return new Result(info.name(), List.copyOf(runs.subList(first, runs.size())), image(info.name()),
                    registered);
        } catch (ModuleException e) {
            List<Run> done = List.copyOf(runs.subList(first, runs.size()));
            if (!done.isEmpty() && !succeeded(done.getLast())) {
                String file = module.getFileName().toString();
                return new Result(java.util.Objects.requireNonNullElse(ModuleTree.name(module), file), done,
                        Optional.empty(), registered);
            }
            throw new EmuException(module + ": " + e.getMessage(), e);
        } finally {
            quiet = false;
        }
    }

    /** {@return the image of the registry's module {@code name}, while it is loaded} */
    Optional<LoadedImage> image(String name) {
        return Optional.ofNullable(images.get(name));
    }

    /** Unloads {@code name} through the registry (FINI runs {@code cleanup_module}): the run, or empty when it has none. */
    Optional<Run> unload(String name) throws EmuException {
        int first = runs.size();
        try {
            registry.unload(name);
        } catch (ModuleException e) {
            throw new EmuException(name + ": " + e.getMessage(), e);
        }
        return runs.size() > first ? Optional.of(runs.getLast()) : Optional.empty();
    }

    void close() {
        quiet = true;
        registry.close();
    }

    private static boolean succeeded(Run r) {
        return r.returned().orElse(-1) == 0;
    }

    @Override
    public void command(ModuleCommand command, ModuleContext context) throws ModuleException {
        LoadedImage image = context.image().orElse(null);
        if (image == null) {
            return;
        }
        switch (command) {
            case INIT -> {
                kernel.addImage(image);
                images.put(context.name(), image);
                String init = context.properties().get(INIT_PROPERTY);
                String symbol = init != null ? init : "init_module";
                if (image.symbol(symbol).isEmpty()) {
                    return;
                }
                int before = kernel.registrations().size();
                Run r = call(image, symbol, init != null ? symbol : context.name() + ":" + symbol);
                if (init != null) {
                    List<Kernel.Registration> all = kernel.registrations();
                    registered = List.copyOf(all.subList(before, all.size()));
                }
                if (!succeeded(r)) {
                    images.remove(context.name());
                    kernel.removeImage(image);
                    quiet = true; // the registry undoes the load: the dependencies it loaded go without running their exits
                    int rv = r.returned().orElse(Integer.MIN_VALUE);
                    throw new ModuleException(errno(rv), context.name() + ": " + symbol + " "
                            + (r.returned().isPresent() ? "returned " + rv : "did not complete: " + r.outcome()));
                }
            }
            case FINI -> {
                try {
                    if (!quiet && image.symbol("cleanup_module").isPresent()) {
                        call(image, "cleanup_module", "cleanup_module");
                    }
                } finally {
                    images.remove(context.name());
                    kernel.removeImage(image);
                }
            }
            default -> {
            }
        }
    }

    private Run call(LoadedImage image, String symbol, String label) throws ModuleException {
        try {
            Run r = machine.run(image, symbol);
            r = new Run(label, r.address(), r.outcome(), r.calls(), r.instructions(), r.nanos());
            runs.add(r);
            return r;
        } catch (EmuException e) {
            throw new ModuleException(Errno.ENOEXEC, context(image) + e.getMessage(), e);
        }
    }

    private static String context(LoadedImage image) {
        return image.name() + ": ";
    }

    /** The registry's errno for an init's return value (Linux passes the value itself to init_module(2)'s caller). */
    private static Errno errno(int rv) {
        return switch (rv) {
            case -1 -> Errno.EPERM;
            case -2 -> Errno.ENOENT;
            case -16 -> Errno.EBUSY;
            case -17 -> Errno.EEXIST;
            case -19 -> Errno.ENODEV;
            default -> Errno.EINVAL;
        };
    }

    /** The objects loaded outside the registry, newest first: the registry's kernel symbols. */
    private final class DirectSymbols implements SymbolLookup {
        @Override
        public Optional<KernelSymbol> lookup(String name) {
            return new ChainedLookup(direct).lookup(name);
        }

        @Override
        public Optional<KernelSymbol> nearest(long address) {
            return new ChainedLookup(direct).nearest(address);
        }

        @Override
        public int size() {
            return new ChainedLookup(direct).size();
        }
    }

    /**
     * Module names to files through the {@link ModuleTree} of the current load, as modprobe uses
     * modules.dep: dependencies come from {@code depends=}, so no export index is built.
     */
    private final class TreeLocator implements ModuleLocator {
        @Override
        public Optional<Path> find(String name, List<Path> searchPath) {
            return tree == null ? Optional.empty() : tree.find(name);
        }

        @Override
        public List<Path> candidates(List<Path> searchPath) {
            return List.of();
        }
    }
}
