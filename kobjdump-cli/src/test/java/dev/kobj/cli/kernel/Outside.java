package dev.kobj.cli.kernel;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Paths;
import org.junit.jupiter.api.Assumptions;

/**
 * The outside-tool rule for the real-kernel oracle: a missing qemu-system binary or an unfetched
 * kernel makes the test say plainly that it skipped; under CI ({@code CI=true}) it fails.
 */
public final class Outside {
    private Outside() {
    }

    public static boolean ci() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    public static boolean onPath(String tool) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (Files.isExecutable(Paths.get(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    /** Skips (or under CI fails) with {@code what} unless {@code present}. */
    public static void require(boolean present, String what) {
        if (present) {
            return;
        }
        if (ci()) {
            throw new AssertionError("CI=true but " + what);
        }
        System.err.println("SKIPPED: " + what);
        Assumptions.abort("skipped: " + what);
    }

    /** {@return the kernel of {@code series}/{@code arch}, its qemu checked} */
    public static KernelImage kernel(String series, String arch) {
        var k = KernelImage.find(series, arch);
        require(k.isPresent(), "Debian kernel " + series + " " + arch + " not fetched into " + KernelImage.root()
                + " (run scripts/fetch-kernels.sh)");
        String qemu = k.get().qemu();
        require(onPath(qemu), qemu + " is not installed (Debian: qemu-system-x86, qemu-system-arm)");
        return k.get();
    }
}
