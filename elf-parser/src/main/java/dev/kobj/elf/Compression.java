package dev.kobj.elf;

/** How a module file was compressed as a whole, recognised by its magic bytes. */
public enum Compression {
    /** A plain ELF file, mapped into memory, not copied. */
    NONE,
    /** gzip ({@code 1f 8b}), as in {@code .ko.gz}. */
    GZIP,
    /** xz ({@code fd 37 7a 58 5a 00}), as in {@code .ko.xz}. */
    XZ,
    /** zstd ({@code 28 b5 2f fd}), as in {@code .ko.zst}. */
    ZSTD
}
