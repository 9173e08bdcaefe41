package dev.kobj.elf;

/**
 * Numeric constants of the ELF gABI (System V ABI, chapter 4) and of the processor
 * supplements kobj handles. Names follow {@code <elf.h>}; {@link ElfNames} turns them into
 * the words readelf prints.
 */
public final class ElfConstants {
    private ElfConstants() {
    }

    // e_ident
    public static final int EI_NIDENT = 16;
    public static final int ELFCLASS32 = 1;
    public static final int ELFCLASS64 = 2;
    public static final int ELFDATA2LSB = 1;
    public static final int ELFDATA2MSB = 2;
    public static final int EV_CURRENT = 1;
    public static final int ELFOSABI_NONE = 0;
    public static final int ELFOSABI_GNU = 3;
    public static final int ELFOSABI_FREEBSD = 9;

    // e_type
    public static final int ET_NONE = 0;
    public static final int ET_REL = 1;
    public static final int ET_EXEC = 2;
    public static final int ET_DYN = 3;
    public static final int ET_CORE = 4;

    // e_machine
    public static final int EM_386 = 3;
    public static final int EM_ARM = 40;
    public static final int EM_X86_64 = 62;
    public static final int EM_AARCH64 = 183;
    public static final int EM_RISCV = 243;

    // special section indexes
    public static final int SHN_UNDEF = 0;
    public static final int SHN_LORESERVE = 0xff00;
    public static final int SHN_LOPROC = 0xff00;
    public static final int SHN_HIPROC = 0xff1f;
    public static final int SHN_LOOS = 0xff20;
    public static final int SHN_HIOS = 0xff3f;
    public static final int SHN_ABS = 0xfff1;
    public static final int SHN_COMMON = 0xfff2;
    public static final int SHN_XINDEX = 0xffff;
    public static final int SHN_X86_64_LCOMMON = 0xff02;
    /** e_phnum value meaning "the real count is in section 0's sh_info". */
    public static final int PN_XNUM = 0xffff;

    // sh_type
    public static final int SHT_NULL = 0;
    public static final int SHT_PROGBITS = 1;
    public static final int SHT_SYMTAB = 2;
    public static final int SHT_STRTAB = 3;
    public static final int SHT_RELA = 4;
    public static final int SHT_HASH = 5;
    public static final int SHT_DYNAMIC = 6;
    public static final int SHT_NOTE = 7;
    public static final int SHT_NOBITS = 8;
    public static final int SHT_REL = 9;
    public static final int SHT_SHLIB = 10;
    public static final int SHT_DYNSYM = 11;
    public static final int SHT_INIT_ARRAY = 14;
    public static final int SHT_FINI_ARRAY = 15;
    public static final int SHT_PREINIT_ARRAY = 16;
    public static final int SHT_GROUP = 17;
    public static final int SHT_SYMTAB_SHNDX = 18;
    public static final int SHT_RELR = 19;
    public static final int SHT_LOOS = 0x60000000;
    public static final int SHT_HIOS = 0x6fffffff;
    public static final int SHT_LOPROC = 0x70000000;
    public static final int SHT_HIPROC = 0x7fffffff;
    public static final int SHT_LOUSER = 0x80000000;
    public static final int SHT_HIUSER = 0xffffffff;

    // sh_flags
    public static final long SHF_WRITE = 0x1;
    public static final long SHF_ALLOC = 0x2;
    public static final long SHF_EXECINSTR = 0x4;
    public static final long SHF_MERGE = 0x10;
    public static final long SHF_STRINGS = 0x20;
    public static final long SHF_INFO_LINK = 0x40;
    public static final long SHF_LINK_ORDER = 0x80;
    public static final long SHF_OS_NONCONFORMING = 0x100;
    public static final long SHF_GROUP = 0x200;
    public static final long SHF_TLS = 0x400;
    public static final long SHF_COMPRESSED = 0x800;
    public static final long SHF_GNU_RETAIN = 0x200000;
    public static final long SHF_GNU_MBIND = 0x01000000;
    public static final long SHF_X86_64_LARGE = 0x10000000;
    public static final long SHF_EXCLUDE = 0x80000000L;
    public static final long SHF_MASKOS = 0x0ff00000;
    public static final long SHF_MASKPROC = 0xf0000000L;

    // section group flags
    public static final int GRP_COMDAT = 0x1;

    // compression (Chdr.ch_type)
    public static final int ELFCOMPRESS_ZLIB = 1;
    public static final int ELFCOMPRESS_ZSTD = 2;

    // symbol binding, type, visibility
    public static final int STB_LOCAL = 0;
    public static final int STB_GLOBAL = 1;
    public static final int STB_WEAK = 2;
    public static final int STB_GNU_UNIQUE = 10;
    public static final int STT_NOTYPE = 0;
    public static final int STT_OBJECT = 1;
    public static final int STT_FUNC = 2;
    public static final int STT_SECTION = 3;
    public static final int STT_FILE = 4;
    public static final int STT_COMMON = 5;
    public static final int STT_TLS = 6;
    public static final int STT_GNU_IFUNC = 10;
    public static final int STV_DEFAULT = 0;
    public static final int STV_INTERNAL = 1;
    public static final int STV_HIDDEN = 2;
    public static final int STV_PROTECTED = 3;

    // program header types and flags
    public static final int PT_NULL = 0;
    public static final int PT_LOAD = 1;
    public static final int PT_NOTE = 4;
    public static final int PF_X = 1;
    public static final int PF_W = 2;
    public static final int PF_R = 4;
}
