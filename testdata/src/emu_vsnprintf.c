/*
 * kobj test fixture for kobj-emu's va_list handlers: varargs wrappers that
 * hand their va_list to the kernel's vsnprintf and vprintk, as modules' own
 * logging helpers do.  The va_list layout is the ABI's (x86-64: a pointer to
 * {gp_offset, fp_offset, overflow_arg_area, reg_save_area}; AArch64: a
 * pointer to the caller's copy of {__stack, __gr_top, __vr_top, __gr_offs,
 * __vr_offs}; RISC-V: a pointer to the next slot), and the wrappers take more
 * arguments than fit in registers, so the list continues on the stack.
 *   vsnprintf_std()  prints with printk what vsnprintf wrote and returned:
 *                    conversions, 12 arguments, truncation, a zero size.
 *   vprintk_std()    vprintk through a wrapper.
 * The oracle is kobj-host (run_host.c: vsnprintf and vprintk are the C
 * library's vsnprintf and vprintf) run natively or under qemu-user.
 * Undefined symbols: vsnprintf, vprintk, printk.
 */
typedef __builtin_va_list va_list;
#define va_start(ap, last) __builtin_va_start(ap, last)
#define va_end(ap) __builtin_va_end(ap)

extern int vsnprintf(char *buf, unsigned long size, const char *fmt, va_list args);
extern int vprintk(const char *fmt, va_list args);
extern int printk(const char *fmt, ...);

static int __attribute__((noinline)) format(char *buf, unsigned long size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

static int __attribute__((noinline)) say(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vprintk(fmt, ap);
	va_end(ap);
	return n;
}

int vsnprintf_std(void)
{
	char buf[200];
	int n;

	n = format(buf, sizeof(buf), "d=%d u=%u x=%x s=%s c=%c", -42, 4000000000u, 0xbeef, "kobj", 'k');
	printk("%d [%s]\n", n, buf);
	n = format(buf, sizeof(buf), "%d %d %d %d %d %d %d %d %d %d %ld %lx", 1, 2, 3, 4, 5, 6, 7, 8, 9, 10,
		   -1234567890123L, 0xfedcba9876543210UL);
	printk("%d [%s]\n", n, buf);
	n = format(buf, sizeof(buf), "[%5s|%-6d|%08lx|%.2s]", "ab", -7, 0xabcUL, "xyz");
	printk("%d [%s]\n", n, buf);
	n = format(buf, 8, "%s-%d", "truncated", 12345);
	printk("%d [%s]\n", n, buf);
	buf[0] = 'Z';
	buf[1] = 0;
	n = format(buf, 0, "%d", 7);
	printk("%d [%s]\n", n, buf);
	return 0;
}

int vprintk_std(void)
{
	say("vprintk %s=%d %s=%d %s=%d %s=%ld\n", "a", 1, "b", -2, "c", 3, "d", 4000000000L);
	return 0;
}
