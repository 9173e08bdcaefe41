/*
 * kobj test fixture for kobj-emu's printk: formats as modules use them.
 *   printk_std()    standard conversions, flags, widths, precisions and length
 *                   modifiers, which C's printf formats the same way: the
 *                   oracle is kobj-host (run_host.c, whose printk is vprintf)
 *                   run natively or under qemu-user.
 *   printk_kernel() the kernel's own: KERN_* level headers, KERN_CONT, %pM,
 *                   %pI4, %*ph, %*phC, %pe; the expected text of each is the
 *                   example given in Linux's
 *                   Documentation/core-api/printk-formats.rst, restated in
 *                   the comments below.
 * Undefined symbol: printk.
 */
extern int printk(const char *fmt, ...);

#define KERN_ERR "\0013"
#define KERN_INFO "\0016"
#define KERN_CONT "\001c"

int printk_std(void)
{
	printk("d=%d i=%i u=%u neg=%d\n", 42, -7, 4000000000u, -2147483647 - 1);
	printk("x=%x X=%X #x=%#x o=%o #o=%#o\n", 0xbeef, 0xbeef, 255, 8, 8);
	printk("lx=%lx ld=%ld lu=%lu llu=%llu lld=%lld\n", 0xfffffffffUL, -5L, 18446744073709551615UL,
	       12345678901234ULL, -9000000000LL);
	printk("zu=%zu zd=%zd hd=%hd hhu=%hhu hx=%hx\n", (unsigned long)99, -3L, (short)-2, (unsigned char)200,
	       (unsigned short)0xabcd);
	printk("[%5d] [%-5d] [%05d] [%+d] [% d] [%.3d] [%8.3d] [%-8.3x]\n", 42, 42, 42, 42, 42, 7, 7, 0xa);
	printk("[%s] [%10s] [%-10s] [%.3s] [%*d] [%-*d] [%.*s]\n", "kobj", "kobj", "kobj", "kobjdump", 6, 9, 6, 9, 2,
	       "xyz");
	printk("c=%c%c%c pct=%% end\n", 'k', 'o', 'b');
	printk("%08lx|%-#10x|%#o\n", 0x1234UL, 0x99, 0);
	return 0;
}

static const unsigned char mac[6] = {0x00, 0x01, 0x02, 0x03, 0x04, 0x05};
static const unsigned char ip[4] = {192, 168, 1, 2};
static const unsigned char buf[4] = {0xde, 0xad, 0xbe, 0xef};

int printk_kernel(void)
{
	printk(KERN_ERR "level err\n");                  /* level 3: "level err" */
	printk(KERN_INFO "part one");                    /* level 6 ...          */
	printk(KERN_CONT " and two\n");                  /* "part one and two"   */
	printk("mac=%pM\n", mac);                        /* 00:01:02:03:04:05    */
	printk("mac=%pm\n", mac);                        /* 000102030405         */
	printk("ip=%pI4 ip=%pi4\n", ip, ip);             /* 192.168.1.2 192.168.001.002 */
	printk("hex=%*ph hexC=%*phC hexN=%*phN\n", 4, buf, 4, buf, 4, buf); /* de ad be ef, de:ad:be:ef, deadbeef */
	printk("err=%pe\n", (void *)-12L);               /* -ENOMEM              */
	return 0;
}
