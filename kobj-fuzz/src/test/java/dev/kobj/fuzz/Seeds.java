package dev.kobj.fuzz;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/** Where testdata is (the build passes -Dkobj.testdata; scripts/fuzz.sh too). */
final class Seeds {
    private Seeds() {
    }

    static Path testdata() {
        String p = System.getProperty("kobj.testdata");
        Path dir = p != null && !p.isBlank() && !p.startsWith("$") ? Paths.get(p) : Paths.get("..", "testdata");
        return Files.isDirectory(dir) ? dir : Paths.get("..", "testdata");
    }
}
