package dev.kobj.elf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link XzIndex} against xz-utils: the uncompressed size {@code xz --robot --list} reports for
 * files that {@code xz} itself made from testdata objects (one block and many, every check
 * type, stream padding, two streams), and {@link ModuleDecompressor} on cut and damaged copies:
 * an error, and no output buffer beyond what the file declares.
 */
class XzIndexTest {
    @TempDir
    Path dir;

    /** {@return xz's output for {@code args}}; skipped (failed under CI=true) without xz-utils */
    private static byte[] xz(Path input, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("xz"));
        cmd.addAll(List.of(args));
        cmd.add(input.toString());
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            if ("true".equals(System.getenv("CI"))) {
                throw new AssertionError("CI=true but xz is not installed (Debian: xz-utils)", e);
            }
            System.err.println("SKIPPED: xz is not installed (Debian: xz-utils)");
            Assumptions.abort("xz is not installed (Debian: xz-utils)");
            throw e;
        }
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor()).as(String.join(" ", cmd)).isZero();
        return out;
    }

    /** {@return the uncompressed size in xz's robot listing of {@code file}} (the totals line, column 5) */
    private static long listed(Path file) throws IOException, InterruptedException {
        for (String line : new String(xz(file, "--robot", "--list"), StandardCharsets.UTF_8).split("\n")) {
            if (line.startsWith("totals\t")) {
                return Long.parseLong(line.split("\t")[4]);
            }
        }
        throw new AssertionError("no totals line from xz --list " + file);
    }

    private Path compressed(Path object, String... options) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of("-c", "-k"));
        args.addAll(List.of(options));
        Path out = dir.resolve(object.getFileName() + "." + String.join("", options).replaceAll("[^a-z0-9]", "")
                + ".xz");
        Files.write(out, xz(object, args.toArray(String[]::new)));
        return out;
    }

    private static Path testdata(String path) {
        return Fixtures.root().resolve(path);
    }

    @Test
    void theSizeXzListsForOneStream() throws Exception {
        List<Path> files = new ArrayList<>(List.of(testdata("special/module.ko.xz"), testdata("special/many-sections.o.xz")));
        Path object = testdata("special/module.ko");
        for (String[] options : new String[][] {{}, {"--check=crc64"}, {"--check=sha256"}, {"--check=none"},
                {"--block-size=1024"}, {"-0"}, {"-9e"}}) {
            files.add(compressed(object, options));
        }
        for (Path f : files) {
            byte[] data = Files.readAllBytes(f);
            assertThat(XzIndex.uncompressedSize(data, data.length)).as(f.toString()).isEqualTo(listed(f));
        }
    }

    @Test
    void paddingAndConcatenatedStreams() throws Exception {
        Path object = testdata("special/module.ko");
        byte[] one = Files.readAllBytes(compressed(object));
        byte[] padded = Arrays.copyOf(one, one.length + 8); // stream padding: null bytes, a multiple of four
        Path paddedFile = dir.resolve("padded.xz");
        Files.write(paddedFile, padded);
        assertThat(XzIndex.uncompressedSize(padded, padded.length)).isEqualTo(listed(paddedFile));
        byte[] two = Arrays.copyOf(one, one.length * 2);
        System.arraycopy(one, 0, two, one.length, one.length);
        assertThat(XzIndex.uncompressedSize(two, two.length)).isEqualTo(XzIndex.UNKNOWN);
        assertThat(XzIndex.uncompressedSize(one, one.length - 1)).isEqualTo(XzIndex.NO_FOOTER);
        // Both are still decoded whole when liblzma is there (the buffer grows for two streams).
        ModuleDecompressor d = new ModuleDecompressor();
        int n = d.decompress("two.xz", Compression.XZ, two, two.length);
        byte[] plain = Files.readAllBytes(object);
        assertThat(n).isEqualTo(2 * plain.length);
        assertThat(Arrays.copyOfRange(d.buffer(), plain.length, n)).isEqualTo(plain);
    }

    @Test
    void cutAndDamagedFilesFailWithoutGrowingTheBuffer() throws Exception {
        byte[] good = Files.readAllBytes(compressed(testdata("special/module.ko"), "--block-size=4096"));
        long declared = XzIndex.uncompressedSize(good, good.length);
        assertThat(declared).isPositive();
        List<byte[]> bad = new ArrayList<>();
        for (int cut = 1; cut < good.length; cut += Math.max(1, good.length / 40)) {
            bad.add(Arrays.copyOf(good, good.length - cut));
        }
        for (int at = 12; at < good.length - 12; at += Math.max(1, good.length / 60)) {
            byte[] b = good.clone();
            b[at] ^= 0x5a;
            bad.add(b);
        }
        for (byte[] b : bad) {
            ModuleDecompressor d = new ModuleDecompressor();
            assertThatThrownBy(() -> d.decompress("bad.xz", Compression.XZ, b, b.length))
                    .isInstanceOf(ElfFormatException.class).hasMessageContaining("bad.xz");
            if (NativeXz.available()) {
                NativeXz x = new NativeXz();
                assertThat(x.decode(b, b.length, Limits.maxDecompressed(b.length))).isNegative();
                long own = XzIndex.uncompressedSize(b, b.length); // a damaged index may declare another size
                long limit = Limits.maxDecompressed(b.length);
                long allowed = Math.max(Math.max(declared, 65536), Math.max(8L * b.length, own <= limit ? own : 0));
                assertThat(x.capacity()).as("liblzma's output buffer").isLessThanOrEqualTo(allowed);
            }
        }
    }
}
