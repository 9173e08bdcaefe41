package dev.kobj.emu;

/**
 * The names newer kernels give the functions of older ones (the riscv64 corpus is Debian trixie's
 * Linux 6.12): memory allocation profiling (6.10, include/linux/alloc_tag.h) renamed the
 * allocators {@code NAME_noprof} with the same arguments ({@code __kmalloc_noprof(size, flags)},
 * {@code kmem_cache_alloc_noprof(s, flags)}, {@code alloc_pages_noprof(gfp, order)}...);
 * {@code __kmalloc_cache_noprof(s, flags, size)} and {@code __kmalloc_cache_node_noprof(s,
 * flags, node, size)} are 6.1's {@code kmalloc_trace} and {@code kmalloc_node_trace};
 * {@code __kmem_cache_create_args(name, size, args, flags)} is {@code kmem_cache_create} (size
 * second in both); {@code kvrealloc_noprof(p, size, flags)} lost 6.1's old-size argument;
 * {@code __list_add_valid_or_report}/{@code __list_del_entry_valid_or_report} (list debugging,
 * 6.6) find every list valid; {@code sized_strscpy(dest, src, count)} (6.9) is
 * {@code strscpy}; {@code __riscv_isa_extension_available} reports no optional extension, as
 * the other CPUs report no optional feature. The allocators whose first argument is the size are
 * answered from it even where the older name has no handler of its own.
 */
final class NoprofHandlers {
    private NoprofHandlers() {
    }

    static void install(Handlers h) {
        for (String n : new String[] {"__kmalloc_noprof", "__kmalloc_node_noprof", "__kvmalloc_node_noprof",
            "kmalloc_large_noprof", "kmalloc_large_node_noprof", "__kmalloc_large_noprof",
            "__kmalloc_large_node_noprof", "vmalloc_noprof", "vzalloc_noprof", "__vmalloc_noprof",
            "vmalloc_node_noprof", "vzalloc_node_noprof", "vmalloc_user_noprof", "vmalloc_32_noprof"}) {
            h.put(n, c -> MemoryHandlers.alloc(c, c.arg(0)));
        }
        for (String n : new String[] {"__kmalloc", "__kmalloc_node", "kmalloc_large", "kmalloc_large_node",
            "kvmalloc_node", "__kvmalloc_node", "vmalloc", "vzalloc", "__vmalloc", "vmalloc_node", "vzalloc_node",
            "vmalloc_user", "vmalloc_32", "kmalloc_trace", "kmalloc_node_trace", "krealloc", "kmemdup",
            "kmem_cache_alloc", "kmem_cache_alloc_lru", "kmem_cache_alloc_node", "__kmalloc_track_caller",
            "__kmalloc_node_track_caller", "kstrdup", "kstrndup", "__alloc_percpu", "__alloc_percpu_gfp",
            "rhashtable_init", "mempool_create_node", "kmalloc_array", "kcalloc"}) {
            alias(h, n + "_noprof", n);
        }
        alias(h, "__kvmalloc_node_noprof", "kvmalloc_node");
        alias(h, "__kmalloc_cache_noprof", "kmalloc_trace");
        alias(h, "__kmalloc_cache_node_noprof", "kmalloc_node_trace");
        alias(h, "__kmem_cache_create_args", "kmem_cache_create");
        alias(h, "get_free_pages_noprof", "__get_free_pages");
        alias(h, "get_zeroed_page_noprof", "get_zeroed_page");
        alias(h, "alloc_pages_noprof", "alloc_pages");
        alias(h, "register_sysctl_sz", "register_sysctl");
        alias(h, "sized_strscpy", "strscpy");
        h.put("kvrealloc_noprof", c -> MemoryHandlers.realloc(c, c.arg(0), c.arg(1)));
        h.constant(1, "__list_add_valid_or_report", "__list_del_entry_valid_or_report");
        h.constant(0, "__riscv_isa_extension_available", "x509_load_certificate_list", "__rtnl_register_many",
                "register_inet6addr_validator_notifier");
    }

    private static void alias(Handlers h, String name, String existing) {
        h.get(existing).ifPresent(f -> h.put(name, f));
    }
}
