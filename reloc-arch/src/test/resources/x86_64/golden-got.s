# kobj x86-64 golden fixture for the GOT kinds, linked by make-golden.sh with --no-relax so
# that ld keeps every GOT load (kobj never relaxes them either).
        .text
        .globl  _start
_start:
        movq    ext_near@GOTPCREL(%rip), %rax   # R_X86_64_REX_GOTPCRELX
        movl    ext_far@GOTPCREL(%rip), %ecx    # R_X86_64_GOTPCRELX
        call    *ext_near@GOTPCREL(%rip)        # R_X86_64_GOTPCRELX
        jmp     *ext_far@GOTPCREL(%rip)         # R_X86_64_GOTPCRELX
        addq    ext_near@GOTPCREL(%rip), %rdx   # R_X86_64_REX_GOTPCRELX
        testq   %rsi, ext_far@GOTPCREL(%rip)    # R_X86_64_REX_GOTPCRELX
        movabsq $ext_near@GOT, %rax             # R_X86_64_GOT64
        leaq    _GLOBAL_OFFSET_TABLE_(%rip), %rbx   # R_X86_64_GOTPC32
        movabsq $data@GOTOFF, %rax              # R_X86_64_GOTOFF64
        .reloc  ., R_X86_64_GOTPCREL, ext_far-4
        .long   0
        ret

        .data
data:   .quad   1
        .reloc  ., R_X86_64_GOTPCREL64, ext_near+16
        .quad   0
        .reloc  ., R_X86_64_GOT32, ext_far+4
        .long   0
        .reloc  ., R_X86_64_GOTPC64, _GLOBAL_OFFSET_TABLE_+8
        .quad   0
        .reloc  ., R_X86_64_GOTOFF64, ext_far-2
        .quad   0
        .reloc  ., R_X86_64_GOTPCREL, ext_near
        .long   0
