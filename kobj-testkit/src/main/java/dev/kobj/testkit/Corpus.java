package dev.kobj.testkit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/**
 * The Debian module corpus (scripts/fetch-corpus.sh: the amd64 and arm64 Linux 6.1 module
 * trees, each with its Module.symvers): system property {@code kobj.corpus} (default
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

    /** {@return the tree of {@code arch} ("amd64", "arm64"), if it is there (it has a Module.symvers)} */
    public static Optional<Path> dir(String arch) {
        Path dir = root().resolve(arch);
        return Files.isRegularFile(dir.resolve("Module.symvers")) ? Optional.of(dir) : Optional.empty();
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
