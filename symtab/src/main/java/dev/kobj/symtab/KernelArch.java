package dev.kobj.symtab;

/**
 * The architectures whose kernel symbol tables kobj can synthesize, with where their kernel
 * text starts. The bases are the Linux 6.1 defaults for a kernel that was not relocated by
 * KASLR: x86_64 {@code __START_KERNEL_map + CONFIG_PHYSICAL_START} (0xffffffff80000000 +
 * 16 MiB), arm64 with 48-bit VAs {@code KIMAGE_VADDR} (the start of the vmalloc area +
 * 128 MiB of module space, 0xffff800008000000), riscv64 {@code KERNEL_LINK_ADDR}
 * (0xffffffff80000000), riscv32 {@code PAGE_OFFSET} (0xc0000000).
 *
 * <p>Kept apart from {@code dev.kobj.reloc.Arch} because symtab does not depend on reloc-arch;
 * {@link #forMachine} maps the same ELF e_machine/class pairs.
 */
public enum KernelArch {
    X86_64(62, 64, 0xffff_ffff_8100_0000L),
    AARCH64(183, 64, 0xffff_8000_0800_0000L),
    RISCV64(243, 64, 0xffff_ffff_8000_0000L),
    RISCV32(243, 32, 0xc000_0000L);

    private final int machine;
    private final int bits;
    private final long textBase;

    KernelArch(int machine, int bits, long textBase) {
        this.machine = machine;
        this.bits = bits;
        this.textBase = textBase;
    }

    /** {@return the ELF e_machine value} */
    public int machine() {
        return machine;
    }

    /** {@return 32 or 64} */
    public int bits() {
        return bits;
    }

    /** {@return the address of the first byte of kernel text ({@code _text})} */
    public long textBase() {
        return textBase;
    }

    /**
     * {@return the end (exclusive) of the range a synthesized table may use}: 512 MiB of kernel
     * image on every architecture (the x86_64 kernel image mapping is 512 MiB or 1 GiB; riscv's
     * and arm64's kernel image areas are at least as large), so ~33 million 16-byte slots.
     */
    public long textLimit() {
        return textBase + 0x2000_0000L;
    }

    /** {@return the architecture of e_machine {@code machine} and ELF class {@code bits}, or null} */
    public static KernelArch forMachine(int machine, int bits) {
        for (KernelArch a : values()) {
            if (a.machine == machine && a.bits == bits) {
                return a;
            }
        }
        return null;
    }
}
