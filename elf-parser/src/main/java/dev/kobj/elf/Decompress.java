package dev.kobj.elf;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.zip.DataFormatException;
import java.util.zip.GZIPInputStream;
import java.util.zip.Inflater;
import org.tukaani.xz.XZInputStream;

/** Decompression of whole module files and of SHF_COMPRESSED sections, bounded by {@link Limits}. */
final class Decompress {
    private Decompress() {
    }

    static Compression detect(byte[] head, int n) {
        if (n >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b) {
            return Compression.GZIP;
        }
        if (n >= 6 && (head[0] & 0xff) == 0xfd && head[1] == '7' && head[2] == 'z' && head[3] == 'X'
                && head[4] == 'Z' && head[5] == 0) {
            return Compression.XZ;
        }
        if (n >= 4 && (head[0] & 0xff) == 0x28 && (head[1] & 0xff) == 0xb5 && (head[2] & 0xff) == 0x2f
                && (head[3] & 0xff) == 0xfd) {
            return Compression.ZSTD;
        }
        return Compression.NONE;
    }

    /** Decompresses a whole file held in {@code data}. */
    static byte[] file(String name, Compression kind, byte[] data) throws ElfFormatException {
        long limit = Limits.maxDecompressed(data.length);
        try (InputStream in = stream(kind, data, data.length)) {
            Filled f = readBounded(name, kind, in, limit, data.length, new byte[0]);
            return f.length() == f.buffer().length ? f.buffer() : Arrays.copyOf(f.buffer(), f.length());
        } catch (IOException | RuntimeException e) {
            throw failed(name, kind, data.length, e);
        }
    }

    /**
     * {@return the error {@link #file} throws for {@code data[0, length)} (a copy of that much), or
     * null when it decompresses}, found with the same decoder reading into a small buffer that is
     * overwritten: a damaged big file (one liblzma refused) gets its message without its
     * decompressed bytes being held in the heap
     */
    static ElfFormatException failure(String name, Compression kind, byte[] data, int length) {
        long limit = Limits.maxDecompressed(length);
        byte[] sink = new byte[65536];
        try (InputStream in = stream(kind, data, length)) {
            long n = 0;
            int r;
            while ((r = in.read(sink, 0, (int) Math.min(sink.length, limit - n + 1))) >= 0) {
                n += r; // as readBounded: at most one byte past the limit
                if (n > limit) {
                    return tooBig(name, kind, length, limit);
                }
            }
            return null;
        } catch (IOException | RuntimeException e) {
            return failed(name, kind, length, e);
        }
    }

    private static InputStream stream(Compression kind, byte[] data, int length) throws IOException {
        return switch (kind) {
            case GZIP -> new GZIPInputStream(new ByteArrayInputStream(data, 0, length), 65536);
            // A memory limit in KiB keeps a hostile xz header from asking for a huge dictionary.
            case XZ -> new XZInputStream(new ByteArrayInputStream(data, 0, length), 256 * 1024);
            case ZSTD -> new ZstdInputStream(new ByteArrayInputStream(data, 0, length));
            case NONE -> throw new IllegalArgumentException("not compressed");
        };
    }

    private static ElfFormatException failed(String name, Compression kind, long length, Exception e) {
        if (e instanceof IllegalArgumentException iae && "not compressed".equals(iae.getMessage())) {
            throw iae;
        }
        return new ElfFormatException(name, 0, kind.name().toLowerCase() + " stream", length,
                "cannot be decompressed: " + reason(e), e);
    }

    /**
     * {@return why a decompressor failed, in words}: its exception's message, or for one without
     * a message (XZ for Java's and the JDK's {@code EOFException} at the end of a cut file) what the
     * exception's class says
     */
    static String reason(Exception e) {
        String m = e.getMessage();
        if (m != null && !m.isBlank()) {
            return m;
        }
        return e instanceof java.io.EOFException ? "the stream ends before its end marker (a cut file)"
                : e.getClass().getSimpleName();
    }

