package dev.kobj.emu;

import dev.kobj.elf.ElfFile;
import dev.kobj.elf.ElfFormatException;
import dev.kobj.elf.ElfSymbol;
import dev.kobj.emu.unicorn.Engine;
import dev.kobj.emu.unicorn.Unicorn;
import dev.kobj.link.LinkException;
import dev.kobj.link.LinkRequest;
import dev.kobj.link.Linker;
import dev.kobj.link.LoadPolicy;
import dev.kobj.link.LoadedImage;
import dev.kobj.symtab.KernelSymbol;
import dev.kobj.symtab.KernelSymbolTable;
import dev.kobj.symtab.SymbolLookup;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * An emulated machine: one CPU of the object's architecture (Unicorn 2 through java.lang.foreign),
 * its memory ({@link #memory()}, where {@link Linker#link} writes images straight into the guest),
 * and a kernel whose functions are Java {@link Handlers}. Objects are loaded in order
 * (dependencies and shims first): each resolves against the images loaded before it (a module's
 * {@code __ksymtab} exports, a plain object's global definitions), then against the kernel's stubs
 * and data slots ({@link Bindings}). {@link #run} calls a function with an instruction budget and
 * a wall-clock limit; whatever the guest does ends in an {@link Outcome}.
 *
 * <pre>{@code
 * try (Machine m = Machine.open(Machine.options(Cpu.X86_64).build());
 *      ElfFile ko = ElfFile.open(path)) {
 *     LoadedImage img = m.load(ko);
 *     Run init = m.run(img, "init_module");
 *     m.kernel().console().forEach(l -> System.out.println(l.text()));
 * }
 * }</pre>
 *
 * <p>Not thread-safe: one thread drives a machine.
 */
public final class Machine implements AutoCloseable {

    private final Options options;
    private final Cpu cpu;
    private final Engine engine;
    private final GuestMemory memory;
    private final Kernel kernel;
    private final List<LoadedImage> images = new ArrayList<>();
    private final ModuleLoader loader;
    /** Host pages mapped into the guest by the machine itself (x86-64's mirrored areas), freed after the CPU. */
    private final List<java.lang.foreign.MemorySegment> hostPages = new ArrayList<>();
    private final List<ElfFile> files = new ArrayList<>();
    private final Hooks hooks;

    private Machine(Options options) throws EmuException {
        this.options = options;
        this.cpu = options.cpu();
        this.engine = new Engine(cpu.ucArch, cpu.ucMode);
        try {
            this.memory = new GuestMemory(engine, cpu.moduleBase(), cpu == Cpu.X86_64 ? Cpu.GS_BASE : 0);
            this.kernel = new Kernel(engine, cpu, options.handlers().copy(), options.kernelTable());
            mapKernel();
            this.hooks = new Hooks(engine, cpu, kernel, options);
            this.loader = new ModuleLoader(this, kernel, cpu, options);
        } catch (EmuException | RuntimeException e) {
            engine.close();
            hostPages.forEach(HostPages::unmap);
            throw e;
        }
    }

    /** {@return why no machine can be made here (libunicorn missing: one line), or empty when it can} */
    public static java.util.Optional<String> unavailable() {
        return java.util.Optional.ofNullable(Unicorn.unavailableReason());
    }

    /** {@return options for a machine of {@code cpu}: standard handlers, 100M instructions, 10 s} */
    public static Options.Builder options(Cpu cpu) {
        return Options.builder(cpu);
    }

    /**
     * {@return a new machine}
     *
     * @throws EmulatorUnavailableException when libunicorn is not installed (one line saying so)
     * @throws EmuException                 when Unicorn refuses the CPU or a kernel mapping
     */
    public static Machine open(Options options) throws EmuException {
        return new Machine(options);
    }

    /** {@return a machine of the CPU {@code object} is built for, with {@code options}' other settings} */
    public static Machine forObject(ElfFile object, Options.Builder options) throws EmuException {
        int m = object.header().machine();
        Cpu c = Cpu.forMachine(m).orElseThrow(() -> new EmuException(object.name()
                + ": no emulated CPU for e_machine " + m + " (x86_64, AArch64 and RISC-V 64 only)"));
        if (!object.header().is64() || !object.header().littleEndian()) {
            throw new EmuException(object.name() + ": only 64-bit little-endian objects run");
        }
        return open(options.cpu(c).build());
    }

    private void mapKernel() throws EmuException {
        long k = cpu.kernelBase;
        engine.map(k + GuestMap.TEXT, GuestMap.TEXT_SIZE, Unicorn.PROT_READ | Unicorn.PROT_EXEC);
        byte[] text = new byte[(int) GuestMap.TEXT_SIZE];
        for (int at = 0; at + cpu.ret.length <= text.length; at += cpu.ret.length) {
            System.arraycopy(cpu.ret, 0, text, at, cpu.ret.length);
        }
        byte[] zeroRet = switch (cpu) {
            case X86_64 -> new byte[] {0x31, (byte) 0xc0, (byte) 0xc3}; // xor %eax,%eax; ret
            case AARCH64 -> new byte[] {0, 0, (byte) 0x80, (byte) 0xd2, (byte) 0xc0, 0x03, 0x5f, (byte) 0xd6};
            case RISCV64 -> new byte[] {0x13, 0x05, 0, 0, 0x67, (byte) 0x80, 0, 0}; // li a0,0; ret
        };
        System.arraycopy(zeroRet, 0, text, 16, zeroRet.length);
        engine.write(k + GuestMap.TEXT, text);
        int rw = Unicorn.PROT_READ | Unicorn.PROT_WRITE;
        engine.map(k + GuestMap.TASK, GuestMap.TASK_SIZE, rw);
        engine.map(k + GuestMap.STACK, GuestMap.STACK_SIZE, rw);
        if (cpu == Cpu.X86_64) {
            // x86-64 Linux reads per-CPU data %gs-relative: %gs:40 is the stack canary
            // (fixed_percpu_data at the start of the per-CPU area), %gs:sym a per-CPU variable. The
            // gs base is a per-CPU page (the canary in it); the data slots, the heap and the modules
            // are mapped a second time at GS_BASE + their address, so %gs:x is x itself (CPU 0's
            // per-CPU offset 0, as __per_cpu_offset and this_cpu_off, zero slots, say). Page 0 stays
            // unmapped: NULL reads fault, as on the other CPUs.
            engine.map(Cpu.GS_BASE, GuestMap.PAGE, rw);
            engine.write(Cpu.GS_BASE + 40, Guest.le64(Cpu.STACK_CANARY));
            for (long[] area : new long[][] {{GuestMap.DATA, GuestMap.DATA_SIZE}, {GuestMap.HEAP, GuestMap.HEAP_SIZE}}) {
                java.lang.foreign.MemorySegment pages = HostPages.map(area[1]);
                hostPages.add(pages);
                memory.mapBoth(k + area[0], pages, rw);
            }
        } else {
            engine.map(k + GuestMap.DATA, GuestMap.DATA_SIZE, rw);
            engine.map(k + GuestMap.HEAP, GuestMap.HEAP_SIZE, rw);
        }
    }

    /** {@return the CPU} */
    public Cpu cpu() {
        return cpu;
    }

    /** {@return the guest memory: a HostMemory for {@link Linker#link}} */
    public GuestMemory memory() {
        return memory;
    }

    /** {@return the kernel: heap, console, registrations, symbols} */
    public Kernel kernel() {
        return kernel;
    }

    /** {@return the images loaded, first loaded first} */
    public List<LoadedImage> images() {
        return List.copyOf(images);
    }

    /**
     * Links {@code object} into the guest: its undefined symbols resolve to the images loaded
     * before it, then to the kernel ({@link Bindings}). Load dependencies and shims first.
     *
     * @throws LinkException when the link fails (the guest keeps nothing of it)
     * @throws EmuException  for an object of another CPU or a full kernel area
     */
    public LoadedImage load(ElfFile object) throws LinkException, EmuException {
        if (Cpu.forMachine(object.header().machine()).orElse(null) != cpu) {
            throw new EmuException(object.name() + ": e_machine " + object.header().machine() + " is not "
                    + cpu + ", the CPU of this machine");
        }
        try {
            SymbolLookup loaded = loader.symbols();
            LinkRequest request = LinkRequest.builder(memory)
                    .symbols(loaded)
                    .policy(options.policy())
                    .bindAll(Bindings.of(object, cpu, kernel, loaded))
                    .build();
            LoadedImage image = Linker.link(object, request);
            images.add(image);
            kernel.addImage(image);
            loader.addDirect(exportsOf(object, image));
            return image;
        } catch (ElfFormatException e) {
            throw new EmuException(object.name() + ": " + e.getMessage(), e);
        }
    }

    /**
     * A module's __ksymtab exports; a plain object (no .modinfo) exports its global definitions.
     * Owned by "vmlinux": loaded outside the registry, they are part of the kernel it sees.
     */
    private static SymbolLookup exportsOf(ElfFile object, LoadedImage image) throws ElfFormatException {
        if (object.section(".modinfo").isPresent()) {
            List<KernelSymbol> out = new ArrayList<>();
            for (KernelSymbol k : image.exports()) {
                out.add(new KernelSymbol(k.name(), k.address(), k.crc(), KernelSymbol.VMLINUX, k.exportType(),
                        k.namespace()));
            }
            return KernelSymbolTable.of(image.name() + " exports", out, true);
        }
        List<KernelSymbol> globals = new ArrayList<>();
        var table = object.symbolTable();
        if (table.isPresent()) {
            for (ElfSymbol s : table.get().all()) {
                OptionalLong a = s.isUndefined() || s.bind() == 0 || s.name().isEmpty() ? OptionalLong.empty()
                        : image.symbol(s.name());
                if (a.isPresent()) {
                    globals.add(new KernelSymbol(s.name(), a.getAsLong(), -1, KernelSymbol.VMLINUX, "EXPORT_SYMBOL", ""));
                }
            }
        }
        return KernelSymbolTable.of(image.name() + " globals", globals, true);
    }

    /**
     * Runs the function {@code symbol} of {@code image} with {@code args} until it returns, faults,
     * calls an unhandled function, or exceeds the budget or the time limit.
     *
     * @throws EmuException when the image does not define {@code symbol}
     */
    public Run run(LoadedImage image, String symbol, long... args) throws EmuException {
        OptionalLong a = image.symbol(symbol);
        if (a.isEmpty()) {
            throw new EmuException(image.name() + " defines no " + symbol);
        }
        return run(symbol, a.getAsLong(), args);
    }

    /**
     * Runs the code at {@code address} (named {@code label} in the result) as
     * {@link #run(LoadedImage, String, long...)}, with integer arguments in the calling
     * convention's registers (at most 6 on x86-64, 8 on AArch64 and RISC-V).
     */
    public Run run(String label, long address, long... args) throws EmuException {
        if (args.length > cpu.registerArgs()) {
            throw new EmuException(args.length + " arguments: " + cpu + " passes " + cpu.registerArgs()
                    + " in registers");
        }
        return hooks.run(label, address, args);
    }

    /**
     * Opens {@code file} (kept open until the machine closes) and {@link #load(ElfFile) loads} it.
     *
     * @throws EmuException when the file cannot be read or parsed, or as {@link #load(ElfFile)}
     */
    public LoadedImage load(Path file) throws LinkException, EmuException {
        ElfFile elf;
        try {
            elf = ElfFile.open(file);
        } catch (IOException | ElfFormatException e) {
            throw new EmuException(file + ": " + e.getMessage(), e);
        }
        files.add(elf);
        return load(elf);
    }

    /**
     * Loads {@code module} through the machine's {@link #registry() module registry}, its
     * dependencies first ({@code depends=}, found in {@code tree}; each once, refcounted, their
     * exports in the registry's table): each one's {@code init_module} runs in the guest as the
     * kernel runs it at load, then the module's {@code init} (usually {@code init_module}). An
     * init that does not return 0 fails the load, and the registry undoes it (the dependencies it
     * loaded go too, without running their exits).
     *
     * @return the init runs in order (dependencies as {@code NAME:init_module}) and the module's
     *         image when it stayed loaded
     * @throws EmuException when a file cannot be read, a dependency is missing, or a link fails
     */
    public ModuleLoad loadModule(Path module, ModuleTree tree, String init) throws EmuException {
        ModuleLoader.Result r = loader.load(module, tree, init);
        return new ModuleLoad(r.name(), r.runs(), r.image(), r.registered());
    }

    /**
     * Unloads the registry's module {@code name} (its {@code cleanup_module} runs in the guest).
     *
     * @return the run of its cleanup_module, empty when it has none
     * @throws EmuException EBUSY while other modules depend on it, ENOENT when not loaded
     */
    public java.util.Optional<Run> unloadModule(String name) throws EmuException {
        return loader.unload(name);
    }

    /**
     * {@return the module registry whose memory is this guest}: status, listings, exports and
     * refcounts of the modules {@link #loadModule} loaded; objects loaded with {@link #load(ElfFile)}
     * are kernel symbols to it
     */
    public dev.kobj.registry.ModuleRegistry registry() {
        return loader.registry();
    }

    /** Closes the images (unmapping them), the CPU, and the files {@link #load(Path)} opened. */
    @Override
    public void close() {
        loader.close();
        for (int i = images.size() - 1; i >= 0; i--) {
            images.get(i).close();
        }
        images.clear();
        engine.close();
        hostPages.forEach(HostPages::unmap);
        hostPages.clear();
        for (ElfFile f : files) {
            f.close();
        }
        files.clear();
    }
}
