package dev.kobj.cli.kernel;

import java.util.Map;

/** Linux errno numbers (include/uapi/asm-generic/errno-base.h, errno.h) and their names. */
public final class Errno {
    private static final Map<Integer, String> NAMES = Map.ofEntries(Map.entry(0, "OK"), Map.entry(1, "EPERM"),
            Map.entry(2, "ENOENT"), Map.entry(8, "ENOEXEC"), Map.entry(11, "EAGAIN"), Map.entry(12, "ENOMEM"),
            Map.entry(14, "EFAULT"), Map.entry(16, "EBUSY"), Map.entry(17, "EEXIST"), Map.entry(19, "ENODEV"),
            Map.entry(22, "EINVAL"), Map.entry(61, "ENODATA"), Map.entry(65, "ENOPKG"), Map.entry(74, "EBADMSG"),
            Map.entry(95, "EOPNOTSUPP"), Map.entry(110, "ETIMEDOUT"), Map.entry(126, "ENOKEY"),
            Map.entry(129, "EKEYREJECTED"), Map.entry(254, "HANG"));

    private Errno() {
    }

    /** {@return the name of errno {@code n} (EAGAIN is also EWOULDBLOCK), or "errno N"} */
    public static String name(int n) {
        return NAMES.getOrDefault(n, "errno " + n);
    }
}
