package dev.kobj.reloc.riscv;

import dev.kobj.reloc.RelocationKind;
import dev.kobj.reloc.RelocationKind.Category;

/**
 * The RISC-V relocation types (riscv-elf-psabi, "Relocations", table "Relocation types"; RV32
 * and RV64 share the numbers). Each constant documents the psABI calculation, the field
 * written, its width and the range kobj accepts; {@link #describe(int)} turns that into the
 * contract's {@link RelocationKind} for one XLEN.
 *
 * <p>Symbols of the calculations: S the symbol's address, A the addend, P the place's address,
 * V the value already at the place, GOT+G the address of the symbol's GOT entry. On RV32 every
 * address computation is modulo 2<sup>32</sup>: the value is sign-extended from 32 bits
 * before any range check, so the 32-bit pairs (HI20+LO12, AUIPC+JALR) reach everything.
 *
 * <p>"hi20 range" below means: v + 0x800 must lie in the signed 32-bit range, i.e. v in
 * [-2<sup>31</sup> - 0x800, 2<sup>31</sup> - 0x800 - 1], because the 12-bit low part is
 * sign-extended and the upper immediate is rounded: hi20 = (v + 0x800) &gt;&gt; 12.
 */
public enum RiscvKind {
    /** 0, no field: does nothing. */
    NONE(0, "NONE", "", Category.MARKER, Field.NONE),
    /** 1, word32 = S + A; accepted in [-2^31, 2^32-1] (signed or unsigned 32-bit) on RV64. */
    ABS32(1, "32", "S + A", Category.DATA, Field.WORD32),
    /**
     * 2, word64 = S + A; any value. Applied on RV32 too: gas emits it there for {@code .dword sym}
     * (the 32-bit address plus the addend, not wrapped).
     */
    ABS64(2, "64", "S + A", Category.DATA, Field.WORD64),
    /** 3, dynamic (B + A): a module loader never meets it in a relocatable object. */
    RELATIVE(3, "RELATIVE", "B + A", Category.DYNAMIC, Field.NONE),
    /** 4, dynamic: executables only. */
    COPY(4, "COPY", "", Category.DYNAMIC, Field.NONE),
    /** 5, dynamic (S): PLT slots of a dynamic object. */
    JUMP_SLOT(5, "JUMP_SLOT", "S", Category.DYNAMIC, Field.NONE),
    /** 6, dynamic TLS module index. */
    TLS_DTPMOD32(6, "TLS_DTPMOD32", "TLSMODULE", Category.TLS, Field.NONE),
    /** 7, dynamic TLS module index. */
    TLS_DTPMOD64(7, "TLS_DTPMOD64", "TLSMODULE", Category.TLS, Field.NONE),
    /** 8, dynamic TLS offset. */
    TLS_DTPREL32(8, "TLS_DTPREL32", "S + A - TLS_DTV_OFFSET", Category.TLS, Field.NONE),
    /** 9, dynamic TLS offset. */
    TLS_DTPREL64(9, "TLS_DTPREL64", "S + A - TLS_DTV_OFFSET", Category.TLS, Field.NONE),
    /** 10, dynamic TLS offset from tp. */
    TLS_TPREL32(10, "TLS_TPREL32", "S + A + TLSOFFSET", Category.TLS, Field.NONE),
    /** 11, dynamic TLS offset from tp. */
    TLS_TPREL64(11, "TLS_TPREL64", "S + A + TLSOFFSET", Category.TLS, Field.NONE),
    /** 12, dynamic TLS descriptor. */
    TLSDESC(12, "TLSDESC", "TLSDESC(S + A)", Category.TLS, Field.NONE),
    /** 16, B-type imm[12:1] = S + A - P; [-4096, 4095], 2-aligned; conditional branch (opcode 0x63). */
    BRANCH(16, "BRANCH", "S + A - P", Category.BRANCH, Field.B),
    /** 17, J-type imm[20:1] = S + A - P; [-1 MiB, 1 MiB - 1], 2-aligned; jal (opcode 0x6f). */
    JAL(17, "JAL", "S + A - P", Category.BRANCH, Field.J),
    /**
     * 18, U+I-type pair auipc (0x17) at P, jalr (0x67) at P+4, = S + A - P; hi20 range (about
     * ±2 GiB) on RV64. Out of range with a stub: targets the stub. Deprecated alias of CALL_PLT.
     */
    CALL(18, "CALL", "S + A - P", Category.BRANCH, Field.U_I),
    /** 19, as {@link #CALL}: auipc+jalr = S + A - P, hi20 range, stub when out of range. */
    CALL_PLT(19, "CALL_PLT", "S + A - P", Category.BRANCH, Field.U_I),
    /**
     * 20, U-type hi20 of GOT + G + A - P on an auipc; hi20 range. kobj gives every (S, A) its
     * own GOT entry holding S + A ({@code Fixup.got()}), so it encodes {@code got - P}: equal to
     * the psABI's value for A = 0, the only addend toolchains emit.
     */
    GOT_HI20(20, "GOT_HI20", "G + GOT + A - P", Category.GOT, Field.U),
    /** 21, TLS initial exec GOT access: refused. */
    TLS_GOT_HI20(21, "TLS_GOT_HI20", "", Category.TLS, Field.U),
    /** 22, TLS global dynamic GOT access: refused. */
    TLS_GD_HI20(22, "TLS_GD_HI20", "", Category.TLS, Field.U),
    /** 23, U-type hi20 of S + A - P on an auipc (0x17); hi20 range on RV64. */
    PCREL_HI20(23, "PCREL_HI20", "S + A - P", Category.INSTRUCTION, Field.U),
    /**
     * 24, I-type imm[11:0] = low 12 bits (sign-extended) of the value of the PCREL_HI20 or
     * GOT_HI20 at address S (the label of its auipc). Any value: only the low part is taken.
     * Needs {@code applyAll}, which finds the partner by its address.
     */
    PCREL_LO12_I(24, "PCREL_LO12_I", "S - P", Category.INSTRUCTION, Field.I),
    /** 25, S-type imm[11:0]: as {@link #PCREL_LO12_I}, on a store. */
    PCREL_LO12_S(25, "PCREL_LO12_S", "S - P", Category.INSTRUCTION, Field.S),
    /** 26, U-type hi20 of S + A on a lui (0x37); hi20 range on RV64. */
    HI20(26, "HI20", "S + A", Category.INSTRUCTION, Field.U),
    /** 27, I-type imm[11:0] = low 12 bits of S + A (load, addi, addiw, jalr, fp load); any value. */
    LO12_I(27, "LO12_I", "S + A", Category.INSTRUCTION, Field.I),
    /** 28, S-type imm[11:0] = low 12 bits of S + A (store, fp store); any value. */
    LO12_S(28, "LO12_S", "S + A", Category.INSTRUCTION, Field.S),
    /** 29, TLS local exec: refused. */
    TPREL_HI20(29, "TPREL_HI20", "", Category.TLS, Field.U),
    /** 30, TLS local exec: refused. */
    TPREL_LO12_I(30, "TPREL_LO12_I", "", Category.TLS, Field.I),
    /** 31, TLS local exec: refused. */
    TPREL_LO12_S(31, "TPREL_LO12_S", "", Category.TLS, Field.S),
    /** 32, TLS local exec marker: refused (a module has no static TLS block). */
    TPREL_ADD(32, "TPREL_ADD", "", Category.TLS, Field.NONE),
    /** 33, word8 = V + S + A, modulo 2^8. */
    ADD8(33, "ADD8", "V + S + A", Category.ARITHMETIC, Field.WORD8),
    /** 34, word16 = V + S + A, modulo 2^16. */
    ADD16(34, "ADD16", "V + S + A", Category.ARITHMETIC, Field.WORD16),
    /** 35, word32 = V + S + A, modulo 2^32. */
    ADD32(35, "ADD32", "V + S + A", Category.ARITHMETIC, Field.WORD32),
    /** 36, word64 = V + S + A, modulo 2^64; on RV32 too (gas emits it for a {@code .dword} label difference). */
    ADD64(36, "ADD64", "V + S + A", Category.ARITHMETIC, Field.WORD64),
    /** 37, word8 = V - S - A, modulo 2^8. */
    SUB8(37, "SUB8", "V - S - A", Category.ARITHMETIC, Field.WORD8),
    /** 38, word16 = V - S - A, modulo 2^16. */
    SUB16(38, "SUB16", "V - S - A", Category.ARITHMETIC, Field.WORD16),
    /** 39, word32 = V - S - A, modulo 2^32. */
    SUB32(39, "SUB32", "V - S - A", Category.ARITHMETIC, Field.WORD32),
    /** 40, word64 = V - S - A, modulo 2^64; on RV32 too, as {@link #ADD64}. */
    SUB64(40, "SUB64", "V - S - A", Category.ARITHMETIC, Field.WORD64),
    /**
     * 43, padding of A bytes of nops at P before an instruction that must be aligned to N, the
     * smallest power of two above A. kobj does not delete bytes, so it checks that the aligned
     * instruction, at P + A, already is N-aligned, and refuses otherwise.
     */
    ALIGN(43, "ALIGN", "", Category.MARKER, Field.NONE),
    /** 44, CB-type offset[8:1] = S + A - P; [-256, 255], 2-aligned; c.beqz/c.bnez. */
    RVC_BRANCH(44, "RVC_BRANCH", "S + A - P", Category.BRANCH, Field.CB),
    /** 45, CJ-type offset[11:1] = S + A - P; [-2048, 2047], 2-aligned; c.j (and c.jal on RV32). */
    RVC_JUMP(45, "RVC_JUMP", "S + A - P", Category.BRANCH, Field.CJ),
    /** 46, c.lui of a hi part (reserved in today's psABI): not implemented, refused. */
    RVC_LUI(46, "RVC_LUI", "S + A", Category.INSTRUCTION, Field.NONE),
    /** 47, gp-relative (GPREL_LO12_I today): refused, a module has no {@code __global_pointer$}. */
    GPREL_I(47, "GPREL_I", "S + A - GP", Category.INSTRUCTION, Field.NONE),
    /** 48, gp-relative (GPREL_LO12_S today): refused, a module has no {@code __global_pointer$}. */
    GPREL_S(48, "GPREL_S", "S + A - GP", Category.INSTRUCTION, Field.NONE),
    /** 49, old TLS relaxation output (GPREL_HI20 today): refused. */
    TPREL_I(49, "TPREL_I", "", Category.TLS, Field.NONE),
    /** 50, old TLS relaxation output (reserved today): refused. */
    TPREL_S(50, "TPREL_S", "", Category.TLS, Field.NONE),
    /** 51, marks a relaxable instruction: a no-op, kobj does not relax. */
    RELAX(51, "RELAX", "", Category.MARKER, Field.NONE),
    /** 52, word6 (low 6 bits of a byte, the top 2 kept) = V - S - A, modulo 2^6. */
    SUB6(52, "SUB6", "V - S - A", Category.ARITHMETIC, Field.WORD6),
    /** 53, word6 (low 6 bits of a byte, the top 2 kept) = S + A, modulo 2^6. */
    SET6(53, "SET6", "S + A", Category.ARITHMETIC, Field.WORD6),
    /** 54, word8 = S + A, modulo 2^8. */
    SET8(54, "SET8", "S + A", Category.ARITHMETIC, Field.WORD8),
    /** 55, word16 = S + A, modulo 2^16. */
    SET16(55, "SET16", "S + A", Category.ARITHMETIC, Field.WORD16),
    /** 56, word32 = S + A, modulo 2^32. */
    SET32(56, "SET32", "S + A", Category.ARITHMETIC, Field.WORD32),
    /** 57, word32 = S + A - P; signed 32-bit on RV64. */
    PCREL32(57, "32_PCREL", "S + A - P", Category.DATA, Field.WORD32),
    /** 58, dynamic ifunc: refused. */
    IRELATIVE(58, "IRELATIVE", "ifunc_resolver(B + A)", Category.DYNAMIC, Field.NONE),
    /** 59, word32 = S + A - P (function or its PLT entry); signed 32-bit on RV64. */
    PLT32(59, "PLT32", "S + A - P", Category.DATA, Field.WORD32),
    /**
     * 60, ULEB128 = S + A; must be immediately followed, at the same offset, by a SUB_ULEB128:
     * the pair's S1 + A1 - S2 - A2 (unsigned) is written in the byte count of the ULEB128
     * already at the place, and refused if it does not fit.
     */
    SET_ULEB128(60, "SET_ULEB128", "S + A", Category.ARITHMETIC, Field.ULEB128),
    /** 61, ULEB128 = V - S - A: the second half of a {@link #SET_ULEB128} pair. */
    SUB_ULEB128(61, "SUB_ULEB128", "V - S - A", Category.ARITHMETIC, Field.ULEB128),
    /** 62, TLS descriptor: refused. */
    TLSDESC_HI20(62, "TLSDESC_HI20", "S + A - P", Category.TLS, Field.U),
    /** 63, TLS descriptor: refused. */
    TLSDESC_LOAD_LO12(63, "TLSDESC_LOAD_LO12", "S - P", Category.TLS, Field.I),
    /** 64, TLS descriptor: refused. */
    TLSDESC_ADD_LO12(64, "TLSDESC_ADD_LO12", "S - P", Category.TLS, Field.I),
    /** 65, TLS descriptor call marker: refused. */
    TLSDESC_CALL(65, "TLSDESC_CALL", "", Category.TLS, Field.NONE);

