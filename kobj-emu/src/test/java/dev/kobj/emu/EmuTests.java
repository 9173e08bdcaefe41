package dev.kobj.emu;

import dev.kobj.emu.unicorn.Unicorn;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/** Fixture location and the outside-tool rule: skip with a message, but fail under CI=true. */
final class EmuTests {
    private EmuTests() {
    }

    /** {@return the testdata directory (system property kobj.testdata, set by the build)} */
    static Path testdata() {
        String p = System.getProperty("kobj.testdata");
        return p != null ? Path.of(p) : Path.of("..", "testdata");
    }

    /** Skips (fails under CI=true) when libunicorn is missing. */
    static void requireUnicorn() {
        String why = Unicorn.unavailableReason();
        if (why != null) {
            skip(why);
        }
    }

    /** {@return the program {@code name} on PATH}, or skips (fails under CI=true) naming {@code pkg} */
    static Path tool(String name, String pkg) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, name);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        skip(name + " not found on PATH (Debian package " + pkg + ")");
        return null;
    }

    static void skip(String why) {
        if ("true".equals(System.getenv("CI"))) {
            throw new AssertionError("CI=true and " + why);
        }
        System.out.println("SKIPPED: " + why);
        Assumptions.abort("skipped: " + why);
    }
}
