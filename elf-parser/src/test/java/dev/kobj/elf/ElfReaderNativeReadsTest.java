package dev.kobj.elf;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ElfReader} reads a plain file with the C library's pread straight into its buffer
 * ({@link NativeReads}) where it can, and falls back to a {@code FileChannel} on any failure.
 * On every compiled fixture, bigger and smaller files one after the other (the buffer grows and is
 * reused), an empty file, a cut one, a directory, a missing file and a dangling link, it gives the
 * bytes {@link Files#readAllBytes} gives, or the error {@link ElfFile#open} gives.
 */
class ElfReaderNativeReadsTest {
    @TempDir
    Path dir;

    private static String general(Path p) {
        try (ElfFile f = ElfFile.open(p)) {
            return "ok " + Arrays.hashCode(Files.readAllBytes(p)) + " " + f.sections().size();
        } catch (Exception e) {
            return "error: " + e.getClass().getSimpleName() + ": " + e.getMessage();
        }
    }

    private static String reader(ElfReader r, Path p) {
        try {
            ElfFile f = r.open(p);
            return "ok " + Arrays.hashCode(f.fileBytes().toArray(ValueLayout.JAVA_BYTE)) + " " + f.sections().size();
        } catch (Exception e) {
            return "error: " + e.getClass().getSimpleName() + ": " + e.getMessage();
        }
    }

    @Test
    void sameBytesOrSameErrorAsTheGeneralReader() throws Exception {
        // On the machines the project builds on (Linux, tests run with native access), the C library path is the one taken.
        if (System.getProperty("os.name").equals("Linux")) {
            assertThat(NativeReads.available()).as("pread through FFM on Linux with native access").isTrue();
        }
        List<Path> files = new ArrayList<>(Fixtures.objects());
        // big files after small ones and small after big (the buffer grows, then is reused), in an
        // order fixed by a seed: a comparator that flipped its sign by the path's hash broke sort's contract
        java.util.Collections.shuffle(files, new java.util.Random(42));
        byte[] module = Files.readAllBytes(Fixtures.root().resolve("special/module.ko"));
        Path empty = Files.write(dir.resolve("empty.ko"), new byte[0]);
        Path cut = Files.write(dir.resolve("cut.ko"), Arrays.copyOf(module, 100));
        Path sub = Files.createDirectory(dir.resolve("dir.ko"));
        Path dangling = Files.createSymbolicLink(dir.resolve("dangling.ko"), dir.resolve("nowhere"));
        for (Path bad : List.of(empty, cut, sub, dir.resolve("missing.ko"), dangling)) {
            files.add(files.size() / 2, bad);
            files.add(bad);
        }
        ElfReader r = new ElfReader();
        int ok = 0;
        for (Path p : files) {
            String expected = general(p);
            ok += expected.startsWith("ok ") ? 1 : 0;
            assertThat(reader(r, p)).as(p.toString()).isEqualTo(expected);
        }
        assertThat(ok).isGreaterThan(50);
    }

    @Test
    void readsWholeFilesAndRefusesWhatItCannotOpen() throws Exception {
        Path p = Fixtures.root().resolve("special/module.ko");
        byte[] expected = Files.readAllBytes(p);
        int fd = NativeReads.open(p);
        assertThat(fd).isGreaterThanOrEqualTo(0);
        try {
            assertThat(NativeReads.size(fd)).isEqualTo(expected.length);
            byte[] b = new byte[expected.length + 10];
            Arrays.fill(b, (byte) 0x5a);
            assertThat(NativeReads.read(fd, b, b.length)).as("stops at the end of the file").isEqualTo(expected.length);
            assertThat(Arrays.copyOf(b, expected.length)).isEqualTo(expected);
            assertThat(Arrays.copyOfRange(b, expected.length, b.length)).as("nothing written past the file")
                    .containsOnly((byte) 0x5a);
            // a length past the array is refused before the kernel could write past it
            assertThat(NativeReads.read(fd, new byte[8], 9)).isEqualTo(-1);
        } finally {
            NativeReads.close(fd);
        }
        assertThat(NativeReads.open(dir.resolve("missing.ko"))).isEqualTo(-1);
    }

    /**
     * A path of another file system (a zip file's entry) names that entry: the readers must read
     * it there, not the default file system's file whose name is the same string, and
     * {@link ElfFile#open} must not try to map it (a zip file system's channel cannot).
     */
    @Test
    void aZipEntryIsReadWhereItIs() throws Exception {
        byte[] module = Files.readAllBytes(Fixtures.root().resolve("special/module.ko"));
        Path onDisk = Files.write(dir.resolve("same-name.ko"), Arrays.copyOf(module, 100)); // cut: fails to parse
        Path zip = dir.resolve("modules.zip");
        try (java.nio.file.FileSystem zfs = java.nio.file.FileSystems.newFileSystem(zip, java.util.Map.of("create", "true"))) {
            Path entry = zfs.getPath(onDisk.toString());
            Files.createDirectories(entry.getParent());
            Files.write(entry, module);
            assertThat(NativeReads.open(entry)).isEqualTo(-1);
            assertThat(new DirectoryReader().list(entry.getParent())).isNull();
            ElfFile f = new ElfReader().open(entry);
            assertThat(f.fileBytes().toArray(ValueLayout.JAVA_BYTE)).isEqualTo(module);
            try (ElfFile g = ElfFile.open(entry)) { // read, not mapped: a zip entry cannot be
                assertThat(g.fileBytes().toArray(ValueLayout.JAVA_BYTE)).isEqualTo(module);
            }
        }
    }
}
