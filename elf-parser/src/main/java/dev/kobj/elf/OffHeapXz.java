package dev.kobj.elf;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A big {@code .xz} module decompressed into native memory that the {@link ElfFile} owns and
 * frees when it is closed, instead of into a heap array: for a tool that links a whole tree
 * under a small heap (Debian's riscv64 amdgpu.ko.xz unpacks to 58 MiB, its heap copy was what
 * made it run out of a 160 MiB heap). liblzma ({@link NativeXz}) decodes straight into that
 * memory; its size is the one the file's index declares ({@link XzIndex}, The .xz File Format
 * 1.2.1 §4), bounded by {@link Limits#maxDecompressed}, so nothing grows while a damaged stream
 * is decoded. The compressed input is copied into native memory of its own, freed as soon as
 * the call returns.
 */
final class OffHeapXz {
    private OffHeapXz() {
    }

    /** A stream liblzma refused; the caller reads the file again the usual way for its message. */
    static final class Refused extends Exception {
        Refused() {
            super(null, null, false, false);
        }
    }

    /**
     * {@return {@code data[0, length)}, an .xz file, decompressed into native memory owned by the
     * returned file (freed by its {@link ElfFile#close}), or null when it does not go this way}: it
     * goes this way when liblzma can be called and the file is one stream whose index declares more
     * than {@code above} bytes, at most {@link Limits#maxDecompressed} of {@code length}
     *
     * @param name   the file name, for error messages
     * @param data   the compressed file
     * @param length how many bytes of {@code data} are the file
     * @param above  the declared size from which a file is decompressed into native memory
     * @throws Refused when liblzma refuses the stream (nothing is left allocated)
     * @throws ElfFormatException when the decompressed bytes are not a well-formed ELF object
     */
    static ElfFile open(String name, byte[] data, int length, long above) throws Refused, ElfFormatException {
        if (!NativeXz.available()) {
            return null;
        }
        long declared = XzIndex.uncompressedSize(data, length);
        if (declared <= above || declared > Limits.maxDecompressed(length)) {
            return null;
        }
        Arena arena = Arena.ofShared();
        try {
            MemorySegment out = arena.allocate(declared, 16);
            long n;
            try (Arena scratch = Arena.ofConfined()) {
                MemorySegment in = scratch.allocate(length, 16);
                MemorySegment.copy(data, 0, in, ValueLayout.JAVA_BYTE, 0, length);
                n = NativeXz.decode(in, length, out, scratch);
            }
            if (n != declared) {
                throw new Refused();
            }
            ElfFile f = ElfFile.decompressed(name, Compression.XZ, out, arena);
            arena = null; // the file owns it now
            return f;
        } finally {
            if (arena != null) {
                arena.close();
            }
        }
    }
}
