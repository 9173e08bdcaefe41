package dev.kobj.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kobj.testkit.Readelf;
import dev.kobj.testkit.Testdata;
import dev.kobj.testkit.Tools;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher ({@code ./kobjdump}) with a damaged, mismatched or truncated AOT cache, and after
 * the jar changed: every run prints exactly the command's output on stdout (its sections equal
 * what {@code readelf -SW} lists), with at most warnings on stderr. Runs the real launcher
 * script on a copy of the packaged jar and its cache (kobjdump-cli/target), laid out as in the
 * repository, so the developer's own cache is never touched. Needs the packaged jar: runs in
 * the {@code verify} phase (a surefire execution of its own in kobjdump-cli/pom.xml), after
 * the package phase made the jar and the cache.
 */
class LauncherCacheTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path root;

    private Path target;
    private Path jar;
    private Path aot;
    /** The copy of the JNI library of the reads, or null when the build made none (no C compiler). */
    private Path jni;

    @BeforeEach
    void copyTheLauncherJarAndCache() throws IOException {
        Path built = Path.of("target").toAbsolutePath();
        Path builtJar = built.resolve("kobjdump.jar");
        List<Path> caches;
        try (Stream<Path> s = Files.list(built)) {
            caches = s.filter(p -> p.getFileName().toString().matches("kobjdump-[0-9a-f]{16}(\\.aot|-trees\\.aot|-stats\\.aot|-depmod\\.aot|-files\\.jsa|-files\\.jar)(\\.sha256)?"))
                    .toList();
        }
        if (!Files.isRegularFile(builtJar) || caches.size() != 12) {
            Tools.skip("no packaged kobjdump.jar with its AOT cache, files jar and CDS archive in " + built
                    + " (mvn package without -Dkobj.aot.skip=true)");
        }
        target = Files.createDirectories(root.resolve("kobjdump-cli/target"));
        Path launcher = root.resolve("kobjdump");
        Files.copy(built.getParent().getParent().resolve("kobjdump"), launcher, StandardCopyOption.COPY_ATTRIBUTES);
        // The JVM checks the jar's size and modification time against the cache: keep them.
        jar = Files.copy(builtJar, target.resolve("kobjdump.jar"), StandardCopyOption.COPY_ATTRIBUTES);
        for (Path c : caches) {
            Path copy = Files.copy(c, target.resolve(c.getFileName()), StandardCopyOption.COPY_ATTRIBUTES);
            if (copy.getFileName().toString().endsWith("-files.jsa")) {
                aot = copy; // the CDS archive of the file commands, which the runs here use (sections)
            }
        }
        if (Files.isRegularFile(built.resolve("libkobjelf.so"))) {
            jni = Files.copy(built.resolve("libkobjelf.so"), target.resolve("libkobjelf.so"), StandardCopyOption.COPY_ATTRIBUTES);
            Files.copy(built.resolve("libkobjelf.so.sha256"), target.resolve("libkobjelf.so.sha256"), StandardCopyOption.COPY_ATTRIBUTES);
        }
        Path lib = built.resolve("lib"); // the jars of the manifest's Class-Path (BouncyCastle)
        if (Files.isDirectory(lib)) {
            Path libCopy = Files.createDirectories(target.resolve("lib"));
            try (Stream<Path> s = Files.list(lib)) {
                for (Path p : s.toList()) {
                    Files.copy(p, libCopy.resolve(p.getFileName()), StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }

    private static Path module() {
        return Testdata.root().resolve("special/module.ko");
    }

    /**
     * Runs the launcher with the JVM's class-loading log, and its AOT cache's (which cache it
     * opened) and native libraries' (which it loaded), in {@code classes.log} (a file, so that
     * stdout and stderr are the launcher's and the command's only).
     */
    private Tools.Run launch(String... args) throws IOException, InterruptedException {
        return launchIn(null, args);
    }

    /**
     * {@link #launch} with the locale {@code locale} ({@code LC_ALL}): elf-parser's native reads
     * take only file names of a UTF-8 JVM ({@code sun.jnu.encoding}), and the tests' environment
     * may have no locale at all.
     */
    private Tools.Run launchIn(String locale, String... args) throws IOException, InterruptedException {
        Files.deleteIfExists(root.resolve("classes.log"));
        List<String> cmd = new ArrayList<>(List.of("env"));
        if (locale != null) {
            cmd.add("LC_ALL=" + locale);
        }
        cmd.addAll(List.of(
                "KOBJ_JAVA_OPTS=-Xlog:class+load=info,aot=info,library=info:file=" + root.resolve("classes.log"),
                root.resolve("kobjdump").toString()));
        cmd.addAll(List.of(args));
        return Tools.exec(cmd, root, false, Duration.ofSeconds(120));
    }

    /** The run printed, on stdout and nothing else, the sections readelf -SW lists for module.ko. */
    private static void sectionsAsReadelf(Tools.Run r) throws Exception {
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode j = JSON.readTree(r.out());
        JsonNode secs = j.isArray() ? j.get(0).get("sections") : j.get("sections");
        List<Readelf.SectionLine> expected = Readelf.sectionLines(Tools.run("readelf", "-SW", module().toString()));
        assertThat(expected).hasSizeGreaterThan(10);
        List<String> mine = new ArrayList<>();
        for (JsonNode s : secs) {
            if (s.get("type").asText().equals("NULL")) {
                continue;
            }
            mine.add(s.get("name").asText() + " " + s.get("type").asText() + " " + s.get("size").asLong());
        }
        assertThat(mine).isEqualTo(expected.stream().map(l -> l.name() + " " + l.type() + " " + l.size()).toList());
    }

    /**
     * {@return how many of kobj's classes the last run took from the AOT cache} (the JDK's own
     * classes may come from the JDK's default CDS archive, which the log names the same way)
     */
    private long classesFromTheCache() throws IOException {
        try (Stream<String> lines = Files.lines(root.resolve("classes.log"))) {
            return lines.filter(l -> l.contains(" dev.kobj.") && l.contains("source: shared objects file")).count();
        }
    }

    private String state() throws IOException {
        return Files.readString(target.resolve(".kobjdump-launch"));
    }

    private static String sha256(Path p) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
    }

    @Test
    void aHealthyCacheIsUsed() throws Exception {
        Tools.Run r = launch("sections", "--json", module().toString());
        sectionsAsReadelf(r);
        assertThat(r.err()).isEmpty();
        assertThat(state()).contains("k_cds_files=" + aot);
        assertThat(classesFromTheCache()).as("kobj's classes loaded from the cache").isGreaterThan(20);
    }

    @Test
    void theFilesJarFindsTheDecompressorsInTheShadedJar() throws Exception {
        // The small jar of the file commands holds no XZ or zstd-jni class (they have
        // multi-release variants): a compressed module's classes come from kobjdump.jar through
        // the small jar's Class-Path, zstd-jni's native library with the manifest's native access.
        for (String m : List.of("module.ko.xz", "module.ko.zst")) {
            Tools.Run r = launch("sections", "--json", module().resolveSibling(m).toString());
            sectionsAsReadelf(r);
            assertThat(r.err()).as(m).isEmpty();
            assertThat(state()).contains("k_jar_files=" + target.resolve(jarOfFiles()));
        }
    }

    @Test
    void statsCheckAndDepmodTakeTheirOwnCaches() throws Exception {
        Path tree = oneModuleTree();
        String symvers = module().resolveSibling("Module.symvers").toString();
        // the command, the cache it takes, and what it says of the one module (depmod: in its file)
        List<List<String>> runs = List.of(
                List.of("stats", tree.toString(), "-stats.aot", "Files:            1\n"),
                List.of("check", "--kernel", symvers, tree.toString(), "-trees.aot",
                        "Modules:       1 (1 would load"),
                List.of("depmod", "-o", root.resolve("modules.dep").toString(), tree.toString(), "-depmod.aot", ""));
        for (List<String> run : runs) {
            List<String> args = run.subList(0, run.size() - 2);
            Tools.Run r = launch(args.toArray(String[]::new));
            assertThat(r.exit()).as(r.err()).isZero();
            if (!run.getLast().isEmpty()) {
                assertThat(r.out()).contains(run.getLast());
            }
            Path cache = target.resolve(aot.getFileName().toString().replace("-files.jsa", run.get(run.size() - 2)));
            assertThat(state()).contains(cache.toString());
            assertThat(log()).as(args.getFirst()).contains("Opened AOT cache " + cache + ".");
            assertThat(classesFromTheCache()).as(args.getFirst() + ": kobj's classes from its cache").isGreaterThan(20);
        }
        assertThat(Files.readString(root.resolve("modules.dep"))).isEqualTo("kernel/kobj_demo.ko:\n");
    }

    private String jarOfFiles() {
        return aot.getFileName().toString().replace("-files.jsa", "-files.jar");
    }

    @Test
    void aDamagedCacheGivesOneWarningAndACorrectRun() throws Exception {
        try (RandomAccessFile f = new RandomAccessFile(aot.toFile(), "rw")) {
            f.seek(100);
            f.write(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}); // the damage that made 25.0.3 abort (SIGABRT)
        }
        Tools.Run r = launch("sections", "--json", module().toString());
        sectionsAsReadelf(r);
        assertThat(r.err().lines().toList()).singleElement().asString()
                .startsWith("kobjdump: " + aot).contains("damaged");
        assertThat(state()).contains("k_cds_files=''");
        assertThat(classesFromTheCache()).isZero();
        Tools.Run again = launch("sections", "--json", module().toString());
        sectionsAsReadelf(again);
        assertThat(again.err()).as("the warning is given once, when the state is made").isEmpty();
    }

    @Test
    void theCacheOfAnotherJarIsNotUsed() throws Exception {
        // The jar is rebuilt (here: one more entry, so another SHA-256) and the old jar's cache
        // is still there. JDK 25.0.3 maps a cache made for a jar of another size and time without
        // a word (JDK-8377932: it can then run the old jar's classes), so the launcher must pass
        // only the cache named by the jar's hash: here none.
        try (FileSystem z = FileSystems.newFileSystem(URI.create("jar:" + jar.toUri()), Map.of())) {
            Files.writeString(z.getPath("kobj-launcher-test.txt"), "another jar\n");
        }
        assertThat(sha256(jar)).doesNotStartWith(aot.getFileName().toString().substring(9, 25));
        Tools.Run r = launch("sections", "--json", module().toString());
        sectionsAsReadelf(r);
        assertThat(r.err()).isEmpty();
        assertThat(state()).contains("k_cds_files=''");
        assertThat(classesFromTheCache()).isZero();
    }

    @Test
    void aCacheForTheJarsNameButMadeForAnotherJarStillGivesTheRightOutput() throws Exception {
        // The old cache under the new jar's name with a matching SHA-256: the launcher passes it
        // and the JVM maps it; the output must still be the new jar's (its classes are the same).
        try (FileSystem z = FileSystems.newFileSystem(URI.create("jar:" + jar.toUri()), Map.of())) {
            Files.writeString(z.getPath("kobj-launcher-test.txt"), "another jar\n");
        }
        Path other = Files.move(aot, target.resolve("kobjdump-" + sha256(jar).substring(0, 16) + "-files.jsa"));
        Files.writeString(other.resolveSibling(other.getFileName() + ".sha256"), sha256(other));
        Tools.Run r = launch("sections", "--json", module().toString());
        sectionsAsReadelf(r);
        assertThat(state()).contains("k_cds_files=" + other);
    }

    @Test
    void aTruncatedCacheLeavesTheOutputUnchanged() throws Exception {
        try (RandomAccessFile f = new RandomAccessFile(aot.toFile(), "rw")) {
            f.setLength(f.length() / 2);
        }
        Files.writeString(aot.resolveSibling(aot.getFileName() + ".sha256"), sha256(aot));
        Tools.Run r = launch("sections", "--json", module().toString());
        sectionsAsReadelf(r);
        assertThat(state()).contains("k_cds_files=" + aot);
        assertThat(classesFromTheCache()).as("the JVM refused the cache").isZero();
    }

    @Test
    void aTouchedJarRemakesTheState() throws Exception {
        sectionsAsReadelf(launch("sections", "--json", module().toString()));
        Path state = target.resolve(".kobjdump-launch");
        FileTime old = FileTime.fromMillis(System.currentTimeMillis() - 60_000);
        Files.setLastModifiedTime(state, old);
        Files.writeString(state, state() + "# made before the jar changed\n");
        Files.setLastModifiedTime(state, old);
        Files.setLastModifiedTime(jar, FileTime.fromMillis(System.currentTimeMillis()));
        Tools.Run r = launch("sections", "--json", module().toString());
        sectionsAsReadelf(r);
        assertThat(Files.getLastModifiedTime(state)).isGreaterThan(old);
        assertThat(state()).doesNotContain("before the jar changed").contains("k_aot=");
    }

    /** A tree of one module, for the tree commands. */
    private Path oneModuleTree() throws IOException {
        Path tree = Files.createDirectories(root.resolve("tree/kernel"));
        Files.copy(module(), tree.resolve("kobj_demo.ko"));
        return tree.getParent();
    }

    private void needTheJniLibrary() {
        if (jni == null) {
            Tools.skip("no JNI library target/libkobjelf.so (no C compiler when kobjdump-cli was packaged)");
        }
    }

    private String log() throws IOException {
        return Files.readString(root.resolve("classes.log"));
    }

    @Test
    void theTreeCommandsReadThroughTheJniLibraryAndTheFileCommandsDoNotLoadIt() throws Exception {
        needTheJniLibrary();
        Path tree = oneModuleTree();
        String symvers = module().resolveSibling("Module.symvers").toString();
        for (String command : List.of("stats", "check")) {
            Tools.Run r = command.equals("stats") ? launchIn("C.UTF-8", "stats", tree.toString())
                    : launchIn("C.UTF-8", "check", "--kernel", symvers, tree.toString());
            assertThat(r.exit()).as(r.err()).isZero();
            assertThat(r.err()).as(command).isEmpty();
            assertThat(r.out()).as(command).contains(command.equals("stats") ? "Files:            1\n" : "Modules:       1 (1 would load");
            assertThat(log()).as(command).contains("Loaded library " + jni + ",");
            if (command.equals("stats")) {
                assertThat(log()).as("stats makes no FFM downcall stub").doesNotContain("DowncallStub");
            }
        }
        assertThat(state()).contains("k_jni=" + jni);
        sectionsAsReadelf(launch("sections", "--json", module().toString()));
        assertThat(log()).doesNotContain("libkobjelf");
    }

    @Test
    void aDamagedJniLibraryGivesOneWarningAndACorrectRun() throws Exception {
        needTheJniLibrary();
        Files.writeString(jni, "not a library\n"); // its SHA-256 beside it no longer matches
        Path tree = oneModuleTree();
        Tools.Run r = launchIn("C.UTF-8", "stats", tree.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("Files:            1\n", "Failed to parse:  0\n");
        assertThat(r.err().lines().toList()).singleElement().asString().startsWith("kobjdump: " + jni).contains("damaged");
        assertThat(state()).contains("k_jni=''");
        assertThat(log()).doesNotContain("libkobjelf");
        Tools.Run again = launchIn("C.UTF-8", "stats", tree.toString());
        assertThat(again.exit()).as(again.err()).isZero();
        assertThat(again.out()).contains("Files:            1\n", "Failed to parse:  0\n");
        assertThat(again.err()).as("the warning is given once, when the state is made").isEmpty();
    }

    @Test
    void aLibraryWithoutTheMethodIsNotUsedAndTheRunIsCorrect() throws Exception {
        needTheJniLibrary();
        // a real library of this JDK, which loads but has no kobj method (its SHA-256 beside it,
        // as if the build had made it): NativeReads finds that at its first call and uses the FFM downcall
        Files.copy(Path.of(System.getProperty("java.home"), "lib", "libzip.so"), jni, StandardCopyOption.REPLACE_EXISTING);
        Files.writeString(jni.resolveSibling("libkobjelf.so.sha256"), sha256(jni) + "\n");
        Tools.Run r = launchIn("C.UTF-8", "stats", oneModuleTree().toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.err()).isEmpty();
        assertThat(r.out()).contains("Files:            1\n", "Failed to parse:  0\n");
        assertThat(state()).contains("k_jni=" + jni);
        assertThat(log()).contains("Loaded library " + jni + ",").as("the FFM downcall instead").contains("DowncallStub");
    }
}
