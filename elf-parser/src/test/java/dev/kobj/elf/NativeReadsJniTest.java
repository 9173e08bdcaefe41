package dev.kobj.elf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JNI library ({@code src/main/c/kobjelf.c}) that {@link NativeReads} calls when
 * {@code -Ddev.kobj.elf.jni} names it. Run by the pom's jni-test execution, which names the
 * library the build made, together with {@link ElfReaderNativeReadsTest} and
 * {@link DirectoryReaderTest}: those hold the reads and listings to the JDK's own, and here the
 * calls themselves are held to what the files are. Where no C compiler made the library this
 * test says it skipped, except under CI ({@code CI=true}), where it fails.
 */
class NativeReadsJniTest {
    @TempDir
    Path dir;

    @BeforeAll
    static void theLibraryIsThere() {
        String lib = System.getProperty(NativeReads.JNI_PROPERTY, "");
        boolean made = !lib.isEmpty() && Files.isRegularFile(Path.of(lib));
        if (!made && !"true".equals(System.getenv("CI"))) {
            assumeThat(made).as("NativeReadsJniTest skipped: no JNI library at '" + lib
                    + "' (no C compiler when elf-parser was built; src/build/JniLibrary.java)").isTrue();
        }
        assertThat(made).as("the JNI library at '" + lib + "' (CI=true: the build must make it)").isTrue();
        if (System.getProperty("os.name").equals("Linux")) {
            assertThat(NativeReads.viaJni()).as("the calls go through " + lib).isTrue();
        }
    }

    /** (Reads of a file in one call, and their bounds, are {@link ElfReaderNativeReadsTest}'s, run here too.) */
    @Test
    void aFileOfSeveralChunksIsReadWhole() throws Exception {
        // 9 MiB + 7: three preads of at most 4 MiB each, the later ones at offsets into the array
        byte[] data = new byte[(9 << 20) + 7];
        new java.util.Random(7).nextBytes(data);
        Path p = Files.write(dir.resolve("big.bin"), data);
        int fd = NativeReads.open(p);
        assertThat(fd).isGreaterThanOrEqualTo(0);
        try {
            byte[] b = new byte[data.length];
            assertThat(NativeReads.read(fd, b, b.length)).isEqualTo(data.length);
            assertThat(b).isEqualTo(data);
        } finally {
            NativeReads.close(fd);
        }
    }

    @Test
    void errorsAnswerMinusOne() throws Exception {
        assertThat(NativeReads.open(dir.resolve("missing.ko"))).isEqualTo(-1);
        assertThat(NativeReads.openDirectory(dir.resolve("missing"))).isEqualTo(-1);
        Path file = Files.write(dir.resolve("file"), new byte[] {1});
        assertThat(NativeReads.openDirectory(file)).as("not a directory").isEqualTo(-1);
        int fd = NativeReads.open(file);
        assertThat(fd).isGreaterThanOrEqualTo(0);
        NativeReads.close(fd);
        assertThat(NativeReads.size(fd)).as("a closed descriptor").isEqualTo(-1);
        assertThat(NativeReads.read(fd, new byte[1], 1)).isEqualTo(-1);
        assertThat(NativeReads.entries(fd, new byte[4096])).isEqualTo(-1);
    }
}
