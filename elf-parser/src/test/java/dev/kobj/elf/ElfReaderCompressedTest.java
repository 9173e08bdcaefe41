package dev.kobj.elf;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ElfReader} decompresses {@code .ko.xz/.zst/.gz} through its {@link ModuleDecompressor}
 * (liblzma for xz when it loads); {@link ElfFile#open} through {@link Decompress} (XZ for Java).
 * On testdata's compressed modules and on cut and damaged copies of them, both give the same
 * decompressed object or the same error, and one reader goes on reading good files after bad ones.
 */
class ElfReaderCompressedTest {
    @TempDir
    Path dir;

    private static final List<String> FILES = List.of("special/module.ko.xz", "special/module.ko.zst",
            "special/module.ko.gz", "special/many-sections.o.xz");

    /** {@return what ElfFile.open gives: the decompressed bytes, or "error: " and the message} */
    private static String general(Path p) {
        try (ElfFile f = ElfFile.open(p)) {
            return f.compression() + " " + Arrays.hashCode(f.fileBytes().toArray(java.lang.foreign.ValueLayout.JAVA_BYTE));
        } catch (Exception e) {
            return "error: " + e.getMessage();
        }
    }

    private static String reader(ElfReader r, Path p) {
        try {
            ElfFile f = r.open(p);
            return f.compression() + " " + Arrays.hashCode(f.fileBytes().toArray(java.lang.foreign.ValueLayout.JAVA_BYTE));
        } catch (Exception e) {
            return "error: " + e.getMessage();
        }
    }

    @Test
    void sameObjectOrSameErrorAsTheGeneralReader() throws Exception {
        List<Path> files = new ArrayList<>();
        Random random = new Random(42);
        for (String name : FILES) {
            Path good = Fixtures.root().resolve(name);
            files.add(good);
            byte[] data = Files.readAllBytes(good);
            String base = good.getFileName().toString();
            for (int i = 0; i < 25; i++) {
                byte[] b = i % 3 == 0 ? Arrays.copyOf(data, random.nextInt(data.length)) : data.clone();
                if (i % 3 != 0) {
                    for (int k = 0; k <= i % 4; k++) {
                        b[random.nextInt(b.length)] = (byte) random.nextInt(256);
                    }
                }
                Path p = dir.resolve(i + "-" + base);
                Files.write(p, b);
                files.add(p);
                files.add(good); // a good file after each bad one: the reader's buffers are still right
            }
        }
        ElfReader r = new ElfReader();
        int errors = 0;
        for (Path p : files) {
            String expected = general(p);
            errors += expected.startsWith("error: ") ? 1 : 0;
            assertThat(reader(r, p)).as(p.toString()).isEqualTo(expected);
        }
        assertThat(errors).as("damaged copies that fail").isGreaterThan(50);
    }
}
