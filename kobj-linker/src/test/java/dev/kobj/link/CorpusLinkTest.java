package dev.kobj.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kobj.elf.Arch;
import dev.kobj.elf.ElfFile;
import dev.kobj.symtab.KernelSymbolTable;
import dev.kobj.testkit.Corpus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Real Debian modules (6.1 amd64/arm64, 6.12 riscv64; scripts/fetch-corpus.sh; -Dkobj.corpus=DIR, skipped when absent)
 * linked in heap memory against a table synthesized from the matching Module.symvers (kernel
 * and module exports), with the default policy and the vermagic of the kernel: every module
 * must link. -Dkobj.corpus.limit=N links only every k-th module so that about N are linked
 * (default: all).
 */
class CorpusLinkTest {

    @ParameterizedTest
    @ValueSource(strings = {"amd64", "arm64", "riscv64"})
    void debianModulesLink(String arch) throws Exception {
        Optional<Path> corpus = Corpus.dir(arch);
        assumeTrue(corpus.isPresent(), "no corpus for " + arch + " in " + Corpus.root() + " (set -Dkobj.corpus=DIR)");
        Path dir = corpus.get();
        List<Path> modules;
        try (Stream<Path> s = Files.walk(dir.resolve("lib/modules"))) {
            modules = s.filter(f -> f.getFileName().toString().matches(".*\\.ko(\\.(xz|zst|gz))?")).sorted().toList();
        }
        assumeTrue(!modules.isEmpty(), "no modules under " + dir);
        int limit = Integer.getInteger("kobj.corpus.limit", Integer.MAX_VALUE);
        int step = Math.max(1, modules.size() / Math.max(1, limit));
        Arch ka = Corpus.arch(arch);
        KernelSymbolTable table = KernelSymbolTable.synthesize(KernelSymbolTable.read(dir.resolve("Module.symvers")),
                ka, true);
        // modules go below the kernel text, as Linux's module areas do (x86-64 MODULES_VADDR is above
        // it, but 2 GiB reach is all that matters; arm64 keeps modules within 128 MiB of the text,
        // riscv64 between the kernel's end - 2 GiB and its start)
        long base = arch.equals("amd64") ? 0xffffffffc0000000L : ka.textBase() - 0x0100_0000L;
        String vermagic = null;
        int linked = 0;
        long relocations = 0;
        long bytes = 0;
        Map<String, String> refused = new TreeMap<>();
        long t0 = System.nanoTime();
        for (int i = 0; i < modules.size(); i += step) {
            Path m = modules.get(i);
            try (ElfFile elf = ElfFile.open(m)) {
                if (vermagic == null) {
                    vermagic = elf.modinfo("vermagic").getFirst();
                }
                HeapMemory mem = new HeapMemory();
                LoadPolicy policy = LoadPolicy.builder().vermagic(vermagic).thisModule(
                        LoadPolicy.ThisModuleRule.ALWAYS).requireVersions(true).build();
                try (LoadedImage img = Linker.link(elf, LinkRequest.builder(mem).symbols(table).base(base)
                        .policy(policy).build())) {
                    linked++;
                    relocations += img.relocationCount();
                    bytes += img.regions().stream().mapToLong(LoadedImage.Region::size).sum();
                } catch (LinkException e) {
                    refused.put(dir.relativize(m).toString(), e.kind() + ": " + e.getMessage());
                }
                assertThat(mem.liveAllocations()).isZero();
            }
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        System.out.printf("CorpusLinkTest %s: %d linked, %d refused, %d relocations, %d MiB of regions, %.1f s "
                + "(%.0f modules/s, %.0f relocations/s)%n", arch, linked, refused.size(), relocations, bytes >> 20, secs,
                (linked + refused.size()) / secs, relocations / secs);
        refused.entrySet().stream().limit(20).forEach(e -> System.out.println("  refused " + e.getKey() + ": "
                + e.getValue().lines().limit(3).toList()));
        // Known gap (reloc-arch): an ADRP at page offset 0xff8/0xffc whose ADR rewrite cannot reach
        // (Cortex-A53 erratum 843419). Linux 6.1 (arch/arm64/kernel/module.c, module-plts.c) then
        // emits an "ADRP veneer" in the module PLT; reloc-arch's stub contract has no such stub yet,
        // so kobj refuses these modules where the kernel would load them. Counted, not hidden.
        Map<String, String> other = new TreeMap<>(refused);
        other.values().removeIf(v -> v.startsWith("RELOCATION") && v.contains("erratum 843419"));
        System.out.printf("CorpusLinkTest %s: %d refused for the missing erratum-843419 ADRP veneer (known gap)%n",
                arch, refused.size() - other.size());
        assertThat(other).as("modules refused for another reason than the known ADRP-veneer gap").isEmpty();
    }
}
