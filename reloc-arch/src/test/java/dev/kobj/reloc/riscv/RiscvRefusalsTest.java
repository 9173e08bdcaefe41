package dev.kobj.reloc.riscv;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kobj.elf.RelocationTypes;
import dev.kobj.elf.Arch;
import dev.kobj.reloc.Fixup;
import dev.kobj.reloc.RelocationEngines;
import dev.kobj.reloc.RelocationException;
import dev.kobj.reloc.RelocationException.Reason;
import dev.kobj.reloc.RelocationKind;
import dev.kobj.reloc.RelocationKind.Category;
import java.nio.ByteOrder;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Refusals with their reasons and messages, the markers, the kinds table and the registry. */
class RiscvRefusalsTest {
    static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

    static RelocationException refuse(RiscvEngine e, Fixup f) {
        Section sec = new Section(32, 0x1000, 7);
        byte[] before = sec.copy();
        RelocationException x = sec.applyAll(e, LE, List.of(f));
        assertThat(x).as("%s refused", f).isNotNull();
        assertThat(sec.bytes).as("no byte changed").isEqualTo(before);
        return x;
    }

    @ParameterizedTest
    @ValueSource(ints = {3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 21, 22, 29, 30, 31, 32, 46, 47, 48, 49, 50, 58, 62, 63, 64, 65})
    void knownButNotApplicable(int type) {
        for (RiscvEngine e : List.of(RiscvEngine.rv64(), RiscvEngine.rv32())) {
            RelocationException x = refuse(e, Fixup.of(type, 8, 0x1008, 0x2000, 0, "tls_var", "m.o: .text+0x8"));
            assertThat(x.reason()).isEqualTo(Reason.NOT_APPLICABLE);
            assertThat(x.type()).isEqualTo(type);
            assertThat(x.getMessage()).startsWith("m.o: .text+0x8: relocation " + RiscvKind.of(type).psabiName()
                    + " cannot be applied by kobj: ").endsWith("; references 'tls_var'");
            assertThat(e.appliable(type)).isFalse();
        }
    }

    @Test
    void theReasonsSayWhy() {
        RiscvEngine e = RiscvEngine.rv64();
        assertThat(refuse(e, Fixup.of(3, 8, 0x1008, 0, 0, "", "m.o: .data+0x8")).getMessage())
                .isEqualTo("m.o: .data+0x8: relocation R_RISCV_RELATIVE cannot be applied by kobj: it is a dynamic relocation, which only a dynamic linker applies");
        assertThat(refuse(e, Fixup.of(29, 8, 0x1008, 0, 0, "t", "m.o: .text+0x8")).getMessage())
                .contains("thread-local storage is not supported in modules");
        assertThat(refuse(e, Fixup.of(47, 8, 0x1008, 0, 0, "g", "m.o: .text+0x8")).getMessage())
                .contains("__global_pointer$");
    }

    @ParameterizedTest
    @ValueSource(ints = {13, 14, 15, 41, 42, 66, 191, 192, 255, 1000, -1})
    void unknownTypes(int type) {
        RelocationException x = refuse(RiscvEngine.rv64(), Fixup.of(type, 8, 0x1008, 0, 0, "x", "m.o: .text+0x8"));
        assertThat(x.reason()).isEqualTo(Reason.UNKNOWN_TYPE);
        assertThat(x.getMessage()).isEqualTo("m.o: .text+0x8: unknown relocation (" + type + ") for RISC-V; references 'x'");
        assertThat(RiscvEngine.rv64().kind(type)).isEmpty();
    }

    /** gas emits R_RISCV_64 for {@code .dword sym} and ADD64/SUB64 for a {@code .dword} label difference on RV32 too. */
    @Test
    void sixtyFourBitDataWordsApplyOnRv32() {
        Section sec = new Section(16, 0x8000_0000L, 8);
        sec.putWord(8, 8, LE, 5);
        List<Fixup> fx = List.of(Fixup.of(2, 0, 0x8000_0000L, 0xffff_fffeL, 4, "foo", "m.o: .data+0x0"),
                Fixup.of(36, 8, 0x8000_0008L, 0xc000_0100L, 0, ".Lb", "m.o: .data+0x8"),
                Fixup.of(40, 8, 0x8000_0008L, 0xc000_0010L, 0, ".La", "m.o: .data+0x8"));
        assertThat(sec.applyAll(RiscvEngine.rv32(), LE, fx)).isNull();
        assertThat(sec.word(0, 8, LE)).isEqualTo(0x1_0000_0002L);
        assertThat(sec.word(8, 8, LE)).isEqualTo(5 + 0xf0);
        assertThat(RiscvEngine.rv32().appliable(2)).isTrue();
    }

