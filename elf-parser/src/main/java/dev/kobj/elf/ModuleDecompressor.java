package dev.kobj.elf;

import com.github.luben.zstd.ZstdInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;
import org.tukaani.xz.ArrayCache;
import org.tukaani.xz.BasicArrayCache;
import org.tukaani.xz.XZInputStream;

/**
 * Decompresses whole module files ({@code .ko.gz}, {@code .ko.xz}, {@code .ko.zst}) one after
 * the other into one output buffer that stays, for a tool that reads a whole module tree: no
 * output array per file, and xz's dictionary and probability arrays come from a cache instead
 * of being allocated and zeroed for every file (an xz module's dictionary is 1 MiB or more).
 *
 * <p>The bounds are those of {@link ElfFile#open}: the output may be at most
 * {@link Limits#maxDecompressed} of the input, and a stream that does not decompress fails with
 * an {@link ElfFormatException} (its message may differ from {@link ElfFile#open}'s; callers
 * that report errors read the file again through {@link ElfFile#open}).
 *
 * <p>xz files are decoded by the system's liblzma when it can be called ({@code NativeXz}: the
 * library kmod uses, about twice as fast), otherwise by XZ for Java.
 *
 * <p>Not thread-safe: one instance per thread.
 */
public final class ModuleDecompressor {
    /** Reused by every instance: {@link BasicArrayCache} is thread-safe and keeps arrays by size. */
    private static final ArrayCache XZ_ARRAYS = BasicArrayCache.getInstance();

    private byte[] out = new byte[0];
    private NativeXz nativeXz; // made on the first xz file, when liblzma can be called

    /** A decompressor with an empty buffer, grown to the largest file it decompresses. */
    public ModuleDecompressor() {
    }

    /**
     * {@return how the bytes {@code head[0, length)} are compressed, by their magic number}
     * (gzip {@code 1f 8b}, xz {@code fd 37 7a 58 5a 00}, zstd {@code 28 b5 2f fd}); {@link
     * Compression#NONE} for anything else
     *
     * @param head   the first bytes of a file (six are enough)
     * @param length how many bytes of {@code head} are valid
     */
    public static Compression detect(byte[] head, int length) {
        return Decompress.detect(head, Math.min(length, head.length));
    }

    /**
     * Decompresses {@code data[0, length)} into {@link #buffer()}, replacing what it held.
     *
     * @param name   the file name, for error messages
     * @param kind   how the data is compressed (not {@link Compression#NONE})
     * @param data   the compressed file
     * @param length how many bytes of {@code data} are the file
     * @return the decompressed length: {@code buffer()[0, return)} is the file
     * @throws ElfFormatException when the data does not decompress or decompresses to more
     *                            than {@link Limits#maxDecompressed} of {@code length}
     */
    public int decompress(String name, Compression kind, byte[] data, int length) throws ElfFormatException {
        if (kind == Compression.NONE) {
            throw new IllegalArgumentException("not compressed");
        }
        long limit = Limits.maxDecompressed(length);
        if (kind == Compression.XZ && NativeXz.available()) {
            if (nativeXz == null) {
                nativeXz = new NativeXz();
            }
            long n = nativeXz.decode(data, length, limit);
            if (n == -1 - NativeXz.LZMA_BUF_ERROR) {
                throw Decompress.tooBig(name, kind, length, limit);
            }
            if (n < 0) {
                throw new ElfFormatException(name, 0, "xz stream", length, "cannot be decompressed: liblzma error "
                        + (-1 - n));
            }
            if (out.length < n) {
                out = new byte[(int) Math.min(Limits.MAX_ARRAY, Math.max(n, out.length * 3L / 2))];
            }
            nativeXz.copyTo(out, (int) n);
            return (int) n;
        }
        try (InputStream in = switch (kind) {
            case GZIP -> new GZIPInputStream(new ByteArrayInputStream(data, 0, length), 65536);
            // The memory limit in KiB keeps a hostile xz header from asking for a huge dictionary.
            case XZ -> new XZInputStream(new ByteArrayInputStream(data, 0, length), 256 * 1024, true, XZ_ARRAYS);
            case ZSTD -> new ZstdInputStream(new ByteArrayInputStream(data, 0, length));
            case NONE -> throw new IllegalStateException();
        }) {
            return fill(name, kind, in, limit, length);
        } catch (IOException | RuntimeException e) {
            throw new ElfFormatException(name, 0, kind.name().toLowerCase() + " stream", length,
                    "cannot be decompressed: " + Decompress.reason(e), e);
        }
    }

    /** {@return the buffer that {@link #decompress} fills; valid until the next call} */
    public byte[] buffer() {
        return out;
    }

    private int fill(String name, Compression kind, InputStream in, long limit, long inputSize)
            throws IOException, ElfFormatException {
        Decompress.Filled f = Decompress.readBounded(name, kind, in, limit, inputSize, out);
        out = f.buffer();
        return f.length();
    }
}
