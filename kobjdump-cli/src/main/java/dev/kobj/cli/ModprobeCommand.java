package dev.kobj.cli;

import dev.kobj.elf.ElfFile;
import dev.kobj.elf.ElfHeader;
import dev.kobj.link.HeapMemory;
import dev.kobj.registry.ModuleException;
import dev.kobj.registry.ModuleListing;
import dev.kobj.registry.ModuleLocator;
import dev.kobj.registry.ModuleRegistry;
import dev.kobj.registry.Personality;
import dev.kobj.registry.depmod.ModuleTree;
import dev.kobj.symtab.SymbolLookup;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code kobjdump modprobe}: loads modules and what they need from module trees into a
 * simulated kernel (a {@link ModuleRegistry} over {@link HeapMemory} at the addresses Linux
 * gives modules), then prints the registry's full listing, as kmadmin -S or kldstat -v would.
 */
@Command(name = "modprobe", description = {
    "Load modules and their dependencies into a simulated kernel, and list what is loaded.",
    "",
    "Each NAME (a module name, '-' and '_' alike, or a path) is loaded into a module registry whose "
            + "images live in heap memory at kernel-like addresses (x86_64 0xffffffffc0000000, arm64 "
            + "64 MiB below the kernel text; or --base), linked against the kernel table of --kernel "
            + "(a Module.symvers is synthesized into addresses; its module-owned symbols name the "
            + "module to load first). The modules it needs, named by its .modinfo depends or implied by "
            + "the symbols it imports (as depmod computes), are found by name anywhere under the --path "
            + "trees (first tree first) and loaded first, once; they are autounload candidates. Prints "
            + "the table: id, name, class, state, load address, size, refcount, dependents, unload "
            + "delay and source. Exit status 1 when a load fails (the registry is left as it was)."})
final class ModprobeCommand implements Callable<Integer> {
    @Parameters(paramLabel = "NAME", arity = "1..*", description = "Modules to load, by name or path.")
    List<String> names;

    @Option(names = "--kernel", paramLabel = "SYMVERS_OR_MAP",
            description = "A Module.symvers, System.map or kallsyms file; repeat to merge several.")
    List<Path> kernel = new ArrayList<>();

    @Option(names = "--path", paramLabel = "DIR", required = true,
            description = "A module tree (lib/modules/VERSION) searched, subdirectories included; repeatable.")
    List<Path> path = new ArrayList<>();

    @Option(names = "--base", paramLabel = "ADDR", converter = AddressConverter.class,
            description = "Where module images start (default: where Linux puts modules on the architecture).")
    Long base;

    @Option(names = "--max-depth", paramLabel = "N",
            description = "Longest dependency chain, the module asked for included (default: ${DEFAULT-VALUE}).")
    int maxDepth = 32;

    @Mixin
    PolicyOptions policyOptions = new PolicyOptions();

    @Option(names = {"-s", "--short"}, description = "The short listing (kmadmin -s): id, name, state, class.")
    boolean shortListing;

    @Option(names = "--json", description = "Print the listing as JSON: {\"modules\": [...], \"error\": ...}.")
    boolean json;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    private final KobjDump.Context ctx;

    ModprobeCommand(KobjDump.Context ctx) {
        this.ctx = ctx;
    }

    /** Module name to file over whole trees, first tree first: what modprobe finds through modules.dep. */
    record TreeLocator(Map<String, Path> files) implements ModuleLocator {
        static TreeLocator of(List<Path> trees) throws IOException {
            Map<String, Path> files = new LinkedHashMap<>();
            for (Path t : trees) {
                for (ModuleTree.Entry e : ModuleTree.scan(t).modules()) {
                    files.putIfAbsent(e.name(), e.file());
                }
            }
            return new TreeLocator(files);
        }

        @Override
        public Optional<Path> find(String name, List<Path> searchPath) {
            return Optional.ofNullable(files.get(ModuleTree.moduleName(name)));
        }

        @Override
        public List<Path> candidates(List<Path> searchPath) {
            return List.copyOf(files.values());
        }
    }

    @Override
    public Integer call() {
        TreeLocator locator;
        try {
            for (Path t : path) {
                if (!Files.isDirectory(t)) {
                    throw new NoSuchFileException(t.toString());
                }
            }
            locator = TreeLocator.of(path);
        } catch (IOException e) {
            ctx.error(KobjDump.errorMessage(path.toString(), e));
            return 1;
        }
        // The first module named gives the architecture: the kernel table's and the addresses'.
        String first = names.getFirst();
        Optional<Path> firstFile = first.contains("/") ? Optional.of(Path.of(first)) : locator.find(first, path);
        if (firstFile.isEmpty()) {
            ctx.error(first + ": ENOENT: no module " + first + " under " + path);
            return 1;
        }
        ElfHeader header;
        try (ElfFile f = ElfFile.open(firstFile.get())) {
            header = f.header();
        } catch (Exception e) {
            ctx.error(KobjDump.errorMessage(firstFile.get().toString(), e));
            return 1;
        }
        SymbolLookup symbols;
        try {
            symbols = KernelTables.load(kernel).forObject(header);
        } catch (Exception e) {
            ctx.error(KobjDump.errorMessage(kernel.size() == 1 ? kernel.getFirst().toString() : "--kernel", e));
            return 1;
        }
        long at = base != null ? base : KernelTables.defaultBase(header);
        HeapMemory memory = new HeapMemory(at == 0 ? HeapMemory.DEFAULT_BASE : at);
        int rc = 0;
        String failure = null;
        try (ModuleRegistry registry = ModuleRegistry.builder().memory(memory).kernelSymbols(symbols)
                .linkPolicy(policyOptions.policy()).locator(locator).searchPath(path)
                .maxDepth(Math.max(1, maxDepth)).personality(Personality.LINUX).build()) {
            for (String name : names) {
                try {
                    registry.load(name);
                } catch (ModuleException e) {
                    ctx.error(name + ": " + e.getMessage());
                    failure = name + ": " + e.getMessage();
                    rc = 1;
                    break;
                }
            }
            ctx.out().print(json ? ResultsJson.modprobe(registry.list(), failure)
                    : ModuleListing.format(registry.list(), !shortListing));
            ctx.out().flush();
        }
        return rc;
    }
}
