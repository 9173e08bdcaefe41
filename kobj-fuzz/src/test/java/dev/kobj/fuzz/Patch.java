package dev.kobj.fuzz;

import dev.kobj.elf.ElfFile;
import dev.kobj.elf.SectionHeader;
import dev.kobj.testkit.Testdata;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Real testdata objects with one field changed: the field located through the ELF layout
 * (gABI Elf64_Shdr: sh_size at +32, sh_offset at +24; Elf64_Chdr: ch_size at +8), the
 * value written in the file's byte order. The one kind of hand-made input the quality bar allows.
 */
final class Patch {
    private Patch() {
    }

    static byte[] read(String testdataPath) {
        try {
            return Files.readAllBytes(Testdata.root().resolve(testdataPath));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@return a copy of {@code elf64} whose section {@code name} has sh_size {@code size}} */
    static byte[] sectionSize(byte[] elf64, String name, long size) {
        return sectionField(elf64, name, 32, size);
    }

    /** {@return a copy of {@code elf64} whose section {@code name} has the 8-byte field at {@code at} set to {@code value}} */
    static byte[] sectionField(byte[] elf64, String name, int at, long value) {
        try (ElfFile f = ElfFile.of("patch", elf64)) {
            SectionHeader s = f.section(name).orElseThrow(() -> new IllegalArgumentException("no section " + name));
            return put(elf64, f, f.sectionHeaderOffset(s.index()) + at, value);
        } catch (dev.kobj.elf.ElfFormatException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@return a copy of {@code elf64} whose compressed section {@code name} claims ch_size {@code size}} */
    static byte[] compressedSize(byte[] elf64, String name, long size) {
        try (ElfFile f = ElfFile.of("patch", elf64)) {
            SectionHeader s = f.section(name).orElseThrow(() -> new IllegalArgumentException("no section " + name));
            return put(elf64, f, s.offset() + 8, size);
        } catch (dev.kobj.elf.ElfFormatException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] put(byte[] b, ElfFile f, long at, long value) {
        byte[] out = b.clone();
        ByteBuffer.wrap(out).order(f.header().order()).putLong((int) at, value);
        return out;
    }
}
