package dev.kobj.elf;

/**
 * Root of the exceptions kobj's public APIs throw on bad input. Each subclass names the
 * file and the place ({@link ElfFormatException} in the parser; the linker and the
 * registry add their own kinds). It is not sealed because its subclasses live in the
 * different JPMS modules of the layers above.
 */
public abstract class KobjException extends Exception {
    private static final long serialVersionUID = 1L;

    protected KobjException(String message) {
        super(message);
    }

    protected KobjException(String message, Throwable cause) {
        super(message, cause);
    }
}
