/*
 * kobj test fixture: AArch64 (LP64) relocation types, including the ones
 * compilers rarely emit (MOVW groups, TSTBR14, CONDBR19, LD_PREL_LO19,
 * ADR_PREL_LO21, 16-bit data).
 *
 * Undefined symbols: kobj_ext_data, kobj_ext_fn, printk and kobj_abs_small.
 * kobj_abs_small is meant to be an absolute symbol with a small value
 * (e.g. ld --defsym kobj_abs_small=0x40): the checked MOVW_UABS_G0/G1/G2
 * and MOVW_SABS_* relocations and ABS16 use it so that they do not
 * overflow.  Branch-type relocations against kobj_aarch64_near (a global
 * in .text.kobj_near) need that section within +-32 KiB (TSTBR14) or
 * +-1 MiB (CONDBR19, LD_PREL_LO19, ADR_PREL_LO21) of .text; PREL16
 * targets kobj_aarch64_near_data in .data.kobj_near.
 */
	.text
	.globl	kobj_aarch64_relocs
	.type	kobj_aarch64_relocs, %function
	.balign	4
kobj_aarch64_relocs:
	bl	printk				/* R_AARCH64_CALL26 */
	bl	kobj_ext_fn			/* R_AARCH64_CALL26 */
	b	1f
