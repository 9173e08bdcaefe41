/*
 * kobj test fixture: a complete single-object "kernel module".
 *
 * Covers: calls to local and undefined functions (printk, kmalloc, kfree,
 * memcpy, memset), function-pointer tables and an ops structure in static
 * and global data, a dense switch that compiles to a jump table, string
 * literals, .data/.bss/.rodata, weak undefined symbols tested for NULL,
 * .init.text/.exit.text/.init.data/.init.rodata, large and negative
 * addends, .modinfo, __versions, .gnu.linkonce.this_module and a COMDAT
 * group.
 */
#include "kobj_module.h"

/* negative indexes into an extern array are intentional */
#pragma GCC diagnostic ignored "-Warray-bounds"

KOBJ_COMDAT_GROUP;

/* Weak undefined: may stay unresolved (value 0); tested before use. */
extern int optional_hook(void) __attribute__((weak));
extern void optional_notify(int value) __attribute__((weak));
extern int optional_weak_data __attribute__((weak));

/* Undefined data, referenced with large and negative addends. */
extern char kobj_ext_array[];
extern int kobj_ext_value;

struct kobj_ops {
	const char *name;
	int (*open)(int fd);
	int (*release)(int fd);
	long (*ioctl)(int fd, unsigned long cmd);
	const int *limits;
};

static int demo_debug = 1;                 /* .data, static            */
int kobj_demo_generation = 42;             /* .data, global            */
static int demo_opened;                    /* .bss, uninitialised      */
static int demo_zeroed = 0;                /* .bss, zero-initialised   */
int kobj_demo_errors;                      /* .bss, global             */
static char demo_scratch[512];             /* .bss                     */
static char demo_big[200000];              /* .bss, large              */
static const int demo_limits[4] = { 1, 16, 256, 4096 };   /* .rodata   */
const char kobj_demo_tag[] = "kobj-demo";  /* .rodata, global          */

static int __attribute__((noinline)) demo_open(int fd)
{
	demo_opened++;
	if (demo_debug)
		printk("kobj_demo: open fd=%d\n", fd);
	return fd < 0 ? -9 : 0;
}

static int __attribute__((noinline)) demo_release(int fd)
{
	demo_opened--;
	demo_zeroed += fd;
	return 0;
}

static int __attribute__((noinline)) demo_probe(int fd)
{
	return demo_limits[fd & 3] + demo_zeroed;
}

static int __attribute__((noinline)) demo_reset(int fd)
{
	memset(demo_scratch, 0, sizeof(demo_scratch));
	return fd;
}

/* Static table of function pointers (.data / .data.rel.local). */
static int (*demo_handlers[4])(int) = {
	demo_open, demo_release, demo_probe, demo_reset,
};

/* Dense switch: gcc and clang emit a jump table for it. */
static long __attribute__((noinline)) demo_ioctl(int fd, unsigned long cmd)
{
	switch (cmd) {
	case 0:
		return demo_open(fd);
	case 1:
		return demo_release(fd);
	case 2:
		return printk("kobj_demo: cmd2 fd=%d\n", fd);
	case 3:
		return demo_limits[fd & 3] * 3;
	case 4:
		demo_scratch[fd & 511] = 4;
		return 4;
	case 5:
		return kobj_demo_generation++;
	case 6:
		return (long)kmalloc((unsigned long)fd, GFP_KERNEL);
	case 7:
		kfree(demo_scratch + fd);
		return 7;
	case 8:
		return demo_debug ? printk("kobj_demo: debug\n") : -1;
	case 9:
		return demo_big[fd + 100000];
	case 10:
		return kobj_ext_array[fd - 8];
	case 11:
		return demo_handlers[fd & 3](fd);
	case 12:
		return kobj_ext_value + 12;
	default:
		kobj_demo_errors++;
		return -25;
	}
}

