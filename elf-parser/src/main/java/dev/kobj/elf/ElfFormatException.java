package dev.kobj.elf;

/**
 * The input is not a well-formed ELF object (or compressed module). The message names the
 * file, the byte offset in it, the field and the offending value, as Go's
 * {@code debug/elf.FormatError} does:
 * {@code foo.ko: offset 0x40: e_shentsize = 12: smaller than an ELF64 section header (64)}.
 */
public final class ElfFormatException extends KobjException {
    private static final long serialVersionUID = 1L;

    /** The name of the file that holds the bad field. */
    private final String file;
    /** The byte offset of the bad field in the (decompressed) file. */
    private final long offset;
    /** The name of the bad field, as the ELF specification spells it. */
    private final String field;
    /** The value found in the field. */
    private final long value;

    /**
     * A malformed field.
     *
     * @param file    the file's name
     * @param offset  the byte offset of the field in the (decompressed) file
     * @param field   the field's name, as the ELF specification spells it ({@code e_shentsize})
     * @param value   the value found there
     * @param problem what is wrong with it
     */
    public ElfFormatException(String file, long offset, String field, long value, String problem) {
        super(format(file, offset, field, value, problem));
        this.file = file;
        this.offset = offset;
        this.field = field;
        this.value = value;
    }

    /**
     * A malformed field, found through another exception (a decompressor's).
     *
     * @param file    the file's name
     * @param offset  the byte offset of the field in the (decompressed) file
     * @param field   the field's name, as the ELF specification spells it
     * @param value   the value found there
     * @param problem what is wrong with it
     * @param cause   the exception that found it
     */
    public ElfFormatException(String file, long offset, String field, long value, String problem,
            Throwable cause) {
        super(format(file, offset, field, value, problem), cause);
        this.file = file;
        this.offset = offset;
        this.field = field;
        this.value = value;
    }

    private static String format(String file, long offset, String field, long value, String problem) {
        return file + ": offset 0x" + Long.toHexString(offset) + ": " + field + " = "
                + (value < 0 || value > 9 ? "0x" + Long.toHexString(value) : Long.toString(value))
                + ": " + problem;
    }

    /** {@return the name of the file that holds the bad field} */
    public String file() {
        return file;
    }

    /** {@return the byte offset of the bad field in the (decompressed) file} */
    public long offset() {
        return offset;
    }

    /** {@return the name of the bad field, as the ELF specification spells it} */
    public String field() {
        return field;
    }

    /** {@return the value found in the field} */
    public long value() {
        return value;
    }
}
