package dev.kobj.reloc.x86_64;

import dev.kobj.reloc.RelocationKind;
import dev.kobj.reloc.RelocationKind.Category;
import java.util.Optional;

/**
 * The x86-64 relocation types: System V AMD64 psABI, "Relocation Types" (table "Relocation
 * Types" of chapter 4.4), plus the two MPX types ld still accepts.
 *
 * <p>Symbols of the formulas: S symbol value, A addend, P place, Z symbol size, GOT the address of
 * the GOT, G the offset of the symbol's GOT entry from GOT (so {@code G + GOT} is the entry's
 * address, {@link dev.kobj.reloc.Fixup#got}), L the address of the symbol's PLT entry
 * ({@link dev.kobj.reloc.Fixup#stub}). Every formula is evaluated in 64-bit two's complement
 * (wrapping), as on the machine and in GNU ld; the result is then checked against the field.
 *
 * <p>Ranges follow GNU ld 2.40 (checked by linking probes with {@code --defsym}): a 32-bit
 * field is signed, {@code [-2^31, 2^31)}, except R_X86_64_32 and SIZE32, which are
 * zero-extended, {@code [0, 2^32)}; R_X86_64_16, R_X86_64_8 and R_X86_64_PC16 use ld's
 * "bitfield" check, which accepts a value whose bits above the field are all zeros or all
 * ones, {@code [-2^n, 2^n)} (one bit wider than signed: ld allows an address wrap); PC8 is
 * signed, {@code [-128, 128)}. 64-bit fields take any value.
 *
 * <p>The refused types carry the reason in {@link #refusal()}: dynamic types belong to a
 * dynamic linker, TLS types to a thread-local storage model that modules do not have.
 */
