package dev.kobj.emu;

/**
 * Registration functions that record what a module registered ({@link Kernel#registrations()})
 * and succeed. Names are read from the registered structure at the offset of its name field in
 * Linux 6.1 (cited per function); crypto algorithms are found by {@link CryptoAlgs}. Functions
 * returning an object get a zeroed heap object (never NULL nor an ERR_PTR).
 */
final class RegistrationHandlers {
    private RegistrationHandlers() {
    }

    /** A handler recording {@code kind} with the name read by {@code name}, returning 0. */
    private interface Namer {
        String name(Call c) throws EmuException;
    }

    private static KernelFunction record(String kind, Namer namer) {
        return c -> {
            c.kernel().register(kind, namer.name(c), c.arg(0));
            return 0;
        };
    }

    /**
     * The string a pointer field of the structure argument {@code arg} points to: the first of
     * {@code offsets} holding a readable string ("" when none does).
     */
    private static Namer field(int arg, int... offsets) {
        return c -> {
            for (int off : offsets) {
                try {
                    long p = c.guest().readLong(c.arg(arg) + off);
                    if (p != 0) {
                        String s = c.guest().cstring(p);
                        if (!s.isEmpty() && s.chars().allMatch(ch -> ch > 0x20 && ch < 0x7f)) {
                            return s;
                        }
                    }
                } catch (EmuException e) {
                    // not this offset
                }
            }
            return "";
        };
    }

    private static Namer inline(int arg, int offset) {
        return c -> c.guest().cstring(c.arg(arg) + offset);
    }

    static void install(Handlers h) {
        // misc_register(struct miscdevice *): { int minor; const char *name; ... }
        h.put("misc_register", record("misc_register", field(0, 8)));
        // __register_chrdev(major, baseminor, count, name, fops): returns the major (dynamic: 511 down)
        int[] major = {511};
        h.put("__register_chrdev", c -> {
            c.kernel().register("register_chrdev", c.stringArg(3), c.arg(4));
            int m = c.intArg(0);
            return m == 0 ? major[0]-- : 0;
        });
        h.put("register_chrdev_region", c -> {
            c.kernel().register("register_chrdev_region", c.stringArg(2), c.arg(0));
            return 0;
        });
        // alloc_chrdev_region(dev_t *dev, unsigned baseminor, unsigned count, const char *name)
        h.put("alloc_chrdev_region", c -> {
            c.guest().write(c.arg(0), new byte[] {0, 0, (byte) 0xf0, 0x1f}); // MKDEV(511, 0)
            c.kernel().register("alloc_chrdev_region", c.stringArg(3), c.arg(0));
            return 0;
        });
        h.put("cdev_init", c -> 0).put("cdev_add", c -> 0);
        // __platform_driver_register(struct platform_driver *, owner): five callbacks (six in the
        // 6.1 stable kernels with remove_new), then struct device_driver whose first field is the name
        h.put("__platform_driver_register", record("platform_driver_register", field(0, 40, 48)));
        // __pci_register_driver(struct pci_driver *, owner, mod_name): { list_head node; const char *name; }
        h.put("__pci_register_driver", record("pci_register_driver", field(0, 16)));
        // usb_register_driver(struct usb_driver *, owner, mod_name): name first
        h.put("usb_register_driver", record("usb_register_driver", field(0, 0)));
        h.put("register_filesystem", record("register_filesystem", field(0, 0)));
        h.put("driver_register", record("driver_register", field(0, 0)));
        h.put("bus_register", record("bus_register", field(0, 0)));
        h.put("class_register", record("class_register", field(0, 0)));
        h.put("__hid_register_driver", record("hid_register_driver", field(0, 0)));
        h.put("__serio_register_driver", record("serio_register_driver", c -> ""));
        h.put("i2c_register_driver", c -> {
            c.kernel().register("i2c_register_driver", "", c.arg(1));
            return 0;
        });
        h.put("__spi_register_driver", c -> {
            c.kernel().register("spi_register_driver", "", c.arg(1));
            return 0;
        });
        // __register_blkdev(major, name, probe)
        h.put("__register_blkdev", c -> {
            c.kernel().register("register_blkdev", c.stringArg(1), 0);
            return c.intArg(0) == 0 ? 254 : 0;
        });
        // struct xt_target / xt_match: { list_head list; const char name[29]; ... }
        for (String kind : new String[] {"xt_register_target", "xt_register_match"}) {
            h.put(kind, record(kind, inline(0, 16)));
        }
        h.put("register_netdev", record("register_netdev", inline(0, 0)));
        for (String kind : new String[] {"register_netdevice_notifier", "register_pernet_subsys",
            "register_pernet_device", "nf_register_net_hook", "nf_register_net_hooks", "sock_register",
            "proto_register", "genl_register_family", "tty_register_driver", "input_register_device",
            "register_reboot_notifier", "register_die_notifier", "atomic_notifier_chain_register",
            "blocking_notifier_chain_register", "register_inetaddr_notifier", "register_kprobe",
            "register_kretprobe", "register_ftrace_function", "register_module_notifier",
            "register_shrinker", "xt_register_targets", "xt_register_matches",
            "register_keyboard_notifier", "register_netevent_notifier"}) {
            h.put(kind, record(kind, c -> ""));
        }
        h.put("__cpuhp_setup_state", c -> {
            c.kernel().register("cpuhp_setup_state", c.arg(1) == 0 ? "" : c.stringArg(1), c.arg(0));
            return c.intArg(0) == 0 || c.intArg(0) == 0x98 ? 0x98 : 0; // CPUHP_AP_ONLINE_DYN when dynamic
        });
        // functions returning a new object
        for (String n : new String[] {"__class_create", "class_create", "device_create", "debugfs_create_dir",
            "debugfs_create_file", "proc_create", "proc_create_data", "proc_mkdir", "register_sysctl",
            "register_sysctl_table", "register_net_sysctl", "alloc_workqueue", "kthread_create_on_node",
            "__alloc_percpu", "__alloc_percpu_gfp", "create_singlethread_workqueue", "kobject_create_and_add",
            "__alloc_skb", "input_allocate_device", "platform_device_register_full", "__tty_alloc_driver",
            "crypto_alloc_shash", "crypto_alloc_skcipher", "crypto_alloc_ahash", "crypto_alloc_aead",
            "crypto_alloc_base", "alloc_netdev_mqs", "__register_sysctl_table", "debugfs_create_u32"}) {
            h.put(n, c -> {
                long p = MemoryHandlers.alloc(c, 4096);
                c.kernel().register(n, "", p);
                return p;
            });
        }
        CryptoAlgs.install(h);
    }
}
