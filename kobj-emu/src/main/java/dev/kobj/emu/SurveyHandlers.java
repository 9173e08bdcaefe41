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
 *     {@code register_switchdev_blocking_notifier}: recorded registrations, returning 0;
 * <li>second round: {@code xa_find} (an empty xarray: NULL), {@code ipv6_mod_enabled} (Debian
 *     builds IPv6 in: 1), {@code bin2hex} (lib/hexdump.c: lower-case hex, returns the end),
 *     {@code __do_once_start}/{@code __do_once_done} (lib/once.c: true until done),
 *     {@code fb_get_options} (no video= options: 0, *option = NULL), {@code __bitmap_set},
 *     registrations that return 0 ({@code uart_register_driver}, {@code register_tcf_proto_ops},
 *     {@code xfrm_register_km}, ...), objects created empty ({@code debugfs_create_file_unsafe},
 *     {@code __blk_alloc_disk}, ...) and functions with nothing to do here ({@code tty_port_init},
 *     {@code idr_preload}, {@code cpufreq_get_current_driver}: no driver, NULL...);
 * <li>third round: no PCI devices ({@code pci_get_class}: NULL), no DMI match, no ACPI table
 *     ({@code acpi_get_table}: AE_NOT_FOUND), {@code register_blocking_lsm_notifier} and other
 *     registrations recorded.
 * </ul>
 */
final class SurveyHandlers {
    private SurveyHandlers() {
    }

    static void install(Handlers h) {
        installMore(h);
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

    static void installMore(Handlers h) {
        h.constant(0, "xa_find", "cpufreq_get_current_driver", "platform_device_add_resources", "nfs_ssc_register",
                "brioctl_set", "inet_register_protosw", "idr_preload", "tty_port_init", "dma_set_mask",
                "dma_set_coherent_mask", "devfreq_add_governor", "nf_register_queue_handler", "register_pm_notifier",
                "sysfs_create_files", "tty_termios_encode_baud_rate", "sock_diag_register_inet_compat",
                "lwtunnel_encap_add_ops");
        h.constant(1, "ipv6_mod_enabled");
        // third round (whole-tree survey): no devices, no DMI or ACPI tables, nothing registered yet
        h.constant(0, "pci_get_class", "pci_get_device", "dmi_find_device", "dmi_name_in_vendors",
                "acpi_bus_unregister_driver", "pnp_unregister_driver", "hrtimer_init", "genl_lock", "genl_unlock",
                "tty_port_link_device", "mce_register_decode_chain", "dev_add_offload", "__list_lru_init",
                "rhashtable_init", "platform_device_add_data", "inet6_register_protosw");
        h.constant(5, "acpi_get_table"); // AE_NOT_FOUND
        for (String kind : new String[] {"uart_register_driver", "register_tcf_proto_ops", "xfrm_register_km",
            "register_blocking_lsm_notifier", "register_dcbevent_notifier", "register_quota_format",
            "platform_device_register",
            "xfrm_register_type_offload", "__cxl_driver_register", "zpool_register_driver"}) {
            h.put(kind, c -> {
                c.kernel().register(kind, "", c.arg(0));
                return 0;
            });
        }
        for (String n : new String[] {"debugfs_create_file_unsafe", "class_compat_register", "proc_create_net_data",
            "__platform_create_bundle", "__blk_alloc_disk", "kobject_get_path"}) {
            h.put(n, c -> {
                long p = MemoryHandlers.alloc(c, 4096);
                c.kernel().register(n, "", p);
                return p;
            });
        }
        // char *bin2hex(char *dst, const void *src, size_t count)
        h.put("bin2hex", c -> {
            int n = (int) Math.min(c.arg(2), Guest.MAX_STRING);
            byte[] src = c.guest().read(c.arg(1), n);
            byte[] hex = new byte[2 * n];
            for (int i = 0; i < n; i++) {
                hex[2 * i] = (byte) Character.forDigit((src[i] >> 4) & 0xf, 16);
                hex[2 * i + 1] = (byte) Character.forDigit(src[i] & 0xf, 16);
            }
            c.guest().write(c.arg(0), hex);
            return c.arg(0) + hex.length;
        });
        // bool __do_once_start(bool *done, unsigned long *flags): true while *done is false;
        // void __do_once_done(bool *done, struct static_key_true *once_key, unsigned long *flags, struct module *mod)
        h.put("__do_once_start", c -> c.guest().read(c.arg(0), 1)[0] == 0 ? 1 : 0);
        h.put("__do_once_done", c -> {
            c.guest().write(c.arg(0), new byte[] {1});
            return 0;
        });
        // int fb_get_options(const char *name, char **option): no video= option given
        h.put("fb_get_options", c -> {
            if (c.arg(1) != 0) {
                c.guest().writeLong(c.arg(1), 0);
            }
            return 0;
        });
        // void __bitmap_set(unsigned long *map, unsigned int start, int len)
        h.put("__bitmap_set", c -> {
            long map = c.arg(0);
            long start = c.arg(1) & 0xffff_ffffL;
            int len = c.intArg(2);
            for (long bit = start; bit < start + Math.max(len, 0); bit++) {
                long word = map + (bit / 64) * 8;
                c.guest().writeLong(word, c.guest().readLong(word) | 1L << (bit % 64));
            }
            return 0;
        });
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
