/**
 * A zero-copy, bounds-checked view of ELF relocatable objects and Linux kernel modules.
 *
 * <p>Trust model: every input is untrusted. Every offset, size, count and index read from a
 * file is checked against the file before it is used, and every allocation is bounded by a
 * multiple of the file's size; bad input yields {@link dev.kobj.elf.ElfFormatException}.
 */
module dev.kobj.elf {
    requires org.tukaani.xz;
    requires com.github.luben.zstd_jni;

    exports dev.kobj.elf;
}
