/*
 * kobj test shim for kobj-emu: a plain object (no .modinfo, not a module)
 * that a user loads into the emulated machine before run_module.o, to give it
 * the function its test host would: kobj_report, printed through the kernel's
 * printk with the format of run_host.c's kapi_kobj_report ("report %s=%ld").
 * Undefined symbol: printk.
 */
extern int printk(const char *fmt, ...);

void kobj_report(const char *what, long value)
{
	printk("report %s=%ld\n", what, value);
}