public enum X86_64Kind {
    /** 0, none: no field, nothing written. */
    R_X86_64_NONE(0, "none", Category.MARKER, 0, Range.NONE),
    /** 1, word64: {@code S + A}; any value. */
    R_X86_64_64(1, "S + A", Category.DATA, 64, Range.ANY),
    /** 2, word32: {@code S + A - P}; signed {@code [-2^31, 2^31)}. */
    R_X86_64_PC32(2, "S + A - P", Category.DATA, 32, Range.SIGNED),
    /** 3, word32: {@code G + A}, the entry's offset from GOT; signed {@code [-2^31, 2^31)}; needs a GOT entry. */
    R_X86_64_GOT32(3, "G + A", Category.GOT, 32, Range.SIGNED),
    /**
     * 4, word32: {@code L + A - P}; signed {@code [-2^31, 2^31)}. kobj writes {@code S + A - P}
     * when it fits (ld's choice for a locally bound function) and goes through the PLT entry L
     * only when it does not and the linker made one.
     */
    R_X86_64_PLT32(4, "L + A - P", Category.BRANCH, 32, Range.SIGNED),
    /** 5: copy the symbol's data at run time; dynamic. */
    R_X86_64_COPY(5, "none", Category.DYNAMIC, 0, Range.NONE),
    /** 6, word64: {@code S}, a GOT entry filled at run time; dynamic. */
    R_X86_64_GLOB_DAT(6, "S", Category.DYNAMIC, 64, Range.ANY),
    /** 7, word64: {@code S}, a lazily bound PLT slot; dynamic. */
    R_X86_64_JUMP_SLOT(7, "S", Category.DYNAMIC, 64, Range.ANY),
    /** 8, word64: {@code B + A}, base-relative; dynamic. */
    R_X86_64_RELATIVE(8, "B + A", Category.DYNAMIC, 64, Range.ANY),
    /**
     * 9, word32: {@code G + GOT + A - P}, the GOT entry's address relative to the place;
     * signed {@code [-2^31, 2^31)}; needs a GOT entry (holding S).
     */
    R_X86_64_GOTPCREL(9, "G + GOT + A - P", Category.GOT, 32, Range.SIGNED),
    /** 10, word32: {@code S + A}, zero-extended by its users: {@code [0, 2^32)}. */
    R_X86_64_32(10, "S + A", Category.DATA, 32, Range.UNSIGNED),
    /** 11, word32: {@code S + A}, sign-extended by its users: {@code [-2^31, 2^31)}. */
    R_X86_64_32S(11, "S + A", Category.DATA, 32, Range.SIGNED),
    /** 12, word16: {@code S + A}; ld's bitfield check, {@code [-2^16, 2^16)}. */
    R_X86_64_16(12, "S + A", Category.DATA, 16, Range.BITFIELD),
    /** 13, word16: {@code S + A - P}; ld's bitfield check, {@code [-2^16, 2^16)}. */
    R_X86_64_PC16(13, "S + A - P", Category.DATA, 16, Range.BITFIELD),
    /** 14, word8: {@code S + A}; ld's bitfield check, {@code [-2^8, 2^8)}. */
    R_X86_64_8(14, "S + A", Category.DATA, 8, Range.BITFIELD),
    /** 15, word8: {@code S + A - P}; signed {@code [-2^7, 2^7)}. */
    R_X86_64_PC8(15, "S + A - P", Category.DATA, 8, Range.SIGNED),
    /** 16, word64: module id of the TLS block; TLS. */
    R_X86_64_DTPMOD64(16, "ID", Category.TLS, 64, Range.ANY),
    /** 17, word64: offset in the TLS block; TLS. */
    R_X86_64_DTPOFF64(17, "S + A - DTP", Category.TLS, 64, Range.ANY),
    /** 18, word64: offset from the thread pointer; TLS. */
    R_X86_64_TPOFF64(18, "S + A - TP", Category.TLS, 64, Range.ANY),
    /** 19, word32: general-dynamic GOT entry pair; TLS. */
    R_X86_64_TLSGD(19, "TLSGD + A - P", Category.TLS, 32, Range.SIGNED),
    /** 20, word32: local-dynamic GOT entry pair; TLS. */
    R_X86_64_TLSLD(20, "TLSLD + A - P", Category.TLS, 32, Range.SIGNED),
    /** 21, word32: offset in the TLS block; TLS. */
    R_X86_64_DTPOFF32(21, "S + A - DTP", Category.TLS, 32, Range.SIGNED),
    /** 22, word32: initial-exec GOT entry; TLS. */
    R_X86_64_GOTTPOFF(22, "GOTTPOFF + A - P", Category.TLS, 32, Range.SIGNED),
    /** 23, word32: local-exec offset from the thread pointer; TLS. */
    R_X86_64_TPOFF32(23, "S + A - TP", Category.TLS, 32, Range.SIGNED),
    /** 24, word64: {@code S + A - P}; any value. */
    R_X86_64_PC64(24, "S + A - P", Category.DATA, 64, Range.ANY),
    /** 25, word64: {@code S + A - GOT}; any value; needs the GOT's address. */
    R_X86_64_GOTOFF64(25, "S + A - GOT", Category.DATA, 64, Range.ANY),
    /** 26, word32: {@code GOT + A - P}; signed {@code [-2^31, 2^31)}; needs the GOT's address. */
    R_X86_64_GOTPC32(26, "GOT + A - P", Category.DATA, 32, Range.SIGNED),
    /** 27, word64: {@code G + A}; any value; needs a GOT entry. */
    R_X86_64_GOT64(27, "G + A", Category.GOT, 64, Range.ANY),
    /** 28, word64: {@code G + GOT - P + A}; any value; needs a GOT entry. */
    R_X86_64_GOTPCREL64(28, "G + GOT + A - P", Category.GOT, 64, Range.ANY),
    /** 29, word64: {@code GOT - P + A}; any value; needs the GOT's address. */
    R_X86_64_GOTPC64(29, "GOT + A - P", Category.DATA, 64, Range.ANY),
    /** 30, word64: {@code G + A}, as GOT64 (the psABI deprecates it); needs a GOT entry. */
    R_X86_64_GOTPLT64(30, "G + A", Category.GOT, 64, Range.ANY),
    /**
     * 31, word64: {@code L - GOT + A}; any value; needs the GOT's address. L is the PLT entry
     * when the linker made one, else S (ld's rule for a function with no PLT entry).
     */
    R_X86_64_PLTOFF64(31, "L - GOT + A", Category.DATA, 64, Range.ANY),
    /** 32, word32: {@code Z + A}; zero-extended, {@code [0, 2^32)}. */
    R_X86_64_SIZE32(32, "Z + A", Category.DATA, 32, Range.UNSIGNED),
    /** 33, word64: {@code Z + A}; any value. */
    R_X86_64_SIZE64(33, "Z + A", Category.DATA, 64, Range.ANY),
    /** 34, word32: GOT entry of a TLS descriptor; TLS. */
    R_X86_64_GOTPC32_TLSDESC(34, "GDES + A - P", Category.TLS, 32, Range.SIGNED),
    /** 35: marks the call through a TLS descriptor; TLS. */
    R_X86_64_TLSDESC_CALL(35, "none", Category.TLS, 0, Range.NONE),
    /** 36, word64 x 2: a TLS descriptor; TLS. */
    R_X86_64_TLSDESC(36, "TLSDESC(S + A)", Category.TLS, 128, Range.ANY),
    /** 37, word64: {@code indirect (B + A)}, an ifunc resolver's result; dynamic. */
    R_X86_64_IRELATIVE(37, "indirect (B + A)", Category.DYNAMIC, 64, Range.ANY),
    /** 38, word64: {@code B + A} (x32's 64-bit RELATIVE); dynamic. */
    R_X86_64_RELATIVE64(38, "B + A", Category.DYNAMIC, 64, Range.ANY),
    /** 39, word32: {@code S + A - P} as PC32 (MPX, withdrawn from the psABI; ld still applies it). */
    R_X86_64_PC32_BND(39, "S + A - P", Category.DATA, 32, Range.SIGNED),
    /** 40, word32: {@code L + A - P} as PLT32 (MPX, withdrawn from the psABI; ld still applies it). */
    R_X86_64_PLT32_BND(40, "L + A - P", Category.BRANCH, 32, Range.SIGNED),
    /**
     * 41, word32: {@code G + GOT + A - P} in the disp32 of a RIP-relative {@code mov}, {@code call},
     * {@code jmp}, {@code test} or ALU instruction; signed {@code [-2^31, 2^31)}; needs a GOT
     * entry. kobj does not relax it to {@code lea}: the GOT entry is used, and the instruction is
     * checked first: opcode 8B, 85, FF /2, FF /4 or an ALU load, with a RIP-relative ModRM.
     */
    R_X86_64_GOTPCRELX(41, "G + GOT + A - P", Category.GOT, 32, Range.SIGNED),
    /** 42, word32: as GOTPCRELX, the instruction having a REX prefix (checked too). */
    R_X86_64_REX_GOTPCRELX(42, "G + GOT + A - P", Category.GOT, 32, Range.SIGNED);

