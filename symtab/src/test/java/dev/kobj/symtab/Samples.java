package dev.kobj.symtab;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Where the test inputs are: the hand-written samples in resources, the corpus' Module.symvers, the fixtures. */
final class Samples {
    private Samples() {
    }

    static Path resource(String name) {
        try {
            return Path.of(Samples.class.getResource(name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@return the corpus directory of {@code arch} ("amd64", "arm64"), if -Dkobj.corpus points at one that has it} */
    static Optional<Path> corpus(String arch) {
        String p = System.getProperty("kobj.corpus");
        if (p == null || p.isEmpty()) {
            return Optional.empty();
        }
        Path dir = Path.of(p, arch);
        return Files.isRegularFile(dir.resolve("Module.symvers")) ? Optional.of(dir) : Optional.empty();
    }

    static Path testdata() {
        String p = System.getProperty("kobj.testdata");
        Path dir = p == null ? Path.of("../testdata") : Path.of(p);
        return dir.toAbsolutePath().normalize();
    }
}
