package dev.kobj.emu;

/**
 * Where things are in the guest, as offsets from the CPU's kernel base ({@link Cpu}): x86-64 and
 * RISC-V at 0xffffffff80000000 (the top 2 GiB that {@code -mcmodel=kernel} and medlow code can
 * address), AArch64 at 0xffff800008000000 (arm64's kernel image address). Everything is within
 * 2 GiB of the modules, so PC-relative references to kernel stubs and data always reach.
 *
 * <pre>
 * +0x0000000  kernel text: page 0 code stubs (return, x86 thunks), then one hooked stub per function
 * +0x0100000  kernel data: one zeroed 4 KiB slot per undefined data symbol
 * +0x1200000  current task (64 KiB, zero)
 * +0x1300000  stack guard page (never mapped: an overflow faults there)
 * +0x1301000  stack (256 KiB), grows down from +0x1341000
 * +0x2000000  kernel heap (64 MiB) for kmalloc and friends
 * +0x8000000  modules (the {@link GuestMemory}'s chosen addresses)
 * </pre>
 */
final class GuestMap {
    private GuestMap() {
    }

    static final long PAGE = 4096;
    static final long TEXT = 0, TEXT_SIZE = 0x40000;
    /** Bytes per hooked stub. */
    static final int STUB = 16;
    static final long DATA = 0x100000, DATA_SLOT = 4096, DATA_SIZE = 0x1000000;
    static final long TASK = 0x1200000, TASK_SIZE = 0x10000;
    static final long GUARD = 0x1300000;
    static final long STACK = 0x1301000, STACK_SIZE = 0x40000;
    static final long HEAP = 0x2000000, HEAP_SIZE = 0x4000000;
    static final long MODULES = 0x8000000;

    static long pageUp(long n) {
        return (n + PAGE - 1) & -PAGE;
    }
}