    /** How a field's range is checked; {@code n} is the field's width in bits. */
    enum Range {
        /** No field. */
        NONE,
        /** 64-bit field: any value. */
        ANY,
        /** {@code [-2^(n-1), 2^(n-1))}. */
        SIGNED,
        /** {@code [0, 2^n)}. */
        UNSIGNED,
        /** GNU ld's complain_overflow_bitfield: {@code [-2^n, 2^n)}. */
        BITFIELD
    }

    private static final X86_64Kind[] BY_TYPE = new X86_64Kind[43];

    static {
        for (X86_64Kind k : values()) {
            BY_TYPE[k.type] = k;
        }
    }

    private final int type;
    private final String formula;
    private final Category category;
    private final int bits;
    private final long min;
    private final long max;

    X86_64Kind(int type, String formula, Category category, int bits, Range range) {
        this.type = type;
        this.formula = formula;
        this.category = category;
        this.bits = bits;
        switch (range) {
            case NONE, ANY -> {
                this.min = bits == 0 ? 0 : Long.MIN_VALUE;
                this.max = bits == 0 ? 0 : Long.MAX_VALUE;
            }
            case SIGNED -> {
                this.min = -(1L << (bits - 1));
                this.max = (1L << (bits - 1)) - 1;
            }
            case UNSIGNED -> {
                this.min = 0;
                this.max = (1L << bits) - 1;
            }
            case BITFIELD -> {
                this.min = -(1L << bits);
                this.max = (1L << bits) - 1;
            }
            default -> throw new AssertionError(range);
        }
    }

    /**
     * {@return the kind of raw type {@code type}, if the psABI defines it}
     * @param type an ELF R_X86_64_* type number (x86-64 psABI "Relocation Types")
     */
    public static Optional<X86_64Kind> of(int type) {
        return type >= 0 && type < BY_TYPE.length ? Optional.ofNullable(BY_TYPE[type]) : Optional.empty();
    }

    /**
     * {@return the kind of raw type {@code type}, or null} (the per-relocation look-up: no Optional)
     * @param type an ELF R_X86_64_* type number (x86-64 psABI "Relocation Types")
     */
    static X86_64Kind byType(int type) {
        return type >= 0 && type < BY_TYPE.length ? BY_TYPE[type] : null;
    }

    /** {@return the raw ELF type number} */
    public int type() {
        return type;
    }

    /** {@return the psABI calculation} */
    public String formula() {
        return formula;
    }

    /** {@return the width of the field in bits (0: nothing written)} */
    public int bits() {
        return bits;
    }

    /** {@return the smallest value the field accepts} */
    public long min() {
        return min;
    }

    /** {@return the largest value the field accepts} */
    public long max() {
        return max;
    }

    /**
     * {@return whether {@code value} fits the field}
     * @param value the value the formula computed
     */
    public boolean fits(long value) {
        return min <= value && value <= max;
    }

    /** {@return why a module loader refuses this type, or null when kobj applies it} */
    public String refusal() {
        return switch (category) {
            case DYNAMIC -> "only a dynamic linker applies it";
            case TLS -> "thread-local storage is not supported in modules";
            default -> null;
        };
    }

    /** {@return whether the formula uses the address of a GOT entry (G)} */
    public boolean needsGotEntry() {
        return category == Category.GOT;
    }

    /** {@return whether the formula may go through a PLT entry (L) that the pre-scan should count} */
    public boolean mayNeedPltEntry() {
        return category == Category.BRANCH;
    }

    /** {@return the contract's description of this kind} */
    public RelocationKind describe() {
        return new RelocationKind(type, name(), formula, category, bits, min, max, 1);
    }
}
