package dev.kobj.elf;

import static dev.kobj.elf.ElfConstants.*;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.RandomAccess;

/**
 * A read-only, zero-copy view of one ELF object: ELF32 or ELF64, either byte order, plain or
 * compressed as a whole ({@code .ko.gz}, {@code .ko.xz}, {@code .ko.zst}), with or without
 * an appended Linux module signature.
 *
 * <p>Opening a file checks the file header and the whole section header table against the
 * file (and the program header table, when there is one), every section's name included;
 * section contents, symbols and relocations are checked when their tables are first asked
 * for. A {@link SectionHeader} is made when it is first asked for, so that a reader that
 * looks at a few sections of a big object (a symbol table, {@code .modinfo}) makes only
 * those. Nothing is copied except decompressed data: a plain file is {@code mmap}-ed and
 * every view reads from the mapping.
 *
 * <p>An {@code ElfFile} that was opened from a path owns its mapping and must be closed;
 * views obtained from it are invalid afterwards. It is safe to read from several threads.
 */
public final class ElfFile implements AutoCloseable {
    private static final MemorySegment EMPTY = MemorySegment.ofArray(new byte[0]);

    private final String name;
    private final Arena arena; // null when the file does not own its memory
    private final Compression compression;
    private final MemorySegment whole; // the file as given (decompressed), signature included
    private final ModuleSignature signature; // null when none
    private final Bytes bytes; // the ELF object itself
    private final ElfHeader header;
    private final int shnum;
    private final StringTable sectionNames; // null when there are no sections
    /** Section headers made so far, by index: one is made when first asked for (racing threads make equal ones). */
    private final SectionHeader[] made;
    private final List<SectionHeader> sections = new SectionList();
    private boolean released; // see release()
    private boolean closed; // the memory is unmapped: every header was made first (close())
    private final List<ProgramHeader> programHeaders;
    private volatile List<ModInfoEntry> modinfo; // read once (CheckRun asks for several keys)
    private volatile List<RelocationTable> relocationTables; // read once (the linker and its checks ask again)

    private ElfFile(String name, Arena arena, Compression compression, MemorySegment whole) throws ElfFormatException {
        this.name = name;
        this.arena = arena;
        this.compression = compression;
        this.whole = whole;
        this.signature = SignatureTrailer.find(name, whole);
        MemorySegment elf = signature == null ? whole : whole.asSlice(0, signature.signedLength());
        Bytes probe = new Bytes(name, elf, ByteOrder.LITTLE_ENDIAN);
        ByteOrder order = HeaderReader.ident(probe);
        this.bytes = new Bytes(name, elf, order);
        this.header = HeaderReader.header(bytes);
        this.sectionNames = HeaderReader.sectionNames(bytes, header);
        this.shnum = (int) header.shnum();
        this.made = new SectionHeader[shnum];
        this.programHeaders = HeaderReader.programHeaders(bytes, header);
    }

    // ---------------------------------------------------------------- opening

