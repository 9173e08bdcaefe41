package dev.kobj.emu;

/**
 * The values a few kernel data symbols have after boot, written into their slots when first
 * used (every other data symbol is zero): facts of Linux 6.1 on one CPU.
 */
final class BootData {
    private BootData() {
    }

    /** {@code INITIAL_JIFFIES} for HZ=250 on 64-bit: {@code (unsigned int)(-300 * HZ)}. */
    static final long INITIAL_JIFFIES = 0xffff_ffffL & (-300L * 250);

    static void initialise(String name, long slot, Kernel kernel, Guest guest) throws EmuException {
        switch (name) {
            // x86 `current` is this_cpu_read(current_task): the slot holds the task pointer
            case "current_task" -> guest.writeLong(slot, kernel.task());
            // paravirt operations: every pointer goes to a stub returning 0 (native behaviour
            // for the irq save/restore pair is to keep interrupts off, which 0 flags says)
            case "pv_ops" -> {
                for (long off = 0; off < GuestMap.DATA_SLOT; off += 8) {
                    guest.writeLong(slot + off, kernel.returnZero());
                }
            }
            case "jiffies", "jiffies_64" -> guest.writeLong(slot, INITIAL_JIFFIES);
            case "nr_cpu_ids" -> guest.writeLong(slot, 1);
            // one CPU: bit 0 of each cpumask
            case "__cpu_online_mask", "__cpu_possible_mask", "__cpu_present_mask", "__cpu_active_mask" ->
                    guest.writeLong(slot, 1);
            default -> {
            }
        }
    }
}
