/*
 * kobj test fixture: RISC-V relocation types (RV64 and RV32), including the
 * ones compilers rarely emit: ADD/SUB/SET pairs from label differences and
 * CFI, RVC branches, %pcrel_hi/%pcrel_lo, %hi/%lo, %got_pcrel_hi,
 * R_RISCV_CALL, 32_PCREL, ALIGN and RELAX (unless built with -mno-relax).
 *
 * Undefined symbols: kobj_ext_data, kobj_ext_fn, printk.  The short
 * branches target kobj_riscv_near, a global at the start of .text (gas
 * keeps relocations for them, even with -mno-relax); branches to other
 * sections are rewritten by gas as an inverted branch around a jal.
 */
#if __riscv_xlen == 64
#define LREG ld
#define SREG sd
#define PTR .dword
#define PTRSIZE 8
#else
#define LREG lw
#define SREG sw
#define PTR .word
#define PTRSIZE 4
#endif

	.text
	/* Target of the short branches, first in .text so that the RVC
	   branches (+-256 bytes) reach it. */
	.globl	kobj_riscv_near
	.type	kobj_riscv_near, @function
kobj_riscv_near:
	nop
	nop
	nop
	nop
	nop
	ret
	.size	kobj_riscv_near, . - kobj_riscv_near

	.globl	kobj_riscv_relocs
	.type	kobj_riscv_relocs, @function
kobj_riscv_relocs:
	.cfi_startproc
	addi	sp, sp, -16			/* CFA advance: SET6/SUB6 */
	.cfi_def_cfa_offset 16
	SREG	ra, 8(sp)
	.cfi_offset ra, -PTRSIZE
	call	printk				/* R_RISCV_CALL_PLT + RELAX */
	tail	kobj_ext_fn			/* R_RISCV_CALL_PLT (tail call form) */
	/* R_RISCV_CALL (the older, non-PLT call relocation) */
	.reloc	., R_RISCV_CALL, kobj_ext_fn
	auipc	ra, 0
	jalr	ra, 0(ra)
	jal	kobj_riscv_near			/* R_RISCV_JAL */
	j	kobj_riscv_near + 4		/* R_RISCV_JAL, addend */
	beq	a0, a1, kobj_riscv_near		/* R_RISCV_BRANCH */
	bltu	a2, a3, kobj_riscv_near + 8	/* R_RISCV_BRANCH, addend */
	c.beqz	a0, kobj_riscv_near		/* R_RISCV_RVC_BRANCH */
	c.bnez	a5, kobj_riscv_near + 2		/* R_RISCV_RVC_BRANCH, addend */
	c.j	kobj_riscv_near			/* R_RISCV_RVC_JUMP */
	/* a branch to another section: gas turns it into bne + jal */
	beq	a0, a2, kobj_riscv_far		/* R_RISCV_JAL */
	jal	kobj_ext_fn			/* R_RISCV_JAL to an undefined symbol */
	.cfi_remember_state
	/* ~100 bytes of code, then a CFA change: SET8/SUB8 */
	.rept	25
	nop
	.endr
	addi	sp, sp, -16
	.cfi_def_cfa_offset 32
	lui	a0, %hi(kobj_ext_data)		/* R_RISCV_HI20 */
	addi	a0, a0, %lo(kobj_ext_data)	/* R_RISCV_LO12_I */
	lw	a1, %lo(kobj_ext_data)(a0)	/* R_RISCV_LO12_I (load) */
	sw	a1, %lo(kobj_ext_data)(a0)	/* R_RISCV_LO12_S */
	lui	a0, %hi(kobj_ext_data + 0x12345)	/* R_RISCV_HI20, addend */
	addi	a0, a0, %lo(kobj_ext_data + 0x12345)	/* R_RISCV_LO12_I, addend */
	lui	a0, %hi(kobj_ext_data - 0x800)	/* R_RISCV_HI20, negative addend */
.Lpcrel_a:
	auipc	a0, %pcrel_hi(kobj_ext_data)	/* R_RISCV_PCREL_HI20 */
	addi	a0, a0, %pcrel_lo(.Lpcrel_a)	/* R_RISCV_PCREL_LO12_I */
