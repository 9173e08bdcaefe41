package dev.kobj.elf;

/**
 * The architectures kobj links for, keyed by their ELF {@code e_machine} and class: the one
 * place where an ELF machine number becomes an architecture, for every layer (the relocation
 * engines of reloc-arch, the synthesized kernel tables of symtab, the linker's images).
 *
 * <p>Each carries where its kernel text starts. The bases are the Linux 6.1 defaults for a
 * kernel that was not relocated by KASLR: x86_64 {@code __START_KERNEL_map +
 * CONFIG_PHYSICAL_START} (0xffffffff80000000 + 16 MiB), arm64 with 48-bit VAs
 * {@code KIMAGE_VADDR} (the start of the vmalloc area + 128 MiB of module space,
 * 0xffff800008000000), riscv64 {@code KERNEL_LINK_ADDR} (0xffffffff80000000), riscv32
 * {@code PAGE_OFFSET} (0xc0000000).
 */
public enum Arch {
    /** AMD64 / Intel 64: {@code EM_X86_64}, ELFCLASS64 (System V AMD64 psABI). */
    X86_64(ElfConstants.EM_X86_64, 64, "x86_64", 0xffff_ffff_8100_0000L),
    /** Arm 64-bit, LP64: {@code EM_AARCH64}, ELFCLASS64 (aaelf64); either byte order. */
    AARCH64(ElfConstants.EM_AARCH64, 64, "aarch64", 0xffff_8000_0800_0000L),
    /** RISC-V 64-bit: {@code EM_RISCV}, ELFCLASS64 (RISC-V ELF psABI, LP64 ABIs). */
    RISCV64(ElfConstants.EM_RISCV, 64, "riscv64", 0xffff_ffff_8000_0000L),
    /** RISC-V 32-bit: {@code EM_RISCV}, ELFCLASS32 (RISC-V ELF psABI, ILP32 ABIs). */
    RISCV32(ElfConstants.EM_RISCV, 32, "riscv32", 0xc000_0000L);

    private final int machine;
    private final int bits;
    private final String displayName;
    private final long textBase;

    Arch(int machine, int bits, String displayName, long textBase) {
        this.machine = machine;
        this.bits = bits;
        this.displayName = displayName;
        this.textBase = textBase;
    }

    /** {@return the ELF e_machine value} */
    public int machine() {
        return machine;
    }

    /** {@return 32 or 64: the ELF class} */
    public int bits() {
        return bits;
    }

    /** {@return the conventional short name, as in Debian's triplets} */
    public String displayName() {
        return displayName;
    }

    /** {@return the address of the first byte of kernel text ({@code _text})} */
    public long textBase() {
        return textBase;
    }

    /**
     * {@return the end (exclusive) of the range a synthesized kernel table may use}: 512 MiB of
     * kernel image on every architecture (the x86_64 kernel image mapping is 512 MiB or 1 GiB;
     * riscv's and arm64's kernel image areas are at least as large), so ~33 million 16-byte slots.
     */
    public long textLimit() {
        return textBase + 0x2000_0000L;
    }

    /**
     * {@return the architecture of an object with e_machine {@code machine} and ELF class {@code bits}, or null}
     *
     * @param machine the ELF {@code e_machine} value
     * @param bits    32 for ELFCLASS32, 64 for ELFCLASS64
     */
    public static Arch of(int machine, int bits) {
        for (Arch a : values()) {
            if (a.machine == machine && a.bits == bits) {
                return a;
            }
        }
        return null;
    }

    /**
     * {@return the architecture of an object with this header, or null when kobj has none for it}
     *
     * @param header the object's ELF header
     */
    public static Arch of(ElfHeader header) {
        return of(header.machine(), header.bits());
    }
}
