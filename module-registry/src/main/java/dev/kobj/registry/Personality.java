package dev.kobj.registry;

import dev.kobj.registry.ModuleException.Errno;

/**
 * Whose errnos the registry gives where the classic loaders differ. The rules of loading and
 * unloading are the same for all; only the code of a refusal changes.
 *
 * <ul>
 * <li>Unloading a module that is in use (required by another module, or held): NetBSD's
 *     {@code module_unload}, FreeBSD's {@code kldunload}, MirBSD's LKM {@code LMUNLOAD} and
 *     HP-UX's {@code kmadmin -U} refuse with EBUSY; Linux's {@code delete_module(2)} refuses with
 *     EAGAIN, which Linux also names EWOULDBLOCK ("other modules depend on us", or a reference
 *     count above zero; kernel/module/main.c {@code delete_module}, {@code try_stop_module}),
 *     measured on Debian's 6.1 and 6.12 kernels. A module still running its own init or exit is
 *     EBUSY on all of them.</li>
 * </ul>
 */
public enum Personality {
    /** NetBSD module(9): the registry's default. */
    NETBSD(Errno.EBUSY),
    /** FreeBSD kld. */
    FREEBSD(Errno.EBUSY),
    /** MirBSD (OpenBSD's LKM). */
    MIRBSD(Errno.EBUSY),
    /** HP-UX kmadmin / DLKM. */
    HPUX(Errno.EBUSY),
    /** Linux's init_module/delete_module, as kmod's modprobe and rmmod see them. */
    LINUX(Errno.EAGAIN);

    private final Errno inUse;

    Personality(Errno inUse) {
        this.inUse = inUse;
    }

    /** {@return the errno of unloading a module that others require or that is held} */
    public Errno inUse() {
        return inUse;
    }
}
