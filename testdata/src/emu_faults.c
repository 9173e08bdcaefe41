/*
 * kobj test fixture for kobj-emu: functions that each end a run abnormally,
 * so the emulator's fault reports can be checked on every architecture.
 *   fault_unmapped_read   reads 0x12345000 (never mapped in the guest)
 *   fault_null_read       reads through a NULL pointer (page 0 is never mapped)
 *   canary_frame(n)       a local array, so that with -fstack-protector-strong
 *                         (the x86_64-gcc-kernel build, as Linux's
 *                         CONFIG_STACK_PROTECTOR_STRONG) its frame checks the
 *                         canary at %gs:40; returns 2 * n
 *   fault_rodata_write    writes into a const object (.rodata, read-only)
 *   fault_exec_data       calls into a const byte array (not executable)
 *   fault_trap            __builtin_trap(): ud2 / brk / ebreak, as BUG() uses
 *   fault_recurse         unbounded recursion with a 1 KiB frame: stack overflow
 *   fault_spin            an endless loop: instruction budget or time limit
 *   fault_unhandled       calls kobj_no_such_function(1, 2, 3), defined nowhere
 *   fault_ok              returns 42
 *   spin_n(n)             n iterations of a loop, then returns n (for speed figures)
 *   kallsyms_matches      1 when kallsyms_lookup_name finds printk and fault_ok
 *                         at the addresses the module's own references have,
 *                         and 0 for a name nothing defines (what rootkits do)
 * Undefined symbols: kobj_no_such_function, kallsyms_lookup_name, printk.
 */
#pragma GCC diagnostic ignored "-Winfinite-recursion"

extern int kobj_no_such_function(int a, int b, int c);
extern unsigned long kallsyms_lookup_name(const char *name);
extern int printk(const char *fmt, ...);

static const int fault_const[4] = {1, 2, 3, 4};
static const unsigned char fault_code[16] = {0xff, 0xff, 0xff, 0xff};
volatile int fault_sink;

int fault_unmapped_read(void)
{
	return *(volatile int *)0x12345000UL;
}

int *volatile fault_null_pointer;

int fault_null_read(void)
{
	return *fault_null_pointer;
}

int canary_frame(int n)
{
	volatile char frame[32];
	int i;

	for (i = 0; i < 32; i++)
		frame[i] = (char)n;
	return frame[3] + frame[31];
}

int fault_rodata_write(void)
{
	*(volatile int *)&fault_const[1] = 5;
	return fault_const[1];
}

int fault_exec_data(void)
{
	int (*f)(void) = (int (*)(void))(unsigned long)fault_code;
	return f();
}

int fault_trap(void)
{
	__builtin_trap();
}

int __attribute__((noinline)) fault_recurse(int n)
{
	volatile char frame[1024];

	frame[0] = (char)n;
	frame[1023] = (char)n;
	return fault_recurse(n + 1) + frame[0] + frame[1023];
}

int fault_spin(void)
{
	for (;;)
		fault_sink++;
}

int fault_unhandled(void)
{
	return kobj_no_such_function(1, 2, 3) + 1;
}

int fault_ok(void)
{
	return 42;
}

int kallsyms_matches(void)
{
	return kallsyms_lookup_name("printk") == (unsigned long)printk &&
	       kallsyms_lookup_name("fault_ok") == (unsigned long)fault_ok &&
	       kallsyms_lookup_name("kobj_nothing_defines_this") == 0;
}

long spin_n(long n)
{
	long i;

	for (i = 0; i < n; i++)
		fault_sink++;
	return i;
}
