package dev.kobj.elf;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * The system's liblzma (xz-utils, the library kmod's depmod decompresses {@code .ko.xz} with),
 * called through the FFM API: {@code lzma_stream_buffer_decode} decodes a whole .xz file in one
 * call, about twice as fast as XZ for Java. Used by {@link ModuleDecompressor} when the library
 * can be loaded (Linux with xz-utils, native access allowed); otherwise XZ for Java does the work.
 *
 * <p>Flags: {@code LZMA_CONCATENATED} (concatenated streams and stream padding, as
 * {@code XZInputStream} reads them) and {@code LZMA_TELL_UNSUPPORTED_CHECK} (an integrity check
 * liblzma cannot verify is an error, not skipped); the memory limit is XZ for Java's, 256 MiB.
 * Per thread one {@code NativeXz}: its input and output buffers are reused.
 */
final class NativeXz {
    /** lzma_ret values (lzma/base.h). */
    static final int LZMA_OK = 0;
    static final int LZMA_DATA_ERROR = 9;
    static final int LZMA_BUF_ERROR = 10;
    private static final int LZMA_TELL_UNSUPPORTED_CHECK = 0x02;
    private static final int LZMA_CONCATENATED = 0x08;
    private static final long MEMLIMIT = 256L << 20;

    /** The downcall, or null when liblzma cannot be used. Made on first use. */
    private static final class Lib {
        static final MethodHandle DECODE = lookup();

        private static MethodHandle lookup() {
            try {
                Linker linker = Linker.nativeLinker();
                SymbolLookup lib = SymbolLookup.libraryLookup("liblzma.so.5", Arena.global());
                return lib.find("lzma_stream_buffer_decode").map(a -> linker.downcallHandle(a, FunctionDescriptor.of(
                        ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.ADDRESS,
                        ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.ADDRESS,
                        ValueLayout.ADDRESS, ValueLayout.JAVA_LONG))).orElse(null);
            } catch (RuntimeException | LinkageError e) {
                return null; // no liblzma.so.5, no native access, another platform
            }
        }
    }

    // Native memory freed by the GC once unreachable (a buffer outgrown, or this decoder): a
    // confined arena would leak when a caller drops the decoder without a close.
    private final MemorySegment words = Arena.ofAuto().allocate(ValueLayout.JAVA_LONG, 3); // memlimit, in_pos, out_pos
    private MemorySegment in = MemorySegment.NULL;
    private MemorySegment out = MemorySegment.NULL;

    /** {@return whether liblzma can be called} */
    static boolean available() {
        return Lib.DECODE != null;
    }

    /**
     * Decodes {@code data[0, length)} into {@code dest}, which must be large enough.
     *
     * @return the decoded length, or {@code -1 - lzma_ret} when liblzma refused the data
     *         ({@code -1 - LZMA_BUF_ERROR} when {@code limit} bytes were not enough)
     */
    long decode(byte[] data, int length, long limit) {
        if (in.byteSize() < length) {
            in = Arena.ofAuto().allocate(Math.max(length, in.byteSize() * 2));
        }
        MemorySegment.copy(data, 0, in, ValueLayout.JAVA_BYTE, 0, length);
        long declared = XzIndex.uncompressedSize(data, length);
        if (declared == XzIndex.NO_FOOTER) {
            return -1 - LZMA_DATA_ERROR; // a cut file: liblzma cannot end the stream without its footer
        }
        if (declared > limit) {
            return -1 - LZMA_BUF_ERROR;
        }
        // The declared size is the buffer's, once; a stream that decodes to more is damaged.
        // Without one (concatenated streams), the buffer grows until the limit.
        long size = declared >= 0 ? Math.max(1, declared)
                : Math.min(limit, Math.max(out.byteSize(), Math.max(65536, (long) length * 8)));
        while (true) {
            if (out.byteSize() < size) {
                out = Arena.ofAuto().allocate(Math.max(size, Math.min(limit, out.byteSize() * 2)));
            }
            int ret = call(words, in, length, out);
            if (ret == LZMA_BUF_ERROR && declared >= 0) {
                return -1 - LZMA_DATA_ERROR;
            }
            if (ret == LZMA_BUF_ERROR && size < limit) {
                size = Math.min(limit, size * 2);
                continue;
            }
            if (ret != LZMA_OK) {
                return -1 - ret;
            }
            return words.getAtIndex(ValueLayout.JAVA_LONG, 2);
        }
    }

    /**
     * Decodes the whole .xz file {@code in[0, length)} into {@code out}, whose size is the one the
     * file declares ({@link XzIndex#uncompressedSize}): a stream that decodes to more or less is
     * damaged. Nothing is kept: {@code scratch} gives the three words of the call.
     *
     * @return the decoded length (the declared size when the file is whole), or
     *         {@code -1 - lzma_ret} when liblzma refused the data
     */
    static long decode(MemorySegment in, long length, MemorySegment out, Arena scratch) {
        MemorySegment w = scratch.allocate(ValueLayout.JAVA_LONG, 3);
        int ret = call(w, in, length, out);
        if (ret != LZMA_OK) {
            return -1 - (ret == LZMA_BUF_ERROR ? LZMA_DATA_ERROR : ret);
        }
        return w.getAtIndex(ValueLayout.JAVA_LONG, 2);
    }

    /**
     * One {@code lzma_stream_buffer_decode} of {@code in[0, length)} into the whole of {@code out},
     * with the words memlimit, in_pos, out_pos in {@code words}; {@code LZMA_OK} means out_pos is
     * {@code out.byteSize()} or less and the stream ended.
     */
    private static int call(MemorySegment words, MemorySegment in, long length, MemorySegment out) {
        words.setAtIndex(ValueLayout.JAVA_LONG, 0, MEMLIMIT);
        words.setAtIndex(ValueLayout.JAVA_LONG, 1, 0);
        words.setAtIndex(ValueLayout.JAVA_LONG, 2, 0);
        try {
            return (int) Lib.DECODE.invokeExact(words, LZMA_CONCATENATED | LZMA_TELL_UNSUPPORTED_CHECK,
                    MemorySegment.NULL, in, words.asSlice(8, 8), length, out, words.asSlice(16, 8), out.byteSize());
        } catch (Throwable t) {
            return 11; // LZMA_PROG_ERROR
        }
    }

    /** {@return the size of the output buffer (what decoding has made so far)} */
    long capacity() {
        return out.byteSize();
    }

    /** Copies the first {@code n} bytes the last {@link #decode} gave into {@code dest}. */
    void copyTo(byte[] dest, int n) {
        MemorySegment.copy(out, ValueLayout.JAVA_BYTE, 0, dest, 0, n);
    }
}
