# kobj x86-64 golden fixture: every relocation kind GNU ld resolves without a GOT,
# linked by make-golden.sh; X86_64GnuLdGoldenTest applies golden.o's relocations with
# kobj's engine and compares the bytes with what ld wrote into golden.elf.
        .text
        .globl  _start
_start:
        call    ext_near                # R_X86_64_PLT32
        jmp     ext_near                # R_X86_64_PLT32
        movl    $ext_abs32, %eax        # R_X86_64_32
        movq    $ext_s32, %rax          # R_X86_64_32S
        leaq    data_obj(%rip), %rax    # R_X86_64_PC32 against .data
        movabsq $ext_far, %rax          # R_X86_64_64
        movl    $data_obj@SIZE, %eax    # R_X86_64_SIZE32
        movabsq $data_obj@SIZE, %rax    # R_X86_64_SIZE64
        movl    ext_near+8(%rip), %eax  # R_X86_64_PC32, A = 8 - 4
        ret

        .data
        .type   data_obj, @object
data_obj:
        .quad   ext_far + 5             # R_X86_64_64
        .long   ext_near - .            # R_X86_64_PC32
        .quad   ext_far - .             # R_X86_64_PC64
        .word   ext16                   # R_X86_64_16
        .word   ext_pc16 - .            # R_X86_64_PC16
        .byte   ext8                    # R_X86_64_8
        .byte   ext_pc8 - .             # R_X86_64_PC8
        .long   ext_abs32 + 100         # R_X86_64_32
        .long   _start - . + 3          # R_X86_64_PC32 against .text
        .size   data_obj, . - data_obj
        .reloc  ., R_X86_64_32S, ext_neg
        .long   0
        .reloc  ., R_X86_64_16, ext_neg16
        .word   0
        .reloc  ., R_X86_64_8, ext_neg8
        .byte   0
        .reloc  ., R_X86_64_PC16, ext_pcneg16
        .word   0
        .reloc  ., R_X86_64_PLT32, ext_near+8
        .long   0
        .reloc  ., R_X86_64_SIZE32, data_obj+3
        .long   0
        .reloc  ., R_X86_64_SIZE64, data_obj-1
        .quad   0
        .reloc  ., R_X86_64_PC32, data_obj-0x20
        .long   0
        .reloc  ., R_X86_64_NONE, ext_far
        .long   0x12345678
