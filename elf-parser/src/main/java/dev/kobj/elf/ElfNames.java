package dev.kobj.elf;

import static dev.kobj.elf.ElfConstants.*;

/**
 * The words GNU readelf prints for ELF constants, so that kobjdump's output reads like
 * readelf's and can be compared with it field by field. Unknown values print as readelf
 * prints them ({@code LOPROC+0x3}, {@code <unknown>: 12}, ...), and the raw number is
 * always recoverable.
 */
public final class ElfNames {
    private ElfNames() {
    }

    /**
     * {@return readelf's name for section type {@code type} on {@code machine}}
     * @param machine the ELF {@code e_machine}
     * @param type the {@code sh_type}
     */
    public static String sectionType(int machine, int type) {
        switch (type) {
            case SHT_NULL: return "NULL";
            case SHT_PROGBITS: return "PROGBITS";
            case SHT_SYMTAB: return "SYMTAB";
            case SHT_STRTAB: return "STRTAB";
            case SHT_RELA: return "RELA";
            case SHT_HASH: return "HASH";
            case SHT_DYNAMIC: return "DYNAMIC";
            case SHT_NOTE: return "NOTE";
            case SHT_NOBITS: return "NOBITS";
            case SHT_REL: return "REL";
            case SHT_SHLIB: return "SHLIB";
            case SHT_DYNSYM: return "DYNSYM";
            case SHT_INIT_ARRAY: return "INIT_ARRAY";
            case SHT_FINI_ARRAY: return "FINI_ARRAY";
            case SHT_PREINIT_ARRAY: return "PREINIT_ARRAY";
            case SHT_GROUP: return "GROUP";
            case SHT_SYMTAB_SHNDX: return "SYMTAB SECTION INDICES";
            case SHT_RELR: return "RELR";
            case 0x6ffffff6: return "GNU_HASH";
            case 0x6ffffff7: return "GNU_LIBLIST";
            case 0x6ffffffd: return "VERDEF";
            case 0x6ffffffe: return "VERNEED";
            case 0x6fffffff: return "VERSYM";
            case 0x6ffffff5: return "GNU_ATTRIBUTES";
            default: break;
        }
        if (machine == EM_X86_64 && type == 0x70000001) {
            return "X86_64_UNWIND";
        }
        if (machine == EM_AARCH64 && type == 0x70000003) {
            return "AARCH64_ATTRIBUTES";
        }
        if (machine == EM_RISCV && type == 0x70000003) {
            return "RISCV_ATTRIBUTES";
        }
        long t = type & 0xffffffffL;
        if (t >= (SHT_LOPROC & 0xffffffffL) && t <= (SHT_HIPROC & 0xffffffffL)) {
            return "LOPROC+0x" + Long.toHexString(t - SHT_LOPROC);
        }
        if (t >= SHT_LOOS && t <= SHT_HIOS) {
            return "LOOS+0x" + Long.toHexString(t - SHT_LOOS);
        }
        if (t >= (SHT_LOUSER & 0xffffffffL)) {
            return "LOUSER+0x" + Long.toHexString(t - (SHT_LOUSER & 0xffffffffL));
        }
        return String.format("%08x: <unknown>", t);
    }

