package dev.kobj.emu;

import dev.kobj.elf.KobjException;

/**
 * A machine could not be built or an image not loaded into it: a Unicorn call failed
 * ({@code uc_strerror}'s text is in the message), an object of another architecture, a guest
 * area exhausted. What happens while guest code runs is not an exception but a {@link Outcome}.
 */
public final class EmuException extends KobjException {
    private static final long serialVersionUID = 1L;

    /** An exception with its message. */
    public EmuException(String message) {
        super(message);
    }

    /** An exception with its message and cause. */
    public EmuException(String message, Throwable cause) {
        super(message, cause);
    }
}
