package dev.kobj.registry;

import dev.kobj.elf.KobjException;

/** A registry operation refused, with the errno a kernel would return. */
public class ModuleException extends KobjException {
    private static final long serialVersionUID = 1L;

    /** The errno-like codes kernel people recognise. */
    public enum Errno {
        EEXIST, EBUSY, ENOENT, EPERM, EDEADLK, EMLINK, ENOEXEC, EKEYREJECTED,
        /** An invalid argument: a release without a hold, a malformed descriptor, a system-call slot outside the table. */
        EINVAL,
        /** A table is full (lkm: no free system-call slot for an automatic one). */
        ENFILE,
        /** No such device or file-system type. */
        ENODEV,
        /**
         * Try again, which Linux also names EWOULDBLOCK: Linux's delete_module of a module in use
         * ({@link Personality#LINUX}).
         */
        EAGAIN
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
