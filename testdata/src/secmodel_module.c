/*
 * kobj test fixture: a SECMODEL-class module ("kobj_secmodel_mod") that runs
 * in process (x86_64, through java.lang.foreign) against the simulated
 * kernel of module-registry (dev.kobj.registry.kernel).
 *
 *   secmodel_module_decide(uid, action, object):
 *       action starts with "module."  -> 1 (deny), whoever asks
 *       uid == 1000 and action "system.time" -> 0 (allow)
 *       otherwise                      -> 2 (defer)
 *       (each call counted in secmodel_module_asked)
 *   init_module():    kobj_secmodel_add("kobj_lockdown", decide); returns its result
 *   cleanup_module(): kobj_secmodel_remove("kobj_lockdown")
 *
 * Undefined symbols: kobj_secmodel_add, kobj_secmodel_remove.
 */
#include "kobj_module.h"

extern int kobj_secmodel_add(const char *name,
			     int (*decide)(long uid, const char *action, const char *object));
extern int kobj_secmodel_remove(const char *name);

long secmodel_module_asked;

static int starts_with(const char *s, const char *prefix)
{
	while (*prefix)
		if (*s++ != *prefix++)
			return 0;
	return 1;
}

static int same(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return *a == *b;
}

int secmodel_module_decide(long uid, const char *action, const char *object)
{
	(void)object;
	secmodel_module_asked++;
	if (starts_with(action, "module."))
		return 1;
	if (uid == 1000 && same(action, "system.time"))
		return 0;
	return 2;
}

static int __init secmodel_module_init(void)
{
	return kobj_secmodel_add("kobj_lockdown", secmodel_module_decide);
}

static void __exit secmodel_module_exit(void)
{
	kobj_secmodel_remove("kobj_lockdown");
}

KOBJ_THIS_MODULE("kobj_secmodel_mod", secmodel_module_init, secmodel_module_exit);

KOBJ_MODINFO("license", "GPL");
KOBJ_MODINFO("description", "kobj fixture: adds a security model to the simulated kernel");
KOBJ_MODINFO("name", "kobj_secmodel_mod");
KOBJ_MODINFO("kobj.class", "secmodel");
KOBJ_MODINFO("vermagic", VERMAGIC);