    @Test
    void aLonePcrelLo12CannotBeAppliedAlone() throws Exception {
        Section sec = new Section(16, 0x1000, 1);
        sec.putInsn32(4, 0x00050513); // addi a0, a0, 0
        byte[] before = sec.copy();
        RelocationException x = sec.apply(RiscvEngine.rv64(), LE, Fixup.of(24, 4, 0x1004, 0x1000, 0, ".L0 ", "m.o: .text+0x4"));
        assertThat(x.reason()).isEqualTo(Reason.MISSING_PARTNER);
        assertThat(x.getMessage()).contains("apply() sees one fixup").contains("at 0x1000").contains("applyAll()");
        assertThat(sec.bytes).isEqualTo(before);
        RelocationException y = sec.apply(RiscvEngine.rv64(), LE, Fixup.of(60, 4, 0x1004, 0x1000, 0, ".L1", "m.o: .text+0x4"));
        assertThat(y.reason()).isEqualTo(Reason.MISSING_PARTNER);
    }

    @Test
    void unpairedUleb128() {
        RiscvEngine e = RiscvEngine.rv64();
        Fixup set = Fixup.of(60, 4, 0x1004, 0x1100, 0, ".Lend", "m.o: .gcc_except_table+0x4");
        Fixup sub = Fixup.of(61, 4, 0x1004, 0x1000, 0, ".Lstart", "m.o: .gcc_except_table+0x4");
        Fixup subElsewhere = Fixup.of(61, 5, 0x1005, 0x1000, 0, ".Lstart", "m.o: .gcc_except_table+0x5");
        for (List<Fixup> fx : List.of(List.of(set), List.of(sub), List.of(sub, set), List.of(set, subElsewhere))) {
            Section sec = new Section(16, 0x1000, 2);
            byte[] before = sec.copy();
            assertThat(sec.applyAll(e, LE, fx).reason()).isEqualTo(Reason.MISSING_PARTNER);
            assertThat(sec.bytes).isEqualTo(before);
        }
    }

    @Test
    void markersChangeNothing() {
        for (int type : new int[] {0, 51}) {
            Section sec = new Section(16, 0x1000, 3);
            byte[] before = sec.copy();
            assertThat(sec.applyAll(RiscvEngine.rv64(), LE, List.of(Fixup.of(type, 4, 0x1004, 0x77, 5, "", "m.o")))).isNull();
            assertThat(sec.bytes).isEqualTo(before);
        }
    }

    /** ALIGN of addend A wants the instruction at P + A aligned to the least power of two above A. */
    @Test
    void alignIsCheckedNeverSatisfiedByDeletingBytes() {
        Section sec = new Section(0x200, 0, 4);
        byte[] before = sec.copy();
        // the padding of testdata/obj/riscv64-*/riscv.o: ALIGN at 0x188 with addend 14, i.e. 16-byte alignment
        RelocationException x = sec.applyAll(RiscvEngine.rv64(), LE, List.of(Fixup.of(43, 0x188, 0x188, 0, 14, "", "riscv.o: .text+0x188")));
        assertThat(x.reason()).isEqualTo(Reason.MISALIGNED);
        assertThat(x.getMessage()).isEqualTo("riscv.o: .text+0x188: relocation R_RISCV_ALIGN: the instruction after the 14 bytes "
                + "of nops, at 0x196, is not aligned to 16 bytes, and kobj does not delete bytes (no linker relaxation): "
                + "build with -mno-relax, or place the section so that it holds");
        assertThat(sec.bytes).isEqualTo(before);
        assertThat(sec.applyAll(RiscvEngine.rv64(), LE, List.of(Fixup.of(43, 0x182, 0x182, 0, 14, "", "riscv.o")))).isNull();
        assertThat(sec.applyAll(RiscvEngine.rv64(), LE, List.of(Fixup.of(43, 0x1fe, 0x1fe, 0, 2, "", "riscv.o")))).isNull();
        assertThat(sec.applyAll(RiscvEngine.rv64(), LE, List.of(Fixup.of(43, 0x1fe, 0x1fe, 0, 4, "", "riscv.o"))).reason())
                .isEqualTo(Reason.BAD_PLACE);
        assertThat(sec.bytes).isEqualTo(before);
        assertThat(RiscvFixups.alignmentOf(0)).isEqualTo(1);
        assertThat(RiscvFixups.alignmentOf(2)).isEqualTo(4);
        assertThat(RiscvFixups.alignmentOf(4)).isEqualTo(8);
        assertThat(RiscvFixups.alignmentOf(14)).isEqualTo(16);
        assertThat(RiscvFixups.alignmentOf(16)).isEqualTo(32);
    }

