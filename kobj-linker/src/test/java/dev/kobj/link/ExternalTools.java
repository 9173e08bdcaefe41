package dev.kobj.link;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * readelf and objdump, the independent oracles of the writer tests. A missing tool skips the
 * test on a user's machine and fails it under CI ({@code CI=true}).
 */
final class ExternalTools {
    private ExternalTools() {
    }

    static boolean present(String tool) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, tool))) {
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
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new AssertionError("CI=true but " + msg);
        }
        Assumptions.abort("skipped: " + msg);
    }

    /** Runs {@code cmd} with LC_ALL=C and returns its stdout; a non-zero exit or stderr output fails. */
    static String run(String... cmd) throws IOException, InterruptedException {
        require(cmd[0]);
        ProcessBuilder pb = new ProcessBuilder(List.of(cmd));
        pb.environment().put("LC_ALL", "C");
        Process p = pb.start();
        byte[] err;
        String out;
        try (var e = p.getErrorStream()) {
            out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            err = e.readAllBytes();
        }
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("timed out: " + String.join(" ", cmd));
        }
        String errText = new String(err, StandardCharsets.UTF_8);
        if (p.exitValue() != 0 || !errText.isBlank()) {
            throw new AssertionError(String.join(" ", cmd) + " exited " + p.exitValue() + ": " + errText);
        }
        return out;
    }

    static Path testdata() {
        String p = System.getProperty("kobj.testdata");
        return p != null ? Path.of(p) : Path.of("..", "testdata");
    }

    /** {@return the lines of {@code text} that match {@code regex} somewhere} */
    static List<String> grep(String text, String regex) {
        List<String> out = new ArrayList<>();
        java.util.regex.Pattern p = java.util.regex.Pattern.compile(regex);
        for (String l : text.split("\n")) {
            if (p.matcher(l).find()) {
                out.add(l);
            }
        }
        return out;
    }
}