    /**
     * {@return the flag letters readelf -W prints for {@code flags}}: W A X M S I L O G T C,
     * R (retain), D (mbind), l (x86-64 large), E (exclude), then o, p and x for the other
     * OS-specific, processor-specific and unknown bits, in readelf's order.
     *
     * @param machine the ELF {@code e_machine}
     * @param osabi the ELF {@code EI_OSABI} byte
     * @param flags the {@code sh_flags}
     */
    public static String sectionFlags(int machine, int osabi, long flags) {
        StringBuilder sb = new StringBuilder();
        boolean os = false;
        boolean proc = false;
        boolean unknown = false;
        long f = flags;
        while (f != 0) {
            long bit = f & -f;
            f &= ~bit;
            if (bit == SHF_WRITE) sb.append('W');
            else if (bit == SHF_ALLOC) sb.append('A');
            else if (bit == SHF_EXECINSTR) sb.append('X');
            else if (bit == SHF_MERGE) sb.append('M');
            else if (bit == SHF_STRINGS) sb.append('S');
            else if (bit == SHF_INFO_LINK) sb.append('I');
            else if (bit == SHF_LINK_ORDER) sb.append('L');
            else if (bit == SHF_OS_NONCONFORMING) sb.append('O');
            else if (bit == SHF_GROUP) sb.append('G');
            else if (bit == SHF_TLS) sb.append('T');
            else if (bit == SHF_COMPRESSED) sb.append('C');
            else if (bit == SHF_EXCLUDE) sb.append('E');
            else if (bit == SHF_GNU_RETAIN && (osabi == ELFOSABI_NONE || osabi == ELFOSABI_GNU
                    || osabi == ELFOSABI_FREEBSD)) sb.append('R');
            else if (bit == SHF_GNU_MBIND && (osabi == ELFOSABI_NONE || osabi == ELFOSABI_GNU
                    || osabi == ELFOSABI_FREEBSD)) sb.append('D');
            else if (bit == SHF_X86_64_LARGE && machine == EM_X86_64) sb.append('l');
            else if ((bit & SHF_MASKOS) != 0) os = true;
            else if ((bit & SHF_MASKPROC) != 0) proc = true;
            else unknown = true;
        }
        if (os) sb.append('o');
        if (proc) sb.append('p');
        if (unknown) sb.append('x');
        return sb.toString();
    }

    /**
     * {@return readelf's name for symbol type {@code type}}
     * @param osabi the ELF {@code EI_OSABI} byte
     * @param type the symbol type ({@code ELF_ST_TYPE} of {@code st_info})
     */
    public static String symbolType(int osabi, int type) {
        switch (type) {
            case STT_NOTYPE: return "NOTYPE";
            case STT_OBJECT: return "OBJECT";
            case STT_FUNC: return "FUNC";
            case STT_SECTION: return "SECTION";
            case STT_FILE: return "FILE";
            case STT_COMMON: return "COMMON";
            case STT_TLS: return "TLS";
            case 8: return "RELC";
            case 9: return "SRELC";
            default: break;
        }
        if (type == STT_GNU_IFUNC && (osabi == ELFOSABI_NONE || osabi == ELFOSABI_GNU || osabi == ELFOSABI_FREEBSD)) {
            return "IFUNC";
        }
        if (type >= 13) {
            return "<processor specific>: " + type;
        }
        if (type >= 10) {
            return "<OS specific>: " + type;
        }
        return "<unknown>: " + type;
    }

    /**
     * {@return readelf's name for symbol binding {@code bind}}
     * @param osabi the ELF {@code EI_OSABI} byte
     * @param bind the symbol binding ({@code ELF_ST_BIND} of {@code st_info})
     */
    public static String symbolBind(int osabi, int bind) {
        switch (bind) {
            case STB_LOCAL: return "LOCAL";
            case STB_GLOBAL: return "GLOBAL";
            case STB_WEAK: return "WEAK";
            default: break;
        }
        if (bind == STB_GNU_UNIQUE && (osabi == ELFOSABI_NONE || osabi == ELFOSABI_GNU)) {
            return "UNIQUE";
        }
        if (bind >= 13) {
            return "<processor specific>: " + bind;
        }
        if (bind >= 10) {
            return "<OS specific>: " + bind;
        }
        return "<unknown>: " + bind;
    }

    /**
     * {@return readelf's name for symbol visibility {@code vis}}
     * @param vis the symbol visibility ({@code ELF_ST_VISIBILITY} of {@code st_other})
     */
    public static String symbolVisibility(int vis) {
        return switch (vis & 3) {
            case STV_DEFAULT -> "DEFAULT";
            case STV_INTERNAL -> "INTERNAL";
            case STV_HIDDEN -> "HIDDEN";
            default -> "PROTECTED";
        };
    }

    /**
     * {@return readelf's word for the extra st_other bits, or empty}: {@code VARIANT_PCS}
     * (AArch64 STO_AARCH64_VARIANT_PCS) and {@code VARIANT_CC} (RISC-V STO_RISCV_VARIANT_CC).
     *
     * @param machine the ELF {@code e_machine}
     * @param other the {@code st_other} byte
     */
    public static String symbolOther(int machine, int other) {
        if ((other & 0x80) != 0 && machine == EM_AARCH64) {
            return "VARIANT_PCS";
        }
        if ((other & 0x80) != 0 && machine == EM_RISCV) {
            return "VARIANT_CC";
        }
        return (other & ~3) != 0 ? "<other>: " + Integer.toHexString(other) : "";
    }

