package dev.kobj.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The committed test objects under testdata/ (built by testdata/build.sh with real compilers;
 * see testdata/README.md). The build passes their directory as the system property
 * {@code kobj.testdata}; without it, {@code ../testdata} (a module directory's sibling).
 */
public final class Testdata {
    private Testdata() {
    }

    /** {@return the testdata directory}; fails when it is not there */
    public static Path root() {
        String p = System.getProperty("kobj.testdata");
        Path dir = p != null && !p.isBlank() && !p.startsWith("$") ? Path.of(p) : Path.of("..", "testdata");
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException("testdata not found at " + dir.toAbsolutePath()
                    + " (set -Dkobj.testdata=DIR)");
        }
        return dir;
    }

    /** {@return {@code rel} under testdata/} */
    public static Path path(String rel) {
        return root().resolve(rel);
    }

    /** {@return testdata/obj/VARIANT/FILE: one compiled fixture} */
    public static Path obj(String variant, String file) {
        return root().resolve("obj").resolve(variant).resolve(file);
    }

    /** {@return testdata/special/NAME: the objects made by hand-written recipes (signed, compressed, ...)} */
    public static Path special(String name) {
        return root().resolve("special").resolve(name);
    }

    /** {@return the bytes of {@code rel} under testdata/} */
    public static byte[] read(String rel) {
        try {
            return Files.readAllBytes(path(rel));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
