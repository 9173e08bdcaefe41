package dev.kobj.emu;

/**
 * The Unicorn 2 library ({@code libunicorn.so.2}, Debian package libunicorn2) cannot be loaded on
 * this machine; the message is one line saying so.
 */
public final class EmulatorUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** An exception with its one-line message. */
    public EmulatorUnavailableException(String message) {
        super(message);
    }
}
