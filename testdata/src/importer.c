/*
 * kobj test fixture: a module that uses the symbols exported by
 * exporter.c (kobj_shared_counter, kobj_shared_add), both through code and
 * through data pointers.  With -DKOBJ_MULTI_PART the module metadata is left
 * out (see multi_meta.c).
 */
#include "kobj_module.h"

KOBJ_COMDAT_GROUP;

extern int kobj_shared_counter;
extern int kobj_shared_add(int delta);

int *kobj_importer_counter_ref = &kobj_shared_counter;
int (*kobj_importer_add_ref)(int) = kobj_shared_add;
static int importer_last;

int kobj_importer_bump(int n)
{
	importer_last = kobj_importer_add_ref(n) + kobj_shared_add(1);
	return importer_last + *kobj_importer_counter_ref + kobj_shared_counter;
}

int __init kobj_importer_init(void)
{
	int v = kobj_shared_add(5);

	printk("kobj_importer: counter=%d value=%d\n", kobj_shared_counter, v);
	return kobj_comdat_helper_ptr() == 7 ? 0 : -22;
}

void __exit kobj_importer_exit(void)
{
	kobj_shared_add(-importer_last);
}

#ifndef KOBJ_MULTI_PART
KOBJ_THIS_MODULE("kobj_importer", kobj_importer_init, kobj_importer_exit);

KOBJ_MODINFO("license", "GPL");
KOBJ_MODINFO("author", "kobj");
KOBJ_MODINFO("description", "kobj fixture importing symbols of kobj_exporter");
KOBJ_MODINFO("depends", "kobj_exporter");
KOBJ_MODINFO("import_ns", "KOBJ_NS");
KOBJ_MODINFO("name", "kobj_importer");
KOBJ_MODINFO("vermagic", VERMAGIC);

KOBJ_VERSIONS = {
	{ 0x4f6b5c3aUL, "module_layout" },
	{ 0x92997ed8UL, "printk" },
	{ 0x0badc0deUL, "kobj_shared_counter" },
	{ 0x5ca1ab1eUL, "kobj_shared_add" },
};
#endif
