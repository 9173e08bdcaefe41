import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Build step: compiles {@code src/main/c/kobjelf.c} into the JNI library that
 * {@code dev.kobj.elf.NativeReads} loads when {@code -Ddev.kobj.elf.jni=PATH} names it, for this
 * machine's JDK and architecture. Run by the toolchain's JDK (whose {@code include} directory
 * has {@code jni.h}):
 *
 * <pre>java JniLibrary.java SOURCE OUTPUT</pre>
 *
 * <p>The C compiler is {@code $CC}, else {@code cc}. Without one, off Linux, or when it fails, no
 * library is made and the step says so: kobj then reads through the FFM downcall, as it does
 * without the property. Under CI ({@code CI=true}) or with {@code -Dkobj.jni.required=true}
 * that fails the step instead, so that the tests of the JNI path cannot skip unseen.
 */
public final class JniLibrary {
    private JniLibrary() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        if (args.length != 2) {
            System.err.println("usage: java JniLibrary.java SOURCE OUTPUT");
            System.exit(2);
        }
        Path source = Path.of(args[0]);
        Path output = Path.of(args[1]);
        boolean required = "true".equals(System.getenv("CI")) || Boolean.getBoolean("kobj.jni.required");
        if (!System.getProperty("os.name", "").equals("Linux")) {
            skip(output, "not Linux", required);
            return;
        }
        Path home = Path.of(System.getProperty("java.home"));
        Path include = home.resolve("include");
        if (!Files.isRegularFile(include.resolve("jni.h"))) {
            skip(output, "no jni.h under " + include, required);
            return;
        }
        String cc = System.getenv().getOrDefault("CC", "").trim();
        if (cc.isEmpty()) {
            cc = "cc";
        }
        Files.createDirectories(output.toAbsolutePath().getParent());
        Path partial = output.resolveSibling(output.getFileName() + ".part");
        List<String> cmd = new ArrayList<>(List.of(cc.split("\\s+"))); // CC may be "ccache gcc"
        cmd.addAll(List.of("-O2", "-shared", "-fPIC", "-Wall", "-Wextra",
                "-I" + include, "-I" + include.resolve("linux"), "-o", partial.toString(), source.toString()));
        Process p;
        try {
            p = new ProcessBuilder(cmd).inheritIO().start();
        } catch (IOException e) {
            skip(output, "no C compiler (" + cc + ": " + e.getMessage() + ")", required);
            return;
        }
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", cmd) + ": still running after 120 s");
        }
        if (p.exitValue() != 0) {
            Files.deleteIfExists(partial);
            skip(output, String.join(" ", cmd) + ": exit status " + p.exitValue(), required);
            return;
        }
        Files.move(partial, output, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        // The kobjdump launcher uses the library only when it is the one made here, as it does its caches.
        Files.writeString(output.resolveSibling(output.getFileName() + ".sha256"), sha256(output) + "\n");
        System.out.println("JniLibrary: " + output + " (" + Files.size(output) + " bytes)");
    }

    private static String sha256(Path p) throws IOException {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IOException(e);
        }
    }

    /** Makes no library (and removes an old one, which would be of other sources), or fails when one is required. */
    private static void skip(Path output, String why, boolean required) throws IOException {
        Files.deleteIfExists(output);
        Files.deleteIfExists(output.resolveSibling(output.getFileName() + ".sha256"));
        if (required) {
            throw new IOException("JniLibrary: " + why + "; the JNI library is required here (CI=true or -Dkobj.jni.required=true)");
        }
        System.out.println("JniLibrary: " + why + ": " + output + " not made; kobj reads through the FFM downcall");
    }
}