1:	b.eq	kobj_aarch64_near		/* R_AARCH64_CONDBR19 */
	cbz	x0, kobj_aarch64_near		/* R_AARCH64_CONDBR19 */
	cbnz	w1, kobj_aarch64_near + 8	/* R_AARCH64_CONDBR19, addend */
	tbz	x0, #3, kobj_aarch64_near	/* R_AARCH64_TSTBR14 */
	tbnz	w0, #31, kobj_aarch64_near + 4	/* R_AARCH64_TSTBR14, addend */
	ldr	x1, kobj_aarch64_near_lit	/* R_AARCH64_LD_PREL_LO19 */
	ldr	w1, kobj_aarch64_near_lit + 8	/* R_AARCH64_LD_PREL_LO19 */
	adr	x2, kobj_aarch64_near		/* R_AARCH64_ADR_PREL_LO21 */
	adr	x2, kobj_aarch64_near - 4	/* R_AARCH64_ADR_PREL_LO21, negative */
	adrp	x0, kobj_ext_data		/* R_AARCH64_ADR_PREL_PG_HI21 */
	add	x0, x0, :lo12:kobj_ext_data	/* R_AARCH64_ADD_ABS_LO12_NC */
	adrp	x0, kobj_ext_data + 0x12345	/* R_AARCH64_ADR_PREL_PG_HI21, addend */
	add	x0, x0, #:lo12:kobj_ext_data + 0x12345	/* ADD_ABS_LO12_NC, addend */
	adrp	x3, :pg_hi21_nc:kobj_ext_data	/* R_AARCH64_ADR_PREL_PG_HI21_NC */
	ldrb	w1, [x0, #:lo12:kobj_ext_data]	/* R_AARCH64_LDST8_ABS_LO12_NC */
	ldrh	w1, [x0, #:lo12:kobj_ext_data]	/* R_AARCH64_LDST16_ABS_LO12_NC */
	ldr	w1, [x0, #:lo12:kobj_ext_data]	/* R_AARCH64_LDST32_ABS_LO12_NC */
	ldr	x1, [x0, #:lo12:kobj_ext_data]	/* R_AARCH64_LDST64_ABS_LO12_NC */
	ldr	q1, [x0, #:lo12:kobj_ext_data]	/* R_AARCH64_LDST128_ABS_LO12_NC */
	movz	x4, #:abs_g0:kobj_abs_small	/* R_AARCH64_MOVW_UABS_G0 */
	movk	x4, #:abs_g0_nc:kobj_ext_data	/* R_AARCH64_MOVW_UABS_G0_NC */
	movz	x4, #:abs_g1:kobj_abs_small	/* R_AARCH64_MOVW_UABS_G1 */
	movk	x4, #:abs_g1_nc:kobj_ext_data	/* R_AARCH64_MOVW_UABS_G1_NC */
	movz	x4, #:abs_g2:kobj_abs_small	/* R_AARCH64_MOVW_UABS_G2 */
	movk	x4, #:abs_g2_nc:kobj_ext_data	/* R_AARCH64_MOVW_UABS_G2_NC */
	movz	x4, #:abs_g3:kobj_ext_data	/* R_AARCH64_MOVW_UABS_G3 */
	/* the usual 4-instruction absolute address sequence */
	movz	x5, #:abs_g3:kobj_ext_data + 0x10
	movk	x5, #:abs_g2_nc:kobj_ext_data + 0x10
	movk	x5, #:abs_g1_nc:kobj_ext_data + 0x10
	movk	x5, #:abs_g0_nc:kobj_ext_data + 0x10
	movz	x6, #:abs_g0_s:kobj_abs_small	/* R_AARCH64_MOVW_SABS_G0 */
	movz	x6, #:abs_g1_s:kobj_abs_small	/* R_AARCH64_MOVW_SABS_G1 */
	movz	x6, #:abs_g2_s:kobj_abs_small	/* R_AARCH64_MOVW_SABS_G2 */
	movz	x7, #:prel_g0:kobj_aarch64_near	/* R_AARCH64_MOVW_PREL_G0 */
	movk	x7, #:prel_g0_nc:kobj_ext_data	/* R_AARCH64_MOVW_PREL_G0_NC */
	movz	x7, #:prel_g1:kobj_ext_data	/* R_AARCH64_MOVW_PREL_G1 */
	movk	x7, #:prel_g1_nc:kobj_ext_data	/* R_AARCH64_MOVW_PREL_G1_NC */
	movz	x7, #:prel_g2:kobj_ext_data	/* R_AARCH64_MOVW_PREL_G2 */
	movk	x7, #:prel_g2_nc:kobj_ext_data	/* R_AARCH64_MOVW_PREL_G2_NC */
	movz	x7, #:prel_g3:kobj_ext_data	/* R_AARCH64_MOVW_PREL_G3 */
	adrp	x8, :got:kobj_ext_data		/* R_AARCH64_ADR_GOT_PAGE */
	ldr	x8, [x8, #:got_lo12:kobj_ext_data]	/* R_AARCH64_LD64_GOT_LO12_NC */
	ldr	x8, [x8, #:gotpage_lo15:kobj_ext_data]	/* R_AARCH64_LD64_GOTPAGE_LO15 */
	ldr	x9, :got:kobj_ext_fn		/* R_AARCH64_GOT_LD_PREL19 */
	movz	x10, #:gotoff_g1:kobj_ext_data	/* R_AARCH64_MOVW_GOTOFF_G1 */
	movk	x10, #:gotoff_g0_nc:kobj_ext_data	/* R_AARCH64_MOVW_GOTOFF_G0_NC */
	b	printk				/* R_AARCH64_JUMP26 */
	.size	kobj_aarch64_relocs, . - kobj_aarch64_relocs

	.section .text.kobj_near,"ax",%progbits
	.balign	8
	.globl	kobj_aarch64_near
	.type	kobj_aarch64_near, %function
kobj_aarch64_near:
	ret
	nop
	nop
	nop
	.size	kobj_aarch64_near, . - kobj_aarch64_near
	.globl	kobj_aarch64_near_lit
kobj_aarch64_near_lit:
	.xword	0x1122334455667788
	.xword	0

	.data
	.balign	8
	.globl	kobj_aarch64_data
	.type	kobj_aarch64_data, %object
kobj_aarch64_data:
	.xword	kobj_ext_data			/* R_AARCH64_ABS64 */
	.xword	kobj_ext_data + 0x7ffffff0	/* R_AARCH64_ABS64, large addend */
	.xword	kobj_ext_data - 16		/* R_AARCH64_ABS64, negative addend */
	.xword	kobj_aarch64_relocs		/* R_AARCH64_ABS64 to a function */
	.xword	kobj_ext_data - .		/* R_AARCH64_PREL64 */
	.word	kobj_ext_data - .		/* R_AARCH64_PREL32 */
	.word	kobj_ext_data			/* R_AARCH64_ABS32 */
	.hword	kobj_abs_small			/* R_AARCH64_ABS16 */
	.hword	kobj_aarch64_near_data - .	/* R_AARCH64_PREL16 */
	.balign	8
	.size	kobj_aarch64_data, . - kobj_aarch64_data

	/* Target of PREL16: a small .data.* section that linkers place
	   right after .data. */
	.section .data.kobj_near,"aw",%progbits
	.globl	kobj_aarch64_near_data
	.type	kobj_aarch64_near_data, %object
kobj_aarch64_near_data:
	.hword	0x5a5a
	.size	kobj_aarch64_near_data, 2

	.data
	/* Explicit relocation directive. */
	.globl	kobj_aarch64_reloc_dir
kobj_aarch64_reloc_dir:
	.reloc	., R_AARCH64_NONE, kobj_ext_data	/* R_AARCH64_NONE */
	.xword	0

	/* A COMDAT group private to this file, with a relocation. */
	.section .text.kobj_aarch64_comdat,"axG",%progbits,kobj_aarch64_comdat,comdat
	.globl	kobj_aarch64_comdat
	.type	kobj_aarch64_comdat, %function
kobj_aarch64_comdat:
	adrp	x0, kobj_aarch64_data
	add	x0, x0, :lo12:kobj_aarch64_data
	ret
	.size	kobj_aarch64_comdat, . - kobj_aarch64_comdat

	.section .note.GNU-stack,"",%progbits
