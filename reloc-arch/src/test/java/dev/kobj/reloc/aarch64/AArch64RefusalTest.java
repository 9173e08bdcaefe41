package dev.kobj.reloc.aarch64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.kobj.elf.ElfConstants;
import dev.kobj.elf.RelocationTypes;
import dev.kobj.elf.Arch;
import dev.kobj.reloc.Fixup;
import dev.kobj.reloc.RelocationEngine;
import dev.kobj.reloc.RelocationEngines;
import dev.kobj.reloc.RelocationException;
import dev.kobj.reloc.RelocationException.Reason;
import dev.kobj.reloc.RelocationKind;
import dev.kobj.reloc.RelocationKind.Category;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The refusals and their messages, the kinds table, and the registry. */
class AArch64RefusalTest {
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    private final AArch64Engine engine = new AArch64Engine();

    private static MemorySegment text(int... insns) {
        MemorySegment s = MemorySegment.ofArray(new byte[4 * insns.length]);
        for (int i = 0; i < insns.length; i++) {
            s.set(ValueLayout.JAVA_INT_UNALIGNED.withOrder(LE), 4L * i, insns[i]);
        }
        return s;
    }

    private RelocationException refuse(MemorySegment s, Fixup f) {
        byte[] before = s.toArray(ValueLayout.JAVA_BYTE);
        RelocationException e = catchThrowableOfType(RelocationException.class, () -> engine.apply(s, LE, f));
        assertThat(e).isNotNull();
        assertThat(s.toArray(ValueLayout.JAVA_BYTE)).as("no byte changed").isEqualTo(before);
        return e;
    }

    @Test
    void call26OutOfRangeSaysWhatLldSays() {
        Fixup f = Fixup.of(283, 0x10, 0x1000, 0x1000 + (1L << 27), 0, "foo", "m.o: .text+0x10");
        RelocationException e = refuse(text(0, 0, 0, 0, 0x94000000), f);
        assertThat(e.reason()).isEqualTo(Reason.OUT_OF_RANGE);
        assertThat(e.value()).isEqualTo(134217728L);
        assertThat(e.getMessage()).isEqualTo("m.o: .text+0x10: relocation R_AARCH64_CALL26 out of range: 134217728 is"
                + " not in [-134217728, 134217727]; references 'foo'");
    }

    @Test
    void call26AtTheEdgesIsAccepted() throws RelocationException {
        MemorySegment s = text(0x94000000, 0x94000000);
        engine.apply(s, LE, Fixup.of(283, 0, 0x1000_0000, 0x1000_0000 + (1L << 27) - 4, 0, "foo", "m.o"));
        engine.apply(s, LE, Fixup.of(283, 4, 0x1000_0004, 0x1000_0004 - (1L << 27), 0, "foo", "m.o"));
        assertThat(Decode.branch26(s.get(Case.LE_INT, 0))).isEqualTo((1L << 27) - 4);
        assertThat(Decode.branch26(s.get(Case.LE_INT, 4))).isEqualTo(-(1L << 27));
        Fixup below = Fixup.of(283, 4, 0x1000_0004, 0x1000_0004 - (1L << 27) - 4, 0, "foo", "m.o");
        assertThat(refuse(s, below).getMessage()).contains("-134217732 is not in [-134217728, 134217727]");
    }

    @Test
    void ldst64MisalignedSaysWhatLldSays() {
        Fixup f = Fixup.of(286, 0, 0x2000, 0x40001000, 4, "bar", "m.o: .text+0x0");
        RelocationException e = refuse(text(0xF9400000), f);
        assertThat(e.reason()).isEqualTo(Reason.MISALIGNED);
        assertThat(e.getMessage()).isEqualTo("m.o: .text+0x0: improper alignment for relocation"
                + " R_AARCH64_LDST64_ABS_LO12_NC: 0x40001004 is not aligned to 8 bytes; references 'bar'");
    }

    @Test
    void wrongInstructionNamesBothClasses() {
        Fixup f = Fixup.of(277, 0, 0x2000, 0x3000, 0, "bar", "m.o: .text+0x0");
        RelocationException e = refuse(text(0xF9400000), f);
        assertThat(e.reason()).isEqualTo(Reason.WRONG_INSTRUCTION);
        assertThat(e.getMessage()).isEqualTo("m.o: .text+0x0: relocation R_AARCH64_ADD_ABS_LO12_NC cannot patch"
                + " 0xf9400000 (LDR/STR (unsigned immediate, 8-byte)): it applies to ADD (immediate); references 'bar'");
    }