.Lpcrel_b:
	auipc	a1, %pcrel_hi(kobj_ext_data + 0x7ff)	/* PCREL_HI20, addend */
	sw	a2, %pcrel_lo(.Lpcrel_b)(a1)	/* R_RISCV_PCREL_LO12_S */
	lla	a3, kobj_riscv_data		/* PCREL_HI20/LO12_I via lla */
.Lgot_a:
	auipc	a0, %got_pcrel_hi(kobj_ext_data)	/* R_RISCV_GOT_HI20 */
	LREG	a0, %pcrel_lo(.Lgot_a)(a0)	/* R_RISCV_PCREL_LO12_I */
	.option	push
	.option	pic
	la	a4, kobj_ext_fn			/* GOT_HI20 + PCREL_LO12_I via la */
	.option	pop
	/* ~400 bytes of code, then a CFA change: SET16/SUB16 */
	.rept	100
	nop
	.endr
	.cfi_restore_state
	.balign	16				/* R_RISCV_ALIGN (with relaxation) */
.Ltext_mid:
	LREG	ra, 8(sp)
	.cfi_restore ra
	addi	sp, sp, 16
	.cfi_def_cfa_offset 0
	ret
	.cfi_endproc
.Ltext_end:
	.size	kobj_riscv_relocs, . - kobj_riscv_relocs

	.section .text.kobj_far,"ax",@progbits
	.globl	kobj_riscv_far
	.type	kobj_riscv_far, @function
kobj_riscv_far:
	ret
	.size	kobj_riscv_far, . - kobj_riscv_far

	.data
	.balign	8
	.globl	kobj_riscv_data
	.type	kobj_riscv_data, @object
kobj_riscv_data:
	PTR	kobj_ext_data			/* R_RISCV_64 / R_RISCV_32 */
	PTR	kobj_ext_data + 0x7ffffff0	/* large addend */
	PTR	kobj_ext_data - 16		/* negative addend */
	PTR	kobj_riscv_relocs		/* pointer to a function */
	.word	kobj_ext_data			/* R_RISCV_32 */
	.word	kobj_riscv_far - .		/* R_RISCV_ADD32 + R_RISCV_SUB32 */
	/* differences of code labels: unknown until relaxation is done */
	.byte	.Ltext_end - .Ltext_mid		/* R_RISCV_ADD8 + R_RISCV_SUB8 */
	.balign	2
	.half	.Ltext_end - kobj_riscv_relocs	/* R_RISCV_ADD16 + R_RISCV_SUB16 */
	.word	.Ltext_end - kobj_riscv_relocs	/* R_RISCV_ADD32 + R_RISCV_SUB32 */
	.balign	8
	.dword	.Ltext_end - kobj_riscv_relocs	/* R_RISCV_ADD64 + R_RISCV_SUB64 */
	/* R_RISCV_32_PCREL, spelled out (gas uses it in .eh_frame itself) */
	.reloc	., R_RISCV_32_PCREL, kobj_ext_data
	.word	0
	/* SET/SUB relocations applied to arbitrary data */
	.reloc	., R_RISCV_SET8, kobj_ext_data
	.byte	0
	.reloc	., R_RISCV_SET6, kobj_ext_data + 3
	.reloc	., R_RISCV_SUB6, kobj_ext_data
	.byte	0xc0				/* top two bits must be preserved */
	.reloc	., R_RISCV_SET16, kobj_ext_data
	.half	0
	.reloc	., R_RISCV_SET32, kobj_ext_data
	.word	0
	.reloc	., R_RISCV_NONE, kobj_ext_data	/* R_RISCV_NONE */
	.word	0
	.balign	8
	.size	kobj_riscv_data, . - kobj_riscv_data

	/* A COMDAT group private to this file, with relocations. */
	.section .text.kobj_riscv_comdat,"axG",@progbits,kobj_riscv_comdat,comdat
	.globl	kobj_riscv_comdat
	.type	kobj_riscv_comdat, @function
kobj_riscv_comdat:
	lla	a0, kobj_riscv_data
	ret
	.size	kobj_riscv_comdat, . - kobj_riscv_comdat

	.section .note.GNU-stack,"",@progbits
