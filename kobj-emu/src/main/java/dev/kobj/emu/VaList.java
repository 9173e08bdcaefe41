package dev.kobj.emu;

/**
 * Reading a C {@code va_list} that a module passes to a kernel function ({@code vsnprintf},
 * {@code vprintk}...), integer-class arguments only (the kernel's formats take no floating point),
 * each argument one 8-byte slot, per the psABI of the CPU:
 * <ul>
 * <li>x86-64 (System V AMD64 psABI 3.5.7, "Variable Argument Lists"): {@code va_list} is an
 *     array of one {@code {u32 gp_offset; u32 fp_offset; void *overflow_arg_area; void
 *     *reg_save_area;}}, so the argument is a pointer to it; an INTEGER argument is at
 *     {@code reg_save_area + gp_offset} while {@code gp_offset < 48} (six registers), then at
 *     {@code overflow_arg_area}, each advancing by 8;
 * <li>AArch64 (AAPCS64 appendix "Variable argument lists"): {@code {void *__stack; void
 *     *__gr_top; void *__vr_top; int __gr_offs; int __vr_offs;}}, 32 bytes, passed by value, so
 *     (a composite over 16 bytes) by reference to the caller's copy; a general-register argument
 *     is at {@code __gr_top + __gr_offs} while {@code __gr_offs < 0} (it grows by 8 towards 0),
 *     then at {@code __stack}, advancing by 8;
 * <li>RISC-V (psABI "Variadic arguments", LP64): {@code va_list} is a plain pointer to the next
 *     8-byte slot (the callee saves a0-a7 next to the stack arguments).
 * </ul>
 * As va_arg in the callee, reading consumes the list: x86-64's and AArch64's state is written
 * back (the callee's list is the caller's object), RISC-V's pointer is the callee's own copy.
 */
final class VaList implements Printf.Args {
    private final Guest guest;
    private final Cpu cpu;
    private final long at;
    private long gp;
    private long stack;
    private long save;

    private VaList(Guest guest, Cpu cpu, long at) throws EmuException {
        this.guest = guest;
        this.cpu = cpu;
        this.at = at;
        switch (cpu) {
            case X86_64 -> {
                gp = guest.readInt(at) & 0xffff_ffffL;
                stack = guest.readLong(at + 8);
                save = guest.readLong(at + 16);
            }
            case AARCH64 -> {
                stack = guest.readLong(at);
                save = guest.readLong(at + 8); // __gr_top
                gp = guest.readInt(at + 24); // __gr_offs, negative while registers remain
            }
            case RISCV64 -> stack = at;
        }
    }

    /** {@return the va_list in argument {@code arg} of call {@code c}} */
    static VaList of(Call c, int arg) throws EmuException {
        return new VaList(c.guest(), c.cpu(), c.arg(arg));
    }

    @Override
    public long next() throws EmuException {
        long addr;
        switch (cpu) {
            case X86_64 -> {
                if (gp < 48) {
                    addr = save + gp;
                    gp += 8;
                    guest.write(at, Guest.le32((int) gp));
                } else {
                    addr = stack;
                    stack += 8;
                    guest.writeLong(at + 8, stack);
                }
            }
            case AARCH64 -> {
                long offs = gp;
                if (offs < 0 && offs + 8 <= 0) {
                    addr = save + offs;
                    gp = offs + 8;
                } else {
                    gp = offs < 0 ? offs + 8 : offs;
                    addr = stack;
                    stack += 8;
                    guest.writeLong(at, stack);
                }
                guest.write(at + 24, Guest.le32((int) gp));
            }
            default -> {
                addr = stack;
                stack += 8;
            }
        }
        return guest.readLong(addr);
    }
}