    /** The bits a relocation writes: data words, instruction immediates, or nothing. */
    enum Field {
        NONE(0), WORD6(1), WORD8(1), WORD16(2), WORD32(4), WORD64(8), ULEB128(1),
        /** B-type: conditional branches. */
        B(4),
        /** J-type: jal. */
        J(4),
        /** U-type: lui, auipc. */
        U(4),
        /** I-type: loads, addi, jalr. */
        I(4),
        /** S-type: stores. */
        S(4),
        /** auipc followed by jalr. */
        U_I(8),
        /** CB: c.beqz, c.bnez. */
        CB(2),
        /** CJ: c.j, c.jal. */
        CJ(2);

        /** Bytes the field spans (the least for ULEB128). */
        final int bytes;

        Field(int bytes) {
            this.bytes = bytes;
        }
    }

    private static final RiscvKind[] BY_TYPE = new RiscvKind[66];

    static {
        for (RiscvKind k : values()) {
            BY_TYPE[k.type] = k;
        }
    }

    private final int type;
    private final String name;
    private final String formula;
    private final Category category;
    private final Field field;

    RiscvKind(int type, String shortName, String formula, Category category, Field field) {
        this.type = type;
        this.name = "R_RISCV_" + shortName;
        this.formula = formula;
        this.category = category;
        this.field = field;
    }

