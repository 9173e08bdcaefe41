import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Build step of kobjdump, called by {@code TrainAotCache} (JEP 458 finds this file beside it):
 * makes {@code kobjdump-<hash>-files.jar}, the small jar that the launcher runs the file commands
 * (headers, sections, symbols, relocs, modinfo, groups) from.
 *
 * <p>Why: opening the shaded jar costs a short command about 5 ms of CPU on JDK 25.0.3. Its
 * {@code META-INF/versions/} entries (XZ's and zstd-jni's multi-release classes) make
 * {@code ZipFile} set up {@code java.lang.invoke} while it reads the central directory, and its
 * 950 entries are read by the interpreter. The small jar holds only the classes a training run of
 * the file commands loads from the shaded jar (about 70 of them; no multi-release entries), byte
 * for byte, and names the shaded jar in its manifest's {@code Class-Path}: every other class
 * and resource (a {@code .ko.xz} or {@code .ko.zst} file's decompressor, picocli's when a command
 * line is not one FastPath runs) is found there, by the same class loader. The name carries the
 * shaded jar's hash, so the launcher never pairs it with another build's jar.
 */
final class FilesJar {
    private FilesJar() {
    }

    /** {@return the small jar}, made from {@code jar} by a training run of the file commands. */
    static Path make(Path jar, Path testdata, Path work, String hash) throws IOException, InterruptedException {
        Path log = work.resolve("files-classes.log");
        Files.createDirectories(work);
        Files.deleteIfExists(log);
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = List.of(java, "-Xshare:off", "-Xlog:disable", "-Xlog:all=error:stderr",
                "-Xlog:class+load=info:file=" + log, "--illegal-native-access=allow", "-cp", jar.toString(),
                "dev.kobj.cli.Training", testdata.toString(), work.toString(), "files");
        int rc = new ProcessBuilder(cmd).inheritIO().start().waitFor();
        if (rc != 0) {
            throw new IOException("the class-list run of the file commands failed (exit " + rc + ")");
        }
        // "[0.123s][info][class,load] dev.kobj.elf.ElfFile source: file:/.../kobjdump.jar"
        String from = "source: file:" + jar;
        TreeSet<String> classes = new TreeSet<>();
        classes.add("dev/kobj/cli/Main.class"); // the training calls KobjDump.run, not main
        for (String line : Files.readAllLines(log)) {
            int at = line.indexOf("] ");
            int src = line.indexOf(" source: ");
            if (at > 0 && src > at && line.regionMatches(src + 1, from, 0, from.length())
                    && !line.contains(" dev.kobj.cli.Training ")) {
                classes.add(line.substring(at + 2, src).replace('.', '/') + ".class");
            }
        }
        Path out = jar.resolveSibling("kobjdump-" + hash + "-files.jar");
        Manifest mf = new Manifest();
        Attributes a = mf.getMainAttributes();
        a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        a.put(Attributes.Name.MAIN_CLASS, "dev.kobj.cli.Main");
        a.putValue("Enable-Native-Access", "ALL-UNNAMED");
        a.put(Attributes.Name.CLASS_PATH, jar.getFileName().toString());
        FileTime time = FileTime.fromMillis(315532800000L); // 1980-01-01: the same bytes every build
        int n = 0;
        try (ZipFile z = new ZipFile(jar.toFile()); OutputStream os = Files.newOutputStream(out);
                JarOutputStream j = new JarOutputStream(os, mf)) {
            List<String> versioned = new ArrayList<>();
            z.stream().map(ZipEntry::getName).filter(e -> e.startsWith("META-INF/versions/")).forEach(versioned::add);
            for (String c : classes) {
                ZipEntry e = z.getEntry(c);
                // A class with a multi-release variant stays in the shaded jar, which picks the variant.
                if (e == null || versioned.stream().anyMatch(v -> v.endsWith("/" + c))) {
                    continue;
                }
                JarEntry je = new JarEntry(c);
                je.setLastModifiedTime(time);
                j.putNextEntry(je);
                try (var in = z.getInputStream(e)) {
                    in.transferTo(j);
                }
                j.closeEntry();
                n++;
            }
        }
        System.out.printf("FilesJar: %s (%d classes, %,d bytes)%n", out, n, Files.size(out));
        return out;
    }
}
