package dev.kobj.elf;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ElfReader} decompresses a big {@code .ko.xz} (one that declares more than 16 MiB) into
 * native memory that the file owns ({@link OffHeapXz}). A reader made to take that path for every
 * xz file gives, on testdata's xz objects and on cut and damaged copies of them, the same object
 * as {@link ElfFile#open} (XZ for Java, heap) or the same error; its files' memory is native and
 * freed by {@link ElfFile#close}, or by the next {@code open} when the caller did not close it;
 * and nothing is left allocated when a file fails.
 */
class ElfReaderOffHeapTest {
    @TempDir
    Path dir;

    private static final List<String> FILES = List.of("special/module.ko.xz", "special/many-sections.o.xz");

    private static String general(Path p) {
        try (ElfFile f = ElfFile.open(p)) {
            return describe(f);
        } catch (Exception e) {
            return "error: " + e.getMessage();
        }
    }

    private static String describe(ElfFile f) throws ElfFormatException {
        return f.compression() + " " + Arrays.hashCode(f.fileBytes().toArray(ValueLayout.JAVA_BYTE)) + " "
                + f.sections().size() + " " + f.symbolTable().map(SymbolTable::size).orElse(-1);
    }

    @Test
    void sameObjectOrSameErrorAsTheGeneralReaderInNativeMemoryFreedAtClose() throws Exception {
        List<Path> files = new ArrayList<>();
        Random random = new Random(7);
        for (String name : FILES) {
            Path good = Fixtures.root().resolve(name);
            files.add(good);
            byte[] data = Files.readAllBytes(good);
            for (int i = 0; i < 40; i++) {
                byte[] b = i % 3 == 0 ? Arrays.copyOf(data, random.nextInt(data.length)) : data.clone();
                if (i % 3 != 0) {
                    for (int k = 0; k <= i % 4; k++) {
                        b[random.nextInt(b.length)] = (byte) random.nextInt(256);
                    }
                }
                Path p = dir.resolve(i + "-" + good.getFileName());
                Files.write(p, b);
                files.add(p);
                files.add(good);
            }
        }
        ElfReader r = new ElfReader(64L << 20, 0);
        int errors = 0;
        int offHeap = 0;
        for (Path p : files) {
            String expected = general(p);
            String got;
            MemorySegment memory = null;
            try (ElfFile f = r.open(p)) {
                got = describe(f);
                if (f.fileBytes().isNative()) {
                    memory = f.fileBytes();
                    offHeap++;
                }
            } catch (Exception e) {
                got = "error: " + e.getMessage();
            }
            assertThat(got).as(p.toString()).isEqualTo(expected);
            errors += expected.startsWith("error: ") ? 1 : 0;
            if (memory != null) {
                assertThat(memory.scope().isAlive()).as("freed by close: " + p).isFalse();
            }
        }
        assertThat(errors).as("damaged copies that fail").isGreaterThan(30);
        assertThat(offHeap).as("files read into native memory").isGreaterThanOrEqualTo(82);
    }

    /** {@link Decompress#failure} names the error {@link Decompress#file} throws, or none when it decompresses. */
    @Test
    void theErrorWithoutTheBytesIsTheErrorWithThem() throws Exception {
        Random random = new Random(11);
        int failures = 0;
        for (String name : List.of("special/module.ko.xz", "special/module.ko.zst", "special/module.ko.gz",
                "special/many-sections.o.xz")) {
            byte[] data = Files.readAllBytes(Fixtures.root().resolve(name));
            Compression kind = Decompress.detect(data, data.length);
            for (int i = 0; i < 60; i++) {
                byte[] b = i == 0 ? data : i % 3 == 0 ? Arrays.copyOf(data, random.nextInt(data.length)) : data.clone();
                if (i % 3 != 0) {
                    b[random.nextInt(b.length)] ^= (byte) (1 + random.nextInt(255));
                }
                byte[] padded = Arrays.copyOf(b, b.length + 100); // a reader's buffer is longer than its file
                String expected;
                try {
                    Decompress.file(name, kind, b);
                    expected = null;
                } catch (ElfFormatException e) {
                    expected = e.getMessage();
                    failures++;
                }
                ElfFormatException got = Decompress.failure(name, kind, padded, b.length);
                assertThat(got == null ? null : got.getMessage()).as(name + " copy " + i).isEqualTo(expected);
            }
        }
        assertThat(failures).as("damaged copies that fail").isGreaterThan(100);
    }

    @Test
    void aFileNotClosedIsFreedByTheNextOpen() throws Exception {
        Path xz = Fixtures.root().resolve("special/module.ko.xz");
        ElfReader r = new ElfReader(64L << 20, 0);
        ElfFile first = r.open(xz);
        MemorySegment memory = first.fileBytes();
        assertThat(memory.isNative()).isTrue();
        try (ElfFile second = r.open(Fixtures.root().resolve("special/module.ko.gz"))) {
            assertThat(memory.scope().isAlive()).isFalse();
            assertThat(second.fileBytes().isNative()).isFalse();
        }
        first.close(); // a second close does nothing
    }

    @Test
    void theDefaultReaderKeepsSmallFilesOnTheHeap() throws Exception {
        try (ElfFile f = new ElfReader().open(Fixtures.root().resolve("special/module.ko.xz"))) {
            assertThat(f.fileBytes().isNative()).isFalse();
        }
    }
}
