package dev.kobj.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The benchmark's input: kernel modules of the Debian corpus fetched by
 * {@code scripts/fetch-corpus.sh} ({@code <corpus>/<arch>/lib/modules/<ver>/kernel/**.ko}).
 *
 * <p>The {@code sample} set is every {@value #DEFAULT_EVERY}th {@code .ko} of each
 * architecture, the architectures in name order and each one's modules sorted by their path
 * relative to the corpus (so the set is the same on every machine holding the same corpus);
 * the {@code all} set is every {@code .ko}. Only plain {@code .ko} files are taken: jelf reads
 * no compressed modules.
 *
 * <p>Every selected file is parsed once by every variant before it is measured; a file that
 * one library fails to read, or on which the two libraries do not see the same sections,
 * symbols and relocations, is left out of the set for every variant, and named.
 *
 * <p>System properties: {@code kobj.corpus} (the corpus directory; default {@code ../corpus},
 * else {@code corpus}, relative to the working directory) and {@code kobj.bench.every}
 * (the sample's stride, default {@value #DEFAULT_EVERY}).
 */
final class Corpus {
    static final String CORPUS_PROPERTY = "kobj.corpus";
    static final String EVERY_PROPERTY = "kobj.bench.every";
    static final int DEFAULT_EVERY = 50;

    private Corpus() {
    }

    /** The files of one set, after the cross-check, with their totals. */
    record Sample(String set, Path root, int every, List<Path> files, long bytes, long sections, long symbols,
            long relocations, List<String> excluded, int selected) {

        String describe() {
            String what = set.equals("all") ? "every .ko" : "every " + every + "th .ko of each arch, sorted by path";
            return String.format(Locale.ROOT,
                    "set=%s (%s) from %s: %d files, %,d bytes (%.1f MB), %,d sections, %,d symbols, %,d relocations;"
                            + " %d of %d selected files excluded%s",
                    set, what, root, files.size(), bytes, bytes / 1e6, sections, symbols, relocations, excluded.size(),
                    selected, excluded.isEmpty() ? "" : ": " + String.join("; ", excluded));
        }
    }

    static Path root() {
        String prop = System.getProperty(CORPUS_PROPERTY);
        Path root;
        if (prop != null && !prop.isBlank()) {
            root = Paths.get(prop);
        } else {
            root = Paths.get("..", "corpus");
            if (!Files.isDirectory(root)) {
                root = Paths.get("corpus");
            }
        }
        root = root.toAbsolutePath().normalize();
        if (!Files.isDirectory(root)) {
            throw new IllegalStateException("no kernel-module corpus at " + root
                    + " (run scripts/fetch-corpus.sh, or set -D" + CORPUS_PROPERTY + "=<dir>)");
        }
        return root;
    }

    static int every() {
        int every = Integer.getInteger(EVERY_PROPERTY, DEFAULT_EVERY);
        if (every < 1) {
            throw new IllegalArgumentException(EVERY_PROPERTY + " must be at least 1: " + every);
        }
        return every;
    }

    /** {@return the selected files of {@code set} ("sample" or "all"), before the cross-check} */
    static List<Path> select(Path root, String set, int every) {
        int stride = switch (set) {
            case "sample" -> every;
            case "all" -> 1;
            default -> throw new IllegalArgumentException("set must be \"sample\" or \"all\": " + set);
        };
        List<Path> out = new ArrayList<>();
        try (Stream<Path> arches = Files.list(root)) {
            List<Path> archDirs = arches.filter(p -> Files.isDirectory(p.resolve("lib").resolve("modules")))
                    .sorted(Comparator.comparing(p -> p.getFileName().toString())).toList();
            for (Path arch : archDirs) {
                List<Path> kos;
                try (Stream<Path> walk = Files.walk(arch.resolve("lib").resolve("modules"))) {
                    kos = walk.filter(p -> p.getFileName().toString().endsWith(".ko") && Files.isRegularFile(p))
                            .sorted(Comparator.comparing(p -> root.relativize(p).toString())).toList();
                }
                for (int i = 0; i < kos.size(); i += stride) {
                    out.add(kos.get(i));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (out.isEmpty()) {
            throw new IllegalStateException("no .ko files under " + root + "/<arch>/lib/modules"
                    + " (run scripts/fetch-corpus.sh)");
        }
        return out;
    }

    /** Selects {@code set} from the corpus and cross-checks every file (see the class comment). */
    static Sample load(String set) {
        Path root = root();
        int every = every();
        List<Path> selected = select(root, set, every);
        List<Path> files = new ArrayList<>();
        List<String> excluded = new ArrayList<>();
        long bytes = 0;
        long sections = 0;
        long symbols = 0;
        long relocations = 0;
        Blackhole bh = blackhole();
        for (Path p : selected) {
            String rel = root.relativize(p).toString();
            String problem;
            Parsers.Counts counts = null;
            byte[] data;
            try {
                data = Files.readAllBytes(p);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            try {
                CrossCheck c = crossCheck(p, data, bh);
                problem = c.problem();
                counts = c.counts();
            } catch (Exception | StackOverflowError e) {
                problem = "unexpected " + e;
            }
            if (problem != null) {
                excluded.add(rel + ": " + problem);
                continue;
            }
            files.add(p);
            bytes += data.length;
            sections += counts.sections();
            symbols += counts.symbols();
            relocations += counts.relocations();
        }
        return new Sample(set, root, every, List.copyOf(files), bytes, sections, symbols, relocations,
                List.copyOf(excluded), selected.size());
    }

    /** The result of parsing one file in every way the benchmark does: a problem, or the counts. */
    record CrossCheck(String problem, Parsers.Counts counts) {
    }

    /**
     * Parses one file in every way the benchmark does and compares: counts of sections,
     * symbols and relocations, and the checksums of the decoded values.
     */
    static CrossCheck crossCheck(Path path, byte[] data, Blackhole bh) throws IOException {
        String name = path.toString();
        Parsers.Counts kc;
        long kViews;
        long kRecords;
        long kMapped;
        try (dev.kobj.elf.ElfFile f = dev.kobj.elf.ElfFile.of(name, data)) {
            kc = Parsers.kobjCounts(f);
            kViews = Parsers.kobjViews(f, bh);
            kRecords = Parsers.kobjRecords(f, bh);
        } catch (dev.kobj.elf.ElfFormatException | RuntimeException e) {
            return new CrossCheck("kobj fails: " + e, null);
        }
        try (dev.kobj.elf.ElfFile f = dev.kobj.elf.ElfFile.open(path)) {
            kMapped = Parsers.kobjViews(f, bh);
        } catch (dev.kobj.elf.ElfFormatException | RuntimeException e) {
            return new CrossCheck("kobj (mapped) fails: " + e, null);
        }
        Parsers.Counts jc;
        long jIdiomatic;
        long jLinked;
        long jMapped;
        long jMappedLinked;
        try {
            net.fornwall.jelf.ElfFile f = net.fornwall.jelf.ElfFile.from(data);
            jc = Parsers.jelfCounts(f);
            jIdiomatic = Parsers.jelf(f, bh);
            jLinked = Parsers.jelfLinked(f, bh);
            net.fornwall.jelf.ElfFile m = net.fornwall.jelf.ElfFile.from(path);
            jMapped = Parsers.jelf(m, bh);
            jMappedLinked = Parsers.jelfLinked(m, bh);
        } catch (RuntimeException e) { // ElfException is a RuntimeException
            return new CrossCheck("jelf fails: " + e, null);
        }
        if (!kc.equals(jc)) {
            return new CrossCheck("counts differ: kobj " + kc + ", jelf " + jc, null);
        }
        if (kViews != kRecords || kViews != kMapped || kViews != jIdiomatic || kViews != jLinked || kViews != jMapped
                || kViews != jMappedLinked) {
            return new CrossCheck(String.format(Locale.ROOT,
                    "decoded values differ: checksums kobj views %x records %x mapped %x,"
                            + " jelf %x linked %x mapped %x mapped linked %x",
                    kViews, kRecords, kMapped, jIdiomatic, jLinked, jMapped, jMappedLinked), null);
        }
        return new CrossCheck(null, kc);
    }

    /** A Blackhole for the cross-check, which runs outside of a measurement. */
    static Blackhole blackhole() {
        return new Blackhole("Today's password is swordfish. I understand instantiating Blackholes directly is dangerous.");
    }
}
