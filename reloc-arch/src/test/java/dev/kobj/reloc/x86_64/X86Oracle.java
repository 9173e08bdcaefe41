package dev.kobj.reloc.x86_64;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The tests' own model of the x86-64 relocations, written apart from the main code (which it
 * never calls): the psABI formulas without their "+ A", the field widths, the ranges that GNU ld
 * 2.40 accepts (found by linking {@code .word sym}, {@code .byte sym - .}, {@code .reloc}
 * probes with {@code --defsym sym=N} at both sides of each edge), and little-endian decoders.
 */
final class X86Oracle {
    private X86Oracle() {
    }

    /** How a field is read back. */
    enum Ext {
        /** Sign-extended from the field. */
        SIGNED,
        /** Zero-extended from the field. */
        UNSIGNED,
        /** ld's bitfield: the field holds the value modulo 2^n, either sign. */
        BITFIELD,
        /** A full 64-bit word. */
        FULL
    }

    /** One appliable type: field bytes, how it reads back, inclusive range. */
    record Spec(int type, String name, int bytes, Ext ext, long min, long max) {
        boolean fits(long v) {
            return min <= v && v <= max;
        }
    }

    static final Map<Integer, Spec> APPLIABLE = new TreeMap<>();

    private static void spec(int type, String name, int bytes, Ext ext, long min, long max) {
        APPLIABLE.put(type, new Spec(type, name, bytes, ext, min, max));
    }

    static {
        long lo32 = -2147483648L;
        long hi32 = 2147483647L;
        spec(1, "R_X86_64_64", 8, Ext.FULL, Long.MIN_VALUE, Long.MAX_VALUE);
        spec(2, "R_X86_64_PC32", 4, Ext.SIGNED, lo32, hi32);
        spec(3, "R_X86_64_GOT32", 4, Ext.SIGNED, lo32, hi32);
        spec(4, "R_X86_64_PLT32", 4, Ext.SIGNED, lo32, hi32);
        spec(9, "R_X86_64_GOTPCREL", 4, Ext.SIGNED, lo32, hi32);
        spec(10, "R_X86_64_32", 4, Ext.UNSIGNED, 0, 4294967295L);
        spec(11, "R_X86_64_32S", 4, Ext.SIGNED, lo32, hi32);
        spec(12, "R_X86_64_16", 2, Ext.BITFIELD, -65536, 65535);
        spec(13, "R_X86_64_PC16", 2, Ext.BITFIELD, -65536, 65535);
        spec(14, "R_X86_64_8", 1, Ext.BITFIELD, -256, 255);
        spec(15, "R_X86_64_PC8", 1, Ext.SIGNED, -128, 127);
        spec(24, "R_X86_64_PC64", 8, Ext.FULL, Long.MIN_VALUE, Long.MAX_VALUE);
        spec(25, "R_X86_64_GOTOFF64", 8, Ext.FULL, Long.MIN_VALUE, Long.MAX_VALUE);
        spec(26, "R_X86_64_GOTPC32", 4, Ext.SIGNED, lo32, hi32);
        spec(27, "R_X86_64_GOT64", 8, Ext.FULL, Long.MIN_VALUE, Long.MAX_VALUE);
        spec(28, "R_X86_64_GOTPCREL64", 8, Ext.FULL, Long.MIN_VALUE, Long.MAX_VALUE);
        spec(29, "R_X86_64_GOTPC64", 8, Ext.FULL, Long.MIN_VALUE, Long.MAX_VALUE);
        spec(30, "R_X86_64_GOTPLT64", 8, Ext.FULL, Long.MIN_VALUE, Long.MAX_VALUE);
        spec(31, "R_X86_64_PLTOFF64", 8, Ext.FULL, Long.MIN_VALUE, Long.MAX_VALUE);
        spec(32, "R_X86_64_SIZE32", 4, Ext.UNSIGNED, 0, 4294967295L);
        spec(33, "R_X86_64_SIZE64", 8, Ext.FULL, Long.MIN_VALUE, Long.MAX_VALUE);
        spec(39, "R_X86_64_PC32_BND", 4, Ext.SIGNED, lo32, hi32);
        spec(40, "R_X86_64_PLT32_BND", 4, Ext.SIGNED, lo32, hi32);
        spec(41, "R_X86_64_GOTPCRELX", 4, Ext.SIGNED, lo32, hi32);
        spec(42, "R_X86_64_REX_GOTPCRELX", 4, Ext.SIGNED, lo32, hi32);
    }

