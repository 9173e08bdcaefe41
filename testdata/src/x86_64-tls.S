/*
 * kobj test fixture: x86-64 thread-local-storage relocations.  Kernel
 * modules never use TLS; loaders are expected to reject these.
 */
	.text
	.globl	kobj_x86_tls
	.type	kobj_x86_tls, @function
kobj_x86_tls:
	movq	%fs:kobj_tls_var@TPOFF, %rax		/* R_X86_64_TPOFF32 */
	movq	kobj_tls_var@GOTTPOFF(%rip), %rax	/* R_X86_64_GOTTPOFF */
	leaq	kobj_tls_var@TLSLD(%rip), %rdi		/* R_X86_64_TLSLD */
	call	__tls_get_addr@PLT
	leaq	kobj_tls_var@DTPOFF(%rax), %rax		/* R_X86_64_DTPOFF32 */
	.byte	0x66
	leaq	kobj_tls_var@TLSGD(%rip), %rdi		/* R_X86_64_TLSGD */
	.value	0x6666
	rex64
	call	__tls_get_addr@PLT
	leaq	kobj_tls_var@TLSDESC(%rip), %rax	/* R_X86_64_GOTPC32_TLSDESC */
	call	*kobj_tls_var@TLSCALL(%rax)		/* R_X86_64_TLSDESC_CALL */
	ret
	.size	kobj_x86_tls, . - kobj_x86_tls

	.section .tdata,"awT",@progbits
	.balign	8
	.globl	kobj_tls_var
	.type	kobj_tls_var, @object
kobj_tls_var:
	.quad	1
	.size	kobj_tls_var, 8

	.section .debug_info_tls_demo,"",@progbits
	.quad	kobj_tls_var@DTPOFF			/* R_X86_64_DTPOFF64 */
	.quad	kobj_tls_var@TPOFF			/* R_X86_64_TPOFF64 */

	.section .note.GNU-stack,"",@progbits
