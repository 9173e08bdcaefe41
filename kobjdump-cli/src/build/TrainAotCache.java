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
 * named after the jar's SHA-256, {@code kobjdump-<first 16 hex digits>.aot}, beside the jar,
 * so that a cache never meets a jar other than its own (on JDK 25.0.3 a cache could run
 * stale classes after the jar changed, JDK-8377932); older caches are deleted. Beside it,
 * {@code kobjdump-<hash>.aot.sha256} holds the cache's own SHA-256, which the launcher checks
 * once before using it. JVM logging goes to stderr, never stdout.
 *
 * <p>The file commands (headers, sections, symbols, relocs, modinfo, groups) get a dynamic CDS
 * archive instead, {@code kobjdump-<hash>-files.jsa} ({@code -XX:ArchiveClassesAtExit} after a
 * training run of those commands only, layered on the JDK's own CDS archive): measured on
 * 25.0.3, an AOT cache loads and links all its classes at start (1,600 for the file commands'
 * cache) and, unlike a dynamic archive, does not regenerate the JDK's lambda-form holder classes,
 * so the first memory-segment access spins nine {@code LambdaForm$DMH} classes at run time; the
 * dynamic archive starts {@code sections} of a small module in about 10 ms less CPU. It is
 * trained without {@code --enable-native-access} (the launcher's {@code -jar} gets native access
 * from the manifest): a module option that the JDK's base archive was not made with would turn
 * off its archived module graph, with an error line.
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
        // Two caches: the AOT cache of every command, and the dynamic CDS archive of the file
        // commands only (headers, sections, symbols, relocs, modinfo, groups), which the
        // launcher gives those commands: an AOT cache's classes are all loaded and linked at
        // every start, so the full cache (about 3,100 classes) costs the short commands more
        // than it saves them.
        // The archive is trained on, and used with, the small jar of the file commands (FilesJar).
        // A third, the AOT cache of check and stats, trained on those two alone (Training's
        // "trees" says why): the profiles of the other commands' runs in the full cache made a
        // check of a Debian tree slower than no cache at all.
        // A fourth, of stats alone: stats replays its cache's training, and the check runs in
        // the third had it compile check's loops too. A fifth, of depmod alone (it had the full one).
        List<String> names = List.of("kobjdump-" + hash + ".aot", "kobjdump-" + hash + "-files.jsa",
                "kobjdump-" + hash + "-files.jar", "kobjdump-" + hash + "-trees.aot", "kobjdump-" + hash + "-stats.aot",
                "kobjdump-" + hash + "-depmod.aot");
        try (Stream<Path> old = Files.list(jar.getParent())) {
            for (Path p : old.toList()) {
                String f = p.getFileName().toString();
                if (f.startsWith("kobjdump-") && f.matches(".*[0-9a-f]{16}(-files|-trees|-stats|-depmod)?\\.(aot|jsa|jar)(\\.config|\\.sha256)?")
                        && !names.contains(f) && !names.contains(f.replaceFirst("\\.(config|sha256)$", ""))) {
                    Files.delete(p);
                }
            }
        }
        train(jar, testdata, work, names.get(0), List.of());
        train(jar, testdata, work, names.get(3), List.of("trees"));
        train(jar, testdata, work, names.get(4), List.of("stats"));
        train(jar, testdata, work, names.get(5), List.of("depmod"));
        Path files;
        try {
            files = FilesJar.make(jar, testdata, work, hash);
        } catch (IOException e) {
            if (Boolean.getBoolean("kobj.aot.required")) {
                throw e;
            }
            System.err.println("TrainAotCache: no jar of the file commands: " + e.getMessage());
            return;
        }
        Files.writeString(files.resolveSibling(files.getFileName() + ".sha256"), sha256(files) + "\n");
        train(files, testdata, work, names.get(1), List.of("files"));
    }

    private static void train(Path jar, Path testdata, Path work, String name, List<String> mode) throws Exception {
        Path cache = jar.resolveSibling(name);
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(java));
        if (name.endsWith(".jsa")) {
            // No --enable-native-access (see above); --illegal-native-access=allow only silences
            // zstd-jni's System.loadLibrary warning of this -cp run and is not archived.
            Files.deleteIfExists(cache);
            cmd.addAll(List.of("-XX:ArchiveClassesAtExit=" + cache, "--illegal-native-access=allow"));
        } else {
            cmd.addAll(List.of("-XX:AOTCacheOutput=" + cache, "--enable-native-access=ALL-UNNAMED"));
            // The reads the launcher's commands make: through the JNI library when the build made
            // one (elf-parser's NativeReads), so that the training runs the same code.
            Path jni = jar.resolveSibling("libkobjelf.so");
            if (Files.isRegularFile(jni)) {
                cmd.add("-Ddev.kobj.elf.jni=" + jni.toAbsolutePath());
            }
        }
        // The collector the launcher gives the commands trained (check and stats: ParallelGC).
        cmd.addAll(name.endsWith("-trees.aot") || name.endsWith("-stats.aot") ? List.of("-XX:+UseParallelGC", "-Xmx160m")
                : List.of("-XX:+UseSerialGC"));
        cmd.addAll(List.of("-Xlog:disable", "-Xlog:all=error:stderr", "-cp", jar.toString(),
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
