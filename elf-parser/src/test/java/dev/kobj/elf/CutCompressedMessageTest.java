package dev.kobj.elf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A compressed module cut short fails with a message that names the file, the stream and why, in
 * words: the decompressors' {@code EOFException} has no message of its own, and the error used to
 * end in "cannot be decompressed: null".
 */
class CutCompressedMessageTest {
    @TempDir
    Path dir;

    @Test
    void aCutFileSaysItIsCut() throws Exception {
        int checked = 0;
        for (String name : List.of("module.ko.xz", "module.ko.zst", "module.ko.gz")) {
            byte[] data = Files.readAllBytes(Fixtures.root().resolve("special/" + name));
            for (int cut : new int[] {data.length / 3, data.length / 2, data.length - 20}) {
                Path p = Files.write(dir.resolve(cut + "-" + name), Arrays.copyOf(data, cut));
                for (ThrowingOpen open : List.<ThrowingOpen>of(() -> ElfFile.open(p).close(), () -> new ElfReader().open(p))) {
                    assertThatThrownBy(open::run).as(p.toString()).isInstanceOf(ElfFormatException.class)
                            .hasMessageStartingWith(p.toString())
                            .hasMessageContaining("cannot be decompressed: ")
                            .satisfies(e -> assertThat(e.getMessage()).doesNotEndWith("null"));
                    checked++;
                }
            }
        }
        assertThat(checked).isEqualTo(18);
    }

    private interface ThrowingOpen {
        void run() throws Exception;
    }
}
