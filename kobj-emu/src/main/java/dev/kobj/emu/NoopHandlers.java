package dev.kobj.emu;

/**
 * What one CPU and no concurrency make trivial: spinlocks, rwlocks, mutexes, semaphores, RCU,
 * preemption, wait queues, delays and scheduling points are no-ops (trylocks succeed); the x86
 * {@code __fentry__} and {@code __x86_return_thunk} return at once (the retpoline
 * {@code __x86_indirect_thunk_*} are real code, see {@link Cpu}); list debugging checks pass;
 * {@code __stack_chk_fail} and {@code fortify_panic} stop the run as the kernel would panic;
 * {@code kallsyms_lookup_name} answers from the machine's symbols.
 */
final class NoopHandlers {
    private NoopHandlers() {
    }

    static final String[] ZERO = {
        "__fentry__", "__x86_return_thunk", "mcount", "_mcount", "__sanitizer_cov_trace_pc",
        "_raw_spin_lock", "_raw_spin_unlock", "_raw_spin_lock_bh", "_raw_spin_unlock_bh", "_raw_spin_lock_irq",
        "_raw_spin_unlock_irq", "_raw_spin_unlock_irqrestore", "_raw_read_lock", "_raw_read_unlock",
        "_raw_write_lock", "_raw_write_unlock", "_raw_read_lock_bh", "_raw_read_unlock_bh", "_raw_write_lock_bh",
        "_raw_write_unlock_bh", "_raw_write_unlock_irqrestore", "_raw_read_unlock_irqrestore",
        "_raw_write_lock_irq", "_raw_write_unlock_irq", "__raw_spin_lock_init", "__rwlock_init",
        "__mutex_init", "mutex_lock", "mutex_unlock", "mutex_lock_interruptible", "mutex_lock_killable",
        "mutex_lock_nested", "__init_rwsem", "down_read", "up_read", "down_write", "up_write", "down", "up",
        "down_interruptible", "sema_init", "__init_waitqueue_head", "init_wait_entry", "__wake_up",
        "__wake_up_sync", "complete", "complete_all", "init_completion", "wait_for_completion",
        "synchronize_rcu", "synchronize_rcu_expedited", "call_rcu", "rcu_barrier", "__rcu_read_lock",
        "__rcu_read_unlock", "kvfree_call_rcu", "synchronize_srcu", "init_srcu_struct", "cleanup_srcu_struct",
        "__srcu_read_unlock", "preempt_schedule", "preempt_schedule_notrace", "preempt_schedule_thunk",
        "preempt_schedule_notrace_thunk", "migrate_disable", "migrate_enable", "_cond_resched", "__cond_resched",
        "__might_sleep", "__might_fault", "__might_resched", "schedule", "msleep", "usleep_range_state",
        "__udelay", "__const_udelay", "__ndelay", "__delay", "ssleep", "lockdep_init_map_type",
        "lock_acquire", "lock_release", "lockdep_rcu_suspicious", "static_key_enable", "static_key_disable",
        "static_key_slow_inc", "static_key_slow_dec", "__static_key_slow_dec_deferred", "add_taint",
        "local_bh_enable", "__local_bh_enable_ip", "local_bh_disable", "rcu_read_unlock_strict",
        "queue_work_on", "flush_workqueue", "destroy_workqueue", "cancel_work_sync", "cancel_delayed_work_sync",
        "flush_work", "init_timer_key", "add_timer", "del_timer", "del_timer_sync", "mod_timer",
        "delayed_work_timer_fn", "queue_delayed_work_on", "mod_delayed_work_on", "__flush_workqueue",
        "kobject_uevent", "kobject_put", "module_put", "__module_get", "wake_up_process", "kthread_stop",
        "refcount_warn_saturate", "__refrigerator", "pm_qos_add_request", "cpus_read_lock", "cpus_read_unlock",
        "__cpuhp_remove_state", "debugfs_remove", "proc_remove", "remove_proc_entry", "kfree_skb_reason",
        "crypto_unregister_alg", "crypto_unregister_algs", "crypto_unregister_shash",
        "crypto_unregister_shashes", "crypto_unregister_ahash", "crypto_unregister_ahashes",
        "crypto_unregister_skcipher", "crypto_unregister_skciphers", "crypto_unregister_aead",
        "crypto_unregister_aeads", "crypto_unregister_akcipher", "crypto_unregister_kpp",
        "crypto_unregister_rng", "crypto_unregister_rngs", "crypto_unregister_template",
        "crypto_unregister_templates", "crypto_unregister_scomp", "crypto_unregister_scomps",
        "crypto_unregister_acomp", "crypto_unregister_acomps", "simd_unregister_skciphers",
        "simd_unregister_aeads", "misc_deregister", "__unregister_chrdev", "unregister_chrdev_region",
        "platform_driver_unregister", "pci_unregister_driver", "usb_deregister", "unregister_filesystem",
        "driver_unregister", "bus_unregister", "class_destroy", "class_unregister", "unregister_blkdev",
        "xt_unregister_target", "xt_unregister_targets", "xt_unregister_match", "xt_unregister_matches",
        "hid_unregister_driver", "i2c_del_driver", "spi_unregister_driver", "unregister_netdevice_notifier",
        "unregister_pernet_subsys", "unregister_pernet_device", "nf_unregister_net_hooks",
        "unregister_sysctl_table", "serio_unregister_driver", "input_unregister_device",
        "tty_unregister_driver", "sock_unregister", "proto_unregister", "genl_unregister_family",
        "cdev_del", "device_destroy", "__platform_driver_probe",
    };

    static final String[] ONE = {
        "__list_add_valid", "__list_del_entry_valid", "_raw_spin_trylock", "mutex_trylock", "down_read_trylock",
        "down_write_trylock", "try_module_get", "capable", "ns_capable", "rcu_read_lock_held",
        "debug_lockdep_rcu_enabled", "cpu_has_xfeatures",
    };

    static void install(Handlers h) {
        h.constant(0, ZERO);
        h.constant(1, ONE);
        // unsigned long _raw_spin_lock_irqsave(raw_spinlock_t *): the saved flags, interrupts were off
        h.constant(0, "_raw_spin_lock_irqsave", "_raw_read_lock_irqsave", "_raw_write_lock_irqsave");
        h.put("__stack_chk_fail", c -> {
            c.stop("stack-protector: kernel stack is corrupted (__stack_chk_fail)");
            return 0;
        });
        h.put("fortify_panic", c -> {
            c.stop("fortify_panic: detected buffer overflow in " + c.stringArg(0));
            return 0;
        });
        h.put("__ubsan_handle_out_of_bounds", c -> {
            c.stop("UBSAN: array index out of bounds");
            return 0;
        });
        h.put("kallsyms_lookup_name", c -> c.kernel().lookup(c.stringArg(0)).orElse(0));
        h.put("__symbol_get", c -> c.kernel().lookup(c.stringArg(0)).orElse(0));
        h.constant(0, "__symbol_put");
        // ktime_get() & co.: a clock starting at 1 s and stepping by 1 us per call (monotonic)
        long[] clock = {1_000_000_000L};
        h.put("ktime_get", c -> clock[0] += 1000);
        h.put("ktime_get_real_seconds", c -> 1_700_000_000L);
        h.put("ktime_get_with_offset", c -> clock[0] += 1000);
        h.put("get_random_u32", c -> 0x12345678L);
        h.put("get_random_bytes", c -> {
            c.guest().fill(c.arg(0), 0x5a, c.arg(1));
            return 0;
        });
    }
}