    @Test
    void aCall26OnBOrAJump26OnBlIsTheWrongInstruction() {
        assertThat(refuse(text(0x14000000), Fixup.of(283, 0, 0, 8, 0, "f", "m.o")).reason())
                .isEqualTo(Reason.WRONG_INSTRUCTION);
        assertThat(refuse(text(0x94000000), Fixup.of(282, 0, 0, 8, 0, "f", "m.o")).reason())
                .isEqualTo(Reason.WRONG_INSTRUCTION);
    }

    @Test
    void ldstOfTheWrongSizeIsTheWrongInstruction() {
        // LDR W1, [X0] is a 4-byte access: not for LDST64 nor LDST8
        assertThat(refuse(text(0xB9400001), Fixup.of(286, 0, 0, 8, 0, "d", "m.o")).getMessage())
                .contains("(LDR/STR (unsigned immediate, 4-byte))");
        assertThat(refuse(text(0xB9400001), Fixup.of(278, 0, 0, 8, 0, "d", "m.o")).reason())
                .isEqualTo(Reason.WRONG_INSTRUCTION);
    }

    @Test
    void anInstructionAtAnUnalignedAddressIsRefused() {
        RelocationException e = refuse(text(0x94000000), Fixup.of(283, 0, 0x1002, 0x2000, 0, "f", "m.o"));
        assertThat(e.reason()).isEqualTo(Reason.MISALIGNED);
        assertThat(e.getMessage()).contains("the instruction's address 0x1002 is not aligned to 4 bytes");
    }

    @Test
    void aPlaceOutsideTheSectionIsBadPlace() {
        RelocationException e = refuse(text(0, 0), Fixup.of(257, 1, 0x1000, 0x2000, 0, "d", "m.o: .data+0x1"));
        assertThat(e.reason()).isEqualTo(Reason.BAD_PLACE);
        assertThat(e.getMessage()).isEqualTo("m.o: .data+0x1: relocation R_AARCH64_ABS64 at offset 0x1 (8 bytes) lies"
                + " outside the section of 8 bytes; references 'd'");
        assertThat(refuse(text(0), Fixup.of(283, -4, 0, 0, 0, "", "m.o")).reason()).isEqualTo(Reason.BAD_PLACE);
    }

    @Test
    void gotKindsWithoutAGotEntryOrBaseAreMissingPartner() {
        RelocationException noEntry = refuse(text(0x90000000), Fixup.of(311, 0, 0x1000, 0x2000, 0, "g", "m.o"));
        assertThat(noEntry.reason()).isEqualTo(Reason.MISSING_PARTNER);
        assertThat(noEntry.getMessage()).contains("R_AARCH64_ADR_GOT_PAGE needs a GOT entry");
        RelocationException noBase = refuse(text(0xF9400000),
                Fixup.of(313, 0, 0x1000, 0x2000, 0, "g", "m.o").withGot(0x5008, 0));
        assertThat(noBase.reason()).isEqualTo(Reason.MISSING_PARTNER);
        assertThat(noBase.getMessage()).contains("the GOT's address");
    }

    @Test
    void branchOutOfRangeEvenThroughTheVeneerNamesTheVeneer() {
        Fixup f = Fixup.of(283, 0, 0, 1L << 30, 0, "far", "m.o").withStub(1L << 29);
        RelocationException e = refuse(text(0x94000000), f);
        assertThat(e.getMessage()).isEqualTo("m.o: relocation R_AARCH64_CALL26 out of range: 536870912 is not in"
                + " [-134217728, 134217727]; references 'far' (through the veneer at 0x20000000)");
    }

    @ParameterizedTest
    @ValueSource(ints = {1024, 1025, 1026, 1027, 1028, 1029, 1030, 1031, 1032})
    void dynamicTypesAreNotApplicable(int type) {
        RelocationException e = refuse(text(0, 0), Fixup.of(type, 0, 0, 0, 0, "x", "m.o"));
        assertThat(e.reason()).isEqualTo(Reason.NOT_APPLICABLE);
        assertThat(e.getMessage()).startsWith("m.o: relocation " + RelocationTypes.name(183, type).orElseThrow()
                + " cannot be applied: it is a dynamic relocation");
        assertThat(engine.kind(type).orElseThrow().category()).isEqualTo(Category.DYNAMIC);
    }