    /** Types a dynamic linker applies. */
    static final List<Integer> DYNAMIC = List.of(5, 6, 7, 8, 37, 38);
    /** Thread-local storage types. */
    static final List<Integer> TLS = List.of(16, 17, 18, 19, 20, 21, 22, 23, 34, 35, 36);
    /** Types that use a GOT entry (G). */
    static final List<Integer> GOT_ENTRY = List.of(3, 9, 27, 28, 30, 41, 42);
    /** Types that use the GOT's own address and no entry. */
    static final List<Integer> GOT_BASE_ONLY = List.of(25, 26, 29, 31);
    /** Types that may branch through a PLT entry. */
    static final List<Integer> PLT = List.of(4, 40);

    /**
     * The psABI formula of {@code type} less its "+ A" (every appliable formula adds A once),
     * with {@code entry} = G + GOT, {@code l} = the PLT entry (0: none), all wrapping.
     */
    static long withoutAddend(int type, long s, long p, long z, long entry, long gotBase, long l) {
        return switch (type) {
            case 1, 10, 11, 12, 14 -> s;
            case 2, 13, 15, 24, 39 -> s - p;
            case 4, 40 -> s - p; // the direct branch; L replaces S only when that is out of range
            case 9, 28, 41, 42 -> entry - p;
            case 3, 27, 30 -> entry - gotBase;
            case 25 -> s - gotBase;
            case 26, 29 -> gotBase - p;
            case 31 -> (l != 0 ? l : s) - gotBase;
            case 32, 33 -> z;
            default -> throw new IllegalArgumentException("not appliable: " + type);
        };
    }

    /** {@return the {@code bytes}-byte little-endian unsigned integer at {@code off}} */
    static long readLittleEndian(byte[] b, int off, int bytes) {
        long r = 0;
        for (int i = bytes - 1; i >= 0; i--) {
            r = (r << 8) | (b[off + i] & 0xFF);
        }
        return r;
    }

    /** {@return whether the field at {@code off} decodes to {@code v} as {@code spec} reads it} */
    static boolean decodesTo(Spec spec, byte[] b, int off, long v) {
        long raw = readLittleEndian(b, off, spec.bytes());
        int shift = 64 - 8 * spec.bytes();
        return switch (spec.ext()) {
            case FULL -> raw == v;
            case UNSIGNED -> raw == v;
            case SIGNED -> (raw << shift) >> shift == v;
            case BITFIELD -> raw == ((v << shift) >>> shift);
        };
    }

    /**
     * {@return whether the bytes before a GOTPCRELX place are one of the instructions gas and
     * LLVM mark with it}: REX (for REX_GOTPCRELX), opcode, ModRM with mod 00 and r/m 101.
     */
    static boolean isGotpcrelxInstruction(byte[] b, int place, boolean rex) {
        if (place < (rex ? 3 : 2)) {
            return false;
        }
        int modrm = b[place - 1] & 0xFF;
        int opcode = b[place - 2] & 0xFF;
        int mod = modrm >> 6;
        int reg = (modrm >> 3) & 7;
        int rm = modrm & 7;
        if (mod != 0 || rm != 5) {
            return false;
        }
        boolean ok = List.of(0x8B, 0x85, 0x03, 0x13, 0x23, 0x3B, 0x0B, 0x1B, 0x2B, 0x33).contains(opcode)
                || (opcode == 0xFF && (reg == 2 || reg == 4));
        return ok && (!rex || (b[place - 3] & 0xFF) >> 4 == 4);
    }
}
