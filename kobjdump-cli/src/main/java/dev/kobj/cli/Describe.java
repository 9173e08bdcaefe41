package dev.kobj.cli;

import static dev.kobj.elf.ElfConstants.*;

import dev.kobj.elf.Compression;
import dev.kobj.elf.ElfFile;
import dev.kobj.elf.ElfFormatException;
import dev.kobj.elf.ElfHeader;
import dev.kobj.elf.ElfSymbol;
import dev.kobj.elf.ModuleSignature;
import dev.kobj.elf.RelocationTable;
import dev.kobj.elf.SymbolTable;
import java.util.HashMap;
import java.util.Map;

/** The words and derived values kobjdump's commands share. */
final class Describe {
    private Describe() {
    }

    /** {@return none, gzip, xz or zstd} */
    static String compression(Compression c) {
        return switch (c) {
            case NONE -> "none";
            case GZIP -> "gzip";
            case XZ -> "xz";
            case ZSTD -> "zstd";
        };
    }

    /** {@return the name of a module signature's id_type, as modinfo prints it} */
    static String signatureIdType(int idType) {
        return switch (idType) {
            case 0 -> "PGP";
            case 1 -> "X509";
            case ModuleSignature.PKEY_ID_PKCS7 -> "PKCS#7";
            default -> "unknown (" + idType + ")";
        };
    }

    /** {@return "PKCS#7 (id type 2), 1234 bytes" or "none"} */
    static String signatureText(ElfFile f) {
        return f.signature().map(s -> signatureIdType(s.idType()) + " (id type " + s.idType() + "), "
                + Fmt.count(s.signatureLength(), "byte", "bytes")).orElse("none");
    }

    /** Writes the signature object: {"idType", "idTypeValue", "algo", "hash", ...}, or null. */
    static void signatureJson(ElfFile f, Json j) {
        if (f.signature().isEmpty()) {
            j.nullValue();
            return;
        }
        ModuleSignature s = f.signature().get();
        j.beginObject()
                .field("idType", signatureIdType(s.idType()))
                .field("idTypeValue", s.idType())
                .field("algo", s.algo())
                .field("hash", s.hash())
                .field("signerLength", s.signer().byteSize())
                .field("keyIdLength", s.keyId().byteSize())
                .field("length", s.signatureLength())
                .field("signedLength", s.signedLength())
                .field("offset", s.fileOffset())
                .endObject();
    }

    /** {@return readelf's text for e_flags: "0x0", or "0x5, RVC, double-float ABI" on RISC-V} */
    static String headerFlags(ElfHeader h) {
        long fl = h.flags();
        StringBuilder sb = new StringBuilder("0x").append(Long.toHexString(fl));
        if (h.machine() == EM_RISCV) {
            if ((fl & 0x1) != 0) {
                sb.append(", RVC");
            }
            switch ((int) (fl & 0x6)) {
                case 0 -> sb.append(", soft-float ABI");
                case 2 -> sb.append(", single-float ABI");
                case 4 -> sb.append(", double-float ABI");
                default -> sb.append(", quad-float ABI");
            }
            if ((fl & 0x8) != 0) {
                sb.append(", RVE");
            }
            if ((fl & 0x10) != 0) {
                sb.append(", TSO");
            }
        }
        return sb.toString();
    }

    /** {@return e_phnum exactly as stored in the file header} */
    static int rawPhnum(ElfFile f) {
        ElfHeader h = f.header();
        long at = h.is64() ? 56 : 44;
        int b0 = Byte.toUnsignedInt(f.bytes().get(java.lang.foreign.ValueLayout.JAVA_BYTE, at));
        int b1 = Byte.toUnsignedInt(f.bytes().get(java.lang.foreign.ValueLayout.JAVA_BYTE, at + 1));
        return h.littleEndian() ? b0 | b1 << 8 : b0 << 8 | b1;
    }

    /**
     * {@return the name readelf -s prints for a symbol}: its own name, or for an unnamed
     * STT_SECTION symbol the name of its section.
     */
    static String symbolName(ElfFile f, ElfSymbol s) {
        if (s.type() == STT_SECTION && s.name().isEmpty() && s.shndx() >= 0 && s.shndx() < f.sections().size()) {
            return f.sections().get((int) s.shndx()).name();
        }
        return s.name();
    }

    /**
     * {@return the name readelf -r prints for the symbol of a relocation}: for STT_SECTION
     * symbols the section's name (or ABS, COMMON, LARGE_COMMON, {@code <section 0x..>}),
     * otherwise the symbol's name.
     */
    static String relocationSymbolName(ElfFile f, ElfSymbol s) {
        if (s.type() != STT_SECTION) {
            return s.name();
        }
        long idx = s.shndx();
        if (idx >= 0 && idx < f.sections().size()) {
            return f.sections().get((int) idx).name();
        }
        if (idx == SHN_ABS) {
            return "ABS";
        }
        if (idx == SHN_COMMON) {
            return "COMMON";
        }
        if (idx == SHN_X86_64_LCOMMON && f.header().machine() == EM_X86_64) {
            return "LARGE_COMMON";
        }
        return "<section 0x" + Long.toHexString(idx) + ">";
    }

    /** Symbol tables by section index, opened once per file. */
    static final class SymbolTables {
        private final ElfFile f;
        private final Map<Long, SymbolTable> byIndex = new HashMap<>();

        SymbolTables(ElfFile f) {
            this.f = f;
        }

        /** {@return the symbol table a relocation table refers to (sh_link), or null when sh_link is 0} */
        SymbolTable of(RelocationTable t) throws ElfFormatException {
            long link = t.symbolTableIndex();
            if (link == 0) {
                return null;
            }
            SymbolTable st = byIndex.get(link);
            if (st == null) {
                st = f.symbolTable(f.section(link));
                byIndex.put(link, st);
            }
            return st;
        }
    }

    /**
     * {@return symbol {@code index} of {@code symtab} for entry {@code i} of relocation table
     * {@code t}}, or the null symbol when there is no table and the index is 0.
     *
     * @throws ElfFormatException if the index is not in the table
     */
    static ElfSymbol relocationSymbol(ElfFile f, RelocationTable t, SymbolTable symtab, long i, long index)
            throws ElfFormatException {
        long size = symtab == null ? 0 : symtab.size();
        if (index == 0 && symtab == null) {
            return null;
        }
        if (index < 0 || index >= size) {
            long at = t.section().offset() + i * t.section().entsize() + (f.header().is64() ? 8 : 4);
            throw new ElfFormatException(f.name(), at, "r_info symbol of relocation " + i + " in section "
                    + t.section().index() + " (" + t.section().name() + ")", index,
                    symtab == null ? "the relocation section has no symbol table (sh_link = 0)"
                            : "no such symbol (" + symtab.section().name() + " has " + size + ")");
        }
        return symtab.get((int) index);
    }
}
