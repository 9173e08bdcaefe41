package dev.kobj.emu;

/** Linux errno names (include/uapi/asm-generic/errno-base.h and errno.h) for what init returns. */
public final class Errno {
    private Errno() {
    }

    private static final String[] BASE = {null, "EPERM", "ENOENT", "ESRCH", "EINTR", "EIO", "ENXIO", "E2BIG",
        "ENOEXEC", "EBADF", "ECHILD", "EAGAIN", "ENOMEM", "EACCES", "EFAULT", "ENOTBLK", "EBUSY", "EEXIST",
        "EXDEV", "ENODEV", "ENOTDIR", "EISDIR", "EINVAL", "ENFILE", "EMFILE", "ENOTTY", "ETXTBSY", "EFBIG",
        "ENOSPC", "ESPIPE", "EROFS", "EMLINK", "EPIPE", "EDOM", "ERANGE", "EDEADLK", "ENAMETOOLONG", "ENOLCK",
        "ENOSYS", "ENOTEMPTY", "ELOOP"};

    /** {@return "-ENAME" for a known errno {@code e} > 0, else "-e"} */
    public static String name(int e) {
        if (e > 0 && e < BASE.length) {
            return "-" + BASE[e];
        }
        return switch (e) {
            case 61 -> "-ENODATA";
            case 95 -> "-EOPNOTSUPP";
            case 110 -> "-ETIMEDOUT";
            case 517 -> "-EPROBE_DEFER";
            case 524 -> "-ENOTSUPP";
            default -> "-" + e;
        };
    }

    /** {@return the value as init's return is shown: "0", or "-19 (-ENODEV)"} */
    public static String describe(int value) {
        return value < 0 && value > -4096 ? value + " (" + name(-value) + ")" : Integer.toString(value);
    }
}
