package dev.kobj.elf;

import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Unaligned 16-, 32- and 64-bit layouts of each byte order (an ELF file's EI_DATA:
 * ELFDATA2LSB or ELFDATA2MSB), as constants: the JIT folds a constant layout's var handle into
 * a plain load or store, while a layout made by {@code withOrder} at the call, or held in a
 * field, is checked at every access.
 */
public final class ByteOrderLayouts {
    /** Little-endian, unaligned. */
    public static final ValueLayout.OfShort LE16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    /** Little-endian, unaligned. */
    public static final ValueLayout.OfInt LE32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    /** Little-endian, unaligned. */
    public static final ValueLayout.OfLong LE64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    /** Big-endian, unaligned. */
    public static final ValueLayout.OfShort BE16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    /** Big-endian, unaligned. */
    public static final ValueLayout.OfInt BE32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    /** Big-endian, unaligned. */
    public static final ValueLayout.OfLong BE64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private ByteOrderLayouts() {
    }
}
