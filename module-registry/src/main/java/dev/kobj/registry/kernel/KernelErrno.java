package dev.kobj.registry.kernel;

import dev.kobj.registry.ModuleException.Errno;

/** The numbers of the errnos, as native code sees them (Linux's asm-generic values). */
public final class KernelErrno {

    private KernelErrno() {
    }

    /** {@return the Linux number of {@code e}} */
    public static int number(Errno e) {
        return switch (e) {
            case EPERM -> 1;
            case ENOENT -> 2;
            case ENOEXEC -> 8;
            case EAGAIN -> 11;
            case EBUSY -> 16;
            case EEXIST -> 17;
            case ENODEV -> 19;
            case EINVAL -> 22;
            case ENFILE -> 23;
            case EMLINK -> 31;
            case EDEADLK -> 35;
            case EKEYREJECTED -> 129;
        };
    }
}
