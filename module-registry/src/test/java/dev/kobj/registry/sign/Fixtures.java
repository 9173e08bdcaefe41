package dev.kobj.registry.sign;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/** The committed fixtures (testdata/special) and the openssl oracle. */
final class Fixtures {
    private Fixtures() {}

    static Path testdata() {
        String p = System.getProperty("kobj.testdata");
        return p != null ? Path.of(p) : Path.of("..", "testdata");
    }

    static Path special(String name) {
        return testdata().resolve("special").resolve(name);
    }

    static byte[] read(String special) throws IOException {
        return Files.readAllBytes(special(special));
    }

    /** openssl, or a skip on a user's machine and a failure under CI (.ci/run installs it). */
    static void requireOpenssl() {
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(File.pathSeparator)) {
                if (Files.isExecutable(Path.of(dir, "openssl"))) {
                    return;
                }
            }
        }
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new AssertionError("CI=true but openssl is not installed (Debian: openssl)");
        }
        Assumptions.abort("skipped: openssl is not installed (Debian: openssl)");
    }

    /** The result of one run of a tool: exit code, stdout and stderr. */
    record Run(int exit, String out, String err) {}

    static Run run(List<String> cmd) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("LC_ALL", "C");
        pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        Process p = pb.start();
        String out;
        String err;
        try (var o = p.getInputStream(); var e = p.getErrorStream()) {
            // The outputs here are short: reading one then the other cannot dead-lock on a full pipe.
            out = new String(o.readAllBytes(), StandardCharsets.UTF_8);
            err = new String(e.readAllBytes(), StandardCharsets.UTF_8);
        }
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("timed out: " + String.join(" ", cmd));
        }
        return new Run(p.exitValue(), out, err);
    }
}
