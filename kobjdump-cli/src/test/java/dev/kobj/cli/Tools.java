package dev.kobj.cli;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.Assumptions;

/**
 * Outside tools (readelf of the matching binutils). On a user's machine a missing tool makes
 * the test say plainly that it skipped; under CI ({@code CI=true}) it fails the run, since
 * .ci/run installs them all.
 */
final class Tools {
    private Tools() {
    }

    static boolean ci() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    static boolean present(String tool) {
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

    static void require(String tool) {
        if (present(tool)) {
            return;
        }
        String msg = tool + " is not installed (Debian: binutils, binutils-aarch64-linux-gnu, binutils-riscv64-linux-gnu)";
        if (ci()) {
            throw new AssertionError("CI=true but " + msg);
        }
        System.err.println("SKIPPED: " + msg);
        Assumptions.abort("skipped: " + msg);
    }

    static Path testdata() {
        String p = System.getProperty("kobj.testdata");
        return p != null ? Paths.get(p) : Paths.get("..", "testdata");
    }
}
