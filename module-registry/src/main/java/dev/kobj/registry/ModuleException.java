package dev.kobj.registry;

import dev.kobj.elf.KobjException;

/** A registry operation refused, with the errno a kernel would return. */
public class ModuleException extends KobjException {
    private static final long serialVersionUID = 1L;

    /** The errno-like codes kernel people recognise. */
    public enum Errno {
        EEXIST, EBUSY, ENOENT, EPERM, EDEADLK, EMLINK, ENOEXEC, EKEYREJECTED,
        /** An invalid argument: a release without a hold, a malformed descriptor. */
        EINVAL
    }

    private final Errno errno;

    public ModuleException(Errno errno, String message) {
        super(errno + ": " + message);
        this.errno = errno;
    }

    public ModuleException(Errno errno, String message, Throwable cause) {
        super(errno + ": " + message, cause);
        this.errno = errno;
    }

    /** {@return the errno-like code} */
    public Errno errno() {
        return errno;
    }
}
