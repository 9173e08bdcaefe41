package dev.kobj.registry;

import dev.kobj.elf.KobjException;

/** A registry operation refused, with the errno a kernel would return. */
public class ModuleException extends KobjException {
    private static final long serialVersionUID = 1L;

    /** The errno-like codes kernel people recognise. */
    public enum Errno {
        /** Already loaded (also: a module loading itself from its lifecycle call). */
        EEXIST,
        /** Held or depended on, or its FINI refuses (also: a module unloading itself from its lifecycle call). */
        EBUSY,
        /** No such module or file; a class mismatch; a dependency missing or of a version out of range. */
        ENOENT,
        /** A disabled builtin loaded without FORCE, or a security policy's refusal (securelevel). */
        EPERM,
        /** A dependency cycle or self-dependency, or a required module that is loading or unloading. */
        EDEADLK,
        /** A dependency chain deeper than the registry's maximum (NetBSD: 6). */
        EMLINK,
        /** Not an object the linker can load (the cause says why). */
        ENOEXEC,
        /** The signature policy's refusal: no signature, or one that does not verify. */
        EKEYREJECTED,
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

    /** The errno-like code. */
    private final Errno errno;

    /**
     * A refusal.
     *
     * @param errno   the code a kernel would return
     * @param message what was refused and why, naming the module
     */
    public ModuleException(Errno errno, String message) {
        super(errno + ": " + message);
        this.errno = errno;
    }

    /**
     * A refusal found through another exception.
     *
     * @param errno   the code a kernel would return
     * @param message what was refused and why, naming the module
     * @param cause   the exception that found it (a link or signature failure)
     */
    public ModuleException(Errno errno, String message, Throwable cause) {
        super(errno + ": " + message, cause);
        this.errno = errno;
    }

    /** {@return the errno-like code} */
    public Errno errno() {
        return errno;
    }
}