    @Test
    void placesOutsideTheSection() {
        for (long off : new long[] {-1, 30, 31, 1L << 40}) {
            Section sec = new Section(32, 0x1000, 5);
            byte[] before = sec.copy();
            RelocationException x = sec.applyAll(RiscvEngine.rv64(), LE, List.of(Fixup.of(1, off, 0x1000 + off, 0, 0, "d", "m.o")));
            assertThat(x.reason()).isEqualTo(Reason.BAD_PLACE);
            assertThat(sec.bytes).isEqualTo(before);
        }
    }

    @Test
    void aGotHi20WithoutGotEntry() {
        Section sec = new Section(16, 0x1000, 6);
        sec.putInsn32(0, 0x00000517);
        RelocationException x = sec.applyAll(RiscvEngine.rv64(), LE, List.of(Fixup.of(20, 0, 0x1000, 0x5000, 0, "ext", "m.o: .text+0x0")));
        assertThat(x.reason()).isEqualTo(Reason.MISSING_PARTNER);
        assertThat(x.getMessage()).isEqualTo("m.o: .text+0x0: relocation R_RISCV_GOT_HI20: no GOT entry was made for this symbol and addend; references 'ext'");
    }

    @Test
    void kindsTableAgreesWithReadelfNamesAndCategories() {
        for (RiscvEngine e : List.of(RiscvEngine.rv64(), RiscvEngine.rv32())) {
            assertThat(e.kinds()).hasSize(RiscvKind.values().length);
            for (RelocationKind k : e.kinds()) {
                RelocationTypes.name(243, k.type()).ifPresent(n -> assertThat(k.name()).isEqualTo(n));
                assertThat(e.kind(k.type())).contains(k);
                boolean refused = k.category() == Category.TLS || k.category() == Category.DYNAMIC;
                if (refused) {
                    assertThat(e.appliable(k.type())).isFalse();
                }
            }
        }
        for (int t = 0; t < 62; t++) {
            if (t == 12) {
                continue; // R_RISCV_TLSDESC: in the psABI, not in readelf 2.40's table that elf-parser copies
            }
            assertThat(RelocationTypes.name(243, t).isPresent()).as("type %d", t).isEqualTo(RiscvKind.of(t) != null);
        }
        RelocationKind jal = RiscvEngine.rv64().kind(17).orElseThrow();
        assertThat(jal).isEqualTo(new RelocationKind(17, "R_RISCV_JAL", "S + A - P", Category.BRANCH, 21, -1048576, 1048575, 2));
        assertThat(RiscvEngine.rv32().kind(26).orElseThrow().min()).isEqualTo(Integer.MIN_VALUE);
    }

    @Test
    void registryReturnsTheEngines() {
        assertThat(RelocationEngines.forMachine(243, 64)).containsSame(RiscvEngine.rv64());
        assertThat(RelocationEngines.forMachine(243, 32)).containsSame(RiscvEngine.rv32());
        assertThat(RiscvEngine.rv64().arch()).isEqualTo(Arch.RISCV64);
        assertThat(RiscvEngine.rv32().arch()).isEqualTo(Arch.RISCV32);
    }
}
