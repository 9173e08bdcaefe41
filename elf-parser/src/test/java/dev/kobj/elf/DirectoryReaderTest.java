package dev.kobj.elf;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link DirectoryReader} against the JDK: the same names in the same order as a
 * {@code DirectoryStream} (both read the kernel's {@code readdir} order), each with the kind
 * {@code lstat} gives, on a directory of every kind of entry, on one that takes several
 * {@code getdents64} calls, and null
 * where it must not answer (a name that is not ASCII, a link to a directory, a missing or
 * unreadable directory, a file).
 */
class DirectoryReaderTest {
    @TempDir
    Path dir;

    /** {@return the directory's entries as the JDK lists them: names in stream order, kinds by lstat} */
    private static List<DirectoryReader.Entry> jdk(Path d) throws IOException {
        List<DirectoryReader.Entry> out = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(d)) {
            for (Path p : s) {
                BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                DirectoryReader.Kind k = a.isDirectory() ? DirectoryReader.Kind.DIRECTORY
                        : a.isRegularFile() ? DirectoryReader.Kind.FILE
                        : a.isSymbolicLink() ? DirectoryReader.Kind.LINK
                        : DirectoryReader.Kind.OTHER;
                out.add(new DirectoryReader.Entry(p.getFileName().toString(), k));
            }
        }
        return out;
    }

    private static boolean linux() {
        return System.getProperty("os.name").equals("Linux");
    }

    @Test
    void everyKindOfEntryAsTheJdkSeesIt() throws Exception {
        if (linux()) {
            assertThat(DirectoryReader.available()).as("getdents64 through FFM on Linux with native access").isTrue();
        }
        Files.write(dir.resolve("a.ko"), new byte[] {1});
        Files.write(dir.resolve(".hidden.ko"), new byte[0]);
        Files.write(dir.resolve("..dots"), new byte[0]);
        Files.createDirectory(dir.resolve("sub"));
        Files.createDirectory(dir.resolve("sub.ko"));
        Files.createSymbolicLink(dir.resolve("link.ko"), dir.resolve("a.ko"));
        Files.createSymbolicLink(dir.resolve("dirlink"), dir.resolve("sub"));
        Files.createSymbolicLink(dir.resolve("dangling.ko"), dir.resolve("nowhere"));
        Path fifo = dir.resolve("fifo.ko");
        Process p = new ProcessBuilder("mkfifo", fifo.toString()).start();
        boolean madeFifo = p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        List<DirectoryReader.Entry> expected = jdk(dir);
        assertThat(expected).hasSize(madeFifo ? 9 : 8);
        List<DirectoryReader.Entry> got = new DirectoryReader().list(dir);
        if (!linux()) {
            assertThat(got).isNull();
            return;
        }
        assertThat(got).containsExactlyElementsOf(expected);
        if (madeFifo) {
            assertThat(got).contains(new DirectoryReader.Entry("fifo.ko", DirectoryReader.Kind.OTHER));
        }
        assertThat(new DirectoryReader().list(dir.resolve("sub"))).isEmpty();
    }

    @Test
    void aDirectoryOfManyCallsAndTheReaderReused() throws Exception {
        // 3,000 names of 60-odd bytes: about 250 KB of records, eight or more 32 KiB reads
        Path big = Files.createDirectory(dir.resolve("big"));
        for (int i = 0; i < 3000; i++) {
            Files.write(big.resolve("module-with-a-rather-long-name-for-the-records-" + i + ".ko"), new byte[0]);
        }
        Path small = Files.createDirectory(dir.resolve("small"));
        Files.write(small.resolve("x.o"), new byte[0]);
        DirectoryReader r = new DirectoryReader();
        if (!linux()) {
            assertThat(r.list(big)).isNull();
            return;
        }
        assertThat(r.list(big)).hasSize(3000).containsExactlyElementsOf(jdk(big));
        assertThat(r.list(small)).containsExactlyElementsOf(jdk(small));
        assertThat(r.list(big)).containsExactlyElementsOf(jdk(big));
    }

    @Test
    void noAnswerWhereTheJdkMustSpeak() throws Exception {
        DirectoryReader r = new DirectoryReader();
        Path sub = Files.createDirectory(dir.resolve("sub"));
        Files.write(sub.resolve("f.ko"), new byte[0]);
        assertThat(r.list(dir.resolve("missing"))).isNull();
        assertThat(r.list(sub.resolve("f.ko"))).as("a file").isNull();
        assertThat(r.list(Files.createSymbolicLink(dir.resolve("link"), sub))).as("a link to a directory").isNull();
        Path odd = Files.createDirectory(dir.resolve("odd"));
        Files.write(odd.resolve("caf\u00e9.ko"), new byte[0]); // UTF-8 bytes past ASCII
        assertThat(r.list(odd)).as("a name that is not ASCII").isNull();
        // Unreadable: null, unless this user reads it anyway (root), and then the JDK's answer.
        Path closed = Files.createDirectory(dir.resolve("closed"));
        Files.write(closed.resolve("m.ko"), new byte[0]);
        Files.setPosixFilePermissions(closed, PosixFilePermissions.fromString("---------"));
        try {
            boolean readable = Files.isReadable(closed); // access(2): root reads it anyway
            if (readable) {
                assertThat(r.list(closed)).containsExactly(new DirectoryReader.Entry("m.ko", DirectoryReader.Kind.FILE));
            } else {
                assertThat(r.list(closed)).isNull();
            }
        } finally {
            Files.setPosixFilePermissions(closed, PosixFilePermissions.fromString("rwx------"));
        }
        // and the reader still works after its refusals
        if (linux()) {
            assertThat(r.list(sub)).containsExactly(new DirectoryReader.Entry("f.ko", DirectoryReader.Kind.FILE));
        }
    }
}
