package dev.kobj.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Parses a set of real kernel modules (see {@link Corpus}) with kobj and with jelf 0.12.0:
 * every section header with its name, every symbol with its name and every relocation
 * (offset, type, symbol, addend); see {@link Parsers} for the exact work. One operation is
 * the whole set.
 *
 * <ul>
 * <li>{@code kobjMapped}: {@code ElfFile.open(path)} (mmap; closed, so unmapped, after use).
 * <li>{@code kobjBytes}: {@code ElfFile.of(name, byte[])}, the file already in memory.
 * <li>{@code kobjBytesRecords}: as {@code kobjBytes}, but one {@code ElfSymbol} and one
 *     {@code Relocation} record decoded per entry, the way jelf hands them out.
 * <li>{@code jelfBytes}: jelf {@code ElfFile.from(byte[])}, names through
 *     {@code ElfSymbol.getName()}.
 * <li>{@code jelfBytesLinked}: as {@code jelfBytes}, but symbol names read from the linked
 *     string table, fetched once per file ({@code getName()} looks {@code .strtab} up by
 *     name for every symbol).
 * <li>{@code jelfMapped}: jelf {@code ElfFile.from(path)}, which maps the file (jelf has no
 *     close: the mapping goes when the buffer is collected). This is jelf's fast path:
 *     from a {@code byte[]} it reads through a {@code ByteArrayInputStream}, a byte at a time.
 * <li>{@code jelfMappedLinked}: {@code jelfMapped} with the names of {@code jelfBytesLinked}.
 * </ul>
 *
 * <p>Run with {@code scripts/bench.sh}, or {@code java -jar kobj-bench/target/kobj-bench.jar
 * ParseBenchmark -prof gc}; {@code -p set=all} parses every module of the corpus instead of
 * the sample (give it a larger heap: {@code -jvmArgsAppend "-Xms6g -Xmx6g"}).
 */
@State(Scope.Benchmark)
@BenchmarkMode({Mode.Throughput, Mode.AverageTime})
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g", "--enable-native-access=ALL-UNNAMED",
        "--sun-misc-unsafe-memory-access=allow"})
public class ParseBenchmark {

    /** "sample": every 50th module of each architecture; "all": every module. */
    @Param({"sample"})
    public String set;

    private Path[] paths;
    private String[] names;
    private byte[][] data;

    @Setup(Level.Trial)
    public void setup(BenchmarkParams params) throws Exception {
        Corpus.Sample sample = Corpus.load(set);
        System.out.println(System.lineSeparator() + "[kobj-bench] " + sample.describe());
        List<Path> files = sample.files();
        paths = files.toArray(Path[]::new);
        names = new String[paths.length];
        for (int i = 0; i < paths.length; i++) {
            names[i] = paths[i].toString();
        }
        if (!params.getBenchmark().contains("Mapped")) {
            data = new byte[paths.length][];
            for (int i = 0; i < paths.length; i++) {
                data[i] = Files.readAllBytes(paths[i]);
            }
        }
    }

    @Benchmark
    public long kobjMapped(Blackhole bh) throws Exception {
        long sum = 0;
        for (Path p : paths) {
            try (dev.kobj.elf.ElfFile f = dev.kobj.elf.ElfFile.open(p)) {
                sum += Parsers.kobjViews(f, bh);
            }
        }
        return sum;
    }

    @Benchmark
    public long kobjBytes(Blackhole bh) throws Exception {
        long sum = 0;
        for (int i = 0; i < data.length; i++) {
            try (dev.kobj.elf.ElfFile f = dev.kobj.elf.ElfFile.of(names[i], data[i])) {
                sum += Parsers.kobjViews(f, bh);
            }
        }
        return sum;
    }

    @Benchmark
    public long kobjBytesRecords(Blackhole bh) throws Exception {
        long sum = 0;
        for (int i = 0; i < data.length; i++) {
            try (dev.kobj.elf.ElfFile f = dev.kobj.elf.ElfFile.of(names[i], data[i])) {
                sum += Parsers.kobjRecords(f, bh);
            }
        }
        return sum;
    }

    @Benchmark
    public long jelfBytes(Blackhole bh) {
        long sum = 0;
        for (byte[] d : data) {
            sum += Parsers.jelf(net.fornwall.jelf.ElfFile.from(d), bh);
        }
        return sum;
    }

    @Benchmark
    public long jelfBytesLinked(Blackhole bh) {
        long sum = 0;
        for (byte[] d : data) {
            sum += Parsers.jelfLinked(net.fornwall.jelf.ElfFile.from(d), bh);
        }
        return sum;
    }

    @Benchmark
    public long jelfMapped(Blackhole bh) throws Exception {
        long sum = 0;
        for (Path p : paths) {
            sum += Parsers.jelf(net.fornwall.jelf.ElfFile.from(p), bh);
        }
        return sum;
    }

    @Benchmark
    public long jelfMappedLinked(Blackhole bh) throws Exception {
        long sum = 0;
        for (Path p : paths) {
            sum += Parsers.jelfLinked(net.fornwall.jelf.ElfFile.from(p), bh);
        }
        return sum;
    }
}
