package dev.kobj.symtab;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a module's export table ({@code __ksymtab} or {@code __ksymtab_gpl}, with its
 * {@code __kcrctab*} when the module was built with CONFIG_MODVERSIONS) out of the module's
 * image after relocation, as the kernel does when it adds a module's symbols.
 *
 * <p>Entry layouts ({@code struct kernel_symbol} of Linux 6.1, include/linux/export.h):
 * <ul>
 * <li>{@link Layout#PREL32} (CONFIG_HAVE_ARCH_PREL32_RELOCATIONS, set on x86_64 and arm64):
 *     three {@code int}s, each an offset from its own field's address: {@code value_offset}
 *     at +0, {@code name_offset} at +4, {@code namespace_offset} at +8; 12 bytes an entry.
 *     A namespace offset of 0 means none.
 * <li>{@link Layout#ABSOLUTE}: three pointers {@code value}, {@code name}, {@code namespace}
 *     (NULL for none); 24 bytes on 64-bit, 12 on 32-bit.
 * </ul>
 * Names and namespaces are NUL-terminated strings (in {@code __ksymtab_strings}); the CRC of
 * entry i is the 32-bit word i of {@code __kcrctab} (same order), in the image's byte order.
 */
public final class KsymtabReader {

    /** The two forms of {@code struct kernel_symbol}. */
    public enum Layout {
        /** Three 32-bit self-relative offsets. */
        PREL32,
        /** Three pointers. */
        ABSOLUTE;

        /**
         * {@return the size of one entry with pointers of {@code pointerSize} bytes}
         * @param pointerSize 8 or 4
         */
        public int entrySize(int pointerSize) {
            return this == PREL32 ? 12 : 3 * pointerSize;
        }
    }

    /** The longest name or namespace read (KSYM_NAME_LEN of Linux 6.1, NUL included). */
    public static final int MAX_NAME = 512;

    private final ImageReader image;
    /** A field's bytes, and a name's chunk: reused (one reader reads one module's tables on one thread). */
    private final byte[] word = new byte[4];
    private final byte[] chunkBytes = new byte[64];
    private final Layout layout;
    private final String module;

    /**
     * A reader of one module's export tables.
     *
     * @param image  the relocated module image
     * @param layout the entry layout the module was built with
     * @param module the module's name: the owner of the symbols, and the file named in messages
     */
    public KsymtabReader(ImageReader image, Layout layout, String module) {
        this.image = image;
        this.layout = layout;
        this.module = module;
    }

    /**
     * {@return the symbols of the export table at {@code address} ({@code size} bytes)}, in
     * table order, owned by the module; EXPORT_SYMBOL_GPL when {@code gpl}.
     *
     * @param kcrctab the address of the matching {@code __kcrctab*}, or 0 when the module has
     *                none (the CRCs are then -1)
     * @throws SymtabFormatException when the size is not a whole number of entries, or an
     *         entry's name or namespace is not a NUL-terminated string inside the image
     * @param address the load address of the table
     * @param size its size in bytes
     * @param gpl whether it is {@code __ksymtab_gpl}
     */
    public List<KernelSymbol> read(long address, long size, boolean gpl, long kcrctab) throws SymtabFormatException {
        String section = gpl ? "__ksymtab_gpl" : "__ksymtab";
        int entrySize = layout.entrySize(image.pointerSize());
        if (size < 0 || size % entrySize != 0) {
            throw new SymtabFormatException(module, section + " at 0x" + Long.toHexString(address), "size " + size,
                    "not a multiple of the " + layout + " entry size " + entrySize);
        }
        String type = gpl ? "EXPORT_SYMBOL_GPL" : "EXPORT_SYMBOL";
        int count = (int) Math.min(Integer.MAX_VALUE, size / entrySize);
        List<KernelSymbol> out = new ArrayList<>(Math.min(count, 1 << 16));
        byte[] buf = new byte[MAX_NAME]; // one per table, not per name
        for (int i = 0; i < count; i++) {
            long entry = address + (long) i * entrySize;
            long value;
            long name;
            long namespace;
            try {
                if (layout == Layout.PREL32) {
                    value = entry + s32(entry);
                    name = entry + 4 + s32(entry + 4);
                    int nsOffset = s32(entry + 8);
                    namespace = nsOffset == 0 ? 0 : entry + 8 + nsOffset;
                } else {
                    int ps = image.pointerSize();
                    value = pointer(entry);
                    name = pointer(entry + ps);
                    namespace = pointer(entry + 2L * ps);
                }
            } catch (IndexOutOfBoundsException e) {
                throw new SymtabFormatException(module, where(section, i, entry), "",
                        "the entry is outside the image (" + e.getMessage() + ")");
            }
            String n = string(buf, name, section, i, entry, "name");
            if (n.isEmpty()) {
                throw new SymtabFormatException(module, where(section, i, entry), String.format("name at 0x%x", name),
                        "empty symbol name");
            }
            String ns = namespace == 0 ? "" : string(buf, namespace, section, i, entry, "namespace");
            long crc = -1;
            if (kcrctab != 0) {
                try {
                    crc = s32(kcrctab + 4L * i) & 0xffff_ffffL;
                } catch (IndexOutOfBoundsException e) {
                    throw new SymtabFormatException(module, where(section, i, entry),
                            String.format("CRC at 0x%x", kcrctab + 4L * i),
                            "the CRC is outside the image");
                }
            }
            out.add(new KernelSymbol(n, value, crc, module, type, ns));
        }
        return out;
    }

    /** {@return where entry {@code i} is, for a message (made only when one is thrown)} */
    private static String where(String section, int i, long entry) {
        return String.format("%s entry %d at 0x%x", section, i, entry);
    }

    private int s32(long address) {
        byte[] b = word;
        if (!image.readInto(address, b, 0, 4)) {
            b = image.read(address, 4); // throws what the image says is wrong
        }
        return image.littleEndian()
                ? (b[0] & 0xff) | (b[1] & 0xff) << 8 | (b[2] & 0xff) << 16 | (b[3] & 0xff) << 24
                : (b[3] & 0xff) | (b[2] & 0xff) << 8 | (b[1] & 0xff) << 16 | (b[0] & 0xff) << 24;
    }

    private long pointer(long address) {
        if (image.pointerSize() == 4) {
            return s32(address) & 0xffff_ffffL;
        }
        long lo = s32(address) & 0xffff_ffffL;
        long hi = s32(address + 4) & 0xffff_ffffL;
        return image.littleEndian() ? hi << 32 | lo : lo << 32 | hi;
    }

    /** Reads a NUL-terminated string in chunks; a chunk that crosses the image's end is read byte by byte. */
    private String string(byte[] buf, long address, String section, int i, long entry, String what) throws SymtabFormatException {

        int len = 0;
        byte[] b = chunkBytes;
        while (len < MAX_NAME) {
            int chunk = Math.min(64, MAX_NAME - len);
            if (!image.readInto(address + len, b, 0, chunk)) {
                chunk = 1;
                if (!image.readInto(address + len, b, 0, 1)) {
                    throw new SymtabFormatException(module, where(section, i, entry),
                            String.format("%s at 0x%x", what, address), "the " + what + " runs out of the image before its NUL");
                }
            }
            for (int k = 0; k < chunk; k++) {
                byte x = b[k];
                if (x == 0) {
                    return new String(buf, 0, len, StandardCharsets.ISO_8859_1);
                }
                buf[len++] = x;
            }
        }
        throw new SymtabFormatException(module, where(section, i, entry), String.format("%s at 0x%x", what, address),
                "no NUL in the first " + MAX_NAME + " bytes of the " + what);
    }
}
