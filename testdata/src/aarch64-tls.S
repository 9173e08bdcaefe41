/*
 * kobj test fixture: AArch64 thread-local-storage relocations.  Kernel
 * modules never use TLS; loaders are expected to reject these.
 */
	.text
	.globl	kobj_aarch64_tls
	.type	kobj_aarch64_tls, %function
kobj_aarch64_tls:
	mrs	x1, tpidr_el0
	add	x0, x1, #:tprel_hi12:kobj_tls_var, lsl #12	/* TLSLE_ADD_TPREL_HI12 */
	add	x0, x0, #:tprel_lo12_nc:kobj_tls_var		/* TLSLE_ADD_TPREL_LO12_NC */
	movz	x2, #:tprel_g1:kobj_tls_var			/* TLSLE_MOVW_TPREL_G1 */
	movk	x2, #:tprel_g0_nc:kobj_tls_var			/* TLSLE_MOVW_TPREL_G0_NC */
	adrp	x0, :gottprel:kobj_tls_var			/* TLSIE_ADR_GOTTPREL_PAGE21 */
	ldr	x0, [x0, #:gottprel_lo12:kobj_tls_var]		/* TLSIE_LD64_GOTTPREL_LO12_NC */
	adrp	x0, :tlsdesc:kobj_tls_var			/* TLSDESC_ADR_PAGE21 */
	ldr	x1, [x0, #:tlsdesc_lo12:kobj_tls_var]		/* TLSDESC_LD64_LO12 */
	add	x0, x0, #:tlsdesc_lo12:kobj_tls_var		/* TLSDESC_ADD_LO12 */
	.tlsdesccall kobj_tls_var				/* TLSDESC_CALL */
	blr	x1
	adrp	x0, :tlsgd:kobj_tls_var				/* TLSGD_ADR_PAGE21 */
	add	x0, x0, #:tlsgd_lo12:kobj_tls_var		/* TLSGD_ADD_LO12_NC */
	ret
	.size	kobj_aarch64_tls, . - kobj_aarch64_tls

	.section .tdata,"awT",%progbits
	.balign	8
	.globl	kobj_tls_var
	.type	kobj_tls_var, %object
kobj_tls_var:
	.xword	1
	.size	kobj_tls_var, 8

	.section .note.GNU-stack,"",%progbits
