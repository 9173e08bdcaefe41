/*
 * kobj test fixture: a SYSCALL-class module ("kobj_syscall_mod") that runs
 * in process (x86_64, through java.lang.foreign) against the simulated
 * kernel of module-registry (dev.kobj.registry.kernel).
 *
 *   init_module():  y = kobj_syscall(20, 0, 0, 0)   (the kernel's getpid)
 *                   syscall_module_pid = y
 *                   slot = kobj_syscall_establish(syscall_module_slot,
 *                                                 syscall_module_call)
 *                   returns slot < 0 ? slot : 0   (slot saved)
 *   syscall_module_call(a, b) = a * 10 + b + syscall_module_tag, counted
 *   syscall_module_negate(a, b) = 1000 - a   (for syscall.function=...)
 *   cleanup_module(): kobj_syscall_disestablish(slot) when established
 *
 * syscall_module_slot (default 5) and syscall_module_tag (default 0) are
 * .data words a test may set before init, e.g. to load two copies on the
 * same slot and tell them apart.
 *
 * Undefined symbols: kobj_syscall, kobj_syscall_establish,
 * kobj_syscall_disestablish.
 */
#include "kobj_module.h"

extern long kobj_syscall(int slot, long a0, long a1, long a2);
extern int kobj_syscall_establish(int slot, long (*fn)(long, long));
extern int kobj_syscall_disestablish(int slot);

int syscall_module_slot = 5;
long syscall_module_tag;
long syscall_module_pid = -1;
long syscall_module_calls;
static int established = -1;

long syscall_module_call(long a, long b)
{
	syscall_module_calls++;
	return a * 10 + b + syscall_module_tag;
}

long syscall_module_negate(long a, long b)
{
	(void)b;
	return 1000 - a;
}

static int __init syscall_module_init(void)
{
	int slot;

	syscall_module_pid = kobj_syscall(20, 0, 0, 0);
	slot = kobj_syscall_establish(syscall_module_slot, syscall_module_call);
	if (slot < 0)
		return slot;
	established = slot;
	return 0;
}

static void __exit syscall_module_exit(void)
{
	if (established >= 0)
		kobj_syscall_disestablish(established);
	established = -1;
}

KOBJ_THIS_MODULE("kobj_syscall_mod", syscall_module_init, syscall_module_exit);

KOBJ_MODINFO("license", "GPL");
KOBJ_MODINFO("description", "kobj fixture: installs a system call in the simulated kernel");
KOBJ_MODINFO("name", "kobj_syscall_mod");
KOBJ_MODINFO("kobj.class", "syscall");
KOBJ_MODINFO("vermagic", VERMAGIC);
