package dev.kobj.reloc.riscv;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kobj.reloc.Fixup;
import dev.kobj.reloc.RelocationException;
import java.nio.ByteOrder;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The exact edges of every range, on both sides, with lld's messages: the last value that
 * fits is written and reads back, the first that does not is refused with nothing changed.
 */
class RiscvEdgesTest {

    static int insnFor(RiscvKind k) {
        return switch (k) {
            case BRANCH -> 0x00b50463 & ~0xfe000f80; // beq a0, a1, 0
            case JAL -> 0x000000ef; // jal ra, 0
            case RVC_BRANCH -> 0xc001; // c.beqz s0, 0
            case RVC_JUMP -> 0xa001; // c.j 0
            case PCREL_HI20, GOT_HI20, CALL, CALL_PLT -> 0x00000517; // auipc a0, 0
            case HI20 -> 0x00000537; // lui a0, 0
            case ABS32, PCREL32, PLT32 -> 0;
            default -> throw new AssertionError(k);
        };
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @CsvSource({
        // kind, xlen, value, outcome (ok | message's range)
        "BRANCH, 64, 4094, ok", "BRANCH, 64, -4096, ok", "BRANCH, 64, 4096, '[-4096, 4095]'", "BRANCH, 64, -4098, '[-4096, 4095]'",
        "BRANCH, 64, 3, 'aligned to 2'", "BRANCH, 32, 4094, ok", "BRANCH, 32, 4096, '[-4096, 4095]'",
        "JAL, 64, 1048574, ok", "JAL, 64, -1048576, ok", "JAL, 64, 1048576, '[-1048576, 1048575]'",
        "JAL, 64, -1048578, '[-1048576, 1048575]'", "JAL, 64, 1048575, 'aligned to 2'", "JAL, 32, -1048578, '[-1048576, 1048575]'",
        "RVC_BRANCH, 64, 254, ok", "RVC_BRANCH, 64, -256, ok", "RVC_BRANCH, 64, 256, '[-256, 255]'",
        "RVC_BRANCH, 64, -258, '[-256, 255]'", "RVC_BRANCH, 32, 255, 'aligned to 2'",
        "RVC_JUMP, 64, 2046, ok", "RVC_JUMP, 64, -2048, ok", "RVC_JUMP, 64, 2048, '[-2048, 2047]'",
        "RVC_JUMP, 32, -2050, '[-2048, 2047]'", "RVC_JUMP, 64, 7, 'aligned to 2'",
        "PCREL_HI20, 64, 2147481599, ok", "PCREL_HI20, 64, -2147485696, ok",
        "PCREL_HI20, 64, 2147481600, '[-2147485696, 2147481599]'", "PCREL_HI20, 64, -2147485697, '[-2147485696, 2147481599]'",
        "PCREL_HI20, 32, 2147483647, ok", "PCREL_HI20, 32, -2147483648, ok",
        "GOT_HI20, 64, 2147481599, ok", "GOT_HI20, 64, 2147481600, '[-2147485696, 2147481599]'",
        "HI20, 64, 2147481599, ok", "HI20, 64, -2147485696, ok", "HI20, 64, 2147481600, '[-2147485696, 2147481599]'",
        "HI20, 64, -2147485697, '[-2147485696, 2147481599]'", "HI20, 32, 2147483647, ok",
        "CALL, 64, 2147481599, ok", "CALL, 64, -2147485696, ok", "CALL, 64, 2147481600, '[-2147485696, 2147481599]'",
        "CALL_PLT, 64, -2147485697, '[-2147485696, 2147481599]'", "CALL_PLT, 32, -2147483648, ok",
        "ABS32, 64, 4294967295, ok", "ABS32, 64, -2147483648, ok", "ABS32, 64, 4294967296, '[-2147483648, 4294967295]'",
        "ABS32, 64, -2147483649, '[-2147483648, 4294967295]'",
        "PCREL32, 64, 2147483647, ok", "PCREL32, 64, -2147483648, ok", "PCREL32, 64, 2147483648, '[-2147483648, 2147483647]'",
        "PLT32, 64, -2147483649, '[-2147483648, 2147483647]'", "PLT32, 32, 2147483647, ok",
    })
    void edges(RiscvKind kind, int xlen, long value, String outcome) {
        boolean pcrel = kind != RiscvKind.HI20 && kind != RiscvKind.ABS32;
        long p = xlen == 64 ? 0x7fff_0000_1000L : 0x8000_1000L;
        Section sec = new Section(24, p - 8, 99);
        int insn = insnFor(kind);
        int width = switch (kind) {
            case RVC_BRANCH, RVC_JUMP -> 2;
            case CALL, CALL_PLT -> 8;
            default -> 4;
        };
        if (width == 2) {
            sec.putInsn16(8, insn);
        } else if (insn != 0) {
            sec.putInsn32(8, insn);
        }
        if (width == 8) {
            sec.putInsn32(12, 0x000500e7); // jalr ra, 0(a0)
        }
        long s = pcrel ? p + value : value;
        long got = 0;
        if (kind == RiscvKind.GOT_HI20) {
            got = s;
            s = 0x1000;
        }
        if (xlen == 32) {
            s &= 0xffff_ffffL;
            got &= 0xffff_ffffL;
        }
        Fixup f = new Fixup(kind.type(), 8, p, s, 0, 0, got, 0, 0, "foo", "m.o: .text+0x8");
        byte[] before = sec.copy();
        RelocationException x = sec.applyAll(xlen == 64 ? RiscvEngine.rv64() : RiscvEngine.rv32(), ByteOrder.LITTLE_ENDIAN,
                List.of(f));
        if (outcome.equals("ok")) {
            assertThat(x).isNull();
            RiscvInstructionPropertiesTest.Family fam = switch (kind) {
                case ABS32, PCREL32, PLT32 -> null;
                default -> RiscvInstructionPropertiesTest.Family.valueOf(kind.name());
            };
            if (fam == null) {
                assertThat(sec.word(8, 4, ByteOrder.LITTLE_ENDIAN)).isEqualTo(value & 0xffff_ffffL);
            } else {
                RiscvInstructionPropertiesTest.checkDecoded(fam, xlen, before, sec, value);
            }
        } else if (outcome.startsWith("aligned")) {
            assertThat(x.getMessage()).isEqualTo("m.o: .text+0x8: improper alignment for relocation %s: 0x%x is not aligned to 2 bytes; references 'foo'"
                    .formatted(kind.psabiName(), value));
            assertThat(sec.bytes).isEqualTo(before);
        } else {
            assertThat(x.getMessage()).isEqualTo("m.o: .text+0x8: relocation %s out of range: %d is not in %s; references 'foo'"
                    .formatted(kind.psabiName(), value, outcome));
            assertThat(sec.bytes).isEqualTo(before);
        }
    }
}
