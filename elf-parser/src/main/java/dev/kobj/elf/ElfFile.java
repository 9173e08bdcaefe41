package dev.kobj.elf;

import static dev.kobj.elf.ElfConstants.*;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * A read-only, zero-copy view of one ELF object: ELF32 or ELF64, either byte order, plain or
 * compressed as a whole ({@code .ko.gz}, {@code .ko.xz}, {@code .ko.zst}), with or without
 * an appended Linux module signature.
 *
 * <p>Opening a file checks the file header and the whole section header table against the
 * file (and the program header table, when there is one); section contents, symbols and
 * relocations are checked when their tables are first asked for. Nothing is copied except
 * decompressed data: a plain file is {@code mmap}-ed and every view reads from the mapping.
 *
 * <p>An {@code ElfFile} that was opened from a path owns its mapping and must be closed;
 * views obtained from it are invalid afterwards. It is safe to read from several threads.
 */
public final class ElfFile implements AutoCloseable {
    private static final MemorySegment EMPTY = MemorySegment.ofArray(new byte[0]);
    private static final byte[] MARKER = ModuleSignature.MARKER.getBytes(StandardCharsets.US_ASCII);

    private final String name;
    private final Arena arena; // null when the file does not own its memory
    private final Compression compression;
    private final MemorySegment whole; // the file as given (decompressed), signature included
    private final ModuleSignature signature; // null when none
    private final Bytes bytes; // the ELF object itself
    private final ElfHeader header;
    private final List<SectionHeader> sections;
    private final List<ProgramHeader> programHeaders;

    private ElfFile(String name, Arena arena, Compression compression, MemorySegment whole) throws ElfFormatException {
        this.name = name;
        this.arena = arena;
        this.compression = compression;
        this.whole = whole;
        this.signature = readSignature(name, whole);
        MemorySegment elf = signature == null ? whole : whole.asSlice(0, signature.signedLength());
        Bytes probe = new Bytes(name, elf, ByteOrder.LITTLE_ENDIAN);
        ByteOrder order = checkIdent(probe);
        this.bytes = new Bytes(name, elf, order);
        this.header = readHeader();
        this.sections = readSections();
        this.programHeaders = readProgramHeaders();
    }

    // ---------------------------------------------------------------- opening

