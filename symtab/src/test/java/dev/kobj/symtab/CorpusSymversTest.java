package dev.kobj.symtab;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kobj.elf.Arch;
import dev.kobj.testkit.Corpus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The real Module.symvers of Debian's 6.1 amd64 and arm64 headers and Debian 13's 6.12 riscv64
 * headers (the corpus that
 * scripts/fetch-corpus.sh fetches; -Dkobj.corpus=DIR). Expected figures come from the shell
 * on the files of Debian 6.1.192-2: {@code wc -l}, {@code cut -f3 | grep -c '^vmlinux$'},
 * {@code cut -f3 | sort -u | wc -l}, {@code cut -f5 | grep -c .}, {@code cut -f4 | sort | uniq -c},
 * and the lines quoted below from {@code grep -P '\t_printk\t'} and the like.
 */
class CorpusSymversTest {

    record Figures(int lines, int vmlinux, int owners, int namespaced, int gpl, List<KernelSymbol> known) {
    }

    static final Map<String, Figures> DEBIAN_6_1_192_2 = Map.of(
            "amd64", new Figures(24683, 10503, 931, 554, 13559, List.of(
                    new KernelSymbol("_printk", 0, 0x92997ed8L, "vmlinux", "EXPORT_SYMBOL", ""),
                    new KernelSymbol("jiffies", 0, 0x15ba50a6L, "vmlinux", "EXPORT_SYMBOL", ""),
                    new KernelSymbol("dma_buf_get", 0, 0x5d12b280L, "vmlinux", "EXPORT_SYMBOL_GPL", "DMA_BUF"),
                    new KernelSymbol("register_netdev", 0, 0x00c4c36fL, "vmlinux", "EXPORT_SYMBOL", ""),
                    new KernelSymbol("tun_get_socket", 0, 0x74752c8dL, "drivers/net/tun", "EXPORT_SYMBOL_GPL", ""))),
            "arm64", new Figures(24033, 10973, 861, 451, 13467, List.of(
                    new KernelSymbol("_printk", 0, 0x92997ed8L, "vmlinux", "EXPORT_SYMBOL", ""),
                    new KernelSymbol("jiffies", 0, 0x15ba50a6L, "vmlinux", "EXPORT_SYMBOL", ""),
                    new KernelSymbol("dma_buf_get", 0, 0x9f9ad95eL, "vmlinux", "EXPORT_SYMBOL_GPL", "DMA_BUF"),
                    new KernelSymbol("register_netdev", 0, 0xebee974eL, "vmlinux", "EXPORT_SYMBOL", ""),
                    new KernelSymbol("tun_get_socket", 0, 0xeb3acf13L, "drivers/net/tun", "EXPORT_SYMBOL_GPL", ""))));

    /**
     * Debian 13's 6.12.117-1 riscv64 headers (linux-headers-6.12.117+deb13-riscv64), the same
     * shell commands on that file.
     */
    static final Figures DEBIAN_6_12_117_1_RISCV64 = new Figures(23418, 10431, 774, 746, 13066, List.of(
            new KernelSymbol("_printk", 0, 0x92997ed8L, "vmlinux", "EXPORT_SYMBOL", ""),
            new KernelSymbol("jiffies", 0, 0x526c3a6cL, "vmlinux", "EXPORT_SYMBOL", ""),
            new KernelSymbol("dma_buf_get", 0, 0xb5da48ecL, "vmlinux", "EXPORT_SYMBOL_GPL", "DMA_BUF"),
            new KernelSymbol("register_netdev", 0, 0xd0298d7dL, "vmlinux", "EXPORT_SYMBOL", ""),
            new KernelSymbol("tun_get_socket", 0, 0xe62992cfL, "drivers/net/tun", "EXPORT_SYMBOL_GPL", "")));

    static Path symvers(String arch) {
        var dir = Corpus.dir(arch);
        Assumptions.assumeTrue(dir.isPresent(), "no corpus for " + arch + " (set -Dkobj.corpus=DIR; "
                + "scripts/fetch-corpus.sh fetches it): skipped");
        return dir.get().resolve("Module.symvers");
    }

    static boolean isDebian61192(String arch) throws Exception {
        return hasVersion(arch, "6.1.192-2");
    }

    static boolean hasVersion(String arch, String debianVersion) throws Exception {
        Path version = symvers(arch).resolveSibling("VERSION");
        return Files.isRegularFile(version) && Files.readAllLines(version).contains("symvers_version=" + debianVersion);
    }

    /** {@return the figures measured on the file of this corpus tree, if it is one of those measured} */
    static Figures figures(String arch) throws Exception {
        if (arch.equals("riscv64")) {
            return hasVersion(arch, "6.12.117-1") ? DEBIAN_6_12_117_1_RISCV64 : null;
        }
        return isDebian61192(arch) ? DEBIAN_6_1_192_2.get(arch) : null;
    }

