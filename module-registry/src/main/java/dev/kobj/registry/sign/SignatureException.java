package dev.kobj.registry.sign;

import dev.kobj.elf.KobjException;

/** A key, certificate or module could not be read or signed; the message names the file. */
public final class SignatureException extends KobjException {
    private static final long serialVersionUID = 1L;

    /**
     * A failure to read or sign.
     *
     * @param message what failed, naming the file
     */
    public SignatureException(String message) {
        super(message);
    }

    /**
     * A failure to read or sign, found through another exception.
     *
     * @param message what failed, naming the file
     * @param cause   the exception of the JCA or of Bouncy Castle
     */
    public SignatureException(String message, Throwable cause) {
        super(message, cause);
    }
}
