package dev.kobj.link;

import dev.kobj.elf.KobjException;

/**
 * A link that cannot be completed: unresolved symbols, a relocation out of range, an
 * unsupported relocation or an ABI mismatch. The message names the file and the place.
 */
public class LinkException extends KobjException {
    private static final long serialVersionUID = 1L;

    public LinkException(String message) {
        super(message);
    }

    public LinkException(String message, Throwable cause) {
        super(message, cause);
    }
}
