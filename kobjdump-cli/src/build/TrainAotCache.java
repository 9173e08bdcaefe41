import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * Build step of kobjdump (run by the JDK 25 source launcher from the pom, after the jar is
 * shaded and its classes modernized): makes the ahead-of-time cache that the launcher
 * passes to the JVM with {@code -XX:AOTCache}.
 *
 * <p>The cache is made by one training run of the real commands ({@code dev.kobj.cli.Training})
 * on the packaged jar with {@code -XX:AOTCacheOutput} (JEP 514's one-step workflow). It is
 * named after the jar's SHA-256, {@code kobjdump-<first 16 hex digits>.aot} (and
 * {@code kobjdump-<hash>-files.aot}, trained on the file commands only), beside the jar,
 * so that a cache never meets a jar other than its own (on JDK 25.0.3 a cache could run
 * stale classes after the jar changed, JDK-8377932); older caches are deleted. Beside it,
 * {@code kobjdump-<hash>.aot.sha256} holds the cache's own SHA-256, which the launcher checks
 * once before using it. JVM logging goes to stderr, never stdout.
 *
 * <p>Usage: {@code java TrainAotCache.java JAR TESTDATA WORKDIR}. A failed training run
 * leaves no cache and fails the build step only when {@code -Dkobj.aot.required=true}
 * (the launcher runs without a cache as before).
 */
public final class TrainAotCache {
    private TrainAotCache() {
    }

    public static void main(String[] args) throws Exception {
        Path jar = Path.of(args[0]).toAbsolutePath();
        Path testdata = Path.of(args[1]).toAbsolutePath();
        Path work = Path.of(args[2]).toAbsolutePath();
        String hash = sha256(jar).substring(0, 16);
        // Two caches: the full one (every command) and a small one of the file commands only
        // (headers, sections, symbols, relocs, modinfo, groups), which the launcher gives those
        // commands: a cache's classes are all loaded and linked at every start, so the full
        // cache (about 3,100 classes) costs the short commands more than it saves them.
        List<String> names = List.of("kobjdump-" + hash + ".aot", "kobjdump-" + hash + "-files.aot");
        try (Stream<Path> old = Files.list(jar.getParent())) {
            for (Path p : old.toList()) {
                String f = p.getFileName().toString();
                if (f.startsWith("kobjdump-") && (f.endsWith(".aot") || f.endsWith(".aot.config") || f.endsWith(".aot.sha256"))
                        && !names.contains(f) && !names.contains(f.replaceFirst("\\.(config|sha256)$", ""))) {
                    Files.delete(p);
                }
            }
        }
        for (String name : names) {
            train(jar, testdata, work, name, name.endsWith("-files.aot") ? List.of("files") : List.of());
        }
    }

    private static void train(Path jar, Path testdata, Path work, String name, List<String> mode) throws Exception {
        Path cache = jar.resolveSibling(name);
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(java, "-XX:AOTCacheOutput=" + cache,
                "-Xlog:disable", "-Xlog:all=error:stderr", "-XX:+UseSerialGC",
                "--enable-native-access=ALL-UNNAMED", "-cp", jar.toString(),
                "dev.kobj.cli.Training", testdata.toString(), work.toString()));
        cmd.addAll(mode);
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(cmd).inheritIO().start();
        int rc = p.waitFor();
        if (rc != 0 || !Files.isRegularFile(cache)) {
            Files.deleteIfExists(cache);
            String msg = "TrainAotCache: the training run failed (exit " + rc + "); no AOT cache " + name;
            if (Boolean.getBoolean("kobj.aot.required")) {
                throw new IllegalStateException(msg);
            }
            System.err.println(msg);
            return;
        }
        // The launcher checks the cache against this digest before it first uses it: a damaged
        // cache file can crash the JVM while it is mapped (seen on 25.0.3), not merely be refused.
        Files.writeString(cache.resolveSibling(name + ".sha256"), sha256(cache) + "\n");
        System.out.printf("TrainAotCache: %s (%,d bytes) in %.1f s%n", cache, Files.size(cache),
                (System.nanoTime() - t0) / 1e9);
    }

    static String sha256(Path file) throws IOException, NoSuchAlgorithmException {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }
}
