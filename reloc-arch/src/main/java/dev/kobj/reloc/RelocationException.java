package dev.kobj.reloc;

import dev.kobj.elf.KobjException;

/**
 * A relocation that cannot be applied: its value is out of range or misaligned, the
 * instruction at the place is not of the class the relocation patches, the type is unknown
 * or cannot be applied in a module (dynamic or TLS types), or a GOT entry or stub it needs
 * is missing. The message is lld's: {@code <where>: relocation R_X86_64_PC32 out of range:
 * 4294967296 is not in [-2147483648, 2147483647]; references 'foo'}. No byte was changed.
 */
public final class RelocationException extends KobjException {
    private static final long serialVersionUID = 1L;

    /** Why a relocation was refused. */
    public enum Reason {
        /** The computed value does not fit the field. */
        OUT_OF_RANGE,
        /** The computed value is not a multiple of what the field encodes. */
        MISALIGNED,
        /** The instruction at the place is not one this relocation may patch. */
        WRONG_INSTRUCTION,
        /** The type number is not known for the architecture. */
        UNKNOWN_TYPE,
        /** The type is known but cannot be applied to a module (dynamic, TLS, ...). */
        NOT_APPLICABLE,
        /** A GOT entry, PLT entry, veneer or paired relocation the formula needs is missing. */
        MISSING_PARTNER,
        /** The place lies outside the section. */
        BAD_PLACE
    }

    /** Why the relocation was refused. */
    private final Reason reason;
    /** The raw ELF relocation type. */
    private final int type;
    /** The computed value (or the type number for UNKNOWN_TYPE). */
    private final long value;

    /**
     * A refused relocation.
     *
     * @param reason  why it was refused
     * @param type    the raw ELF relocation type
     * @param value   the computed value (or the type number for UNKNOWN_TYPE)
     * @param message the full message: type, symbol, section+offset, value and allowed range
     */
    public RelocationException(Reason reason, int type, long value, String message) {
        super(message);
        this.reason = reason;
        this.type = type;
        this.value = value;
    }

    /** {@return why the relocation was refused} */
    public Reason reason() {
        return reason;
    }

    /** {@return the raw relocation type} */
    public int type() {
        return type;
    }

    /** {@return the computed value (or the type number for UNKNOWN_TYPE)} */
    public long value() {
        return value;
    }
}
