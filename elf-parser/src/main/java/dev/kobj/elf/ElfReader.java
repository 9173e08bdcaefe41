package dev.kobj.elf;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.ref.SoftReference;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Opens many files one after the other through one reusable buffer: for a tool that walks a
 * module tree (check, depmod, stats), reading each file into a buffer that stays is cheaper
 * than mapping it (no mmap/munmap per file, no page fault per page, no TLB shoot-down across
 * threads) and allocates nothing per file once the buffer has grown to the largest file.
 *
 * <p>A reader's own buffer grows to 1 MiB at most (the size of nearly every module: 99 % of a
 * Debian tree). A larger file is read into a buffer borrowed from those that the readers of the
 * process share ({@link Spares}) and given back at the reader's next {@code open}: the threads of
 * a tree command then hold one buffer of the largest file between them, not one each grown file
 * by file (the arm64 tree's stats allocated 32 MB of buffers, all of it memory the process
 * touched for the first time).
 *
 * <p>Not thread-safe: one reader per thread. An {@link ElfFile} from {@link #open} views the
 * buffer, so it and every view taken from it are valid only until the next {@code open} of the
 * same reader; section headers already made stay readable, and one asked for afterwards fails
 * with an {@code IllegalStateException} rather than read the next file. Compressed files are
 * decompressed into a second buffer that stays (by {@link ModuleDecompressor}: the system's
 * liblzma for xz when it can be called), with the bounds and errors of {@link ElfFile#open}; an
 * xz file that declares more than 16 MiB is decompressed by liblzma into native memory that the
 * {@code ElfFile} frees when it is closed (or at the next {@code open}, if it was not), so a big
 * module costs no heap. Files larger than {@code maxBuffered} are mapped by {@link ElfFile#open}.
 */
public final class ElfReader {
    private final long maxBuffered;
    private final long offHeapAbove;
    private final int ownMax;
    /** This reader's own buffer, at most {@link #ownMax} bytes. */
    private byte[] home = new byte[0];
    /** The buffer of the last file read: {@link #home}, or one borrowed from {@link Spares} when {@link #borrowed}. */
    private byte[] buffer = home;
    private boolean borrowed;
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
        this(maxBuffered, offHeapAbove, OWN_MAX);
    }

    /** A reader as {@link #ElfReader(long, long)} whose own buffer holds at most {@code ownMax} bytes (tests: a few KiB). */
    ElfReader(long maxBuffered, long offHeapAbove, int ownMax) {
        this.maxBuffered = Math.min(maxBuffered, Limits.MAX_ARRAY);
        this.offHeapAbove = offHeapAbove;
        this.ownMax = ownMax;
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
        if (last != null) {
            last.release(); // the last file's views are invalid from now on
            last = null;
        }
        giveBack();
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

    /**
     * Makes {@link #buffer} hold at least {@code size} bytes ({@code size} at most {@link #maxBuffered}):
     * {@link #home}, grown, or a buffer borrowed for a file larger than {@link #ownMax}.
     */
    private void grow(long size) {
        if (buffer.length >= size) {
            return;
        }
        if (size <= ownMax) {
            if (home.length < size) {
                // a quarter (256 KiB: nine modules in ten), then the whole: not a chain of arrays, each touched once
                home = new byte[(int) (size <= ownMax / 4 ? ownMax / 4 : ownMax)];
            }
            buffer = home;
            return;
        }
        giveBack();
        buffer = Spares.take(size);
        borrowed = true;
    }

    /** Gives a borrowed {@link #buffer} back to {@link Spares}. */
    private void giveBack() {
        if (borrowed) {
            borrowed = false;
            Spares.give(buffer);
            buffer = home;
        }
    }

    /** The largest buffer a reader keeps as its own, unless told otherwise. */
    static final int OWN_MAX = 1 << 20;

    /**
     * The big buffers of the process's readers that none is using, held softly (the collector may
     * take them when memory runs short): a reader borrows the smallest that holds its file, and
     * when none does, it drops the largest and makes one of the file's size (rounded up to 256 KiB),
     * so that the buffers of a walk grow as its largest file does, not as each thread's does.
     */
    static final class Spares {
        private static final List<SoftReference<byte[]>> FREE = new ArrayList<>(); // guarded by Spares.class
        private static final int ROUND = 256 << 10;

        private Spares() {
        }

        /** {@return a buffer of at least {@code size} bytes}, taken from the spares or made */
        static byte[] take(long size) {
            synchronized (Spares.class) {
                byte[] best = null;
                byte[] largest = null;
                List<byte[]> live = new ArrayList<>(FREE.size());
                for (SoftReference<byte[]> r : FREE) {
                    byte[] b = r.get();
                    if (b != null) {
                        live.add(b);
                        if (b.length >= size && (best == null || b.length < best.length)) {
                            best = b;
                        }
                        if (largest == null || b.length > largest.length) {
                            largest = b;
                        }
                    }
                }
                byte[] taken = best != null ? best : largest; // the largest, too small, is dropped for the one made below
                FREE.clear();
                for (byte[] b : live) {
                    if (b != taken) {
                        FREE.add(new SoftReference<>(b));
                    }
                }
                if (best != null) {
                    return best;
                }
            }
            return new byte[(int) Math.min(Limits.MAX_ARRAY, (size + ROUND - 1) / ROUND * ROUND)];
        }

        /** Gives {@code b}, taken by {@link #take}, back. */
        static void give(byte[] b) {
            synchronized (Spares.class) {
                FREE.add(new SoftReference<>(b));
            }
        }
    }

    /** {@return the object in {@code buffer[0, n)}}, a file read whole, decompressed first when it is compressed */
    private ElfFile fromBuffer(String name, int n) throws ElfFormatException {
        Compression kind = Decompress.detect(buffer, n);
        if (kind != Compression.NONE) {
            return decompressed(name, kind, n);
        }
        return last = ElfFile.of(name, MemorySegment.ofArray(buffer).asSlice(0, n));
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
        return last = ElfFile.decompressed(name, kind, MemorySegment.ofArray(decompressor.buffer()).asSlice(0, length), null);
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
    /** The last file read into {@link #buffer} or the decompressor's, released at the next open. */
    private ElfFile last;
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
