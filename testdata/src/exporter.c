/*
 * kobj test fixture: a module that exports symbols.
 *
 * kobj_shared_counter is exported plainly (__ksymtab), kobj_shared_add as
 * GPL-only in namespace KOBJ_NS (__ksymtab_gpl); names are in
 * __ksymtab_strings, CRCs in __kcrctab/__kcrctab_gpl.  importer.c uses
 * both.  With -DKOBJ_MULTI_PART the module metadata is left out so that the
 * object can be part of the multi-object module (see multi_meta.c).
 */
#include "kobj_module.h"

KOBJ_COMDAT_GROUP;

int kobj_shared_counter;
static int exporter_calls;

int kobj_shared_add(int delta)
{
	exporter_calls++;
	kobj_shared_counter += delta;
	return kobj_shared_counter;
}

KOBJ_EXPORT_SYMBOL(kobj_shared_counter, 0x0badc0de);
KOBJ_EXPORT_SYMBOL_GPL_NS(kobj_shared_add, "KOBJ_NS", 0x5ca1ab1e);

int __init kobj_exporter_init(void)
{
	kobj_shared_counter = 100;
	printk("kobj_exporter: ready (%d)\n", kobj_comdat_helper());
	return 0;
}

void __exit kobj_exporter_exit(void)
{
	printk("kobj_exporter: %d calls\n", exporter_calls);
}

#ifndef KOBJ_MULTI_PART
KOBJ_THIS_MODULE("kobj_exporter", kobj_exporter_init, kobj_exporter_exit);

KOBJ_MODINFO("license", "GPL");
KOBJ_MODINFO("author", "kobj");
KOBJ_MODINFO("description", "kobj fixture exporting kobj_shared_counter and kobj_shared_add");
KOBJ_MODINFO("depends", "");
KOBJ_MODINFO("name", "kobj_exporter");
KOBJ_MODINFO("vermagic", VERMAGIC);

KOBJ_VERSIONS = {
	{ 0x4f6b5c3aUL, "module_layout" },
	{ 0x92997ed8UL, "printk" },
};
#endif
