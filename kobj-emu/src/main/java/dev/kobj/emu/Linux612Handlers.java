package dev.kobj.emu;

/**
 * The names under which Linux 6.12 (Debian 13's riscv64 tree of the corpus) exports functions
 * the other handler sets answer under their Linux 6.1 names, with the arguments moved as 6.12's
 * headers declare them (include/linux/slab.h, gfp.h, list.h; read as facts):
 * <ul>
 * <li>the allocation-profiling renames of 6.10: {@code __kmalloc_noprof(size, flags)},
 *     {@code __kmalloc_node_noprof(size, [bucket,] flags, node)} (size first either way),
 *     {@code __kmalloc_cache_noprof(cache, flags, size)} (was {@code kmalloc_trace}),
 *     {@code __kmalloc_cache_node_noprof(cache, flags, node, size)},
 *     {@code __kvmalloc_node_noprof(size, ...)}, {@code kmalloc_large_noprof(size, flags)},
 *     {@code kmem_cache_alloc_noprof(cache, flags)} and its _lru/_node forms,
 *     {@code get_free_pages_noprof(gfp, order)}, {@code get_zeroed_page_noprof(gfp)},
 *     {@code kmemdup_noprof(src, len, gfp)}, {@code krealloc_noprof(p, size, flags)};</li>
 * <li>{@code __kmem_cache_create_args(name, object_size, args, flags)} (6.12; was
 *     {@code kmem_cache_create});</li>
 * <li>{@code sized_strscpy(dest, src, count)} (6.9; was {@code strscpy});</li>
 * <li>{@code __list_add_valid_or_report} and {@code __list_del_entry_valid_or_report} (6.6;
 *     were {@code __list_add_valid}): true, the list is sound;</li>
 * <li>riscv's {@code __riscv_isa_extension_available(bitmap, bit)}: false, the emulated CPU has
 *     no optional extension (as no AVX/PCLMUL/NEON on the other two).</li>
 * </ul>
 */
final class Linux612Handlers {
    private Linux612Handlers() {
    }

    static void install(Handlers h) {
        for (String n : new String[] {"__kmalloc_noprof", "__kmalloc_node_noprof", "__kvmalloc_node_noprof",
            "kmalloc_large_noprof", "kmalloc_large_node_noprof", "__kmalloc_large_noprof",
            "__kmalloc_large_node_noprof", "vmalloc_noprof", "vzalloc_noprof", "__vmalloc_noprof",
            "vmalloc_node_noprof", "vzalloc_node_noprof", "vmalloc_user_noprof", "vmalloc_32_noprof"}) {
            h.put(n, c -> MemoryHandlers.alloc(c, c.arg(0)));
        }
        h.put("__kmalloc_cache_noprof", c -> MemoryHandlers.alloc(c, c.arg(2)));
        h.put("__kmalloc_cache_node_noprof", c -> MemoryHandlers.alloc(c, c.arg(3)));
        alias(h, "kmem_cache_alloc_noprof", "kmem_cache_alloc");
        alias(h, "kmem_cache_alloc_lru_noprof", "kmem_cache_alloc_lru");
        alias(h, "kmem_cache_alloc_node_noprof", "kmem_cache_alloc_node");
        alias(h, "get_free_pages_noprof", "__get_free_pages");
        alias(h, "get_zeroed_page_noprof", "get_zeroed_page");
        alias(h, "kmemdup_noprof", "kmemdup");
        alias(h, "krealloc_noprof", "krealloc");
        alias(h, "__kmem_cache_create_args", "kmem_cache_create");
        alias(h, "sized_strscpy", "strscpy");
        h.constant(1, "__list_add_valid_or_report", "__list_del_entry_valid_or_report");
        h.constant(0, "__riscv_isa_extension_available");
    }

    /** Answers {@code name} as the handler of {@code was} does (the same arguments in the same places). */
    private static void alias(Handlers h, String name, String was) {
        h.get(was).ifPresent(f -> h.put(name, f));
    }
}
