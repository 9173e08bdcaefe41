/*
 * kobj test fixture: RISC-V thread-local-storage relocations.  Kernel
 * modules never use TLS; loaders are expected to reject these.
 */
#if __riscv_xlen == 64
#define LREG ld
#else
#define LREG lw
#endif
	.text
	.globl	kobj_riscv_tls
	.type	kobj_riscv_tls, @function
kobj_riscv_tls:
	lui	a0, %tprel_hi(kobj_tls_var)		/* R_RISCV_TPREL_HI20 */
	add	a0, a0, tp, %tprel_add(kobj_tls_var)	/* R_RISCV_TPREL_ADD */
	addi	a0, a0, %tprel_lo(kobj_tls_var)		/* R_RISCV_TPREL_LO12_I */
	sw	a1, %tprel_lo(kobj_tls_var)(a0)		/* R_RISCV_TPREL_LO12_S */
1:	auipc	a0, %tls_ie_pcrel_hi(kobj_tls_var)	/* R_RISCV_TLS_GOT_HI20 */
	LREG	a0, %pcrel_lo(1b)(a0)
2:	auipc	a0, %tls_gd_pcrel_hi(kobj_tls_var)	/* R_RISCV_TLS_GD_HI20 */
	addi	a0, a0, %pcrel_lo(2b)
	call	__tls_get_addr
	ret
	.size	kobj_riscv_tls, . - kobj_riscv_tls

	.section .tdata,"awT",@progbits
	.balign	8
	.globl	kobj_tls_var
	.type	kobj_tls_var, @object
kobj_tls_var:
	.word	1
	.size	kobj_tls_var, 4

	.section .note.GNU-stack,"",@progbits
