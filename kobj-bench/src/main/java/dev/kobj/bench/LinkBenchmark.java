package dev.kobj.bench;

import dev.kobj.elf.ElfFile;
import dev.kobj.link.HeapMemory;
import dev.kobj.link.LinkException;
import dev.kobj.link.LinkRequest;
import dev.kobj.link.Linker;
import dev.kobj.link.LoadedImage;
import dev.kobj.elf.Arch;
import dev.kobj.symtab.KernelSymbolTable;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The whole link of real modules, as {@code kobjdump check} does it: every Nth module of a
 * Debian tree ({@code -Dkobj.bench.every}, default 50), held in memory, linked in heap
 * memory at the address Linux 6.1 uses against the tree's Module.symvers synthesized into
 * addresses (load checks included), the image closed. One operation is one pass over the
 * sample; the counters give modules/s and relocations/s; with {@code -prof gc},
 * {@code gc.alloc.rate.norm} divided by the sample's module count is the bytes allocated per
 * module (printed by the setup on stderr).
 *
 * <p>{@code java -jar kobj-bench/target/kobj-bench.jar LinkBenchmark -prof gc}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "--enable-native-access=ALL-UNNAMED"})
public class LinkBenchmark {
    @Param({"amd64", "arm64"})
    public String arch;

    private final List<byte[]> modules = new ArrayList<>();
    private final List<String> names = new ArrayList<>();
    private KernelSymbolTable kernel;
    private long base;

    /** The counters JMH reports as rates: modules and relocations linked per second. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Counts {
        public long modules;
        public long relocations;
    }

    @Setup(Level.Trial)
    public void load() throws Exception {
        Path tree = Corpus.root().resolve(arch);
        Arch ka = arch.equals("amd64") ? Arch.X86_64 : Arch.AARCH64;
        kernel = KernelSymbolTable.synthesize(KernelSymbolTable.read(tree.resolve("Module.symvers")), ka, true);
        base = ka == Arch.X86_64 ? 0xffff_ffff_c000_0000L : ka.textBase() - 0x400_0000L;
        List<Path> all;
        try (Stream<Path> s = Files.walk(tree.resolve("lib/modules"))) {
            all = s.filter(p -> p.getFileName().toString().endsWith(".ko")).sorted().toList();
        }
        int every = Corpus.every();
        long relocations = 0;
        for (int i = 0; i < all.size(); i += every) {
            byte[] b = Files.readAllBytes(all.get(i));
            modules.add(b);
            names.add(all.get(i).toString());
        }
        relocations = pass(new Counts());
        System.err.printf("LinkBenchmark %s: %d modules (every %dth of %d), %,d relocations per pass%n",
                arch, modules.size(), every, all.size(), relocations);
    }

    private long pass(Counts c) throws Exception {
        long relocations = 0;
        for (int i = 0; i < modules.size(); i++) {
            try (ElfFile f = ElfFile.of(names.get(i), MemorySegment.ofArray(modules.get(i)));
                 LoadedImage image = Linker.link(f, LinkRequest.builder(new HeapMemory(base))
                         .symbols(kernel).base(base).build())) {
                relocations += image.relocationCount();
            } catch (LinkException e) {
                throw new IllegalStateException(names.get(i) + " does not link: " + e.getMessage(), e);
            }
        }
        c.modules += modules.size();
        c.relocations += relocations;
        return relocations;
    }

    @Benchmark
    public long link(Counts c) throws Exception {
        return pass(c);
    }
}
