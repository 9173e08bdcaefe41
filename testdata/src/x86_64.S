/*
 * kobj test fixture: x86-64 relocation types that compilers rarely emit.
 * Assembled with gcc (GNU as) and with clang (integrated assembler).
 *
 * Undefined symbols: kobj_ext_data, kobj_ext_fn, printk and kobj_abs_small.
 * kobj_abs_small is meant to be an absolute symbol with a small value
 * (e.g. ld --defsym kobj_abs_small=0x40) so that the 8- and 16-bit
 * absolute relocations against it can be resolved without overflow.  The
 * 8/16-bit PC-relative ones target kobj_x86_near in .data.kobj_near and
 * fit only when that section is placed close to .data (as ld does).
 */
	.text
	.globl	kobj_x86_local_target
	.type	kobj_x86_local_target, @function
kobj_x86_local_target:
	ret
	.size	kobj_x86_local_target, . - kobj_x86_local_target

	.globl	kobj_x86_relocs
	.type	kobj_x86_relocs, @function
kobj_x86_relocs:
	call	printk				/* R_X86_64_PLT32 */
	call	printk@PLT			/* R_X86_64_PLT32 */
	call	kobj_x86_local_target		/* PLT32 to a global defined here */
	jmp	1f
1:	call	*kobj_ext_fn@GOTPCREL(%rip)	/* R_X86_64_GOTPCRELX */
	movq	kobj_ext_data@GOTPCREL(%rip), %rax	/* R_X86_64_REX_GOTPCRELX */
	movl	$kobj_ext_data, %eax		/* R_X86_64_32 */
	movq	$kobj_ext_data, %rax		/* R_X86_64_32S */
	movq	$kobj_ext_data - 0x100, %rax	/* R_X86_64_32S, negative addend */
	movabsq	$kobj_ext_data, %rax		/* R_X86_64_64 */
	movabsq	$kobj_ext_data + 0x123456789, %rax	/* R_X86_64_64, addend > 32 bits */
	leaq	kobj_ext_data(%rip), %rax	/* R_X86_64_PC32 */
	leaq	kobj_ext_data + 0x7f000000(%rip), %rax	/* R_X86_64_PC32, large addend */
	leaq	kobj_ext_data - 0x40000000(%rip), %rax	/* R_X86_64_PC32, negative addend */
	movl	kobj_x86_data(%rip), %eax	/* PC32 against a global in .data */
	movl	.Llocal_data(%rip), %eax	/* PC32 against a section symbol */
	leaq	_GLOBAL_OFFSET_TABLE_(%rip), %rbx	/* R_X86_64_GOTPC32 */
2:	leaq	2b(%rip), %rbx
	movabsq	$_GLOBAL_OFFSET_TABLE_ - 2b, %r11	/* R_X86_64_GOTPC64 */
	movabsq	$kobj_ext_data@GOTOFF, %rax	/* R_X86_64_GOTOFF64 */
	movabsq	$kobj_ext_data@GOT, %rax	/* R_X86_64_GOT64 */
#ifndef __clang__
	movabsq	$kobj_ext_data@GOTPLT, %rax	/* R_X86_64_GOTPLT64 */
#else
	/* LLVM has no @GOTPLT operator: spell the relocation out */
	.reloc	. + 2, R_X86_64_GOTPLT64, kobj_ext_data
	movabsq	$0, %rax			/* R_X86_64_GOTPLT64 */
#endif
	movabsq	$printk@PLTOFF, %rax		/* R_X86_64_PLTOFF64 */
	movl	$kobj_x86_data@SIZE, %eax	/* R_X86_64_SIZE32 */
	movabsq	$kobj_x86_data@SIZE, %rax	/* R_X86_64_SIZE64 */
	movw	$kobj_abs_small, %ax		/* R_X86_64_16 */
	movb	$kobj_abs_small, %al		/* R_X86_64_8 */
	jmp	printk				/* R_X86_64_PLT32 (tail call) */
	.size	kobj_x86_relocs, . - kobj_x86_relocs

	.data
	.balign	8
.Llocal_data:
	.long	0x11223344
	.long	0
	.globl	kobj_x86_data
	.type	kobj_x86_data, @object
kobj_x86_data:
	.quad	kobj_ext_data			/* R_X86_64_64 */
	.quad	kobj_ext_data + 0x7ffffff0	/* R_X86_64_64, large addend */
	.quad	kobj_ext_data - 16		/* R_X86_64_64, negative addend */
	.quad	kobj_ext_data - .		/* R_X86_64_PC64 */
	.long	kobj_ext_data - .		/* R_X86_64_PC32 */
	.long	kobj_ext_data			/* R_X86_64_32 */
	.quad	kobj_ext_data@GOTOFF		/* R_X86_64_GOTOFF64 */
	.long	kobj_ext_data@GOTPCREL		/* R_X86_64_GOTPCREL */
	.long	0
#ifndef __clang__
	.quad	kobj_ext_data@GOTPCREL		/* R_X86_64_GOTPCREL64 */
#else
	.reloc	., R_X86_64_GOTPCREL64, kobj_ext_data
	.quad	0				/* R_X86_64_GOTPCREL64 */
#endif
	.long	kobj_x86_relocs - .		/* PC32 to a function */
	.quad	kobj_x86_relocs			/* R_X86_64_64 to a function */
	.word	kobj_abs_small			/* R_X86_64_16 */
	.word	kobj_x86_near - .		/* R_X86_64_PC16 */
	.byte	kobj_abs_small			/* R_X86_64_8 */
	.byte	kobj_x86_near - .		/* R_X86_64_PC8 */
	.balign	8
	.size	kobj_x86_data, . - kobj_x86_data

	/* Explicit relocation directives (no instruction/data syntax). */
	.globl	kobj_x86_reloc_dir
kobj_x86_reloc_dir:
	.reloc	., R_X86_64_NONE, kobj_ext_data	/* R_X86_64_NONE */
	.quad	0

	/* Target of the 8/16-bit PC-relative relocations: a small .data.*
	   section that linkers place right after .data. */
	.section .data.kobj_near,"aw",@progbits
	.globl	kobj_x86_near
	.type	kobj_x86_near, @object
kobj_x86_near:
	.byte	0x5a
	.size	kobj_x86_near, 1

	/* A COMDAT group private to this file, with a relocation. */
	.section .text.kobj_x86_comdat,"axG",@progbits,kobj_x86_comdat,comdat
	.globl	kobj_x86_comdat
	.type	kobj_x86_comdat, @function
kobj_x86_comdat:
	leaq	kobj_x86_data(%rip), %rax
	ret
	.size	kobj_x86_comdat, . - kobj_x86_comdat

	.section .note.GNU-stack,"",@progbits
