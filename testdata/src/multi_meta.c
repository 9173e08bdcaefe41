/*
 * kobj test fixture: module metadata of the multi-object module
 * "kobj_multi" = ld -r of exporter.o + importer.o (both built with
 * -DKOBJ_MULTI_PART) + this object, like a kernel composite module with its
 * generated .mod.c.
 */
#include "kobj_module.h"

extern int kobj_exporter_init(void);
extern void kobj_exporter_exit(void);
extern int kobj_importer_init(void);
extern void kobj_importer_exit(void);

static int __init kobj_multi_init(void)
{
	int r = kobj_exporter_init();

	return r ? r : kobj_importer_init();
}

static void __exit kobj_multi_exit(void)
{
	kobj_importer_exit();
	kobj_exporter_exit();
}

KOBJ_THIS_MODULE("kobj_multi", kobj_multi_init, kobj_multi_exit);

KOBJ_MODINFO("license", "GPL");
KOBJ_MODINFO("author", "kobj");
KOBJ_MODINFO("description", "kobj multi-object module (exporter + importer)");
KOBJ_MODINFO("depends", "");
KOBJ_MODINFO("name", "kobj_multi");
KOBJ_MODINFO("vermagic", VERMAGIC);

KOBJ_VERSIONS = {
	{ 0x4f6b5c3aUL, "module_layout" },
	{ 0x92997ed8UL, "printk" },
};