    /**
     * Opens a file: maps it when it is a plain ELF file, decompresses it into the heap when
     * it is gzip, xz or zstd (recognised by magic, not by name).
     *
     * @throws IOException        if the file cannot be read
     * @throws ElfFormatException if it is not a well-formed ELF object
     */
    public static ElfFile open(Path path) throws IOException, ElfFormatException {
        String name = path.toString();
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = ch.size();
            byte[] head = new byte[8];
            int n = read(ch, head, 0, head.length);
            Compression kind = Decompress.detect(head, n);
            if (kind != Compression.NONE) {
                if (size > Limits.MAX_ARRAY) {
                    throw new ElfFormatException(name, 0, "file size", size, "too large for a compressed module");
                }
                byte[] data = Decompress.file(name, kind, readAll(ch, size));
                return new ElfFile(name, null, kind, MemorySegment.ofArray(data));
            }
            if (size < 4096) {
                // Small files are cheaper to read than to map.
                return new ElfFile(name, null, Compression.NONE, MemorySegment.ofArray(readAll(ch, size)));
            }
            Arena arena = Arena.ofShared();
            try {
                MemorySegment seg = ch.map(FileChannel.MapMode.READ_ONLY, 0, size, arena);
                return new ElfFile(name, arena, Compression.NONE, seg);
            } catch (ElfFormatException | RuntimeException | IOException e) {
                arena.close();
                throw e;
            }
        }
    }

    /** Reads from position 0 of {@code ch} into {@code b[off, off+len)}; {@return the bytes read} (fewer at EOF). */
    private static int read(FileChannel ch, byte[] b, int off, int len) throws IOException {
        java.nio.ByteBuffer buf = java.nio.ByteBuffer.wrap(b, off, len);
        while (buf.hasRemaining()) {
            if (ch.read(buf, buf.position() - off) < 0) {
                break;
            }
        }
        return buf.position() - off;
    }

    /** {@return the whole file behind {@code ch}, whose size was {@code size} when asked} */
    private static byte[] readAll(FileChannel ch, long size) throws IOException {
        byte[] b = new byte[(int) size];
        int n = read(ch, b, 0, b.length);
        return n == b.length ? b : java.util.Arrays.copyOf(b, n);
    }

    /**
     * Reads an object held in memory (decompressing it first if it is gzip, xz or zstd).
     *
     * @param name the name used in error messages
     */
    public static ElfFile of(String name, byte[] data) throws ElfFormatException {
        Compression kind = Decompress.detect(data, data.length);
        byte[] elf = kind == Compression.NONE ? data : Decompress.file(name, kind, data);
        return new ElfFile(name, null, kind, MemorySegment.ofArray(elf));
    }

    /**
     * Views an object already in memory, without copying it. The caller keeps the memory
     * alive while the view is used.
     *
     * @param name the name used in error messages
     */
    public static ElfFile of(String name, MemorySegment data) throws ElfFormatException {
        return new ElfFile(name, null, Compression.NONE, data);
    }

    /** Unmaps the file. Views obtained from this object must not be used afterwards. */
    @Override
    public void close() {
        if (arena != null) {
            arena.close();
        }
    }

    // ---------------------------------------------------------------- header

    private static ByteOrder checkIdent(Bytes b) throws ElfFormatException {
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
    private ElfHeader readHeader() throws ElfFormatException {
        Bytes b = bytes;
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
    private List<SectionHeader> readSections() throws ElfFormatException {
        ElfHeader h = header;
        int n = (int) h.shnum();
        if (n == 0) {
            return List.of();
        }
        boolean is64 = h.is64();
        Bytes b = bytes;
        long[] nameOff = new long[n];
        SectionHeader[] raw = new SectionHeader[n];
        for (int i = 0; i < n; i++) {
            long p = h.shoff() + (long) i * h.shentsize();
            long name = b.u32(p);
            int type = (int) b.u32(p + 4);
            SectionHeader sh;
            if (is64) {
                sh = new SectionHeader(i, "", name, type, b.u64(p + 8), b.u64(p + 16), b.u64(p + 24),
                        b.u64(p + 32), b.u32(p + 40), b.u32(p + 44), b.u64(p + 48), b.u64(p + 56));
            } else {
                sh = new SectionHeader(i, "", name, type, b.u32(p + 8), b.u32(p + 12), b.u32(p + 16),
                        b.u32(p + 20), b.u32(p + 24), b.u32(p + 28), b.u32(p + 32), b.u32(p + 36));
            }
            nameOff[i] = name;
            raw[i] = sh;
        }
        SectionHeader strSh = raw[(int) h.shstrndx()];
        // With one section the name table is section 0 itself, of any type; if it is NOBITS,
        // its sh_offset/sh_size are not file bytes and must not be read as names.
        if ((strSh.type() != SHT_STRTAB && n > 1) || (strSh.type() == SHT_NOBITS && strSh.size() != 0)) {
            throw b.error(h.shoff() + h.shstrndx() * h.shentsize() + 4, "sh_type of e_shstrndx section "
                    + h.shstrndx(), strSh.type() & 0xffffffffL, "section-name table is not SHT_STRTAB");
        }
        checkData(strSh);
        StringTable names = new StringTable(b, strSh);
        List<SectionHeader> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            SectionHeader s = raw[i];
            String nm = names.get(nameOff[i], "sh_name of section " + i);
            out.add(new SectionHeader(i, nm, s.nameOffset(), s.type(), s.flags(), s.addr(), s.offset(), s.size(),
                    s.link(), s.info(), s.addralign(), s.entsize()));
        }
        return Collections.unmodifiableList(out);
    }

    /*
     * Elf32_Phdr (32 bytes): type @0, offset @4, vaddr @8, paddr @12, filesz @16, memsz @20,
     * flags @24, align @28. Elf64_Phdr (56 bytes): type @0, flags @4, offset @8, vaddr @16,
     * paddr @24, filesz @32, memsz @40, align @48.
     */
    private List<ProgramHeader> readProgramHeaders() {
        ElfHeader h = header;
        int n = (int) h.phnum();
        List<ProgramHeader> out = new ArrayList<>(n);
        Bytes b = bytes;
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

    // ---------------------------------------------------------------- signature

    private static ModuleSignature readSignature(String name, MemorySegment seg) throws ElfFormatException {
        long size = seg.byteSize();
        int m = MARKER.length;
        if (size < m + 12) {
            return null;
        }
        for (int i = 0; i < m; i++) {
            if (seg.get(ValueLayout.JAVA_BYTE, size - m + i) != MARKER[i]) {
                return null;
            }
        }
        long s = size - m - 12; // struct module_signature
        int algo = seg.get(ValueLayout.JAVA_BYTE, s) & 0xff;
        int hash = seg.get(ValueLayout.JAVA_BYTE, s + 1) & 0xff;
        int idType = seg.get(ValueLayout.JAVA_BYTE, s + 2) & 0xff;
        int signerLen = seg.get(ValueLayout.JAVA_BYTE, s + 3) & 0xff;
        int keyIdLen = seg.get(ValueLayout.JAVA_BYTE, s + 4) & 0xff;
        long sigLen = seg.get(ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN), s + 8) & 0xffffffffL;
        long total = sigLen + signerLen + keyIdLen;
        if (total > s) {
            throw new ElfFormatException(name, s + 8, "module_signature.sig_len", sigLen,
                    "signature (" + total + " bytes with signer and key id) is longer than the " + s
                            + " bytes before it");
        }
        long sigStart = s - sigLen;
        long keyStart = sigStart - keyIdLen;
        long signerStart = keyStart - signerLen;
        return new ModuleSignature(algo, hash, idType, seg.asSlice(signerStart, signerLen),
                seg.asSlice(keyStart, keyIdLen), seg.asSlice(sigStart, sigLen), signerStart, signerStart);
    }

    // ---------------------------------------------------------------- accessors

    /** {@return the name given when opening (the path, for files)} */
    public String name() {
        return name;
    }

    /** {@return how the file was compressed as a whole} */
    public Compression compression() {
        return compression;
    }

    /** {@return the file header} */
    public ElfHeader header() {
        return header;
    }

    /** {@return the ELF object's bytes (without an appended signature); a view, not a copy} */
    public MemorySegment bytes() {
        return bytes.seg;
    }

    /** {@return the whole (decompressed) file, an appended signature included} */
    public MemorySegment fileBytes() {
        return whole;
    }

    /** {@return the appended module signature, if the file ends with one} */
    public Optional<ModuleSignature> signature() {
        return Optional.ofNullable(signature);
    }

    /** {@return every section header, index 0 included} */
    public List<SectionHeader> sections() {
        return sections;
    }

    /** {@return every program header} */
    public List<ProgramHeader> programHeaders() {
        return programHeaders;
    }

    /** {@return the section with index {@code index}} */
    public SectionHeader section(long index) throws ElfFormatException {
        if (index < 0 || index >= sections.size()) {
            throw bytes.error(header.shoff(), "section index", index,
                    "no such section (the file has " + sections.size() + ")");
        }
        return sections.get((int) index);
    }

    /** {@return the first section named {@code name}} */
    public Optional<SectionHeader> section(String name) {
        for (SectionHeader s : sections) {
            if (s.name().equals(name)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    private void checkData(SectionHeader s) throws ElfFormatException {
        if (s.type() == SHT_NOBITS || s.size() == 0) {
            return;
        }
        if (s.offset() < 0 || s.size() < 0 || s.offset() > bytes.size || s.size() > bytes.size - s.offset()) {
            throw bytes.error(sectionHeaderOffset(s.index()) + (header.is64() ? 24 : 16),
                    "sh_offset of section " + s.index() + " (" + s.name() + ")", s.offset(),
                    "its " + Long.toUnsignedString(s.size()) + " bytes extend past the end of the file ("
                            + bytes.size + " bytes)");
        }
    }

    /** {@return the file offset of section header {@code index}} */
    public long sectionHeaderOffset(long index) {
        return header.shoff() + index * header.shentsize();
    }

    /**
     * {@return the section's bytes as stored in the file: a view, not a copy; empty for
     * SHT_NOBITS}
     *
     * @throws ElfFormatException if the bytes lie outside the file
     */
    public MemorySegment rawData(SectionHeader s) throws ElfFormatException {
        checkData(s);
        if (s.type() == SHT_NOBITS || s.size() == 0) {
            return EMPTY;
        }
        return bytes.seg.asSlice(s.offset(), s.size());
    }

    /**
     * {@return the section's contents: the raw bytes, or for an SHF_COMPRESSED section the
     * decompressed bytes (zlib or zstd), whose size is bounded by {@link Limits}}
     */
    public MemorySegment contents(SectionHeader s) throws ElfFormatException {
        MemorySegment raw = rawData(s);
        if (!s.isCompressed() || s.type() == SHT_NOBITS) {
            return raw;
        }
        CompressionHeader ch = compressionHeader(s);
        long hdr = header.is64() ? 24 : 12;
        byte[] out = Decompress.section(bytes, s, ch.type(), s.offset() + hdr, s.size() - hdr, ch.size());
        return MemorySegment.ofArray(out);
    }

    /**
     * The compression header that starts an SHF_COMPRESSED section.
     *
     * @param type      ch_type (ELFCOMPRESS_ZLIB, ELFCOMPRESS_ZSTD)
     * @param size      ch_size: the decompressed size
     * @param addralign ch_addralign: the decompressed alignment
     */
    public record CompressionHeader(int type, long size, long addralign) {
    }

    /*
     * Elf32_Chdr (12 bytes): ch_type u32, ch_size u32, ch_addralign u32.
     * Elf64_Chdr (24 bytes): ch_type u32, ch_reserved u32, ch_size u64, ch_addralign u64.
     */
    /** {@return the compression header of an SHF_COMPRESSED section} */
    public CompressionHeader compressionHeader(SectionHeader s) throws ElfFormatException {
        checkData(s);
        long hdr = header.is64() ? 24 : 12;
        if (s.size() < hdr) {
            throw bytes.error(sectionHeaderOffset(s.index()), "sh_size of section " + s.index() + " (" + s.name() + ")",
                    s.size(), "SHF_COMPRESSED but smaller than a compression header (" + hdr + ")");
        }
        long p = s.offset();
        if (header.is64()) {
            return new CompressionHeader((int) bytes.u32(p), bytes.u64(p + 8), bytes.u64(p + 16));
        }
        return new CompressionHeader((int) bytes.u32(p), bytes.u32(p + 4), bytes.u32(p + 8));
    }

    // ---------------------------------------------------------------- tables

    /** {@return a string table view of section {@code s}} */
    public StringTable stringTable(SectionHeader s) throws ElfFormatException {
        if (s.type() != SHT_STRTAB) {
            throw bytes.error(sectionHeaderOffset(s.index()) + 4, "sh_type of section " + s.index() + " (" + s.name()
                    + ")", s.type() & 0xffffffffL, "expected a string table (SHT_STRTAB)");
        }
        checkData(s);
        return new StringTable(bytes, s);
    }

    /** {@return the SHT_SYMTAB symbol table, if the object has one} */
    public Optional<SymbolTable> symbolTable() throws ElfFormatException {
        for (SectionHeader s : sections) {
            if (s.type() == SHT_SYMTAB) {
                return Optional.of(symbolTable(s));
            }
        }
        return Optional.empty();
    }

    /** {@return a symbol table view of the SHT_SYMTAB or SHT_DYNSYM section {@code s}} */
    public SymbolTable symbolTable(SectionHeader s) throws ElfFormatException {
        int ent = SymbolTable.entrySize(header.is64());
        String what = "section " + s.index() + " (" + s.name() + ")";
        if (s.type() != SHT_SYMTAB && s.type() != SHT_DYNSYM) {
            throw bytes.error(sectionHeaderOffset(s.index()) + 4, "sh_type of " + what, s.type() & 0xffffffffL,
                    "not a symbol table");
        }
        checkTable(s, ent, what);
        if (s.size() / ent > Integer.MAX_VALUE) {
            throw bytes.error(sectionHeaderOffset(s.index()), "sh_size of " + what, s.size(), "too many symbols");
        }
        SectionHeader strSh = linked(s, "sh_link of " + what);
        StringTable strings = stringTable(strSh);
        SectionHeader shndx = null;
        for (SectionHeader x : sections) {
            if (x.type() == SHT_SYMTAB_SHNDX && x.link() == s.index()) {
                String xw = "section " + x.index() + " (" + x.name() + ")";
                checkData(x);
                if (x.size() < 4 * (s.size() / ent)) {
                    throw bytes.error(sectionHeaderOffset(x.index()), "sh_size of " + xw, x.size(),
                            "SHT_SYMTAB_SHNDX holds fewer than the " + s.size() / ent + " entries of " + s.name());
                }
                shndx = x;
            }
        }
        return new SymbolTable(bytes, header.is64(), s, strings, shndx);
    }

    private void checkTable(SectionHeader s, int ent, String what) throws ElfFormatException {
        checkData(s);
        if (s.type() == SHT_NOBITS) {
            throw bytes.error(sectionHeaderOffset(s.index()) + 4, "sh_type of " + what, s.type(), "a table cannot be NOBITS");
        }
        if (s.entsize() != ent) {
            throw bytes.error(sectionHeaderOffset(s.index()) + (header.is64() ? 56 : 36), "sh_entsize of " + what,
                    s.entsize(), "expected " + ent);
        }
        if (s.size() % ent != 0) {
            throw bytes.error(sectionHeaderOffset(s.index()) + (header.is64() ? 32 : 20), "sh_size of " + what,
                    s.size(), "not a multiple of the entry size " + ent);
        }
    }

    private SectionHeader linked(SectionHeader s, String field) throws ElfFormatException {
        if (s.link() <= 0 || s.link() >= sections.size()) {
            throw bytes.error(sectionHeaderOffset(s.index()) + (header.is64() ? 40 : 24), field, s.link(),
                    "no such section (the file has " + sections.size() + ")");
        }
        return sections.get((int) s.link());
    }

    /** {@return every SHT_REL and SHT_RELA section, as views} */
    public List<RelocationTable> relocationTables() throws ElfFormatException {
        List<RelocationTable> out = new ArrayList<>();
        for (SectionHeader s : sections) {
            if (s.type() == SHT_REL || s.type() == SHT_RELA) {
                out.add(relocationTable(s));
            }
        }
        return out;
    }

    /** {@return a view of the SHT_REL/SHT_RELA section {@code s}} */
    public RelocationTable relocationTable(SectionHeader s) throws ElfFormatException {
        String what = "section " + s.index() + " (" + s.name() + ")";
        boolean rela = s.type() == SHT_RELA;
        if (!rela && s.type() != SHT_REL) {
            throw bytes.error(sectionHeaderOffset(s.index()) + 4, "sh_type of " + what, s.type() & 0xffffffffL,
                    "not a relocation table");
        }
        checkTable(s, RelocationTable.entrySize(header.is64(), rela), what);
        SectionHeader target = null;
        if (s.info() != 0) {
            if (s.info() >= sections.size()) {
                throw bytes.error(sectionHeaderOffset(s.index()) + (header.is64() ? 44 : 28), "sh_info of " + what,
                        s.info(), "no such section (the file has " + sections.size() + ")");
            }
            target = sections.get((int) s.info());
        }
        return new RelocationTable(bytes, header.is64(), s, target);
    }

    /** {@return every SHT_GROUP section, decoded} */
    public List<SectionGroup> groups() throws ElfFormatException {
        List<SectionGroup> out = new ArrayList<>();
        for (SectionHeader s : sections) {
            if (s.type() == SHT_GROUP) {
                out.add(group(s));
            }
        }
        return out;
    }

    private SectionGroup group(SectionHeader s) throws ElfFormatException {
        String what = "section " + s.index() + " (" + s.name() + ")";
        checkData(s);
        if (s.size() < 4 || s.size() % 4 != 0) {
            throw bytes.error(sectionHeaderOffset(s.index()) + (header.is64() ? 32 : 20), "sh_size of " + what,
                    s.size(), "a group is a flag word and member indexes, 4 bytes each");
        }
        SymbolTable symtab = symbolTable(linked(s, "sh_link of " + what));
        if (s.info() >= symtab.size()) {
            throw bytes.error(sectionHeaderOffset(s.index()) + (header.is64() ? 44 : 28), "sh_info of " + what,
                    s.info(), "no such symbol (the table has " + symtab.size() + ")");
        }
        int symIndex = (int) s.info();
        String signature = symtab.name(symIndex);
        if (signature.isEmpty() && (symtab.info(symIndex) & 0xf) == STT_SECTION) {
            long sec = symtab.shndx(symIndex);
            if (sec > 0 && sec < sections.size()) {
                signature = sections.get((int) sec).name();
            }
        }
        int flags = (int) bytes.u32(s.offset());
        int n = (int) (s.size() / 4 - 1);
        List<Integer> members = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            long idx = bytes.u32(s.offset() + 4 + 4L * i);
            if (idx == 0 || idx >= sections.size()) {
                throw bytes.error(s.offset() + 4 + 4L * i, "member " + i + " of group " + what, idx,
                        "no such section (the file has " + sections.size() + ")");
            }
            members.add((int) idx);
        }
        return new SectionGroup(s, signature, flags, Collections.unmodifiableList(members));
    }

    /**
     * {@return the entries of an SHT_NOTE section}. Each entry is namesz, descsz, type (u32
     * each), then the name and the descriptor, each padded to the section's alignment (4, or
     * 8 for sections aligned to 8 such as {@code .note.gnu.property}).
     */
    public List<Note> notes(SectionHeader s) throws ElfFormatException {
        checkData(s);
        String what = "note section " + s.index() + " (" + s.name() + ")";
        long align = s.addralign() == 8 ? 8 : 4;
        List<Note> out = new ArrayList<>();
        long p = s.offset();
        long end = s.offset() + s.fileSize();
        while (p < end) {
            if (end - p < 12) {
                throw bytes.error(p, "note header in " + what, end - p, "fewer than 12 bytes left");
            }
            long namesz = bytes.u32(p);
            long descsz = bytes.u32(p + 4);
            long type = bytes.u32(p + 8);
            long nameStart = p + 12;
            long descStart = nameStart + align(namesz, align);
            if (align(namesz, align) > end - nameStart) {
                throw bytes.error(p, "n_namesz in " + what, namesz, "name extends past the section");
            }
            if (descsz > end - descStart) {
                throw bytes.error(p + 4, "n_descsz in " + what, descsz, "descriptor extends past the section");
            }
            int nlen = (int) namesz;
            while (nlen > 0 && bytes.u8(nameStart + nlen - 1) == 0) {
                nlen--;
            }
            byte[] nb = new byte[nlen];
            MemorySegment.copy(bytes.seg, ValueLayout.JAVA_BYTE, nameStart, nb, 0, nlen);
            out.add(new Note(new String(nb, StandardCharsets.ISO_8859_1), type, bytes.seg.asSlice(descStart, descsz), p));
            long next = descStart + align(descsz, align);
            p = next > end ? end : next;
        }
        return out;
    }

    private static long align(long v, long a) {
        return (v + a - 1) & -a;
    }

    // ---------------------------------------------------------------- Linux modules

    /** {@return the strings of the {@code .modinfo} section, in order; empty when there is none} */
    public List<ModInfoEntry> modinfo() throws ElfFormatException {
        Optional<SectionHeader> s = section(".modinfo");
        if (s.isEmpty()) {
            return List.of();
        }
        MemorySegment data = contents(s.get());
        List<ModInfoEntry> out = new ArrayList<>();
        long n = data.byteSize();
        long i = 0;
        while (i < n) {
            long start = i;
            while (i < n && data.get(ValueLayout.JAVA_BYTE, i) != 0) {
                i++;
            }
            if (i > start) {
                byte[] b = new byte[(int) (i - start)];
                MemorySegment.copy(data, ValueLayout.JAVA_BYTE, start, b, 0, b.length);
                String str = new String(b, StandardCharsets.ISO_8859_1);
                int eq = str.indexOf('=');
                out.add(eq < 0 ? new ModInfoEntry(str, "", start)
                        : new ModInfoEntry(str.substring(0, eq), str.substring(eq + 1), start));
            }
            i++;
        }
        return out;
    }

    /** {@return the values of every {@code .modinfo} entry named {@code key}, in order} */
    public List<String> modinfo(String key) throws ElfFormatException {
        List<String> out = new ArrayList<>();
        for (ModInfoEntry e : modinfo()) {
            if (e.key().equals(key)) {
                out.add(e.value());
            }
        }
        return out;
    }

    /** {@return the entries of the {@code __versions} section; empty when there is none} */
    public List<ModVersion> modversions() throws ElfFormatException {
        Optional<SectionHeader> s = section("__versions");
        if (s.isEmpty() || s.get().type() == SHT_NOBITS) {
            return List.of();
        }
        SectionHeader sh = s.get();
        MemorySegment data = contents(sh);
        if (data.byteSize() % 64 != 0) {
            throw bytes.error(sectionHeaderOffset(sh.index()), "sh_size of __versions", data.byteSize(),
                    "not a multiple of sizeof(struct modversion_info) (64)");
        }
        Bytes d = new Bytes(name, data, header.order());
        int crcSize = header.is64() ? 8 : 4;
        List<ModVersion> out = new ArrayList<>();
        for (long p = 0; p < data.byteSize(); p += 64) {
            long crc = header.is64() ? d.u64(p) : d.u32(p);
            int len = 0;
            while (len < 64 - crcSize && d.u8(p + crcSize + len) != 0) {
                len++;
            }
            if (len == 64 - crcSize) {
                throw bytes.error(sh.offset() + p, "modversion_info.name", len, "not NUL-terminated");
            }
            byte[] b = new byte[len];
            MemorySegment.copy(data, ValueLayout.JAVA_BYTE, p + crcSize, b, 0, len);
            out.add(new ModVersion(crc, new String(b, StandardCharsets.ISO_8859_1)));
        }
        return out;
    }

    /** {@return the {@code .gnu.linkonce.this_module} section and the name in it, if present} */
    public Optional<ThisModule> thisModule() throws ElfFormatException {
        Optional<SectionHeader> s = section(".gnu.linkonce.this_module");
        if (s.isEmpty()) {
            return Optional.empty();
        }
        SectionHeader sh = s.get();
        MemorySegment data = contents(sh);
        long at = header.is64() ? 24 : 12;
        long max = 64 - (header.is64() ? 8 : 4); // MODULE_NAME_LEN
        String nm = "";
        if (data.byteSize() > at) {
            long end = Math.min(data.byteSize(), at + max);
            long q = at;
            while (q < end && data.get(ValueLayout.JAVA_BYTE, q) != 0) {
                q++;
            }
            if (q < end) {
                byte[] b = new byte[(int) (q - at)];
                MemorySegment.copy(data, ValueLayout.JAVA_BYTE, at, b, 0, b.length);
                nm = new String(b, StandardCharsets.ISO_8859_1);
            }
        }
        return Optional.of(new ThisModule(sh, nm));
    }

    @Override
    public String toString() {
        return "ElfFile[" + name + ", ELF" + header.bits() + " " + (header.littleEndian() ? "LE" : "BE") + ", "
                + sections.size() + " sections]";
    }
}
