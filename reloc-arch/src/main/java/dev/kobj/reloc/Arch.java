package dev.kobj.reloc;

/**
 * The architectures that have a relocation engine, keyed by their ELF e_machine and class.
 * The engines themselves arrive with the relocation-engine issue; this is the one place
 * where an ELF machine number is turned into an architecture.
 */
public enum Arch {
    X86_64(62, 64, "x86_64"),
    AARCH64(183, 64, "aarch64"),
    RISCV64(243, 64, "riscv64"),
    RISCV32(243, 32, "riscv32");

    private final int machine;
    private final int bits;
    private final String displayName;

    Arch(int machine, int bits, String displayName) {
        this.machine = machine;
        this.bits = bits;
        this.displayName = displayName;
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

    /** {@return the architecture of an object with this machine and class, or null} */
    public static Arch of(int machine, int bits) {
        for (Arch a : values()) {
            if (a.machine == machine && a.bits == bits) {
                return a;
            }
        }
        return null;
    }
}