    /**
     * {@return the kind of raw type {@code type}, or null when RISC-V defines none}
     * @param type an ELF R_RISCV_* type number (RISC-V ELF psABI "Relocations")
     */
    public static RiscvKind of(int type) {
        return type >= 0 && type < BY_TYPE.length ? BY_TYPE[type] : null;
    }

    /** {@return the raw ELF type number} */
    public int type() {
        return type;
    }

    /** {@return the psABI name, e.g. R_RISCV_CALL_PLT} */
    public String psabiName() {
        return name;
    }

    Field field() {
        return field;
    }

    /**
     * {@return true for the kinds kobj can apply; the same set for both XLENs, since the 64-bit
     * data words (64, ADD64, SUB64) are legitimate in RV32 objects}
     *
     * @param xlen 32 or 64: the object's XLEN
     */
    public boolean appliable(int xlen) {
        if (category == Category.DYNAMIC || category == Category.TLS) {
            return false;
        }
        return this != RVC_LUI && this != GPREL_I && this != GPREL_S;
    }

    /**
     * {@return the contract's description of this kind for XLEN {@code xlen} (32 or 64)}
     * @param xlen 32 or 64: the object's XLEN
     */
    public RelocationKind describe(int xlen) {
        long min = Long.MIN_VALUE;
        long max = Long.MAX_VALUE;
        long align = 1;
        int bits = switch (field) {
            case NONE -> 0;
            case WORD6 -> 6;
            case WORD8 -> 8;
            case WORD16 -> 16;
            case WORD32, U, U_I -> 32;
            case WORD64, ULEB128 -> 64;
            case I, S -> 12;
            case B -> 13;
            case J -> 21;
            case CB -> 9;
            case CJ -> 12;
        };
        switch (this) {
            case ABS32 -> {
                min = Integer.MIN_VALUE;
                max = 0xffff_ffffL;
            }
            case PCREL32, PLT32 -> {
                min = Integer.MIN_VALUE;
                max = Integer.MAX_VALUE;
            }
            case BRANCH, JAL, RVC_BRANCH, RVC_JUMP -> {
                min = -(1L << (bits - 1));
                max = (1L << (bits - 1)) - 1;
                align = 2;
            }
            case CALL, CALL_PLT, GOT_HI20, PCREL_HI20, HI20 -> {
                // RV32 wraps modulo 2^32: every (sign-extended) value is reachable.
                min = xlen == 64 ? Integer.MIN_VALUE - 0x800L : Integer.MIN_VALUE;
                max = xlen == 64 ? Integer.MAX_VALUE - 0x800L : Integer.MAX_VALUE;
            }
            default -> {
            }
        }
        return new RelocationKind(type, name, formula, category, bits, min, max, align);
    }
}
