package dev.kobj.elf;

/**
 * Numeric constants of the ELF gABI (System V ABI, chapter 4 "Object Files", as maintained in
 * the generic ABI draft of 2013 and later) and of the processor supplements kobj handles (the
 * x86-64 psABI, ARM's aaelf64, the RISC-V ELF psABI). Names follow {@code <elf.h>}; the
 * sections of the gABI are named in each group; {@link ElfNames} turns the values into the
 * words readelf prints.
 */
public final class ElfConstants {
    private ElfConstants() {
    }

    // e_ident (gABI "ELF Identification")

    /** Size of {@code e_ident}, the identification bytes at the start of every ELF file. */
    public static final int EI_NIDENT = 16;
    /** {@code EI_CLASS}: 32-bit objects (Elf32 structures). */
    public static final int ELFCLASS32 = 1;
    /** {@code EI_CLASS}: 64-bit objects (Elf64 structures). */
    public static final int ELFCLASS64 = 2;
    /** {@code EI_DATA}: two's complement, little-endian. */
    public static final int ELFDATA2LSB = 1;
    /** {@code EI_DATA}: two's complement, big-endian. */
    public static final int ELFDATA2MSB = 2;
    /** {@code EI_VERSION} and {@code e_version}: the only ELF version there is. */
    public static final int EV_CURRENT = 1;
    /** {@code EI_OSABI}: no extensions, or unspecified (System V). */
    public static final int ELFOSABI_NONE = 0;
    /** {@code EI_OSABI}: GNU extensions (also called ELFOSABI_LINUX); set by GNU tools for IFUNC or unique symbols. */
    public static final int ELFOSABI_GNU = 3;
    /** {@code EI_OSABI}: FreeBSD. */
    public static final int ELFOSABI_FREEBSD = 9;

    // e_type (gABI "ELF Header")

    /** {@code e_type}: no file type. */
    public static final int ET_NONE = 0;
    /** {@code e_type}: relocatable file: a {@code .o} or a Linux {@code .ko}, what a module loader loads. */
    public static final int ET_REL = 1;
    /** {@code e_type}: executable file. */
    public static final int ET_EXEC = 2;
    /** {@code e_type}: shared object file. */
    public static final int ET_DYN = 3;
    /** {@code e_type}: core file. */
    public static final int ET_CORE = 4;

    // e_machine (gABI "ELF Header"; the values registered for each processor)

    /** {@code e_machine}: Intel 80386. */
    public static final int EM_386 = 3;
    /** {@code e_machine}: 32-bit Arm. */
    public static final int EM_ARM = 40;
    /** {@code e_machine}: AMD x86-64 (x86-64 psABI). */
    public static final int EM_X86_64 = 62;
    /** {@code e_machine}: Arm 64-bit, AArch64 (aaelf64). */
    public static final int EM_AARCH64 = 183;
    /** {@code e_machine}: RISC-V, 32 or 64 bits by {@code EI_CLASS} (RISC-V ELF psABI). */
    public static final int EM_RISCV = 243;

    // special section indexes (gABI "Sections", "Special Section Indexes")

    /** Undefined, missing or meaningless section reference; a symbol with it is undefined. */
    public static final int SHN_UNDEF = 0;
    /** Lower bound of the reserved indexes: no real section has an index from here to 0xffff. */
    public static final int SHN_LORESERVE = 0xff00;
    /** First index reserved for processor-specific meanings. */
    public static final int SHN_LOPROC = 0xff00;
    /** Last index reserved for processor-specific meanings. */
    public static final int SHN_HIPROC = 0xff1f;
    /** First index reserved for operating-system-specific meanings. */
    public static final int SHN_LOOS = 0xff20;
    /** Last index reserved for operating-system-specific meanings. */
    public static final int SHN_HIOS = 0xff3f;
    /** Absolute values: a symbol with it is not relocated. */
    public static final int SHN_ABS = 0xfff1;
    /** Common symbols (unallocated C globals); the value is the alignment. */
    public static final int SHN_COMMON = 0xfff2;
    /**
     * Escape: the real index is elsewhere (in section 0's {@code sh_link} for {@code e_shstrndx},
     * in {@code .symtab_shndx} for a symbol). Used when there are 0xff00 sections or more.
     */
    public static final int SHN_XINDEX = 0xffff;
    /** x86-64 psABI: large common symbols (medium and large code models). */
    public static final int SHN_X86_64_LCOMMON = 0xff02;
    /** e_phnum value meaning "the real count is in section 0's sh_info". */
    public static final int PN_XNUM = 0xffff;

