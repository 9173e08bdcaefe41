package dev.kobj.emu;

/**
 * Library functions of the kernel that modules' inits call often (what the corpus survey found
 * missing first): bitmap search (lib/find_bit.c), {@code strsep}, jiffies conversion (HZ=250 as
 * Debian's config), CPU feature and DMI matches (an emulated CPU has no optional feature and
 * no DMI table: {@code x86_match_cpu} and {@code dmi_check_system} match nothing,
 * {@code cpu_have_feature} is false), and objects a module only keeps a pointer to.
 */
final class LibHandlers {
    private LibHandlers() {
    }

    static final int HZ = 250;

    static void install(Handlers h) {
        // unsigned long _find_next_bit(const unsigned long *addr, unsigned long nbits, unsigned long start)
        h.put("_find_next_bit", c -> findBit(c, c.arg(0), c.arg(1), c.arg(2), true));
        h.put("_find_next_zero_bit", c -> findBit(c, c.arg(0), c.arg(1), c.arg(2), false));
        h.put("_find_first_bit", c -> findBit(c, c.arg(0), c.arg(1), 0, true));
        h.put("_find_first_zero_bit", c -> findBit(c, c.arg(0), c.arg(1), 0, false));
        // char *strsep(char **s, const char *ct)
        h.put("strsep", c -> {
            long sp = c.arg(0);
            long s = c.guest().readLong(sp);
            if (s == 0) {
                return 0;
            }
            byte[] str = c.guest().cstringBytes(s, Guest.MAX_STRING);
            byte[] delims = c.guest().cstringBytes(c.arg(1), 256);
            for (int i = 0; i < str.length; i++) {
                for (byte d : delims) {
                    if (str[i] == d) {
                        c.guest().write(s + i, new byte[] {0});
                        c.guest().writeLong(sp, s + i + 1);
                        return s;
                    }
                }
            }
            c.guest().writeLong(sp, 0);
            return s;
        });
        h.put("__msecs_to_jiffies", c -> (c.arg(0) * HZ + 999) / 1000);
        h.put("__usecs_to_jiffies", c -> (c.arg(0) * HZ + 999_999) / 1_000_000);
        h.put("jiffies_to_msecs", c -> (c.arg(0) & 0xffff_ffffL) * (1000 / HZ));
        h.put("jiffies_to_usecs", c -> (c.arg(0) & 0xffff_ffffL) * (1_000_000 / HZ));
        h.constant(0, "x86_match_cpu", "dmi_check_system", "dmi_first_match", "cpu_have_feature",
                "acpi_match_device", "of_find_compatible_node", "of_find_matching_node_and_match",
                "pci_get_device", "pci_get_subsys", "pci_dev_put", "of_node_put", "dmi_get_system_info",
                "dmaengine_get", "dmaengine_put", "dev_add_pack", "dev_remove_pack", "__init_swait_queue_head",
                "class_create_file_ns", "class_remove_file_ns", "kobject_set_name", "sg_init_one", "sg_init_table",
                "rtnl_lock", "rtnl_unlock", "led_trigger_register", "led_trigger_unregister",
                "led_trigger_unregister_simple", "cn_add_callback", "cn_del_callback", "kernel_fpu_begin_mask",
                "kernel_fpu_end", "kernel_neon_begin", "kernel_neon_end", "irq_fpu_usable", "alg_test",
                "crypto_alg_mod_lookup", "request_module", "__request_module", "mempool_destroy",
                "kset_unregister", "kthread_bind", "bitmap_zalloc_node", "crypto_init_queue",
                "register_acpi_bus_type", "bus_for_each_drv", "bus_for_each_dev", "class_interface_register",
                "device_initialize", "inet_frags_init", "kobject_init_and_add", "netlink_register_notifier",
                "nf_register_sockopt", "sysfs_create_group", "sysfs_create_file_ns", "sysfs_create_link",
                "tcp_register_ulp", "__rtnl_link_register", "__fsl_mc_driver_register", "crypto_register_notifier",
                "ethtool_set_ethtool_phy_ops", "n_tty_inherit_ops", "tcf_register_action", "register_qdisc",
                "input_register_handler", "device_add", "device_register", "kobject_add", "ida_destroy",
                "idr_destroy", "ida_free", "bus_register_notifier", "bus_unregister_notifier", "dev_set_name",
                "transport_class_register", "anon_transport_class_register", "attribute_container_register",
                "acpi_osi_is_win8", "proc_set_size", "proc_set_user", "bdi_register", "acpi_get_devices",
                "acpi_walk_namespace", "cpufreq_register_governor", "register_inet6addr_notifier",
                "sysfs_create_mount_point", "tty_register_ldisc", "platform_device_add", "register_netdevice",
                "xfrm_register_type", "drm_firmware_drivers_only", "register_btf_kfunc_id_set", "rtnl_af_register",
                "__auxiliary_driver_register", "inet_hashinfo2_init_mod", "logic_outb", "logic_outw", "logic_outl",
                "proc_symlink", "put_device", "get_device", "device_del", "device_unregister", "kobject_del",
                "acpi_bus_register_driver", "acpi_dev_present", "serdev_device_driver_register",
                "__mdiobus_register", "phy_drivers_register", "mdio_driver_register", "snd_card_register",
                "register_pernet_operations", "security_add_hooks", "register_key_type", "nfnetlink_subsys_register",
                "nf_ct_extend_register", "crypto_register_kpp", "xt_register_template", "nf_log_register",
                "usb_serial_register_drivers", "__ieee80211_register_hw", "sock_register", "__sock_create",
                "raw_notifier_chain_register", "register_syscore_ops", "register_restart_handler",
                "driver_create_file", "driver_remove_file", "device_create_file", "device_remove_file",
                "debugfs_create_bool", "debugfs_create_u8", "debugfs_create_u16", "debugfs_create_u64",
                "debugfs_create_x32", "might_resched", "guid_parse", "uuid_parse", "__release_region",
                "pnp_register_driver", "tcf_em_register", "__serdev_device_driver_register", "inet6_add_protocol",
                "inet_add_protocol", "register_vt_notifier", "async_schedule_node", "hv_is_hyperv_initialized",
                "remove_proc_subtree", "sched_set_fifo", "platform_device_unregister", "sock_diag_register",
                "xfrm6_protocol_register", "xfrm4_protocol_register", "rtnl_register_module", "mutex_is_locked",
                "edac_get_owner", "__srcu_read_lock", "blkcg_policy_register", "acpi_install_address_space_handler",
                "__percpu_counter_init", "__platform_register_drivers", "sdio_register_driver",
                "textsearch_register", "perf_pmu_register", "coreboot_driver_register", "elv_register",
                "i2c_for_each_dev", "kset_register", "mipi_dsi_driver_register_full", "efivar_supports_writes",
                "devm_gpiod_get_optional", "static_key_count", "logic_inb", "logic_inw", "logic_inl",
                "__xa_insert", "bus_find_device", "prepare_kernel_cred", "inet_ehash_locks_alloc");
        h.put("__sw_hweight32", c -> Integer.bitCount((int) c.arg(0)));
        h.put("__sw_hweight64", c -> Long.bitCount(c.arg(0)));
        h.put("__sw_hweight16", c -> Integer.bitCount((int) c.arg(0) & 0xffff));
        h.put("__sw_hweight8", c -> Integer.bitCount((int) c.arg(0) & 0xff));
        h.put("crc32_le", c -> crc32(c, c.arg(0), c.arg(1), c.arg(2), 0xedb88320L));
        h.put("__crc32c_le", c -> crc32(c, c.arg(0), c.arg(1), c.arg(2), 0x82f63b78L));
        h.put("__bitmap_weight", c -> {
            long n = Math.min(c.arg(1), 1 << 20);
            long w = 0;
            for (long i = 0; i < n; i += 64) {
                long word = c.guest().readLong(c.arg(0) + i / 8);
                w += Long.bitCount(n - i >= 64 ? word : word & ((1L << (n - i)) - 1));
            }
            return w;
        });
        h.put("strlcat", c -> {
            byte[] d = c.guest().cstringBytes(c.arg(0), Guest.MAX_STRING);
            byte[] s = c.guest().cstringBytes(c.arg(1), Guest.MAX_STRING);
            long size = c.arg(2);
            if (d.length < size) {
                int n = (int) Math.min(s.length, size - d.length - 1);
                byte[] out = java.util.Arrays.copyOf(s, n + 1);
                out[n] = 0;
                c.guest().write(c.arg(0) + d.length, out);
            }
            return d.length + s.length;
        });
        h.put("hashlen_string", c -> {
            byte[] s = c.guest().cstringBytes(c.arg(1), Guest.MAX_STRING);
            return ((long) s.length << 32) | (java.util.Arrays.hashCode(s) & 0xffff_ffffL);
        });
        // int __crypto_memneq(const void *a, const void *b, size_t size): 0 when equal
        h.put("__crypto_memneq", c -> java.util.Arrays.equals(c.guest().read(c.arg(0), (int) c.arg(2)),
                c.guest().read(c.arg(1), (int) c.arg(2))) ? 0 : 1);
        // struct nls_table { const char *charset; ... }, struct virtio_driver { struct device_driver driver; }
        h.put("__register_nls", c -> {
            c.kernel().register("register_nls", c.guest().cstring(c.guest().readLong(c.arg(0))), c.arg(0));
            return 0;
        });
        h.put("register_virtio_driver", c -> {
            c.kernel().register("register_virtio_driver", c.guest().cstring(c.guest().readLong(c.arg(0))),
                    c.arg(0));
            return 0;
        });
        h.put("__class_register", c -> {
            c.kernel().register("class_register", c.arg(0) == 0 ? "" : c.guest().cstring(c.guest().readLong(
                    c.arg(0))), c.arg(0));
            return 0;
        });
        // void led_trigger_register_simple(const char *name, struct led_trigger **trigger)
        h.put("led_trigger_register_simple", c -> {
            long p = MemoryHandlers.alloc(c, 256);
            c.guest().writeLong(c.arg(1), p);
            c.kernel().register("led_trigger_register_simple", c.stringArg(0), p);
            return 0;
        });
        for (String n : new String[] {"alloc_pages", "cdev_alloc", "mempool_create", "mempool_create_node",
            "kset_create_and_add", "rtnl_link_register", "tcp_register_congestion_control",
            "register_asymmetric_key_parser", "__netlink_kernel_create", "bdi_alloc", "proc_create_single_data",
            "padata_alloc", "platform_device_alloc", "proc_mkdir_mode", "__request_region", "proc_create_seq_private",
            "ida_alloc_range", "keyring_alloc", "_proc_mkdir", "kthread_create_worker", "kern_mount",
            "uuid_gen", "platform_device_register_full", "key_create_or_update", "__do_once_unused",
            "folio_alloc", "alloc_cpumask_var_node", "alloc_etherdev_mqs", 
            "crypto_alloc_sync_skcipher", "load_nls", "textsearch_prepare"}) {
            boolean object = !n.startsWith("rtnl") && !n.startsWith("tcp") && !n.startsWith("register")
                    && !n.startsWith("ida");
            h.put(n, c -> {
                long p = object ? MemoryHandlers.alloc(c, 4096) : 0;
                c.kernel().register(n, "", object ? p : c.arg(0));
                return p;
            });
        }
    }

    /** lib/crc32.c: the reflected CRC-32 of {@code len} bytes at {@code p} from {@code crc}, polynomial {@code poly}. */
    private static long crc32(Call c, long crc, long p, long len, long poly) throws EmuException {
        long r = crc & 0xffff_ffffL;
        for (byte b : c.guest().read(p, (int) Math.min(len, 1 << 24))) {
            r ^= b & 0xff;
            for (int k = 0; k < 8; k++) {
                r = (r & 1) != 0 ? (r >>> 1) ^ poly : r >>> 1;
            }
        }
        return r;
    }

    private static long findBit(Call c, long addr, long nbits, long start, boolean set) throws EmuException {
        for (long i = start; i < Math.min(nbits, 1 << 20); i++) {
            if ((i & 63) == 0 && nbits - i >= 64) {
                long w = c.guest().readLong(addr + (i >>> 3));
                if (set ? w == 0 : w == -1L) {
                    i += 63;
                    continue;
                }
            }
            long word = c.guest().readLong(addr + ((i >>> 6) << 3));
            if (((word >>> (i & 63)) & 1) == (set ? 1 : 0)) {
                return i;
            }
        }
        return nbits;
    }
}
