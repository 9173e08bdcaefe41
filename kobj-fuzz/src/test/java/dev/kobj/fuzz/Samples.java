package dev.kobj.fuzz;

import dev.kobj.elf.Arch;
import dev.kobj.link.FaultyMemory;
import dev.kobj.link.LoadPolicy;
import dev.kobj.registry.ManualTicker;
import dev.kobj.registry.ModuleHandler;
import dev.kobj.registry.ModuleLocator;
import dev.kobj.registry.ModuleRegistry;
import dev.kobj.registry.SecurityPolicy;
import dev.kobj.symtab.KernelSymbol;
import dev.kobj.symtab.KernelSymbolTable;
import dev.kobj.symtab.SymbolLookup;
import dev.kobj.testkit.Corpus;
import dev.kobj.testkit.Testdata;
import dev.kobj.testkit.Tools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Real modules with dependencies, each a small world: where its files are, the kernel table it
 * links against, the memory base, and the module to load (which loads its dependencies first).
 * testdata's importer (depends on the exporter, declared and implied by the symbols it imports),
 * for x86_64, AArch64 and RISC-V; and Debian 6.1's bridge (depends on stp, which depends on llc)
 * for amd64 and arm64 from the corpus, when scripts/fetch-corpus.sh has fetched it.
 */
record Samples(String label, Map<String, Path> files, SymbolLookup kernel, long base, String top, String shared) {

    static List<Samples> all() throws Exception {
        List<Samples> out = new ArrayList<>();
        for (String v : List.of("x86_64-gcc-kernel", "aarch64-tiny", "riscv64-medany")) {
            Path dir = Testdata.root().resolve("obj").resolve(v);
            List<KernelSymbol> syms = new ArrayList<>();
            // The plan's kernel, without the exporter's own symbols (the importer must get them from it).
            LinkFuzzTest.FIXED.forEach((n, a) -> {
                if (!n.startsWith("kobj_shared_")) {
                    syms.add(new KernelSymbol(n, a, -1, KernelSymbol.VMLINUX, "EXPORT_SYMBOL", ""));
                }
            });
            out.add(new Samples("testdata " + v, Map.of("kobj_exporter", dir.resolve("exporter.o"), "kobj_importer",
                    dir.resolve("importer.o")), KernelSymbolTable.of("fixed kernel", syms, true), LinkFuzzTest.BASE,
                    "kobj_importer", ""));
        }
        for (String[] a : List.of(new String[] {"amd64", "X86_64"}, new String[] {"arm64", "AARCH64"})) {
            Optional<Path> dir = Corpus.dir(a[0]);
            Optional<Path> tree = dir.isPresent() ? bridgeTree(dir.get()) : Optional.empty();
            if (tree.isEmpty()) {
                // The outside-data rule: under CI with the corpus profile a missing corpus fails.
                if (Tools.ci() && Corpus.enabled()) {
                    throw new IllegalStateException("the Debian corpus (" + Corpus.root() + ") is missing: run "
                            + "scripts/fetch-corpus.sh");
                }
                System.out.println("skipped: Debian " + a[0] + " bridge sample (no corpus at " + Corpus.root()
                        + "; scripts/fetch-corpus.sh fetches it)");
                continue;
            }
            Path k = tree.get();
            KernelSymbolTable symvers = KernelSymbolTable.read(dir.get().resolve("Module.symvers"));
            Arch arch = Arch.valueOf(a[1]);
            out.add(new Samples("Debian 6.1 " + a[0] + " bridge", Map.of("llc", k.resolve("net/llc/llc.ko"), "stp",
                    k.resolve("net/802/stp.ko"), "bridge", k.resolve("net/bridge/bridge.ko")),
                    KernelSymbolTable.synthesize(symvers, arch), arch == Arch.X86_64 ? ModuleRegistry.KERNEL_MODULE_BASE
                            : arch.textBase() - (64L << 20), "bridge", "llc"));
        }
        return out;
    }

    /** {@return the kernel/ directory of the module tree under corpus directory {@code dir} that has bridge.ko} */
    static Optional<Path> bridgeTree(Path dir) throws Exception {
        Path mods = dir.resolve("lib/modules");
        if (!Files.isDirectory(mods)) {
            return Optional.empty();
        }
        try (var s = Files.list(mods)) {
            return s.map(p -> p.resolve("kernel")).filter(p -> Files.isRegularFile(p.resolve("net/bridge/bridge.ko")))
                    .findFirst();
        }
    }

    /** {@return a registry over this sample's files in {@code memory}, with the given policy and handler} */
    ModuleRegistry registry(FaultyMemory memory, SecurityPolicy policy, ModuleHandler handler) {
        return ModuleRegistry.builder().memory(memory).kernelSymbols(kernel).linkPolicy(LoadPolicy.permissive())
                .locator(ModuleLocator.of(files)).security(policy).defaultHandler(handler).ticker(new ManualTicker()).maxDepth(8)
                .build();
    }

    @Override
    public String toString() {
        return label;
    }
}