    @ParameterizedTest
    @ValueSource(strings = {"amd64", "arm64", "riscv64"})
    void readsEveryLine(String arch) throws Exception {
        Path file = symvers(arch);
        long newlines = 0;
        for (byte b : Files.readAllBytes(file)) {
            newlines += b == '\n' ? 1 : 0; // what wc -l counts
        }
        KernelSymbolTable t = KernelSymbolTable.read(file);
        assertThat(t.size()).isEqualTo(newlines);
        assertThat(t.hasAddresses()).isFalse();
        assertThat(t.lookup("_printk")).get().satisfies(s -> {
            assertThat(s.inVmlinux()).isTrue();
            assertThat(s.gplOnly()).isFalse();
        });
        Figures f = figures(arch);
        if (f != null) {
            assertThat(t.size()).isEqualTo(f.lines());
            assertThat(t.symbols().stream().filter(KernelSymbol::inVmlinux).count()).isEqualTo(f.vmlinux());
            Set<String> owners = new HashSet<>();
            t.symbols().forEach(s -> owners.add(s.owner()));
            assertThat(owners).hasSize(f.owners());
            assertThat(t.moduleExports()).hasSize(f.owners() - 1);
            assertThat(t.symbols().stream().filter(s -> !s.namespace().isEmpty()).count()).isEqualTo(f.namespaced());
            assertThat(t.symbols().stream().filter(KernelSymbol::gplOnly).count()).isEqualTo(f.gpl());
            for (KernelSymbol k : f.known()) {
                assertThat(t.lookup(k.name())).contains(k);
            }
            assertThat(t.lookup("tun_get_socket").orElseThrow().ownerModuleName()).isEqualTo("tun");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"amd64", "arm64", "riscv64"})
    void synthesizesVmlinuxInsideTheKernelText(String arch) throws Exception {
        Arch karch = Corpus.arch(arch);
        KernelSymbolTable symvers = KernelSymbolTable.read(symvers(arch));
        KernelSymbolTable kernel = KernelSymbolTable.synthesize(symvers, karch);
        long vmlinux = symvers.symbols().stream().filter(KernelSymbol::inVmlinux).count();
        assertThat(kernel.size()).isEqualTo(vmlinux);
        assertThat(kernel.symbols()).allSatisfy(s -> {
            assertThat(s.inVmlinux()).isTrue();
            assertThat(Long.compareUnsigned(s.address(), karch.textBase())).isGreaterThanOrEqualTo(0);
            assertThat(Long.compareUnsigned(s.address(), karch.textLimit())).isLessThan(0);
            assertThat(s.address() % 16).isZero();
            assertThat(kernel.nearest(s.address() + 15)).contains(s);
            assertThat(s.withAddress(0)).isEqualTo(symvers.lookup(s.name()).orElseThrow());
        });
        assertThat(kernel.lookup("tun_get_socket")).isEmpty();
        KernelSymbolTable all = KernelSymbolTable.synthesize(symvers, karch, true);
        assertThat(all.size()).isEqualTo(symvers.size());
        assertThat(all.lookup("tun_get_socket")).get().extracting(KernelSymbol::owner).isEqualTo("drivers/net/tun");
        // vmlinux's addresses do not depend on the option.
        for (KernelSymbol s : kernel.symbols()) {
            assertThat(all.lookup(s.name())).contains(s);
        }
        // Deterministic: a second reading gives the same addresses.
        KernelSymbolTable again = KernelSymbolTable.synthesize(KernelSymbolTable.read(symvers(arch)), karch);
        assertThat(again.symbols()).isEqualTo(kernel.symbols());
    }

    @ParameterizedTest
    @ValueSource(strings = {"amd64", "arm64", "riscv64"})
    void loadingTime(String arch) throws Exception {
        Path file = symvers(arch);
        int rounds = 20;
        long best = Long.MAX_VALUE;
        long bestSynth = Long.MAX_VALUE;
        long first = 0;
        KernelSymbolTable t = null;
        for (int i = 0; i < rounds; i++) {
            long t0 = System.nanoTime();
            t = KernelSymbolTable.read(file);
            long t1 = System.nanoTime();
            KernelSymbolTable.synthesize(t, Corpus.arch(arch), true);
            long t2 = System.nanoTime();
            first = i == 0 ? t1 - t0 : first;
            best = Math.min(best, t1 - t0);
            bestSynth = Math.min(bestSynth, t2 - t1);
        }
        System.out.printf("symtab: %s Module.symvers, %d lines: read+index first %.2f ms, best of %d %.2f ms;"
                + " synthesize (all) best %.2f ms%n", arch, t.size(), first / 1e6, rounds, best / 1e6, bestSynth / 1e6);
        assertThat(t.size()).isPositive();
    }
}
