package dev.kobj.elf;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * Opens many files one after the other through one reusable buffer: for a tool that walks a
 * module tree (check, depmod, stats), reading each file into a buffer that stays is cheaper
 * than mapping it (no mmap/munmap per file, no page fault per page, no TLB shoot-down across
 * threads) and allocates nothing per file once the buffer has grown to the largest file.
 *
 * <p>Not thread-safe: one reader per thread. An {@link ElfFile} from {@link #open} views the
 * buffer, so it and every view taken from it are valid only until the next {@code open} of
 * the same reader. Compressed files are decompressed into a second buffer that stays (by
 * {@link ModuleDecompressor}: the system's liblzma for xz when it can be called), with the
 * bounds and errors of {@link ElfFile#open}; an xz file that declares more than 16 MiB is
 * decompressed by liblzma into native memory that the {@code ElfFile} frees when it is closed
 * (or at the next {@code open}, if it was not), so a big module costs no heap. Files larger
 * than {@code maxBuffered} are mapped by {@link ElfFile#open}.
 */
public final class ElfReader {
    private final long maxBuffered;
    private final long offHeapAbove;
    private byte[] buffer = new byte[0];
    private long lastFileSize = -1;

    /** A reader that buffers files up to 64 MiB. */
    public ElfReader() {
        this(64L << 20);
    }

    /**
     * A reader that buffers files up to {@code maxBuffered} bytes and maps larger ones.
     * @param maxBuffered the largest file read into the buffer; larger ones are mapped
     */
    public ElfReader(long maxBuffered) {
        this(maxBuffered, KEPT_DECOMPRESSED);
    }

    /** A reader as {@link #ElfReader(long)} whose xz files that declare more than {@code offHeapAbove} bytes go to native memory (tests: 0). */
    ElfReader(long maxBuffered, long offHeapAbove) {
        this.maxBuffered = Math.min(maxBuffered, Limits.MAX_ARRAY);
        this.offHeapAbove = offHeapAbove;
    }

    /**
     * {@return the object in {@code path}}, read as {@link ElfFile#open} reads it (same checks,
     * same errors), valid until the next call
     *
     * @param path the file
     * @throws IOException if the file cannot be read
     * @throws ElfFormatException if it is not a well-formed ELF object
     */
    public ElfFile open(Path path) throws IOException, ElfFormatException {
        String name = path.toString();
        lastFileSize = -1;
        if (owned != null) {
            owned.close(); // a big file's native memory, if its caller did not close it
            owned = null;
        }
        if (NativeReads.available()) {
            // The C library reads into the buffer itself; any failure (and a file to map) goes
            // the FileChannel way below, which words the errors.
            int fd = NativeReads.open(path);
            if (fd >= 0) {
                int n = -1;
                long size;
                try {
                    size = NativeReads.size(fd);
                    if (size >= 0 && size <= maxBuffered) {
                        grow(size);
                        n = NativeReads.read(fd, buffer, (int) size);
                    }
                } finally {
                    NativeReads.close(fd);
                }
                if (n >= 0) {
                    lastFileSize = size;
                    return fromBuffer(name, n);
                }
            }
        }
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = ch.size();
            lastFileSize = size;
            if (size > maxBuffered) {
                return ElfFile.open(path);
            }
            grow(size);
            ByteBuffer buf = ByteBuffer.wrap(buffer, 0, (int) size);
            while (buf.hasRemaining() && ch.read(buf, buf.position()) >= 0) {
                // read until the size asked or end of file
            }
            return fromBuffer(name, buf.position());
        }
    }

    /** Makes {@link #buffer} hold at least {@code size} bytes ({@code size} at most {@link #maxBuffered}). */
    private void grow(long size) {
        if (buffer.length < size) {
            buffer = new byte[(int) Math.min(Limits.MAX_ARRAY, Math.max(size, buffer.length * 3L / 2))];
        }
    }

    /** {@return the object in {@code buffer[0, n)}}, a file read whole, decompressed first when it is compressed */
    private ElfFile fromBuffer(String name, int n) throws ElfFormatException {
        Compression kind = Decompress.detect(buffer, n);
        if (kind != Compression.NONE) {
            return decompressed(name, kind, n);
        }
        return ElfFile.of(name, MemorySegment.ofArray(buffer).asSlice(0, n));
    }

    /**
     * {@return the compressed file {@code buffer[0, n)}, decompressed into the decompressor's
     * buffer (liblzma for xz when it can be called)}; when that fails, the file goes the way of
     * {@link ElfFile#of(String, byte[])}, whose error is the one {@link ElfFile#open} gives. An xz
     * file that declares more than {@link #KEPT_DECOMPRESSED} (by default) goes to native memory
     * ({@link OffHeapXz}); a decompressor whose buffer grew past it (a file whose size was not declared)
     * is not kept for the next file.
     */
    private ElfFile decompressed(String name, Compression kind, int n) throws ElfFormatException {
        if (kind == Compression.XZ) {
            try {
                owned = OffHeapXz.open(name, buffer, n, offHeapAbove);
            } catch (OffHeapXz.Refused e) {
                return general(name, kind, n);
            }
            if (owned != null) {
                return owned;
            }
        }
        if (decompressor == null || decompressor.buffer().length > KEPT_DECOMPRESSED) {
            decompressor = new ModuleDecompressor();
        }
        int length;
        try {
            length = decompressor.decompress(name, kind, buffer, n);
        } catch (ElfFormatException e) {
            return general(name, kind, n);
        }
        return ElfFile.decompressed(name, kind, MemorySegment.ofArray(decompressor.buffer()).asSlice(0, length), null);
    }

    /**
     * {@return {@code buffer[0, n)} read as {@link ElfFile#of(String, byte[])} reads it}, or its
     * error, for a file the fast decompressors refused: the error is found without holding the
     * decompressed bytes ({@link Decompress#failure}); a file that decompresses after all is
     * decompressed again into the heap.
     */
    private ElfFile general(String name, Compression kind, int n) throws ElfFormatException {
        ElfFormatException e = Decompress.failure(name, kind, buffer, n);
        if (e != null) {
            throw e;
        }
        return ElfFile.of(name, Arrays.copyOf(buffer, n));
    }

    /**
     * {@return whether plain files are read with the C library's {@code pread} straight into the
     * buffer} (Linux, native access enabled), rather than through a {@code FileChannel}. The
     * downcalls are made on the first call (a few milliseconds: their stubs are generated), so a
     * caller with a moment to spare before its first {@link #open} can make them then.
     */
    public static boolean readsNatively() {
        return NativeReads.available();
    }

    /** The largest decompressed file whose buffer a reader keeps for the next one. */
    private static final int KEPT_DECOMPRESSED = 16 << 20;

    private ModuleDecompressor decompressor;
    /** The last file opened, when it owns native memory ({@link OffHeapXz}); closed at the next open. */
    private ElfFile owned;

    /**
     * {@return the size of the file the last {@link #open} opened, as the file system gave it
     * when it was opened}, or -1 when that open failed before it knew the size
     */
    public long lastFileSize() {
        return lastFileSize;
    }
}
