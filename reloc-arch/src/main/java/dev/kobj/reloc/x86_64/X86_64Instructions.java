package dev.kobj.reloc.x86_64;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The x86-64 encoders: little-endian fields of 1, 2, 4 or 8 bytes, and the check of the
 * instruction a GOTPCRELX relocation patches. x86-64 relocations never reshape an
 * instruction: they write a whole little-endian field (an imm/disp32, a data word), so the
 * encoder is the field writer.
 */
final class X86_64Instructions {
    private static final ValueLayout.OfByte U8 = ValueLayout.JAVA_BYTE;
    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private X86_64Instructions() {
    }

    /** Writes the low {@code bytes} bytes of {@code value}, little-endian, at {@code offset}. */
    /**
     * Writes the low {@code bytes} bytes of {@code value} little-endian at {@code array[at]}: what
     * {@link #writeField} does on a heap segment, in plain array stores (cheap before the JIT
     * compiles segment access). The caller checked that the field lies inside the section.
     */
    static void writeLittleEndian(byte[] array, int at, int bytes, long value) {
        switch (bytes) {
            case 8 -> {
                array[at + 7] = (byte) (value >>> 56);
                array[at + 6] = (byte) (value >>> 48);
                array[at + 5] = (byte) (value >>> 40);
                array[at + 4] = (byte) (value >>> 32);
                array[at + 3] = (byte) (value >>> 24);
                array[at + 2] = (byte) (value >>> 16);
                array[at + 1] = (byte) (value >>> 8);
                array[at] = (byte) value;
            }
            case 4 -> {
                array[at + 3] = (byte) (value >>> 24);
                array[at + 2] = (byte) (value >>> 16);
                array[at + 1] = (byte) (value >>> 8);
                array[at] = (byte) value;
            }
            default -> {
                for (int k = 0; k < bytes; k++) {
                    array[at + k] = (byte) (value >>> (8 * k));
                }
            }
        }
    }

    static void writeField(MemorySegment segment, long offset, int bytes, long value) {
        switch (bytes) {
            case 1 -> segment.set(U8, offset, (byte) value);
            case 2 -> segment.set(U16, offset, (short) value);
            case 4 -> segment.set(U32, offset, (int) value);
            case 8 -> segment.set(U64, offset, value);
            default -> throw new IllegalArgumentException("field of " + bytes + " bytes");
        }
    }

    /**
     * Checks that the disp32 at {@code offset} belongs to an instruction that the psABI lets
     * GOTPCRELX (or, with {@code rex}, REX_GOTPCRELX) mark, the forms gas and LLVM emit them for:
     * opcode, then a ModRM byte with mod=00 and r/m=101 (RIP-relative, disp32 follows), the
     * disp32 ending the instruction. Opcodes: 8B {@code mov r, m}; FF /2 {@code call *m};
     * FF /4 {@code jmp *m}; 85 {@code test m, r}; 03 13 23 3B 0B 1B 2B 33 {@code add adc and cmp
     * or sbb sub xor r, m}. REX_GOTPCRELX also needs a REX prefix (40-4F) before the opcode.
     * kobj uses the GOT entry and never rewrites the instruction, so the check only guards
     * against a relocation that does not describe the bytes it patches.
     *
     * @return null when the instruction is one of those, else what is wrong with it
     */
    static String checkGotpcrelx(MemorySegment segment, long offset, boolean rex) {
        int before = rex ? 3 : 2;
        if (offset < before) {
            return "the place is at offset " + offset + ", leaving no room for the "
                    + (rex ? "REX prefix, opcode and ModRM byte" : "opcode and ModRM byte") + " before it";
        }
        int modrm = Byte.toUnsignedInt(segment.get(U8, offset - 1));
        int opcode = Byte.toUnsignedInt(segment.get(U8, offset - 2));
        String found = rex ? hex(segment.get(U8, offset - 3)) + " " + hex((byte) opcode) + " " + hex((byte) modrm)
                : hex((byte) opcode) + " " + hex((byte) modrm);
        if ((modrm & 0xC7) != 0x05) {
            return "the ModRM byte before the place is not RIP-relative (mod=00, r/m=101): found " + found;
        }
        boolean known = switch (opcode) {
            case 0x8B, 0x85, 0x03, 0x0B, 0x13, 0x1B, 0x23, 0x2B, 0x33, 0x3B -> true;
            case 0xFF -> ((modrm >> 3) & 7) == 2 || ((modrm >> 3) & 7) == 4;
            default -> false;
        };
        if (!known) {
            return "the instruction before the place is not a mov, call, jmp, test or ALU load: found " + found;
        }
        if (rex) {
            int prefix = Byte.toUnsignedInt(segment.get(U8, offset - 3));
            if ((prefix & 0xF0) != 0x40) {
                return "no REX prefix before the opcode: found " + found;
            }
        }
        return null;
    }

    private static String hex(byte b) {
        return String.format("%02x", b);
    }
}
