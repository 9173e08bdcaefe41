/*
 * kobj test fixture: a DRIVER-class module ("kobj_driver_mod") that runs in
 * process (x86_64, through java.lang.foreign) against the simulated kernel
 * of module-registry (dev.kobj.registry.kernel).
 *
 *   init_module():  makes /dev/kobjdrv0 (major -1: the kernel picks one),
 *                   then /dev/kobjdrv1 and /dev/kobjdrv2 on the same major,
 *                   minors 0, 1, 2; driver_module_major = the major.
 *                   On a refusal it destroys what it made and returns the
 *                   (negative) errno.
 *   cleanup_module(): destroys kobjdrv0 and kobjdrv1 only: kobjdrv2 is left
 *                   on purpose, for the kernel to take away on unload.
 *
 * Undefined symbols: kobj_make_dev, kobj_destroy_dev.
 */
#include "kobj_module.h"

extern int kobj_make_dev(const char *name, int major, int minor);
extern int kobj_destroy_dev(const char *name);

static const char *const driver_names[] = { "kobjdrv0", "kobjdrv1", "kobjdrv2" };
int driver_module_major = -1;

static int __init driver_module_init(void)
{
	int i, r;

	for (i = 0; i < 3; i++) {
		r = kobj_make_dev(driver_names[i], driver_module_major, i);
		if (r < 0) {
			while (--i >= 0)
				kobj_destroy_dev(driver_names[i]);
			return r;
		}
		driver_module_major = r;
	}
	return 0;
}

static void __exit driver_module_exit(void)
{
	kobj_destroy_dev(driver_names[0]);
	kobj_destroy_dev(driver_names[1]);
}

KOBJ_THIS_MODULE("kobj_driver_mod", driver_module_init, driver_module_exit);

KOBJ_MODINFO("license", "GPL");
KOBJ_MODINFO("description", "kobj fixture: makes device nodes in the simulated kernel");
KOBJ_MODINFO("name", "kobj_driver_mod");
KOBJ_MODINFO("kobj.class", "driver");
KOBJ_MODINFO("vermagic", VERMAGIC);
