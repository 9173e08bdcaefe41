package dev.kobj.emu;

/**
 * The printk family (include/linux/printk.h, dev_printk.h, Linux 6.1): {@code _printk} (and the
 * older {@code printk}), the {@code _dev_*} and {@code netdev_*} printers, {@code __warn_printk},
 * {@code panic} (prints, then stops the run), dynamic debug (off, as by default), rate limits
 * (always allow). A message's KERN_* header ({@code "\001"} and a level 0-7, {@code c} for
 * KERN_CONT, {@code d} default) is taken off and kept as the line's level.
 */
final class PrintkHandlers {
    private PrintkHandlers() {
    }

    static void install(Handlers h) {
        h.put("printk", c -> print(c, -1, 0, 1));
        h.put("_printk", c -> print(c, -1, 0, 1));
        h.put("__warn_printk", c -> print(c, 4, 0, 1));
        h.put("_printk_deferred", c -> print(c, -1, 0, 1));
        h.put("printk_deferred", c -> print(c, -1, 0, 1));
        // the va_list forms (kernel/printk/printk.c): vprintk(fmt, args);
        // vprintk_emit(facility, level, dev_info, fmt, args), level -1 = LOGLEVEL_DEFAULT;
        // dev_vprintk_emit(level, dev, fmt, args)
        h.put("vprintk", c -> print(c, -1, c.arg(0), VaList.of(c, 1)));
        h.put("vprintk_deferred", c -> print(c, -1, c.arg(0), VaList.of(c, 1)));
        h.put("vprintk_emit", c -> print(c, Math.max(-1, c.intArg(1)), c.arg(3), VaList.of(c, 4)));
        h.put("dev_vprintk_emit", c -> print(c, Math.max(-1, c.intArg(0)), c.arg(2), VaList.of(c, 3)));
        String[] dev = {"emerg", "alert", "crit", "err", "warn", "notice", "info"};
        for (int level = 0; level < dev.length; level++) {
            int lv = level;
            // _dev_err(const struct device *dev, const char *fmt, ...)
            h.put("_dev_" + dev[level], c -> print(c, lv, 1, 2));
            h.put("netdev_" + dev[level], c -> print(c, lv, 1, 2));
        }
        // _dev_printk(const char *level, const struct device *dev, const char *fmt, ...)
        h.put("_dev_printk", c -> {
            int level = level(c.guest().cstring(c.arg(0)), 0);
            return print(c, level, 2, 3);
        });
        h.put("netdev_printk", c -> print(c, level(c.guest().cstring(c.arg(0)), 0), 2, 3));
        h.put("panic", c -> {
            print(c, 0, 0, 1);
            c.stop("panic");
            return 0;
        });
        h.constant(0, "__dynamic_pr_debug", "__dynamic_dev_dbg", "__dynamic_netdev_dbg", "__dynamic_ibdev_dbg",
                "print_hex_dump", "dump_stack", "__warn", "warn_slowpath_fmt");
        h.constant(1, "__printk_ratelimit", "printk_ratelimit", "___ratelimit", "printk_timed_ratelimit");
    }

    /** Prints the format at argument {@code fmtArg}, its arguments from {@code first}. */
    static long print(Call c, int level, int fmtArg, int first) throws EmuException {
        int[] next = {first};
        return print(c, level, c.arg(fmtArg), () -> c.arg(next[0]++));
    }

    /** Prints the format at {@code fmtAddr} with {@code args}. */
    static long print(Call c, int level, long fmtAddr, Printf.Args args) throws EmuException {
        String fmt = c.guest().cstring(fmtAddr);
        int lv = level;
        int skip = 0;
        while (skip + 1 < fmt.length() && fmt.charAt(skip) == '\001') {
            lv = level(fmt.substring(skip, skip + 2), lv);
            skip += 2;
        }
        String text = Printf.format(fmt.substring(skip), args, c.guest(), c.kernel());
        c.kernel().printk(lv, text);
        return text.length();
    }

    /** {@return the level of a KERN_* header ("\0013" is 3, "\001c" KERN_CONT is -2), else {@code otherwise}} */
    static int level(String header, int otherwise) {
        if (header.length() < 2 || header.charAt(0) != '\001') {
            return otherwise;
        }
        char l = header.charAt(1);
        if (l >= '0' && l <= '7') {
            return l - '0';
        }
        return l == 'c' ? -2 : otherwise;
    }
}
