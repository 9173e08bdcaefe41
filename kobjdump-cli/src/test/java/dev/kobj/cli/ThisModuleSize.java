package dev.kobj.cli;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Rewrites the sh_size of an ELF64 little-endian object's .gnu.linkonce.this_module (gABI section header). */
final class ThisModuleSize {
    private ThisModuleSize() {
    }

    static byte[] withSize(byte[] elf, long size) {
        byte[] out = elf.clone();
        ByteBuffer b = ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
        long shoff = b.getLong(0x28);
        int shentsize = b.getShort(0x3a) & 0xffff;
        int shnum = b.getShort(0x3c) & 0xffff;
        int shstrndx = b.getShort(0x3e) & 0xffff;
        long strOff = b.getLong((int) (shoff + (long) shstrndx * shentsize + 0x18));
        for (int i = 0; i < shnum; i++) {
            int h = (int) (shoff + (long) i * shentsize);
            int name = b.getInt(h);
            int start = (int) (strOff + name);
            int end = start;
            while (out[end] != 0) {
                end++;
            }
            if (new String(out, start, end - start, StandardCharsets.ISO_8859_1).equals(".gnu.linkonce.this_module")) {
                b.putLong(h + 0x20, size);
                return out;
            }
        }
        throw new IllegalArgumentException("no .gnu.linkonce.this_module");
    }
}
