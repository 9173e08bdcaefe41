package dev.kobj.elf;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.tukaani.xz.XZInputStream;

/** The committed test objects under testdata/ (built by testdata/build.sh with real compilers). */
final class Fixtures {
    private Fixtures() {
    }

    static Path root() {
        String p = System.getProperty("kobj.testdata");
        Path dir = p != null ? Paths.get(p) : Paths.get("..", "testdata");
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException("testdata not found at " + dir.toAbsolutePath());
        }
        return dir;
    }

    static Path path(String rel) {
        return root().resolve(rel);
    }

    /** Every relocatable object under obj/ and the uncompressed ones under special/. */
    static List<Path> objects() {
        List<Path> out = new ArrayList<>();
        for (String sub : List.of("obj", "special")) {
            Path d = root().resolve(sub);
            if (!Files.isDirectory(d)) {
                continue;
            }
            try (Stream<Path> s = Files.walk(d)) {
                s.filter(Files::isRegularFile)
                        .filter(f -> f.getFileName().toString().endsWith(".o")
                                || f.getFileName().toString().endsWith(".ko"))
                        .sorted()
                        .forEach(out::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return out;
    }

    static byte[] read(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Decompresses an .xz fixture with the xz library (not with kobj's code). */
    static byte[] unxz(Path p) {
        try (XZInputStream in = new XZInputStream(Files.newInputStream(p))) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