    // sh_type (gABI "Sections", "Section Types")

    /** Inactive section header, without a section. */
    public static final int SHT_NULL = 0;
    /** Bytes whose meaning the program alone defines (code, data). */
    public static final int SHT_PROGBITS = 1;
    /** The symbol table for link editing ({@code .symtab}). */
    public static final int SHT_SYMTAB = 2;
    /** A string table. */
    public static final int SHT_STRTAB = 3;
    /** Relocation entries with explicit addends ({@code Elf_Rela}). */
    public static final int SHT_RELA = 4;
    /** A symbol hash table (dynamic linking). */
    public static final int SHT_HASH = 5;
    /** Dynamic linking information. */
    public static final int SHT_DYNAMIC = 6;
    /** Notes ({@code Elf_Nhdr} records: owner, type, descriptor). */
    public static final int SHT_NOTE = 7;
    /** A section that occupies no file space ({@code .bss}): zero-filled when loaded. */
    public static final int SHT_NOBITS = 8;
    /** Relocation entries without addends ({@code Elf_Rel}: the addend is in the place). */
    public static final int SHT_REL = 9;
    /** Reserved, unspecified semantics. */
    public static final int SHT_SHLIB = 10;
    /** The minimal symbol table of dynamic linking ({@code .dynsym}). */
    public static final int SHT_DYNSYM = 11;
    /** An array of pointers to initialization functions. */
    public static final int SHT_INIT_ARRAY = 14;
    /** An array of pointers to termination functions. */
    public static final int SHT_FINI_ARRAY = 15;
    /** An array of pointers to functions run before all initialization functions. */
    public static final int SHT_PREINIT_ARRAY = 16;
    /** A section group: a flag word ({@link #GRP_COMDAT}) and the indexes of its members. */
    public static final int SHT_GROUP = 17;
    /** The extended section indexes of the symbols whose {@code st_shndx} is {@link #SHN_XINDEX}. */
    public static final int SHT_SYMTAB_SHNDX = 18;
    /** Relative relocations in the compact RELR encoding. */
    public static final int SHT_RELR = 19;
    /** First section type reserved for operating-system-specific semantics. */
    public static final int SHT_LOOS = 0x60000000;
    /** Last section type reserved for operating-system-specific semantics. */
    public static final int SHT_HIOS = 0x6fffffff;
    /** First section type reserved for processor-specific semantics. */
    public static final int SHT_LOPROC = 0x70000000;
    /** Last section type reserved for processor-specific semantics. */
    public static final int SHT_HIPROC = 0x7fffffff;
    /** First section type reserved for application programs. */
    public static final int SHT_LOUSER = 0x80000000;
    /** Last section type reserved for application programs. */
    public static final int SHT_HIUSER = 0xffffffff;

    // sh_flags (gABI "Sections", "Section Attribute Flags")