    @Test
    void everyStaticTlsTypeIsNotApplicable() {
        int count = 0;
        for (int type = 512; type < 1024; type++) {
            if (RelocationTypes.name(ElfConstants.EM_AARCH64, type).isEmpty()) {
                continue;
            }
            count++;
            RelocationException e = refuse(text(0, 0), Fixup.of(type, 0, 0, 0, 0, "tls", "m.o"));
            assertThat(e.reason()).isEqualTo(Reason.NOT_APPLICABLE);
            assertThat(e.getMessage()).contains("thread-local storage");
            assertThat(engine.kind(type).orElseThrow().category()).isEqualTo(Category.TLS);
        }
        assertThat(count).isGreaterThanOrEqualTo(60);
    }

    @Test
    void everyIlp32TypeIsNotApplicable() {
        int count = 0;
        for (int type = 1; type < 256; type++) {
            if (RelocationTypes.name(ElfConstants.EM_AARCH64, type).isEmpty()) {
                continue;
            }
            count++;
            RelocationException e = refuse(text(0, 0), Fixup.of(type, 0, 0, 0, 0, "x", "m.o"));
            assertThat(e.reason()).isEqualTo(Reason.NOT_APPLICABLE);
            assertThat(e.getMessage()).contains("ILP32 (P32) relocations are not supported");
        }
        assertThat(count).isEqualTo(72); // readelf 2.40 names 72 P32 types
    }

    @ParameterizedTest
    @ValueSource(ints = {281, 294, 298, 315, 574, 1033, 4096, -1})
    void unnamedTypesAreUnknown(int type) {
        RelocationException e = refuse(text(0, 0), Fixup.of(type, 0, 0, 0, 0, "x", "m.o"));
        assertThat(e.reason()).isEqualTo(Reason.UNKNOWN_TYPE);
        assertThat(e.getMessage()).startsWith("m.o: unknown relocation type " + type);
        assertThat(engine.kind(type)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 256})
    void noneIsANoOpAnywhere(int type) throws RelocationException {
        MemorySegment s = text(0x12345678);
        engine.apply(s, LE, Fixup.of(type, 1000, 0, 0, 0, "", "m.o"));
        engine.applyAll(s, LE, List.of(Fixup.of(type, -8, 3, 0, 0, "", "m.o")));
        assertThat(s.get(Case.LE_INT, 0)).isEqualTo(0x12345678);
    }

    @Test
    void theKindsTableIsComplete() {
        List<RelocationKind> kinds = engine.kinds();
        Set<Integer> types = new HashSet<>();
        for (RelocationKind k : kinds) {
            assertThat(types.add(k.type())).as("type %d listed once", k.type()).isTrue();
            assertThat(engine.kind(k.type())).contains(k);
            if (k.type() != 314) { // R_AARCH64_PLT32 is newer than readelf 2.40
                assertThat(RelocationTypes.name(ElfConstants.EM_AARCH64, k.type())).contains(k.name());
            }
        }
        for (int type = 0; type < 2048; type++) {
            if (RelocationTypes.name(ElfConstants.EM_AARCH64, type).isPresent()) {
                assertThat(types).as("readelf's %d is known", type).contains(type);
            }
        }
        for (Spec spec : Spec.ALL) {
            RelocationKind k = spec.kind().kind();
            assertThat(k.min()).as(k.name()).isEqualTo(spec.lo());
            assertThat(k.max()).as(k.name()).isEqualTo(spec.hi());
            assertThat(k.alignment()).as(k.name()).isEqualTo(spec.align());
        }
        // every appliable kind except NONE has a row in the test-side table
        assertThat(Spec.ALL).hasSize(AArch64Kind.values().length - 2);
    }

    @Test
    void theRegistryReturnsTheEngine() {
        RelocationEngine e = RelocationEngines.forMachine(183, 64).orElseThrow();
        assertThat(e).isInstanceOf(AArch64Engine.class);
        assertThat(e.arch()).isEqualTo(Arch.AARCH64);
        assertThat(RelocationEngines.forMachine(183, 32)).isEmpty();
    }
}
