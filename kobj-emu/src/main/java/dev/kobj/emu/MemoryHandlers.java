package dev.kobj.emu;

/**
 * Memory allocation on the guest's {@link KernelHeap} (include/linux/slab.h, vmalloc.h, gfp.h of
 * Linux 6.1: {@code kmalloc} is inline there and calls {@code kmalloc_trace} or
 * {@code __kmalloc}, {@code kzalloc} adds {@code __GFP_ZERO}, {@code kcalloc} is
 * {@code kmalloc_array}). Every block is zeroed (deterministic runs); a full heap answers NULL,
 * as the kernel does. A kmem_cache is a small heap object holding its object size.
 */
final class MemoryHandlers {
    private MemoryHandlers() {
    }

    /** ARCH_KMALLOC_MINALIGN on x86-64; blocks of 64 bytes or more are aligned to 64. */
    static long alloc(Call c, long size) throws EmuException {
        if (size < 0 || size > (1L << 26)) {
            return 0;
        }
        long a = c.kernel().heap().allocate(size, size >= 64 ? 64 : 8);
        if (a != 0) {
            c.guest().fill(a, 0, Math.max(size, 1));
        }
        return a;
    }

    static void install(Handlers h) {
        // (size, flags)
        for (String n : new String[] {"__kmalloc", "kmalloc_large", "__kmalloc_node", "kvmalloc_node",
            "kmalloc_order", "kmalloc_order_trace", "kmalloc_large_node", "__kmalloc_track_caller",
            "__kmalloc_node_track_caller", "vmalloc", "vzalloc", "__vmalloc", "vmalloc_node", "vzalloc_node",
            "vmalloc_32", "vmalloc_user", "kmalloc", "kzalloc", "kvmalloc", "kvzalloc"}) {
            h.put(n, c -> alloc(c, c.arg(0)));
        }
        // kmalloc_trace(struct kmem_cache *s, gfp_t flags, size_t size), kmalloc_node_trace(s, flags, node, size)
        h.put("kmalloc_trace", c -> alloc(c, c.arg(2)));
        h.put("kmalloc_node_trace", c -> alloc(c, c.arg(3)));
        h.put("kcalloc", c -> alloc(c, Math.multiplyHigh(c.arg(0), c.arg(1)) != 0 ? -1 : c.arg(0) * c.arg(1)));
        h.put("kmalloc_array", h.get("kcalloc").orElseThrow());
        // devm_kmalloc(struct device *dev, size_t size, gfp_t gfp)
        h.put("devm_kmalloc", c -> alloc(c, c.arg(1)));
        h.put("devm_kzalloc", c -> alloc(c, c.arg(1)));
        h.put("krealloc", c -> realloc(c, c.arg(0), c.arg(1)));
        h.put("kvrealloc", c -> realloc(c, c.arg(0), c.arg(2)));
        for (String n : new String[] {"kfree", "kvfree", "vfree", "kfree_sensitive", "kvfree_sensitive",
            "kzfree", "kfree_const"}) {
            h.put(n, c -> {
                c.kernel().heap().free(c.arg(0));
                return 0;
            });
        }
        h.put("devm_kfree", c -> {
            c.kernel().heap().free(c.arg(1));
            return 0;
        });
        h.put("ksize", c -> Math.max(0, c.kernel().heap().size(c.arg(0))));
        // kmemdup(const void *src, size_t len, gfp_t gfp), kstrdup(const char *s, gfp_t gfp)
        h.put("kmemdup", c -> dup(c, c.arg(0), c.arg(1)));
        h.put("kstrdup", c -> c.arg(0) == 0 ? 0 : dup(c, c.arg(0), c.guest().cstringBytes(c.arg(0),
                Guest.MAX_STRING).length + 1));
        h.put("kstrdup_const", h.get("kstrdup").orElseThrow());
        h.put("kstrndup", c -> {
            byte[] s = c.guest().cstringBytes(c.arg(0), (int) Math.min(c.arg(1), Guest.MAX_STRING));
            long p = alloc(c, s.length + 1);
            if (p != 0) {
                c.guest().write(p, s);
            }
            return p;
        });
        // kmem_cache_create(name, size, align, flags, ctor); _usercopy adds useroffset, usersize before ctor
        h.put("kmem_cache_create", c -> cache(c, c.arg(1)));
        h.put("kmem_cache_create_usercopy", c -> cache(c, c.arg(1)));
        h.put("kmem_cache_alloc", c -> alloc(c, c.guest().readLong(c.arg(0))));
        h.put("kmem_cache_alloc_lru", c -> alloc(c, c.guest().readLong(c.arg(0))));
        h.put("kmem_cache_alloc_node", c -> alloc(c, c.guest().readLong(c.arg(0))));
        h.put("kmem_cache_zalloc", c -> alloc(c, c.guest().readLong(c.arg(0))));
        h.put("kmem_cache_free", c -> {
            c.kernel().heap().free(c.arg(1));
            return 0;
        });
        h.put("kmem_cache_destroy", c -> {
            c.kernel().heap().free(c.arg(0));
            return 0;
        });
        // __get_free_pages(gfp_t gfp_mask, unsigned int order), free_pages(unsigned long addr, unsigned int order)
        h.put("__get_free_pages", c -> page(c, 4096L << Math.min(c.arg(1) & 0xff, 10)));
        h.put("get_zeroed_page", c -> page(c, 4096));
        h.put("free_pages", c -> {
            c.kernel().heap().free(c.arg(0));
            return 0;
        });
    }

    private static long page(Call c, long size) throws EmuException {
        long a = c.kernel().heap().allocate(size, 4096);
        if (a != 0) {
            c.guest().fill(a, 0, size);
        }
        return a;
    }

    private static long cache(Call c, long size) throws EmuException {
        long d = alloc(c, 64);
        if (d != 0) {
            c.guest().writeLong(d, size);
            c.kernel().register("kmem_cache_create", c.guest().cstring(c.arg(0)), d);
        }
        return d;
    }

    private static long dup(Call c, long src, long len) throws EmuException {
        long p = alloc(c, len);
        if (p != 0 && len > 0) {
            c.guest().write(p, c.guest().read(src, (int) len));
        }
        return p;
    }

    static long realloc(Call c, long old, long size) throws EmuException {
        if (size == 0) {
            c.kernel().heap().free(old);
            return 16; // ZERO_SIZE_PTR
        }
        long p = alloc(c, size);
        if (p != 0 && old != 0) {
            long was = c.kernel().heap().size(old);
            if (was > 0) {
                c.guest().write(p, c.guest().read(old, (int) Math.min(was, size)));
            }
            c.kernel().heap().free(old);
        }
        return p;
    }
}