    /** What {@link #readBounded} read: {@code buffer[0, length)}. */
    record Filled(byte[] buffer, int length) {
    }

    /**
     * Reads {@code in} to its end into {@code reuse} (grown as needed; a fresh buffer when it is
     * empty), refusing more than {@code limit} bytes: the one bounded loop of whole-file
     * decompression, for {@link #file} and {@link ModuleDecompressor}.
     */
    static Filled readBounded(String name, Compression kind, InputStream in, long limit, long inputSize,
            byte[] reuse) throws IOException, ElfFormatException {
        byte[] buf = reuse.length > 0 ? reuse
                : new byte[(int) Math.min(limit, Math.max(65536, Math.min(inputSize * 4, 1 << 26)))];
        int n = 0;
        while (true) {
            if (n == buf.length) {
                if (n >= limit) {
                    if (in.read() < 0) {
                        break;
                    }
                    throw tooBig(name, kind, inputSize, limit);
                }
                buf = Arrays.copyOf(buf, (int) Math.min(limit, (long) buf.length * 2));
            }
            // a reused buffer may be longer than this file's limit: read at most one byte past it
            int r = in.read(buf, n, (int) Math.min(buf.length - n, limit - n + 1));
            if (r < 0) {
                break;
            }
            n += r;
            if (n > limit) {
                throw tooBig(name, kind, inputSize, limit);
            }
        }
        return new Filled(buf, n);
    }

    /** The error of a stream that decompresses to more than {@code limit} bytes. */
    static ElfFormatException tooBig(String name, Compression kind, long inputSize, long limit) {
        return new ElfFormatException(name, 0, kind.name().toLowerCase() + " stream", inputSize,
                "decompresses to more than " + limit + " bytes (" + Limits.MAX_EXPANSION + " times its size)");
    }

    /** Decompresses an SHF_COMPRESSED section's payload into exactly {@code size} bytes. */
    static byte[] section(Bytes bytes, SectionHeader sh, int type, long payloadOffset, long payloadSize,
            long size) throws ElfFormatException {
        String where = "section " + sh.name() + " [" + sh.index() + "]";
        if (size < 0 || size > Limits.maxDecompressed(payloadSize)) {
            throw bytes.error(sh.offset(), "ch_size", size, where + ": larger than " + Limits.MAX_EXPANSION
                    + " times its " + payloadSize + " compressed bytes");
        }
        byte[] src = bytes.seg.asSlice(payloadOffset, payloadSize).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
        byte[] out = new byte[(int) size];
        if (type == ElfConstants.ELFCOMPRESS_ZLIB) {
            Inflater inf = new Inflater();
            try {
                inf.setInput(src);
                int n = 0;
                while (n < out.length && !inf.finished()) {
                    int r = inf.inflate(out, n, out.length - n);
                    if (r == 0 && (inf.needsInput() || inf.needsDictionary())) {
                        break;
                    }
                    n += r;
                }
                if (n != out.length) {
                    throw bytes.error(sh.offset(), "ch_size", size, where + ": zlib data ends after " + n + " bytes");
                }
            } catch (DataFormatException e) {
                throw bytes.error(payloadOffset, "compressed data", payloadSize, where + ": bad zlib data: "
                        + e.getMessage());
            } finally {
                inf.end();
            }
        } else if (type == ElfConstants.ELFCOMPRESS_ZSTD) {
            long n;
            try {
                n = Zstd.decompressByteArray(out, 0, out.length, src, 0, src.length);
            } catch (RuntimeException e) {
                throw bytes.error(payloadOffset, "compressed data", payloadSize, where + ": bad zstd data: "
                        + e.getMessage());
            }
            if (n != out.length) {
                throw bytes.error(sh.offset(), "ch_size", size, where + ": zstd data holds " + n + " bytes");
            }
        } else {
            throw bytes.error(sh.offset(), "ch_type", type, where + ": unknown compression type");
        }
        return out;
    }
}
