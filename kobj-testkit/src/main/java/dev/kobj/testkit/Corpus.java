package dev.kobj.testkit;

import dev.kobj.elf.Arch;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/**
 * The Debian module corpus (scripts/fetch-corpus.sh: the amd64 and arm64 Linux 6.1 module
 * trees of Debian 12 and the riscv64 Linux 6.12 tree of Debian 13, each with its Module.symvers): system property {@code kobj.corpus} (default
 * {@code ../corpus}); its oracles run when {@code kobj.corpus.enabled} is true (the Maven
 * profile {@code corpus}).
 */
public final class Corpus {
    private Corpus() {
    }

    /** {@return the corpus directory (it may not exist)} */
    public static Path root() {
        String p = System.getProperty("kobj.corpus");
        return p != null && !p.isBlank() && !p.startsWith("$") ? Path.of(p) : Path.of("..", "corpus");
    }

    /** {@return whether the corpus oracles are to run ({@code -Pcorpus})} */
    public static boolean enabled() {
        return Boolean.getBoolean("kobj.corpus.enabled");
    }

    /** Every tree scripts/fetch-corpus.sh fetches, in Debian's names. */
    public static final List<String> ARCHES = List.of("amd64", "arm64", "riscv64");

    /**
     * {@return the trees an oracle over several architectures compares}: {@link #ARCHES}, or
     * those of the system property {@code kobj.corpus.arches} (comma-separated, e.g. "riscv64",
     * to run one architecture's oracle while developing)
     */
    public static List<String> arches() {
        String p = System.getProperty("kobj.corpus.arches");
        if (p == null || p.isBlank() || p.startsWith("$")) {
            return ARCHES;
        }
        return Arrays.stream(p.split(",")).map(String::trim).filter(ARCHES::contains).toList();
    }

    /**
     * {@return the architecture of the corpus tree {@code name}} (Debian's names: "amd64",
     * "arm64", "riscv64")
     * @throws IllegalArgumentException for a name that is no corpus tree
     */
    public static Arch arch(String name) {
        return switch (name) {
            case "amd64" -> Arch.X86_64;
            case "arm64" -> Arch.AARCH64;
            case "riscv64" -> Arch.RISCV64;
            default -> throw new IllegalArgumentException("no corpus architecture " + name);
        };
    }

    /** {@return the tree of {@code arch} ("amd64", "arm64", "riscv64"), if it is there (it has a Module.symvers)} */
    public static Optional<Path> dir(String arch) {
        Path dir = root().resolve(arch);
        return Files.isRegularFile(dir.resolve("Module.symvers")) ? Optional.of(dir) : Optional.empty();
    }

    /**
     * {@return {@code ko} as readelf can read it}: a module shipped xz-compressed (Debian 13's
     * riscv64 tree) is decompressed by xz(1), not by kobj, into {@code file}; any other module is
     * returned as it is. Skips (fails under CI) when xz is missing.
     */
    public static Path plain(Path ko, Path file) throws IOException, InterruptedException {
        if (!ko.getFileName().toString().endsWith(".xz")) {
            return ko;
        }
        Tools.require("xz");
        Process p = new ProcessBuilder("xz", "-dc", ko.toString()).redirectOutput(file.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        if (p.waitFor() != 0) {
            throw new IOException("xz -dc " + ko + " exited " + p.exitValue());
        }
        return file;
    }

    /**
     * {@return the module named {@code fileName} (e.g. {@code amdgpu.ko.xz}) in the tree of
     * {@code arch}}, for a corpus oracle: skipped as {@link #require} skips; a tree without it fails
     *
     * @throws IOException when the tree cannot be walked
     */
    public static Path module(String arch, String fileName) throws IOException {
        Path tree = require(arch);
        try (java.util.stream.Stream<Path> s = Files.walk(tree.resolve("lib/modules"))) {
            return s.filter(p -> p.getFileName().toString().equals(fileName)).findFirst()
                    .orElseThrow(() -> new IOException("no " + fileName + " under " + tree));
        }
    }

    /**
     * {@return the tree of {@code arch}} for a corpus oracle: the test is skipped unless the
     * oracles are enabled; an enabled oracle whose tree is missing skips (fails under CI).
     */
    public static Path require(String arch) {
        Assumptions.assumeTrue(enabled(), "the corpus oracle runs in the Maven profile 'corpus' (mvn -Pcorpus verify)");
        Optional<Path> dir = dir(arch);
        if (dir.isEmpty()) {
            Tools.skip("corpus " + root().resolve(arch) + " is missing: run scripts/fetch-corpus.sh");
        }
        return dir.orElseThrow();
    }
}