    /**
     * {@return readelf's Ndx column for a (resolved) section index}
     * @param machine the ELF {@code e_machine}
     * @param shnum the number of sections
     * @param rawShndx the {@code st_shndx} as stored
     * @param shndx the section index, SHN_XINDEX resolved
     */
    public static String sectionIndex(int machine, long shnum, int rawShndx, long shndx) {
        if (rawShndx == SHN_XINDEX) {
            return Long.toString(shndx);
        }
        int i = rawShndx;
        if (i == SHN_UNDEF) return "UND";
        if (i == SHN_ABS) return "ABS";
        if (i == SHN_COMMON) return "COM";
        if (i == SHN_X86_64_LCOMMON && machine == EM_X86_64) return "LARGE_COM";
        if (i >= SHN_LOPROC && i <= SHN_HIPROC) return String.format("PRC[0x%04x]", i);
        if (i >= SHN_LOOS && i <= SHN_HIOS) return String.format("OS [0x%04x]", i);
        if (i >= SHN_LORESERVE) return String.format("RSV[0x%04x]", i);
        if (i >= shnum) return "bad section index[" + i + "]";
        return Integer.toString(i);
    }

    /**
     * {@return readelf's name for the file type}
     * @param type the {@code e_type}
     */
    public static String fileType(int type) {
        return switch (type) {
            case ET_NONE -> "NONE (None)";
            case ET_REL -> "REL (Relocatable file)";
            case ET_EXEC -> "EXEC (Executable file)";
            case ET_DYN -> "DYN (Shared object file)";
            case ET_CORE -> "CORE (Core file)";
            default -> "<unknown>: " + Integer.toHexString(type);
        };
    }

    /**
     * {@return readelf's name for the machine}
     * @param machine the ELF {@code e_machine}
     */
    public static String machine(int machine) {
        return switch (machine) {
            case 0 -> "None";
            case EM_386 -> "Intel 80386";
            case EM_ARM -> "ARM";
            case EM_X86_64 -> "Advanced Micro Devices X86-64";
            case EM_AARCH64 -> "AArch64";
            case EM_RISCV -> "RISC-V";
            case 8 -> "MIPS R3000";
            case 20 -> "PowerPC";
            case 21 -> "PowerPC64";
            case 22 -> "IBM S/390";
            default -> "<unknown>: 0x" + Integer.toHexString(machine);
        };
    }

    /**
     * {@return a short architecture name: x86_64, aarch64, riscv64, riscv32, ...}
     * @param h the ELF header
     */
    public static String arch(ElfHeader h) {
        return switch (h.machine()) {
            case EM_X86_64 -> "x86_64";
            case EM_AARCH64 -> h.is64() ? "aarch64" : "aarch64_ilp32";
            case EM_RISCV -> h.is64() ? "riscv64" : "riscv32";
            case EM_386 -> "i386";
            case EM_ARM -> "arm";
            default -> "em" + h.machine();
        };
    }

    /**
     * {@return readelf's name for the OS/ABI byte}
     * @param osabi the ELF {@code EI_OSABI} byte
     */
    public static String osabi(int osabi) {
        return switch (osabi) {
            case 0 -> "UNIX - System V";
            case 1 -> "UNIX - HP-UX";
            case 2 -> "UNIX - NetBSD";
            case 3 -> "UNIX - GNU";
            case 6 -> "UNIX - Solaris";
            case 9 -> "UNIX - FreeBSD";
            case 12 -> "UNIX - OpenBSD";
            default -> "<unknown: " + Integer.toHexString(osabi) + ">";
        };
    }

    /**
     * {@return readelf's name for a program header type}
     * @param type the {@code p_type}
     */
    public static String programType(int type) {
        return switch (type) {
            case 0 -> "NULL";
            case 1 -> "LOAD";
            case 2 -> "DYNAMIC";
            case 3 -> "INTERP";
            case 4 -> "NOTE";
            case 5 -> "SHLIB";
            case 6 -> "PHDR";
            case 7 -> "TLS";
            case 0x6474e550 -> "GNU_EH_FRAME";
            case 0x6474e551 -> "GNU_STACK";
            case 0x6474e552 -> "GNU_RELRO";
            case 0x6474e553 -> "GNU_PROPERTY";
            default -> "0x" + Integer.toHexString(type);
        };
    }
}