/* Constant ops structure with function and data pointers. */
static const struct kobj_ops demo_ops = {
	.name = "kobj_demo",
	.open = demo_open,
	.release = demo_release,
	.ioctl = demo_ioctl,
	.limits = demo_limits,
};

/* Global pointers to data and to functions. */
const struct kobj_ops *kobj_demo_active_ops = &demo_ops;
long (*kobj_demo_ioctl_hook)(int, unsigned long) = demo_ioctl;
int *kobj_demo_weak_data_ref = &optional_weak_data;
int (*kobj_demo_weak_hook_ref)(void) = optional_hook;
const char *kobj_demo_messages[] = {
	"kobj_demo: first message",
	"kobj_demo: second message",
	kobj_demo_tag,
};

/* Large and negative addends. */
char *kobj_demo_far = &demo_big[100000];
char *kobj_demo_ext_far = &kobj_ext_array[100000];
char *kobj_demo_ext_huge = (char *)kobj_ext_array + 0x7ffffff0;
char *kobj_demo_ext_neg = (char *)kobj_ext_array - 64;
int *kobj_demo_value_neg = &kobj_ext_value - 4;
char *kobj_demo_big_end = &demo_big[sizeof(demo_big) - 1];

int kobj_demo_dispatch(int fd, unsigned long cmd)
{
	/* indirect call through a global pointer, then through a table */
	long r = kobj_demo_active_ops->ioctl(fd, cmd);

	if (r < 0)
		return (int)r;
	return demo_handlers[cmd & 3](fd) + (int)r;
}

char kobj_demo_peek(int i)
{
	/* code references with large and negative addends */
	return demo_big[100000 + (i & 7)] + kobj_ext_array[-8] + demo_scratch[500];
}

static int demo_boot_values[4] __initdata = { 3, 1, 4, 1 };
static const char demo_banner[] __initconst = "kobj_demo: loading\n";

static int __init kobj_demo_init(void)
{
	int i, sum = 0;
	void *buf;

	for (i = 0; i < 4; i++)
		sum += demo_boot_values[i];
	printk(demo_banner);
	buf = kmalloc(sizeof(demo_scratch), GFP_KERNEL);
	if (!buf)
		return -12;
	memcpy(buf, demo_scratch, sizeof(demo_scratch));
	kfree(buf);
	if (optional_hook)
		sum += optional_hook();
	if (optional_notify)
		optional_notify(sum);
	if (&optional_weak_data)
		sum += optional_weak_data;
	sum += kobj_comdat_helper() + kobj_comdat_helper_ptr();
	demo_opened = sum;
	return 0;
}

static void __exit kobj_demo_exit(void)
{
	printk("kobj_demo: unloading (%d)\n", demo_opened);
}

KOBJ_THIS_MODULE("kobj_demo", kobj_demo_init, kobj_demo_exit);

KOBJ_MODINFO("license", "GPL");
KOBJ_MODINFO("author", "kobj");
KOBJ_MODINFO("description", "kobj demo module fixture");
KOBJ_MODINFO("alias", "kobj-demo");
KOBJ_MODINFO("alias", "devname:kobj_demo");
KOBJ_MODINFO("parm", "debug:Enable debug messages");
KOBJ_MODINFO("parmtype", "debug:int");
KOBJ_MODINFO("depends", "");
KOBJ_MODINFO("import_ns", "KOBJ_NS");
KOBJ_MODINFO("name", "kobj_demo");
KOBJ_MODINFO("vermagic", VERMAGIC);

KOBJ_VERSIONS = {
	{ 0x4f6b5c3aUL, "module_layout" },
	{ 0x92997ed8UL, "printk" },
	{ 0xeb233a45UL, "kmalloc" },
	{ 0x37a0cba1UL, "kfree" },
	{ 0x69acdf38UL, "memcpy" },
	{ 0xdcb764adUL, "memset" },
	{ 0x1a2b3c4dUL, "kobj_ext_array" },
	{ 0x5e6f7081UL, "kobj_ext_value" },
};
