package dev.kobj.registry.sign;

import dev.kobj.elf.KobjException;

/** A key, certificate or module could not be read or signed; the message names the file. */
public final class SignatureException extends KobjException {
    private static final long serialVersionUID = 1L;

    public SignatureException(String message) {
        super(message);
    }

    public SignatureException(String message, Throwable cause) {
        super(message, cause);
    }
}