    /**
     * Opens a file: maps it when it is a plain ELF file, decompresses it into the heap when
     * it is gzip, xz or zstd (recognised by magic, not by name).
     *
     * @param path the file
     * @return the object, to be closed (it unmaps the file)
     * @throws IOException        if the file cannot be read
     * @throws ElfFormatException if it is not a well-formed ELF object
     */
    public static ElfFile open(Path path) throws IOException, ElfFormatException {
        String name = path.toString();
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = ch.size();
            byte[] head = new byte[8];
            int n = FileReads.read(ch, head, 0, head.length);
            Compression kind = Decompress.detect(head, n);
            if (kind != Compression.NONE) {
                if (size > Limits.MAX_ARRAY) {
                    throw new ElfFormatException(name, 0, "file size", size, "too large for a compressed module");
                }
                byte[] data = Decompress.file(name, kind, FileReads.readAll(ch, size));
                return new ElfFile(name, null, kind, MemorySegment.ofArray(data));
            }
            // Small files are cheaper to read than to map; a file of another file system (a zip
            // file's entry) cannot be mapped at all.
            boolean mappable = path.getFileSystem() == java.nio.file.FileSystems.getDefault();
            if (size < 4096 || !mappable) {
                if (size > Limits.MAX_ARRAY) {
                    throw new ElfFormatException(name, 0, "file size", size, "too large to read from a file system that cannot map it");
                }
                return new ElfFile(name, null, Compression.NONE, MemorySegment.ofArray(FileReads.readAll(ch, size)));
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

    /**
     * Reads an object held in memory (decompressing it first if it is gzip, xz or zstd).
     *
     * @param name the name used in error messages
     * @param data the file's bytes, not copied when not compressed
     * @return the object
     * @throws ElfFormatException if it is not a well-formed ELF object (or not well compressed)
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
     * @param data the file's bytes, a plain ELF object
     * @return the object
     * @throws ElfFormatException if it is not a well-formed ELF object
     */
    public static ElfFile of(String name, MemorySegment data) throws ElfFormatException {
        return new ElfFile(name, null, Compression.NONE, data);
    }

    /** {@return a view of {@code elf}, the decompressed bytes of a file compressed as {@code kind}, in {@code arena}'s memory (closed with the file) or the caller's (null)} */
    static ElfFile decompressed(String name, Compression kind, MemorySegment elf, Arena arena) throws ElfFormatException {
        return new ElfFile(name, arena, kind, elf);
    }

    /**
     * Unmaps the file (frees memory it owns). Views obtained from this object must not be used
     * afterwards; its section headers ({@link #sections()}, {@link #section(long)}) stay readable:
     * those not made yet are made before the memory goes.
     */
    @Override
    public void close() {
        if (arena != null && arena.scope().isAlive()) {
            for (int i = 0; i < shnum; i++) {
                sectionAt(i);
            }
            closed = true; // the look-ups by name and type read the headers made, not the memory
            arena.close();
        }
    }

    /**
     * Marks the memory this object views as reused ({@link ElfReader}'s buffer holds another file
     * now): a section header not made yet cannot be made any more, and asking for one fails
     * rather than reading the other file's bytes.
     */
    void release() {
        released = true;
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

    /** {@return every section header, index 0 included}: a list that makes each one when it is first read */
    public List<SectionHeader> sections() {
        return sections;
    }

    /**
     * {@return the sections of type {@code type} ({@code sh_type}), in index order}; only
     * their headers are made
     * @param type an {@code SHT_} value
     */
    public List<SectionHeader> sections(int type) {
        List<SectionHeader> out = new ArrayList<>();
        for (int i = 0; i < shnum; i++) {
            if (typeOf(i) == type) {
                out.add(sectionAt(i));
            }
        }
        return out;
    }

    /**
     * Checks every section, in index order, as {@link #rawData} and {@link #compressionHeader}
     * check it: its bytes lie inside the file, and an SHF_COMPRESSED section starts with a
     * compression header. Same errors, and no {@link SectionHeader} made for a section that
     * passes.
     * @throws ElfFormatException for the first section that fails
     */
    public void checkSections() throws ElfFormatException {
        long chdr = header.is64() ? 24 : 12;
        for (int i = 0; i < shnum; i++) {
            if (typeOf(i) == SHT_NOBITS) {
                continue;
            }
            long size = field(i, 32, 20);
            if (!HeaderReader.inside(bytes, field(i, 24, 16), size) || ((field(i, 8, 8) & SHF_COMPRESSED) != 0 && size < chdr)) {
                SectionHeader s = sectionAt(i);
                rawData(s); // throws when outside
                compressionHeader(s); // throws when too short
            }
        }
    }

    /** {@return sh_type of section {@code i}} (an index below the section count) */
    private int typeOf(int i) {
        return (int) field(i, 4, 4);
    }

    /**
     * {@return the field of section header {@code i} at {@code at64} (ELF64) or {@code at32} (ELF32)},
     * read in place, a word of the class (u32 for sh_name, sh_type, sh_link and sh_info); from
     * the header made once the memory is unmapped ({@link #close})
     */
    private long field(int i, int at64, int at32) {
        if (closed) {
            SectionHeader s = made[i];
            return switch (at64) {
                case 4 -> s.type();
                case 8 -> s.flags();
                case 24 -> s.offset();
                case 32 -> s.size();
                case 40 -> s.link();
                case 44 -> s.info();
                case 56 -> s.entsize();
                default -> throw new IllegalArgumentException("sh field at " + at64);
            };
        }
        long p = sectionHeaderOffset(i);
        boolean word = at64 == 8 || at64 == 24 || at64 == 32 || at64 == 56;
        return header.is64() ? (word ? bytes.u64(p + at64) : bytes.u32(p + at64)) : bytes.u32(p + at32);
    }

    /** {@return section header {@code i}} (an index below the section count), made when first asked for */
    SectionHeader sectionAt(int i) {
        SectionHeader s = made[i];
        if (s == null) {
            if (released) {
                throw new IllegalStateException(name + ": section " + i + " asked for after the ElfReader that read the"
                        + " file read another one (a file from ElfReader.open is valid until the reader's next open)");
            }
            // A record's fields are final: one published by a plain store is seen whole by other threads.
            s = HeaderReader.header(bytes, header, i, HeaderReader.name(bytes, sectionNames, bytes.u32(sectionHeaderOffset(i))));
            made[i] = s;
        }
        return s;
    }

    /** The list {@link #sections()} gives: the header table, a header made when it is first read. */
    private final class SectionList extends AbstractList<SectionHeader> implements RandomAccess {
        @Override
        public SectionHeader get(int index) {
            Objects.checkIndex(index, shnum);
            return sectionAt(index);
        }

        @Override
        public int size() {
            return shnum;
        }
    }

    /** {@return every program header} */
    public List<ProgramHeader> programHeaders() {
        return programHeaders;
    }

    /**
     * {@return the section with index {@code index}}
     * @param index its index in the section header table (gABI "Sections")
     * @throws ElfFormatException when the file has no such section
     */
    public SectionHeader section(long index) throws ElfFormatException {
        if (index < 0 || index >= shnum) {
            throw bytes.error(header.shoff(), "section index", index,
                    "no such section (the file has " + shnum + ")");
        }
        return sectionAt((int) index);
    }

    /**
     * {@return the first section named {@code name}}
     * @param name the section name, as {@code .shstrtab} spells it
     */
    public Optional<SectionHeader> section(String name) {
        for (int i = 0; i < shnum; i++) {
            if (closed ? made[i].name().equals(name) : sectionNames.equalsAt(bytes.u32(sectionHeaderOffset(i)), name)) {
                return Optional.of(sectionAt(i));
            }
        }
        return Optional.empty();
    }

    void checkData(SectionHeader s) throws ElfFormatException {
        HeaderReader.checkData(bytes, header, s);
    }

    /**
     * {@return the file offset of section header {@code index}}: {@code e_shoff + index * e_shentsize}
     * @param index a section header table index
     */
    public long sectionHeaderOffset(long index) {
        return header.shoff() + index * header.shentsize();
    }

    /**
     * {@return the section's bytes as stored in the file: a view, not a copy; empty for
     * SHT_NOBITS}
     *
     * @param s a section of this file
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
     *
     * @param s a section of this file
     * @throws ElfFormatException if the bytes lie outside the file or do not decompress (gABI
     *                            "Compressed Sections")
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

    /**
     * {@return the compression header ({@code Elf_Chdr}) of an SHF_COMPRESSED section}: Elf32_Chdr
     * (12 bytes) ch_type u32, ch_size u32, ch_addralign u32; Elf64_Chdr (24 bytes) ch_type u32,
     * ch_reserved u32, ch_size u64, ch_addralign u64
     * @param s an SHF_COMPRESSED section of this file
     * @throws ElfFormatException when the section is too short for the header or lies outside the file
     */
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

    /**
     * {@return a string table view of section {@code s}}
     * @param s an SHT_STRTAB section of this file
     * @throws ElfFormatException when it is not a string table or lies outside the file
     */
    public StringTable stringTable(SectionHeader s) throws ElfFormatException {
        if (s.type() != SHT_STRTAB) {
            throw bytes.error(sectionHeaderOffset(s.index()) + 4, "sh_type of section " + s.index() + " (" + s.name()
                    + ")", s.type() & 0xffffffffL, "expected a string table (SHT_STRTAB)");
        }
        checkData(s);
        return new StringTable(bytes, s);
    }

    /**
     * {@return the SHT_SYMTAB symbol table, if the object has one}
     * @throws ElfFormatException when the table is malformed (see {@link #symbolTable(SectionHeader)})
     */
    public Optional<SymbolTable> symbolTable() throws ElfFormatException {
        for (int i = 0; i < shnum; i++) {
            if (typeOf(i) == SHT_SYMTAB) {
                return Optional.of(symbolTable(sectionAt(i)));
            }
        }
        return Optional.empty();
    }

    /**
     * {@return a symbol table view of the SHT_SYMTAB or SHT_DYNSYM section {@code s}}, with its
     * {@code sh_link} string table and its SHT_SYMTAB_SHNDX section if there is one (gABI "Symbol Table")
     * @param s a symbol table section of this file
     * @throws ElfFormatException when sh_type, sh_entsize, sh_size or sh_link is wrong
     */
    public SymbolTable symbolTable(SectionHeader s) throws ElfFormatException {
        int ent = SymbolTable.entrySize(header.is64());
        if (s.type() != SHT_SYMTAB && s.type() != SHT_DYNSYM) {
            throw bytes.error(sectionHeaderOffset(s.index()) + 4, "sh_type of " + what(s), s.type() & 0xffffffffL,
                    "not a symbol table");
        }
        checkTable(s, ent);
        if (s.size() / ent > Integer.MAX_VALUE) {
            throw bytes.error(sectionHeaderOffset(s.index()), "sh_size of " + what(s), s.size(), "too many symbols");
        }
        SectionHeader strSh = linked(s, "sh_link of ", s);
        StringTable strings = stringTable(strSh);
        SectionHeader shndx = null;
        for (int i = 0; i < shnum; i++) {
            if (typeOf(i) == SHT_SYMTAB_SHNDX && field(i, 40, 24) == s.index()) {
                SectionHeader x = sectionAt(i);
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

    /** {@return "section N (NAME)", for error messages only (not built on the way of a good file)} */
    private static String what(SectionHeader s) {
        return "section " + s.index() + " (" + s.name() + ")";
    }

    private void checkTable(SectionHeader s, int ent) throws ElfFormatException {
        checkData(s);
        if (s.type() == SHT_NOBITS) {
            throw bytes.error(sectionHeaderOffset(s.index()) + 4, "sh_type of " + what(s), s.type(),
                    "a table cannot be NOBITS");
        }
        if (s.entsize() != ent) {
            throw bytes.error(sectionHeaderOffset(s.index()) + (header.is64() ? 56 : 36), "sh_entsize of " + what(s),
                    s.entsize(), "expected " + ent);
        }
        if (s.size() % ent != 0) {
            throw bytes.error(sectionHeaderOffset(s.index()) + (header.is64() ? 32 : 20), "sh_size of " + what(s),
                    s.size(), "not a multiple of the entry size " + ent);
        }
    }

    /** {@return the section {@code s}'s sh_link names; {@code field} + {@code what(of)} names sh_link in the error} */
    SectionHeader linked(SectionHeader s, String field, SectionHeader of) throws ElfFormatException {
        if (s.link() <= 0 || s.link() >= shnum) {
            throw bytes.error(sectionHeaderOffset(s.index()) + (header.is64() ? 40 : 24), field + what(of), s.link(),
                    "no such section (the file has " + shnum + ")");
        }
        return sectionAt((int) s.link());
    }

    /**
     * {@return every SHT_REL and SHT_RELA section, as views}
     * @throws ElfFormatException when a table is malformed (see {@link #relocationTable})
     */
    public List<RelocationTable> relocationTables() throws ElfFormatException {
        List<RelocationTable> r = relocationTables;
        if (r == null) {
            List<RelocationTable> out = new ArrayList<>();
            for (int i = 0; i < shnum; i++) {
                int type = typeOf(i);
                if (type != SHT_REL && type != SHT_RELA) {
                    continue;
                }
                // relocationTable's checks on the header's fields, so that no SectionHeader is made
                // for a good table (most sections of a module are relocation tables)
                long offset = field(i, 24, 16);
                long size = field(i, 32, 20);
                long info = field(i, 44, 28);
                int ent = RelocationTable.entrySize(header.is64(), type == SHT_RELA);
                if (HeaderReader.inside(bytes, offset, size) && field(i, 56, 36) == ent && size % ent == 0 && info < shnum) {
                    out.add(new RelocationTable(this, bytes, i, type == SHT_RELA, offset, size, field(i, 40, 24), info));
                } else {
                    out.add(relocationTable(sectionAt(i))); // throws
                }
            }
            relocationTables = r = java.util.Collections.unmodifiableList(out);
        }
        return r;
    }

    /**
     * {@return a view of the SHT_REL/SHT_RELA section {@code s}}: its entries apply to the section
     * {@code sh_info} names (gABI "Relocation")
     * @param s a relocation section of this file
     * @throws ElfFormatException when sh_type, sh_entsize, sh_size or sh_info is wrong
     */
    public RelocationTable relocationTable(SectionHeader s) throws ElfFormatException {
        boolean rela = s.type() == SHT_RELA;
        if (!rela && s.type() != SHT_REL) {
            throw bytes.error(sectionHeaderOffset(s.index()) + 4, "sh_type of " + what(s), s.type() & 0xffffffffL,
                    "not a relocation table");
        }
        checkTable(s, RelocationTable.entrySize(header.is64(), rela));
        if (s.info() >= shnum) {
            throw bytes.error(sectionHeaderOffset(s.index()) + (header.is64() ? 44 : 28), "sh_info of " + what(s),
                    s.info(), "no such section (the file has " + shnum + ")");
        }
        return new RelocationTable(this, bytes, s.index(), rela, s.offset(), s.size(), s.link(), s.info());
    }

    /**
     * {@return every SHT_GROUP section, decoded} (gABI "Section Groups")
     * @throws ElfFormatException when a group's size, signature symbol or member index is wrong
     */
    public List<SectionGroup> groups() throws ElfFormatException {
        List<SectionGroup> out = new ArrayList<>();
        for (int i = 0; i < shnum; i++) {
            if (typeOf(i) == SHT_GROUP) {
                out.add(GroupReader.read(this, sectionAt(i)));
            }
        }
        return out;
    }

    /**
     * {@return the entries of an SHT_NOTE section}. Each entry is namesz, descsz, type (u32
     * each), then the name and the descriptor, each padded to the section's alignment (4, or
     * 8 for sections aligned to 8 such as {@code .note.gnu.property}).
     *
     * @param s an SHT_NOTE section of this file
     * @throws ElfFormatException when an entry runs past the section
     */
    public List<Note> notes(SectionHeader s) throws ElfFormatException {
        return NoteReader.read(bytes, header, s);
    }

    // ---------------------------------------------------------------- Linux modules

    /**
     * {@return the strings of the {@code .modinfo} section, in order; empty when there is none}
     * @throws ElfFormatException when the section lies outside the file
     */
    public List<ModInfoEntry> modinfo() throws ElfFormatException {
        List<ModInfoEntry> m = modinfo;
        return m != null ? m : (modinfo = ModuleSections.modinfo(this)); // unmodifiable: a race makes it twice, equal
    }

    /**
     * {@return the values of every {@code .modinfo} entry named {@code key}, in order}
     * @param key the name before the {@code =}, e.g. {@code depends}
     * @throws ElfFormatException when the section lies outside the file
     */
    public List<String> modinfo(String key) throws ElfFormatException {
        return ModuleSections.modinfo(this, key);
    }

    /**
     * {@return the entries of the {@code __versions} section; empty when there is none}
     * @throws ElfFormatException when the section's size is not a whole number of entries
     */
    public List<ModVersion> modversions() throws ElfFormatException {
        return ModuleSections.modversions(this);
    }

    /**
     * Checks {@code .modinfo} and {@code __versions} as {@link #modinfo()} and {@link #modversions()} do, without
     * making their entries (for a reader that only validates files, as {@code kobjdump stats} does).
     * @throws ElfFormatException when {@link #modinfo()} or {@link #modversions()} would throw it
     */
    public void checkModuleSections() throws ElfFormatException {
        ModuleSections.check(this);
    }

    /**
     * {@return the {@code .gnu.linkonce.this_module} section and the name in it, if present}
     * @throws ElfFormatException when the section lies outside the file
     */
    public Optional<ThisModule> thisModule() throws ElfFormatException {
        return ModuleSections.thisModule(this);
    }

    /** {@return the bytes of the ELF object, for this package's readers} */
    Bytes view() {
        return bytes;
    }

    @Override
    public String toString() {
        return "ElfFile[" + name + ", ELF" + header.bits() + " " + (header.littleEndian() ? "LE" : "BE") + ", "
                + shnum + " sections]";
    }
}
