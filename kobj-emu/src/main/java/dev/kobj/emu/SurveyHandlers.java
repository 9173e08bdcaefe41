package dev.kobj.emu;

/**
 * Handlers for the functions the real-module survey (CorpusRunTest) found first missing most
 * often, each as Linux 6.1 behaves in a kernel with no devices and nothing registered yet:
 * <ul>
 * <li>{@code int_sqrt} (lib/math/int_sqrt.c): the integer square root, floor(sqrt(x)) of an unsigned long;
 * <li>{@code simple_pin_fs} (fs/libfs.c): mounts the file system once ({@code *mount} set when
 *     NULL, to a zeroed object here) and counts the pins in {@code *count}; returns 0;
 * <li>{@code driver_attach} (drivers/base/dd.c): binds the driver to the bus's devices, of which
 *     there are none: 0; {@code mdiobus_setup_mdiodev_from_board_info}: no board info: 0;
 *     {@code acpi_check_resource_conflict}: no ACPI resources, no conflict: 0;
 * <li>{@code idr_get_next}: the IDR holds nothing the module can find: NULL;
 * <li>{@code key_put}, {@code set_user_nice}, {@code xa_set_mark}, {@code xa_clear_mark}: nothing to return;
 * <li>{@code xfrm_input_register_afinfo}, {@code register_switchdev_notifier},
 *     {@code register_switchdev_blocking_notifier}: recorded registrations, returning 0.
 * </ul>
 */
final class SurveyHandlers {
    private SurveyHandlers() {
    }

    static void install(Handlers h) {
        h.put("int_sqrt", c -> isqrt(c.arg(0)));
        h.put("simple_pin_fs", c -> {
            long mount = c.arg(1);
            if (c.guest().readLong(mount) == 0) {
                long p = MemoryHandlers.alloc(c, 4096);
                if (p == 0) {
                    return -12; // -ENOMEM
                }
                c.guest().writeLong(mount, p);
            }
            c.guest().write(c.arg(2), Guest.le32(c.guest().readInt(c.arg(2)) + 1));
            return 0;
        });
        h.constant(0, "driver_attach", "mdiobus_setup_mdiodev_from_board_info", "acpi_check_resource_conflict",
                "idr_get_next", "key_put", "set_user_nice", "xa_set_mark", "xa_clear_mark");
        for (String kind : new String[] {"xfrm_input_register_afinfo", "register_switchdev_notifier",
            "register_switchdev_blocking_notifier"}) {
            h.put(kind, c -> {
                c.kernel().register(kind, "", c.arg(0));
                return 0;
            });
        }
    }

    /** floor(sqrt(x)) with x unsigned, exact (no floating-point rounding). */
    static long isqrt(long x) {
        double d = x >= 0 ? (double) x : (double) (x >>> 1) * 2.0;
        long r = Math.min((long) Math.sqrt(d), 0xffff_ffffL);
        // correct the estimate: the largest r with r*r <= x (unsigned)
        while (r > 0 && Long.compareUnsigned(r * r, x) > 0) {
            r--;
        }
        while (r + 1 <= 0xffff_ffffL && Long.compareUnsigned((r + 1) * (r + 1), x) <= 0) {
            r++;
        }
        return r;
    }
}
