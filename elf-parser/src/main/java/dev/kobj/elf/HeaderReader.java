package dev.kobj.elf;

import static dev.kobj.elf.ElfConstants.*;

import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Reads what an ELF file says about itself before anything else: {@code e_ident}, the file
 * header, the section header table (with the gABI's extended numbering) and the program
 * header table, each checked against the file's size before it is used.
 */
final class HeaderReader {
    private HeaderReader() {
    }

    /** {@return the byte order {@code e_ident} declares}, after checking the magic, class and version */
    static ByteOrder ident(Bytes b) throws ElfFormatException {
        if (b.size < EI_NIDENT) {
            throw b.error(0, "file size", b.size, "shorter than e_ident (16 bytes)");
        }
        if (b.u8(0) != 0x7f || b.u8(1) != 'E' || b.u8(2) != 'L' || b.u8(3) != 'F') {
            throw b.error(0, "e_ident[EI_MAG]", b.u32(0), "not an ELF file (no \\x7fELF magic)");
        }
        int cls = b.u8(4);
        if (cls != ELFCLASS32 && cls != ELFCLASS64) {
            throw b.error(4, "e_ident[EI_CLASS]", cls, "neither ELFCLASS32 (1) nor ELFCLASS64 (2)");
        }
        int data = b.u8(5);
        if (data != ELFDATA2LSB && data != ELFDATA2MSB) {
            throw b.error(5, "e_ident[EI_DATA]", data, "neither ELFDATA2LSB (1) nor ELFDATA2MSB (2)");
        }
        int version = b.u8(6);
        if (version != EV_CURRENT) {
            throw b.error(6, "e_ident[EI_VERSION]", version, "not EV_CURRENT (1)");
        }
        return data == ELFDATA2LSB ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
    }

    /*
     * Elf32_Ehdr / Elf64_Ehdr after e_ident (offsets 32-bit / 64-bit):
     * e_type 16/16 u16, e_machine 18/18 u16, e_version 20/20 u32, e_entry 24/24 word,
     * e_phoff 28/32 word, e_shoff 32/40 word, e_flags 36/48 u32, e_ehsize 40/52 u16,
     * e_phentsize 42/54, e_phnum 44/56, e_shentsize 46/58, e_shnum 48/60, e_shstrndx 50/62.
     */
    static ElfHeader header(Bytes b) throws ElfFormatException {
        boolean is64 = b.u8(4) == ELFCLASS64;
        int ehsizeMin = is64 ? 64 : 52;
        b.check(0, ehsizeMin, "ELF header");
        int type = b.u16(16);
        int machine = b.u16(18);
        long version = b.u32(20);
        long entry = b.word(is64, 24);
        long phoff = b.word(is64, is64 ? 32 : 28);
        long shoff = b.word(is64, is64 ? 40 : 32);
        long flags = b.u32(is64 ? 48 : 36);
        int base = is64 ? 52 : 40;
        int ehsize = b.u16(base);
        int phentsize = b.u16(base + 2);
        int phnum = b.u16(base + 4);
        int shentsize = b.u16(base + 6);
        int shnum = b.u16(base + 8);
        int shstrndx = b.u16(base + 10);

        long realShnum = shnum;
        long realShstrndx = shstrndx;
        long realPhnum = phnum;
        int shdrSize = is64 ? 64 : 40;
        if (shoff != 0) {
            if (shentsize < shdrSize) {
                throw b.error(base + 6, "e_shentsize", shentsize,
                        "smaller than an ELF" + (is64 ? "64" : "32") + " section header (" + shdrSize + ")");
            }
            if (shoff < 0 || shoff > b.size || shentsize > b.size - shoff) {
                throw b.error(is64 ? 40 : 32, "e_shoff", shoff, "section header 0 (" + shentsize
                        + " bytes) extends past the end of the file (" + b.size + " bytes)");
            }
            // Extended numbering (gABI "Sections"): the escape values send us to section 0.
            if (shnum == 0) {
                realShnum = b.word(is64, shoff + (is64 ? 32 : 20));
            }
            if (shstrndx == SHN_XINDEX) {
                realShstrndx = b.u32(shoff + (is64 ? 40 : 24));
            }
            if (phnum == PN_XNUM) {
                realPhnum = b.u32(shoff + (is64 ? 44 : 28));
            }
            // sh_size of section 0 is a 64-bit word: a value of 2^63 or more reads as negative.
            if (realShnum < 0 || realShnum > (b.size - shoff) / shentsize) {
                throw b.error(is64 ? 40 : 32, shnum == 0 ? "sh_size of section 0 (section count)" : "e_shnum",
                        realShnum, "section header table at 0x" + Long.toHexString(shoff)
                                + " extends past the end of the file (" + b.size + " bytes)");
            }
            if (realShnum > 0 && realShstrndx >= realShnum) {
                throw b.error(base + 10, "e_shstrndx", realShstrndx,
                        "not below the section count " + realShnum);
            }
        } else {
            realShnum = 0;
            realShstrndx = 0;
        }
        if (realPhnum > 0 && phoff != 0) {
            int phdrSize = is64 ? 56 : 32;
            if (phentsize < phdrSize) {
                throw b.error(base + 2, "e_phentsize", phentsize, "smaller than a program header (" + phdrSize + ")");
            }
            if (phoff < 0 || phoff > b.size || realPhnum > (b.size - phoff) / phentsize) {
                throw b.error(is64 ? 32 : 28, "e_phoff", phoff, realPhnum
                        + " program headers extend past the end of the file (" + b.size + " bytes)");
            }
        } else {
            realPhnum = 0;
        }
        return new ElfHeader(is64, b.seg.byteSize() > 0 && b.u8(5) == ELFDATA2MSB ? ByteOrder.BIG_ENDIAN
                : ByteOrder.LITTLE_ENDIAN, b.u8(7), b.u8(8), type, machine, version, entry, phoff, shoff,
                flags, ehsize, phentsize, realPhnum, shentsize, realShnum, realShstrndx, shnum, shstrndx);
    }

    /*
     * Elf32_Shdr (40 bytes): name u32 @0, type u32 @4, flags u32 @8, addr @12, offset @16,
     * size @20, link u32 @24, info u32 @28, addralign @32, entsize @36.
     * Elf64_Shdr (64 bytes): name @0, type @4, flags u64 @8, addr @16, offset @24, size @32,
     * link @40, info @44, addralign @48, entsize @56.
     */

    /**
     * {@return the section-name table ({@code e_shstrndx}), or null when the file has no sections},
     * after checking that it is a string table inside the file and that every section's
     * {@code sh_name} starts a name in it: the checks of the file's opening, made without a
     * {@link SectionHeader} or a name per section (those are made when asked for)
     */
    static StringTable sectionNames(Bytes b, ElfHeader h) throws ElfFormatException {
        int n = (int) h.shnum();
        if (n == 0) {
            return null;
        }
        SectionHeader strSh = header(b, h, (int) h.shstrndx(), "");
        // With one section the name table is section 0 itself, of any type; if it is NOBITS,
        // its sh_offset/sh_size are not file bytes and must not be read as names.
        if ((strSh.type() != SHT_STRTAB && n > 1) || (strSh.type() == SHT_NOBITS && strSh.size() != 0)) {
            throw b.error(h.shoff() + h.shstrndx() * h.shentsize() + 4, "sh_type of e_shstrndx section "
                    + h.shstrndx(), strSh.type() & 0xffffffffL, "section-name table is not SHT_STRTAB");
        }
        checkData(b, h, strSh);
        StringTable names = new StringTable(b, strSh);
        for (int i = 0; i < n; i++) {
            long offset = b.u32(h.shoff() + (long) i * h.shentsize());
            if (!names.valid(offset)) {
                names.check(offset, "sh_name of section ", i); // throws, naming the section
            }
        }
        return names;
    }

    /** {@return section header {@code i}, named {@code name}} (the table's extent was checked by {@link #header}) */
    static SectionHeader header(Bytes b, ElfHeader h, int i, String name) {
        long p = h.shoff() + (long) i * h.shentsize();
        long nameOffset = b.u32(p);
        int type = (int) b.u32(p + 4);
        if (h.is64()) {
            return new SectionHeader(i, name, nameOffset, type, b.u64(p + 8), b.u64(p + 16), b.u64(p + 24),
                    b.u64(p + 32), b.u32(p + 40), b.u32(p + 44), b.u64(p + 48), b.u64(p + 56));
        }
        return new SectionHeader(i, name, nameOffset, type, b.u32(p + 8), b.u32(p + 12), b.u32(p + 16),
                b.u32(p + 20), b.u32(p + 24), b.u32(p + 28), b.u32(p + 32), b.u32(p + 36));
    }

    /**
     * {@return the name at {@code offset} of the section-name table {@code names}}, an offset that
     * {@link #sectionNames} checked: read straight from the array the file lies in when it lies in
     * one, else through the table. Should the bytes have changed since (a caller's array written
     * to), the name is what lies there up to a NUL or the table's end, and "" for an offset past it.
     */
    static String name(Bytes b, StringTable names, long offset) {
        SectionHeader strSh = names.section();
        if (strSh.type() == SHT_NOBITS || offset < 0 || offset >= strSh.size()) {
            return "";
        }
        byte[] a = b.array();
        if (a != null) {
            int from = b.arrayIndex(strSh.offset() + offset);
            int end = b.arrayIndex(strSh.offset() + strSh.size());
            int q = from;
            while (q < end && a[q] != 0) {
                q++;
            }
            return q == from ? "" : new String(a, from, q - from, StandardCharsets.ISO_8859_1);
        }
        long p = strSh.offset() + offset;
        long q = StringTable.nul(b.seg, p, strSh.offset() + strSh.size());
        return q == p ? "" : new String(Bytes.copyOf(b.seg, p, (int) (q - p)), StandardCharsets.ISO_8859_1);
    }

    /*
     * Elf32_Phdr (32 bytes): type @0, offset @4, vaddr @8, paddr @12, filesz @16, memsz @20,
     * flags @24, align @28. Elf64_Phdr (56 bytes): type @0, flags @4, offset @8, vaddr @16,
     * paddr @24, filesz @32, memsz @40, align @48.
     */
    static List<ProgramHeader> programHeaders(Bytes b, ElfHeader h) {
        int n = (int) h.phnum();
        List<ProgramHeader> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            long p = h.phoff() + (long) i * h.phentsize();
            if (h.is64()) {
                out.add(new ProgramHeader(i, (int) b.u32(p), (int) b.u32(p + 4), b.u64(p + 8), b.u64(p + 16),
                        b.u64(p + 24), b.u64(p + 32), b.u64(p + 40), b.u64(p + 48)));
            } else {
                out.add(new ProgramHeader(i, (int) b.u32(p), (int) b.u32(p + 24), b.u32(p + 4), b.u32(p + 8),
                        b.u32(p + 12), b.u32(p + 16), b.u32(p + 20), b.u32(p + 28)));
            }
        }
        return Collections.unmodifiableList(out);
    }

    /** {@return whether {@code size} bytes at {@code offset} (fields as read: a u64 past 2^63 is negative) lie inside the file}; nothing for an empty section */
    static boolean inside(Bytes bytes, long offset, long size) {
        return size == 0 || (offset >= 0 && size >= 0 && offset <= bytes.size && size <= bytes.size - offset);
    }

    /** Checks that a section's bytes (unless NOBITS or empty) lie inside the file. */
    static void checkData(Bytes bytes, ElfHeader header, SectionHeader s) throws ElfFormatException {
        if (s.type() == SHT_NOBITS) {
            return;
        }
        if (!inside(bytes, s.offset(), s.size())) {
            throw bytes.error(header.shoff() + s.index() * header.shentsize() + (header.is64() ? 24 : 16),
                    "sh_offset of section " + s.index() + " (" + s.name() + ")", s.offset(),
                    "its " + Long.toUnsignedString(s.size()) + " bytes extend past the end of the file ("
                            + bytes.size + " bytes)");
        }
    }
}
