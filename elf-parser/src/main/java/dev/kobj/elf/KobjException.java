package dev.kobj.elf;

/**
 * Root of the exceptions kobj's public APIs throw on bad input. Each subclass names the
 * file and the place ({@link ElfFormatException} in the parser; the linker and the
 * registry add their own kinds). It is not sealed because its subclasses live in the
 * different JPMS modules of the layers above.
 */
public abstract class KobjException extends Exception {
    private static final long serialVersionUID = 1L;

    /**
     * An exception whose message names the file and the place.
     *
     * @param message the message
     */
    protected KobjException(String message) {
        super(message);
    }

    /**
     * An exception whose message names the file and the place, found through {@code cause}.
     *
     * @param message the message
     * @param cause   the exception that found the problem
     */
    protected KobjException(String message, Throwable cause) {
        super(message, cause);
    }
}
