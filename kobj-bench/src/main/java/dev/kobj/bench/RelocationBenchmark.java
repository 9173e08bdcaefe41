package dev.kobj.bench;

import dev.kobj.reloc.RelocationException;
import dev.kobj.reloc.RelocationKind;
import java.util.concurrent.TimeUnit;
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
 * Throughput of applying relocations, per architecture and per relocation family (data,
 * instruction fields, branches, GOT, RISC-V arithmetic), on the relocations of real objects
 * ({@link RelocationInputs}). One operation applies every fixup of the group once, section by
 * section, through {@code RelocationEngine.applyAll} (check, then write), each section starting
 * from its pristine bytes (the copy is part of the measured work); the auxiliary counter
 * {@code relocations} reports relocations per second.
 *
 * <p>Run: {@code java -jar kobj-bench/target/kobj-bench.jar RelocationBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "--enable-native-access=ALL-UNNAMED"})
public class RelocationBenchmark {

    @Param({"x86_64", "aarch64", "riscv64"})
    public String arch;

    @Param({"DATA", "INSTRUCTION", "BRANCH", "GOT", "ARITHMETIC"})
    public String family;

    RelocationInputs.Group group;

    @Setup(Level.Trial)
    public void setUp() {
        group = RelocationInputs.load(arch, RelocationKind.Category.valueOf(family));
        System.out.printf("%n# %s %s: %d relocations in %d sections%n", arch, family, group.relocations(),
                group.batches().size());
    }

    /** Counts relocations applied, so JMH reports relocations per second beside operations. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Counter {
        public long relocations;
    }

    @Benchmark
    public void apply(Counter counter) throws RelocationException {
        if (group.relocations() == 0) {
            return;
        }
        for (RelocationInputs.Batch b : group.batches()) {
            b.reset();
            group.engine().applyAll(b.section(), b.order(), b.fixups());
        }
        counter.relocations += group.relocations();
    }
}
