/*
 * kobj test fixture that RUNS: module "kobj_run", linked by kobj and executed
 * (x86_64 in the JVM through java.lang.foreign; AArch64 and RISC-V under
 * qemu-user, inside the host program src/run_host.c).
 *
 * Everything it does is deterministic and computed below, so a test can state
 * the expected calls and values from this source alone:
 *
 *   init_module() (= run_module_init) makes, in this order:
 *     printk("run_module: init\n")                          (from .init.rodata)
 *     kobj_report("ops", 37)                  4+3+21+9: add(3,1) sub(5,2) mul(7,3) max(9,4)
 *     kobj_report("one", 1)                   run_names[37 & 3]
 *     kobj_report("calls", 4)                 .bss counter bumped by each op
 *     kmalloc(64, GFP_KERNEL = 0xcc0)
 *     memset(buf, 'k', 63), memcpy(buf + 4, "-obj", 5)   -> buf = "kkkk-obj"
 *     kobj_report("strlen", 8)                strlen(buf)
 *     printk("run_module: buf=%s\n", buf)
 *     kfree(buf)
 *     kobj_report("switch", 208)              sum of classify(i, i + 10), i = 0..7:
 *                                             13 + 55 + 89 + 52 + 7 + 5 + 5 - 18
 *     kobj_report("weak", 0)                  run_optional is weak and undefined
 *     kmalloc(16, 0xcc0), kfree of it         (a second, empty allocation)
 *     kobj_report("total", 1245)              .data run_total: 1000 + 37 + 208,
 *                                             reported through a pointer in .data
 *   and returns 0.
 *   run_module_result() then returns 1245 (run_total) and
 *   run_module_calls() returns 4.
 *   cleanup_module() (= run_module_exit) calls printk("run_module: exit calls=%d\n", 4).
 *
 * Undefined symbols: printk, kmalloc, kfree, memcpy, memset, strlen,
 * kobj_report; weak undefined: run_optional.
 */
#include "kobj_module.h"

extern unsigned long strlen(const char *s);
extern void kobj_report(const char *what, long value);
extern int run_optional(int x) __attribute__((weak));

static int run_calls;                          /* .bss                        */
static long run_total = 1000;                  /* .data                       */
static const char *const run_names[] = {       /* .data.rel.ro: pointers      */
	"zero", "one", "two", "three",
};
/* .data: a pointer to an undefined function (absolute 64-bit relocation). */
void (*run_report_fn)(const char *, long) = kobj_report;

static int __attribute__((noinline)) op_add(int a, int b) { run_calls++; return a + b; }
static int __attribute__((noinline)) op_sub(int a, int b) { run_calls++; return a - b; }
static int __attribute__((noinline)) op_mul(int a, int b) { run_calls++; return a * b; }
static int __attribute__((noinline)) op_max(int a, int b) { run_calls++; return a > b ? a : b; }

/* .data.rel.ro: a table of local function pointers. */
static int (*const run_ops[4])(int, int) = { op_add, op_sub, op_mul, op_max };

/* A dense switch with a different computation per case: a jump table. */
static int __attribute__((noinline)) classify(int v, int a)
{
	switch (v) {
	case 0: return a + 3;            /* a = 10: 13 */
	case 1: return a * 5;            /* a = 11: 55 */
	case 2: return a ^ 0x55;         /* a = 12: 89 */
	case 3: return a << 2;           /* a = 13: 52 */
	case 4: return a - 7;            /* a = 14: 7  */
	case 5: return (a * a) % 11;     /* a = 15: 5  */
	case 6: return a / 3;            /* a = 16: 5  */
	case 7: return ~a;               /* a = 17: -18 */
	default: return -1000;
	}
}

static int run_seed[4] __initdata = { 3, 5, 7, 9 };
static const char run_banner[] __initconst = "run_module: init\n";

static int __init run_module_init(void)
{
	int i, acc = 0, sw = 0;
	char *buf;

	printk(run_banner);
	for (i = 0; i < 4; i++)
		acc += run_ops[i](run_seed[i], i + 1);
	kobj_report("ops", acc);
	kobj_report(run_names[acc & 3], acc & 3);
	kobj_report("calls", run_calls);

	buf = kmalloc(64, GFP_KERNEL);
	if (!buf)
		return -12;
	memset(buf, 'k', 63);
	buf[63] = 0;
	memcpy(buf + 4, "-obj", 5);
	kobj_report("strlen", (long)strlen(buf));
	printk("run_module: buf=%s\n", buf);
	kfree(buf);

	for (i = 0; i < 8; i++)
		sw += classify(i, i + 10);
	kobj_report("switch", sw);
	kobj_report("weak", run_optional ? run_optional(1) : 0);

	buf = kmalloc(16, GFP_KERNEL);
	if (!buf)
		return -12;
	kfree(buf);

	run_total += acc + sw;
	run_report_fn("total", run_total);
	return 0;
}

int run_module_result(void)
{
	return (int)run_total;
}

int run_module_calls(void)
{
	return run_calls;
}

static void __exit run_module_exit(void)
{
	printk("run_module: exit calls=%d\n", run_calls);
}

KOBJ_THIS_MODULE("kobj_run", run_module_init, run_module_exit);

KOBJ_MODINFO("license", "GPL");
KOBJ_MODINFO("description", "kobj fixture that runs: init reports what it computes");
KOBJ_MODINFO("name", "kobj_run");
KOBJ_MODINFO("vermagic", VERMAGIC);
