package dev.kobj.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kobj.elf.DirectoryReader;
import dev.kobj.testkit.Corpus;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Trees#files} walks with the directories' own entry types ({@link DirectoryReader}) where
 * it can. What it finds, in which order it hands files on, and which failures it reports must be
 * what the JDK's {@code Files.walkFileTree} finds: the oracle here is a plain walk written
 * against the JDK alone (regular files, and links to them, whose names end in {@code .ko} or
 * {@code .o}; a directory that cannot be opened is a failure).
 */
class TreesWalkTest {
    @TempDir
    Path dir;

    /** What the JDK walk finds: files in visit order, failures by path. */
    private record Walk(List<Path> found, Map<Path, String> failed) {
    }

    private static Walk jdk(Path root) throws IOException {
        List<Path> found = new ArrayList<>();
        Map<Path, String> failed = new TreeMap<>();
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path f, BasicFileAttributes a) {
                String n = f.getFileName().toString();
                boolean named = n.endsWith(".ko") || n.endsWith(".ko.xz") || n.endsWith(".ko.zst")
                        || n.endsWith(".ko.gz") || n.endsWith(".o");
                if (named && Files.isRegularFile(f)) {
                    found.add(f);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path f, IOException e) {
                failed.put(f, KobjDump.errorMessage(f.toString(), e));
                return FileVisitResult.CONTINUE;
            }
        });
        return new Walk(found, failed);
    }

    private static Walk trees(Path root, List<Path> sorted) throws IOException {
        List<Path> found = new ArrayList<>();
        Map<Path, String> failed = new TreeMap<>();
        sorted.addAll(Trees.files(root, Trees.OBJECTS, failed::put, found::add));
        return new Walk(found, failed);
    }

    private static void assertSameWalk(Path root) throws IOException {
        List<Path> sorted = new ArrayList<>();
        Walk ours = trees(root, sorted);
        Walk theirs = jdk(root);
        assertThat(ours.found()).as("files in the order the walk finds them").containsExactlyElementsOf(theirs.found());
        assertThat(ours.failed()).isEqualTo(theirs.failed());
        assertThat(sorted).isSorted().containsExactlyInAnyOrderElementsOf(theirs.found());
    }

    @Test
    void oddTreeAsTheJdkWalksIt() throws Exception {
        if (System.getProperty("os.name").equals("Linux")) {
            assertThat(DirectoryReader.available()).as("the walk reads directories with getdents64 here").isTrue();
        }
        Path a = Files.createDirectories(dir.resolve("kernel/drivers/net"));
        Path b = Files.createDirectories(dir.resolve("kernel/fs/ext4"));
        Files.write(a.resolve("dummy.ko"), new byte[] {1});
        Files.write(a.resolve("veth.ko.xz"), new byte[] {2});
        Files.write(a.resolve("notes.txt"), new byte[] {3});
        Files.write(b.resolve("ext4.ko.zst"), new byte[] {4});
        Files.write(b.resolve("helper.o"), new byte[] {5});
        Files.write(dir.resolve("modules.dep"), new byte[0]);
        Files.write(dir.resolve(".hidden.ko"), new byte[0]);
        Files.createDirectories(dir.resolve("kernel/empty"));
        Files.createDirectories(dir.resolve("kernel/dir.ko")); // a directory with a module's name
        Files.createSymbolicLink(dir.resolve("kernel/link.ko"), a.resolve("dummy.ko")); // taken, as a file
        Files.createSymbolicLink(dir.resolve("kernel/dirlink"), b); // not followed
        Files.createSymbolicLink(dir.resolve("kernel/dirlink.ko"), b); // not a regular file
        Files.createSymbolicLink(dir.resolve("kernel/dangling.ko"), dir.resolve("nowhere"));
        // a name past ASCII: the directory that holds it ("extra") is walked by the JDK, its files still found
        Path odd = Files.createDirectories(dir.resolve("extra/caf\u00e9"));
        Files.write(odd.resolve("m\u00fc.ko"), new byte[] {6});
        Files.createDirectories(odd.resolve("deeper"));
        Files.write(odd.resolve("deeper/plain.ko"), new byte[] {7});
        for (int i = 0; i < 400; i++) { // a directory that takes several reads
            Files.write(b.resolve("module-with-a-long-name-number-" + i + ".ko"), new byte[0]);
        }
        // unreadable: a failure, as the JDK words it (unless this user reads it anyway)
        Path closed = Files.createDirectories(dir.resolve("kernel/closed"));
        Files.write(closed.resolve("hidden.ko"), new byte[0]);
        Files.setPosixFilePermissions(closed, PosixFilePermissions.fromString("---------"));
        try {
            boolean readable = Files.isReadable(closed); // access(2): root reads it anyway
            List<Path> sorted = new ArrayList<>();
            Walk ours = trees(dir, sorted);
            assertThat(ours.found()).hasSize(readable ? 409 : 408)
                    .contains(dir.resolve("kernel/link.ko"), odd.resolve("m\u00fc.ko"), odd.resolve("deeper/plain.ko"))
                    .doesNotContain(dir.resolve("kernel/dir.ko"), dir.resolve("kernel/dirlink.ko"),
                            dir.resolve("kernel/dangling.ko"), a.resolve("notes.txt"));
            if (!readable) {
                assertThat(ours.failed()).containsOnlyKeys(closed);
            }
            assertSameWalk(dir);
            assertSameWalk(odd);
        } finally {
            Files.setPosixFilePermissions(closed, PosixFilePermissions.fromString("rwx------"));
        }
    }

    @Test
    void aLinkedRootIsNotFollowedAndAFileIsItself() throws Exception {
        Path real = Files.createDirectories(dir.resolve("real"));
        Files.write(real.resolve("a.ko"), new byte[0]);
        Path link = Files.createSymbolicLink(dir.resolve("link"), real);
        assertSameWalk(link); // as walkFileTree: a linked root is visited as a file, and is no module
        assertThat(Trees.files(real.resolve("a.ko"), Trees.OBJECTS, (f, e) -> { })).containsExactly(real.resolve("a.ko"));
    }

    @Test
    void corpusTreesAsTheJdkWalksThem() throws Exception {
        if (!Corpus.enabled()) {
            System.out.println("TreesWalkTest: corpus not enabled; the corpus trees were not walked (the temporary trees were)");
            return;
        }
        for (String arch : Corpus.arches()) {
            Path modules = Corpus.require(arch).resolve("lib/modules");
            assertSameWalk(modules);
            assertThat(jdk(modules).found()).hasSizeGreaterThan(1000);
        }
    }
}
