package dev.kobj.reloc.x86_64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.kobj.reloc.Fixup;
import dev.kobj.reloc.RelocationException;
import dev.kobj.reloc.RelocationException.Reason;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The relocations kobj refuses, and the words it uses. */
class X86_64RefusalTest {
    private static final String WHERE = "foo.o: .text+0x10";

    private final X86_64Engine engine = new X86_64Engine();

    private RelocationException refused(Fixup f, byte[] buf) {
        byte[] before = buf.clone();
        RelocationException e = catchThrowableOfType(RelocationException.class,
                () -> engine.apply(MemorySegment.ofArray(buf), ByteOrder.LITTLE_ENDIAN, f));
        assertThat(e).as("type %d refused", f.type()).isNotNull();
        assertThat(buf).as("no byte changed").isEqualTo(before);
        return e;
    }

    private static byte[] buffer() {
        byte[] b = new byte[40];
        Arrays.fill(b, (byte) 0xA5);
        return b;
    }

    static final java.util.List<Integer> DYNAMIC = X86Oracle.DYNAMIC;
    static final java.util.List<Integer> TLS = X86Oracle.TLS;

    @ParameterizedTest
    @FieldSource("DYNAMIC")
    void dynamicTypesAreLeftToADynamicLinker(int type) {
        String name = X86_64Kind.of(type).orElseThrow().name();
        RelocationException e = refused(Fixup.of(type, 0x10, 0x1010, 0x2000, 0, "foo", WHERE), buffer());
        assertThat(e.reason()).isEqualTo(Reason.NOT_APPLICABLE);
        assertThat(e.type()).isEqualTo(type);
        assertThat(e.getMessage()).isEqualTo(WHERE + ": relocation " + name
                + " cannot be applied to a module: only a dynamic linker applies it; references 'foo'");
    }

    @ParameterizedTest
    @FieldSource("TLS")
    void threadLocalStorageIsRefused(int type) {
        String name = X86_64Kind.of(type).orElseThrow().name();
        RelocationException e = refused(Fixup.of(type, 0x10, 0x1010, 0x2000, -4, "counter", WHERE), buffer());
        assertThat(e.reason()).isEqualTo(Reason.NOT_APPLICABLE);
        assertThat(e.getMessage()).isEqualTo(WHERE + ": relocation " + name
                + " cannot be applied to a module: thread-local storage is not supported in modules;"
                + " references 'counter'");
    }

    @ParameterizedTest
    @ValueSource(ints = {200, 43, 63, -1, Integer.MAX_VALUE})
    void unknownTypesSayTheirNumber(int type) {
        RelocationException e = refused(Fixup.of(type, 0x10, 0x1010, 0x2000, 0, "foo", WHERE), buffer());
        assertThat(e.reason()).isEqualTo(Reason.UNKNOWN_TYPE);
        assertThat(e.value()).isEqualTo(type);
        assertThat(e.getMessage()).isEqualTo(WHERE + ": unknown relocation type " + type + " (x86-64); references 'foo'");
    }

    @Test
    void outOfRangeReadsLikeLld() {
        // P = 0x1000, S + A = 0x1000 + 2^32: the PC32 value is 4294967296.
        RelocationException e = refused(Fixup.of(2, 0x10, 0x1000, 0x1000L + (1L << 32), 0, "foo", WHERE), buffer());
        assertThat(e.reason()).isEqualTo(Reason.OUT_OF_RANGE);
        assertThat(e.value()).isEqualTo(4294967296L);
        assertThat(e.getMessage()).isEqualTo(
                "foo.o: .text+0x10: relocation R_X86_64_PC32 out of range: 4294967296 is not in [-2147483648,"
                        + " 2147483647]; references 'foo'");
    }

    @Test
    void aSectionSymbolIsNotNamed() {
        RelocationException e = refused(Fixup.of(10, 0x10, 0, -1, 0, "", WHERE), buffer());
        assertThat(e.getMessage())
                .isEqualTo("foo.o: .text+0x10: relocation R_X86_64_32 out of range: -1 is not in [0, 4294967295]");
    }

    @Test
    void pltBranchOutOfRangeWithoutAPltEntryNamesTheMissingEntry() {
        RelocationException e = refused(Fixup.of(4, 0x10, 0xffffffffa0000010L, 0x100000000L, -4, "printk", WHERE),
                buffer());
        assertThat(e.reason()).isEqualTo(Reason.MISSING_PARTNER);
        assertThat(e.getMessage()).startsWith(WHERE + ": relocation R_X86_64_PLT32 out of range: ")
                .endsWith("; references 'printk', and the linker made no PLT entry to reach it");
    }

    @Test
    void gotpcrelWithoutAGotEntry() {
        RelocationException e = refused(Fixup.of(9, 0x10, 0x1010, 0x2000, -4, "jiffies", WHERE), buffer());
        assertThat(e.reason()).isEqualTo(Reason.MISSING_PARTNER);
        assertThat(e.getMessage()).isEqualTo(
                WHERE + ": relocation R_X86_64_GOTPCREL needs a GOT entry for 'jiffies', but the linker made none");
    }

    @Test
    void bigEndianIsRefused() {
        byte[] buf = buffer();
        RelocationException e = catchThrowableOfType(RelocationException.class, () -> engine
                .apply(MemorySegment.ofArray(buf), ByteOrder.BIG_ENDIAN, Fixup.of(1, 0, 0, 1, 0, "foo", WHERE)));
        assertThat(e.reason()).isEqualTo(Reason.NOT_APPLICABLE);
        assertThat(buf).isEqualTo(buffer());
    }

    @Test
    void noneWritesNothingAnywhere() throws Exception {
        byte[] buf = buffer();
        engine.apply(MemorySegment.ofArray(buf), ByteOrder.LITTLE_ENDIAN, Fixup.of(0, 1000, 5, 6, 7, "x", WHERE));
        assertThat(buf).isEqualTo(buffer());
    }

    @Test
    void aRefusalLaterInTheSectionLeavesEarlierFixupsUnwritten() {
        byte[] buf = buffer();
        var fixups = java.util.List.of(Fixup.of(1, 0, 0, 0x1122334455667788L, 0, "a", WHERE),
                Fixup.of(2, 8, 0x1000, 0x1010, -4, "b", WHERE), Fixup.of(18, 16, 0, 0, 0, "tls", WHERE));
        RelocationException e = catchThrowableOfType(RelocationException.class,
                () -> engine.applyAll(MemorySegment.ofArray(buf), ByteOrder.LITTLE_ENDIAN, fixups));
        assertThat(e.reason()).isEqualTo(Reason.NOT_APPLICABLE);
        assertThat(buf).isEqualTo(buffer());
    }
}
