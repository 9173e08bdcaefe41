/*
 * kobj test fixtures: minimal, freestanding definitions that reproduce the
 * binary layout of Linux loadable-module metadata (.modinfo strings,
 * __versions entries, the .gnu.linkonce.this_module record and the
 * PREL32-style __ksymtab entries).  Written for kobj from the documented
 * ABI; no kernel header is used or copied.  No libc header is needed.
 */
#ifndef KOBJ_MODULE_H
#define KOBJ_MODULE_H

#define KOBJ_PASTE2(a, b) a##b
#define KOBJ_PASTE(a, b) KOBJ_PASTE2(a, b)
#define KOBJ_UNIQUE(prefix) KOBJ_PASTE(prefix, __COUNTER__)
#define KOBJ_STR2(x) #x
#define KOBJ_STR(x) KOBJ_STR2(x)

/* Section placement in the style of the kernel's __init/__exit/__initdata. */
#define __init      __attribute__((section(".init.text")))
#define __exit      __attribute__((section(".exit.text"), used))
#define __initdata  __attribute__((section(".init.data")))
#define __initconst __attribute__((section(".init.rodata")))

/* Module name length: 64 bytes minus one unsigned long, as in the kernel. */
#define KOBJ_MODULE_NAME_LEN (64 - sizeof(unsigned long))

/* One "tag=value" NUL-terminated string in .modinfo, byte aligned. */
#define KOBJ_MODINFO(tag, value)                                             \
	static const char KOBJ_UNIQUE(kobj_modinfo_)[]                       \
	__attribute__((section(".modinfo"), used, aligned(1))) = tag "=" value

/* Entry of the __versions section: CRC followed by the symbol name. */
struct kobj_modversion_info {
	unsigned long crc;
	char name[KOBJ_MODULE_NAME_LEN];
};

#define KOBJ_VERSIONS                                                        \
	static const struct kobj_modversion_info kobj_module_versions[]      \
	__attribute__((section("__versions"), used, aligned(8)))

struct kobj_list_head {
	struct kobj_list_head *next;
	struct kobj_list_head *prev;
};

/*
 * Prefix of the kernel's struct module: state, list, name, then (here,
 * directly) the init and exit entry points.  name is at offset 24 on LP64
 * and 12 on ILP32.
 */
struct kobj_module {
	int state;
	struct kobj_list_head list;
	char name[KOBJ_MODULE_NAME_LEN];
	int (*init)(void);
	void (*exit)(void);
};

_Static_assert(__builtin_offsetof(struct kobj_module, name) ==
	       (sizeof(long) == 8 ? 24 : 12), "struct kobj_module layout");
_Static_assert(sizeof(struct kobj_modversion_info) == 64, "modversion size");

/*
 * Defines init_module/cleanup_module as aliases of the given functions and
 * the __this_module record in .gnu.linkonce.this_module.
 */