    /** Writable during execution. */
    public static final long SHF_WRITE = 0x1;
    /** Occupies memory during execution: the sections a loader lays out. */
    public static final long SHF_ALLOC = 0x2;
    /** Executable machine instructions. */
    public static final long SHF_EXECINSTR = 0x4;
    /** Data that may be merged to remove duplicates ({@code sh_entsize} is the element size). */
    public static final long SHF_MERGE = 0x10;
    /** Null-terminated strings (with {@link #SHF_MERGE}: mergeable strings). */
    public static final long SHF_STRINGS = 0x20;
    /** {@code sh_info} holds a section header table index. */
    public static final long SHF_INFO_LINK = 0x40;
    /** Ordered after the section {@code sh_link} names. */
    public static final long SHF_LINK_ORDER = 0x80;
    /** Needs operating-system-specific processing. */
    public static final long SHF_OS_NONCONFORMING = 0x100;
    /** A member of a section group ({@link #SHT_GROUP}). */
    public static final long SHF_GROUP = 0x200;
    /** Thread-local storage. */
    public static final long SHF_TLS = 0x400;
    /** Compressed: the data starts with an {@code Elf_Chdr} ({@link #ELFCOMPRESS_ZLIB}, {@link #ELFCOMPRESS_ZSTD}). */
    public static final long SHF_COMPRESSED = 0x800;
    /** GNU: kept by the linker's garbage collection. */
    public static final long SHF_GNU_RETAIN = 0x200000;
    /** GNU: placed in the memory of {@code sh_info}'s kind (multiple memory banks). */
    public static final long SHF_GNU_MBIND = 0x01000000;
    /** x86-64 psABI: may be more than 2 GiB from the code (large code model). */
    public static final long SHF_X86_64_LARGE = 0x10000000;
    /** Excluded from the linked output (processor-specific bit, used by GNU tools on every target). */
    public static final long SHF_EXCLUDE = 0x80000000L;
    /** The bits reserved for operating-system-specific flags. */
    public static final long SHF_MASKOS = 0x0ff00000;
    /** The bits reserved for processor-specific flags. */
    public static final long SHF_MASKPROC = 0xf0000000L;

    // section group flags (gABI "Section Groups")

    /** A COMDAT group: only one group of the same signature is kept by a linker. */
    public static final int GRP_COMDAT = 0x1;

    // compression (gABI "Compressed Sections": Elf_Chdr.ch_type)

    /** {@code ch_type}: ZLIB (RFC 1950) compressed data. */
    public static final int ELFCOMPRESS_ZLIB = 1;
    /** {@code ch_type}: Zstandard (RFC 8878) compressed data. */
    public static final int ELFCOMPRESS_ZSTD = 2;

    // symbol binding, type, visibility (gABI "Symbol Table")

    /** {@code STB}: local symbol, not visible outside its object. */
    public static final int STB_LOCAL = 0;
    /** {@code STB}: global symbol, visible to every object combined. */
    public static final int STB_GLOBAL = 1;
    /** {@code STB}: weak symbol: a global of lower precedence; an undefined weak symbol resolves to 0. */
    public static final int STB_WEAK = 2;
    /** {@code STB}: GNU unique symbol (one definition in the whole process). */
    public static final int STB_GNU_UNIQUE = 10;
    /** {@code STT}: type not specified. */
    public static final int STT_NOTYPE = 0;
    /** {@code STT}: a data object (variable, array). */
    public static final int STT_OBJECT = 1;
    /** {@code STT}: a function or other executable code. */
    public static final int STT_FUNC = 2;
    /** {@code STT}: a section, for relocation against it (binding local). */
    public static final int STT_SECTION = 3;
    /** {@code STT}: the source file's name (binding local, index {@link #SHN_ABS}). */
    public static final int STT_FILE = 4;
    /** {@code STT}: an uninitialized common block. */
    public static final int STT_COMMON = 5;
    /** {@code STT}: a thread-local storage entity; the value is an offset in the TLS block. */
    public static final int STT_TLS = 6;
    /** {@code STT}: GNU indirect function: the value is a resolver returning the address. */
    public static final int STT_GNU_IFUNC = 10;
    /** {@code STV}: the visibility of the binding. */
    public static final int STV_DEFAULT = 0;
    /** {@code STV}: processor-specific hidden class. */
    public static final int STV_INTERNAL = 1;
    /** {@code STV}: not visible to other components. */
    public static final int STV_HIDDEN = 2;
    /** {@code STV}: visible, but references from its own component bind to it. */
    public static final int STV_PROTECTED = 3;

    // program header types and flags (gABI "Program Header")

    /** {@code p_type}: unused entry. */
    public static final int PT_NULL = 0;
    /** {@code p_type}: a loadable segment. */
    public static final int PT_LOAD = 1;
    /** {@code p_type}: auxiliary information (notes). */
    public static final int PT_NOTE = 4;
    /** {@code p_flags}: executable. */
    public static final int PF_X = 1;
    /** {@code p_flags}: writable. */
    public static final int PF_W = 2;
    /** {@code p_flags}: readable. */
    public static final int PF_R = 4;
}
