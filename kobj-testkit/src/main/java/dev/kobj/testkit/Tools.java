package dev.kobj.testkit;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;

/**
 * Outside tools (binutils of the three architectures, kmod's depmod, openssl, qemu-user and
 * qemu-system), the independent oracles of the tests. The rule: on a user's machine a missing
 * tool makes the test say plainly that it skipped; under CI ({@code CI=true}) it fails the run,
 * since .ci/run installs them all.
 */
public final class Tools {
    private Tools() {
    }

    /** {@return whether the tests run under CI ({@code CI=true}), where nothing may be skipped} */
    public static boolean ci() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    /** {@return the program found on PATH, if any} */
    public static Optional<Path> find(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path p = Path.of(dir, program);
            if (Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** {@return whether {@code program} is on PATH} */
    public static boolean present(String program) {
        return find(program).isPresent();
    }

    /** Skips the test (fails it under CI) unless {@code tool} is on PATH; the message names its Debian package. */
    public static void require(String tool) {
        if (!present(tool)) {
            skip(tool + " is not installed (Debian: " + debianPackage(tool) + ")");
        }
    }

    /**
     * Skips the calling test with {@code why}, said on stderr too; under CI, where every
     * oracle must run, throws an AssertionError instead.
     */
    public static void skip(String why) {
        if (ci()) {
            throw new AssertionError("CI=true but " + why);
        }
        System.err.println("SKIPPED: " + why);
        Assumptions.abort("skipped: " + why);
    }

    /** {@return the Debian package that installs {@code tool}} */
    static String debianPackage(String tool) {
        if (tool.startsWith("aarch64-linux-gnu-")) {
            return "binutils-aarch64-linux-gnu";
        }
        if (tool.startsWith("riscv64-linux-gnu-")) {
            return "binutils-riscv64-linux-gnu";
        }
        if (tool.startsWith("x86_64-linux-gnu-")) {
            return "binutils-x86-64-linux-gnu";
        }
        if (tool.startsWith("qemu-system-")) {
            return switch (tool) {
                case "qemu-system-x86_64", "qemu-system-i386" -> "qemu-system-x86";
                case "qemu-system-aarch64", "qemu-system-arm" -> "qemu-system-arm";
                default -> "qemu-system-misc";
            };
        }
        if (tool.startsWith("qemu-")) {
            return "qemu-user-static";
        }
        return switch (tool) {
            case "depmod", "modinfo", "modprobe" -> "kmod";
            case "openssl" -> "openssl";
            default -> "binutils";
        };
    }

    /** What one run of a program gave: exit status, stdout, stderr (merged into stdout when asked). */
    public record Run(int exit, String out, String err, String command) {
        /** {@return whether the program exited 0} */
        public boolean ok() {
            return exit == 0;
        }
    }

    /**
     * Runs {@code cmd} (after {@link #require} of its program) with {@code LC_ALL=C} and returns
     * its stdout; a non-zero exit or any stderr output fails the test.
     */
    public static String run(String... cmd) throws IOException, InterruptedException {
        require(cmd[0]);
        Run r = exec(List.of(cmd), null, false, Duration.ofSeconds(60));
        if (!r.ok() || !r.err().isBlank()) {
            throw new AssertionError(r.command() + " exited " + r.exit() + ": " + r.err());
        }
        return r.out();
    }

    /**
     * Runs {@code cmd} in {@code dir} (null: the current directory) with {@code LC_ALL=C} and
     * no input, waiting at most {@code timeout}; stderr goes into {@link Run#out} when
     * {@code mergeErr}. The program is not looked up first: see {@link #require}.
     */
    public static Run exec(List<String> cmd, Path dir, boolean mergeErr, Duration timeout)
            throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(mergeErr);
        if (dir != null) {
            pb.directory(dir.toFile());
        }
        pb.environment().put("LC_ALL", "C");
        pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        Process p = pb.start();
        String out;
        String err = "";
        try (var o = p.getInputStream(); var e = p.getErrorStream()) {
            if (mergeErr) {
                out = new String(o.readAllBytes(), StandardCharsets.UTF_8);
            } else {
                // stderr drains on its own thread: a tool that writes much to both cannot dead-lock on a full pipe
                var errText = new java.util.concurrent.CompletableFuture<String>();
                Thread.ofVirtual().start(() -> {
                    try {
                        errText.complete(new String(e.readAllBytes(), StandardCharsets.UTF_8));
                    } catch (IOException x) {
                        errText.complete("(stderr unreadable: " + x + ")");
                    }
                });
                out = new String(o.readAllBytes(), StandardCharsets.UTF_8);
                err = errText.join();
            }
        }
        String shown = String.join(" ", cmd);
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly();
            throw new IOException("timed out after " + timeout + ": " + shown);
        }
        return new Run(p.exitValue(), out, err, shown);
    }

    /** {@return the lines of {@code text} in which {@code regex} is found} */
    public static List<String> grep(String text, String regex) {
        Pattern p = Pattern.compile(regex);
        List<String> out = new ArrayList<>();
        for (String l : text.split("\n")) {
            if (p.matcher(l).find()) {
                out.add(l);
            }
        }
        return out;
    }
}