#define KOBJ_THIS_MODULE(modname, initfn, exitfn)                            \
	int init_module(void) __attribute__((alias(#initfn)));               \
	void cleanup_module(void) __attribute__((alias(#exitfn)));           \
	struct kobj_module __this_module                                     \
	__attribute__((section(".gnu.linkonce.this_module"), used)) = {      \
		.name = modname,                                             \
		.init = init_module,                                         \
		.exit = cleanup_module,                                      \
	}

/*
 * Export table entry in the PREL32 layout (three 32-bit self-relative
 * offsets: value, name, namespace), as used by kernels built with
 * CONFIG_HAVE_ARCH_PREL32_RELOCATIONS, written directly into __ksymtab /
 * __ksymtab_gpl.  Names live in the mergeable string section
 * __ksymtab_strings; a symbol without namespace points at "".
 * A CRC word goes to __kcrctab / __kcrctab_gpl.
 */
#define KOBJ_EXPORT(sym, suffix, ns, crc)                                    \
	__asm__("\t.pushsection \"__ksymtab_strings\",\"aMS\",%progbits,1\n" \
		"__kstrtab_" #sym ":\n"                                      \
		"\t.asciz \"" #sym "\"\n"                                    \
		"__kstrtabns_" #sym ":\n"                                    \
		"\t.asciz \"" ns "\"\n"                                      \
		"\t.popsection\n"                                            \
		"\t.pushsection \"__ksymtab" suffix "\",\"a\"\n"             \
		"\t.balign 4\n"                                              \
		"__ksymtab_" #sym ":\n"                                      \
		"\t.long " #sym " - .\n"                                     \
		"\t.long __kstrtab_" #sym " - .\n"                           \
		"\t.long __kstrtabns_" #sym " - .\n"                         \
		"\t.popsection\n"                                            \
		"\t.pushsection \"__kcrctab" suffix "\",\"a\"\n"             \
		"\t.balign 4\n"                                              \
		"__crc_" #sym ":\n"                                          \
		"\t.long " #crc "\n"                                         \
		"\t.popsection\n")

#define KOBJ_EXPORT_SYMBOL(sym, crc) KOBJ_EXPORT(sym, "", "", crc)
#define KOBJ_EXPORT_SYMBOL_GPL_NS(sym, ns, crc) KOBJ_EXPORT(sym, "_gpl", ns, crc)

/*
 * A COMDAT section group "kobj_comdat_helper" holding a tiny function and a
 * data word that points at it (so the group carries its own relocation
 * section).  Every C fixture includes the same group, so a relocatable link
 * of several of them keeps exactly one copy.
 */
#if defined(__x86_64__)
#define KOBJ_COMDAT_BODY "\tmovl $7, %eax\n\tret\n"
#elif defined(__aarch64__)
#define KOBJ_COMDAT_BODY "\tmov w0, #7\n\tret\n"
#elif defined(__riscv)
#define KOBJ_COMDAT_BODY "\tli a0, 7\n\tret\n"
#else
#error "unsupported architecture"
#endif

#if __SIZEOF_POINTER__ == 8
#define KOBJ_ASM_PTR ".quad"
#else
#define KOBJ_ASM_PTR ".long"
#endif

#define KOBJ_COMDAT_GROUP                                                            \
	__asm__("\t.pushsection .text.kobj_comdat_helper,\"axG\",%progbits,kobj_comdat_helper,comdat\n" \
		"\t.globl kobj_comdat_helper\n"                                      \
		"\t.type kobj_comdat_helper, %function\n"                            \
		"kobj_comdat_helper:\n"                                              \
		KOBJ_COMDAT_BODY                                                     \
		"\t.size kobj_comdat_helper, . - kobj_comdat_helper\n"               \
		"\t.popsection\n"                                                    \
		"\t.pushsection .data.rel.kobj_comdat_helper,\"awG\",%progbits,kobj_comdat_helper,comdat\n" \
		"\t.balign " KOBJ_STR(__SIZEOF_POINTER__) "\n"                      \
		"\t.globl kobj_comdat_helper_ptr\n"                                  \
		"\t.type kobj_comdat_helper_ptr, %object\n"                          \
		"kobj_comdat_helper_ptr:\n"                                          \
		"\t" KOBJ_ASM_PTR " kobj_comdat_helper\n"                            \
		"\t.size kobj_comdat_helper_ptr, . - kobj_comdat_helper_ptr\n"       \
		"\t.popsection\n");                                                  \
	extern int kobj_comdat_helper(void);                                         \
	extern int (*kobj_comdat_helper_ptr)(void)

/* Kernel-like external API used by the fixtures (undefined in every object). */
extern int printk(const char *fmt, ...);
extern void *kmalloc(unsigned long size, unsigned int flags);
extern void kfree(const void *ptr);
extern void *memcpy(void *dst, const void *src, unsigned long len);
extern void *memset(void *dst, int c, unsigned long len);

#define GFP_KERNEL 0xcc0u
#define VERMAGIC "6.1.0 SMP mod_unload modversions "

#endif /* KOBJ_MODULE_H */
