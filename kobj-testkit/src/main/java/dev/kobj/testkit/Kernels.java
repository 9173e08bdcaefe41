package dev.kobj.testkit;

import java.nio.file.Path;

/**
 * Where the Debian kernels of the real-kernel oracle are (scripts/fetch-kernels.sh: one
 * directory per kernel release, each with vmlinuz, System.map, Module.symvers, its module tree, a
 * static busybox and a KERNEL key=value file): system property {@code kobj.kernels}, default
 * {@code ../kernels}. A test that needs one and finds none skips, or fails under CI
 * ({@link Tools#skip}).
 */
public final class Kernels {
    private Kernels() {
    }

    /** {@return the kernels directory (it may not exist)} */
    public static Path root() {
        String p = System.getProperty("kobj.kernels");
        return p != null && !p.isBlank() && !p.startsWith("$") ? Path.of(p) : Path.of("..", "kernels");
    }
}
