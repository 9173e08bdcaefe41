package dev.kobj.reloc.x86_64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.kobj.reloc.Fixup;
import dev.kobj.reloc.RelocationException;
import dev.kobj.reloc.RelocationException.Reason;
import dev.kobj.reloc.x86_64.X86Draws.Draw;
import dev.kobj.reloc.x86_64.X86Oracle.Spec;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * The formula, range and field of every appliable x86-64 type, checked against
 * {@link X86Oracle} (the tests' own formulas, GNU ld's ranges and little-endian decoders).
 */
class X86_64RelocationPropertiesTest {
    private final X86_64Engine engine = new X86_64Engine();

    /** A draw placed in a buffer of random bytes: {@code before} bytes, the field, {@code after} bytes. */
    record Placed(Draw draw, byte[] head, byte[] buffer, int offset) {
    }

    @Provide
    Arbitrary<Placed> placed() {
        return Combinators.combine(X86Draws.draws(), X86Draws.gotpcrelxHead(), X86Draws.noise(3 + 8, 48),
                Arbitraries.integers().between(3, 24)).as((d, head, noise, before) -> {
                    int w = d.spec().bytes();
                    int off = Math.min(before, noise.length - w);
                    byte[] buf = noise.clone();
                    if (d.gotpcrelx()) {
                        System.arraycopy(head, 0, buf, off - 3, 3);
                    }
                    return new Placed(d, head, buf, off);
                });
    }

    /**
     * In range: the field decodes (sign- or zero-extended as its users read it, modulo 2^n for
     * ld's bitfields) to the formula's value, and every byte outside the field is unchanged.
     * Out of range: OUT_OF_RANGE with lld's message and the value (MISSING_PARTNER for PLT32,
     * there being no PLT entry here), and no byte changed.
     */
    @Property(tries = 4000)
    void fieldHoldsTheFormulaOrNothingChanges(@ForAll("placed") Placed c) throws Exception {
        Draw d = c.draw();
        Spec spec = d.spec();
        byte[] buf = c.buffer();
        byte[] before = buf.clone();
        Fixup f = d.fixup(c.offset());
        boolean bounded = spec.ext() != X86Oracle.Ext.FULL;
        Statistics.label("outcome").collect(!bounded ? "64-bit" : d.fits() ? "in range" : "out of range");
        Statistics.label("edge").collect(d.value() == spec.min() || d.value() == spec.max() ? "on an edge"
                : d.value() == spec.min() - 1 || d.value() == spec.max() + 1 ? "just past an edge" : "elsewhere");

        if (d.fits()) {
            engine.apply(MemorySegment.ofArray(buf), ByteOrder.LITTLE_ENDIAN, f);
            assertThat(X86Oracle.decodesTo(spec, buf, c.offset(), d.value()))
                    .as("%s field decodes to %d", spec.name(), d.value()).isTrue();
            assertUnchangedOutside(before, buf, c.offset(), spec.bytes());
        } else {
            RelocationException e = catchThrowableOfType(RelocationException.class,
                    () -> engine.apply(MemorySegment.ofArray(buf), ByteOrder.LITTLE_ENDIAN, f));
            assertThat(e).as("%s with %d", spec.name(), d.value()).isNotNull();
            String lld = X86Draws.where(c.offset()) + ": relocation " + spec.name() + " out of range: " + d.value()
                    + " is not in [" + spec.min() + ", " + spec.max() + "]; references 'sym'";
            if (X86Oracle.PLT.contains(spec.type())) {
                assertThat(e.reason()).isEqualTo(Reason.MISSING_PARTNER);
                assertThat(e.getMessage()).startsWith(lld).contains("PLT entry");
            } else {
                assertThat(e.reason()).isEqualTo(Reason.OUT_OF_RANGE);
                assertThat(e.getMessage()).isEqualTo(lld);
            }
            assertThat(e.value()).isEqualTo(d.value());
            assertThat(e.type()).isEqualTo(spec.type());
            assertThat(buf).isEqualTo(before);
        }
        Statistics.label("outcome").coverage(cov -> {
            cov.check("in range").percentage(p -> p > 15);
            cov.check("out of range").percentage(p -> p > 15);
        });
        Statistics.label("edge").coverage(cov -> {
            cov.check("on an edge").percentage(p -> p > 5);
            cov.check("just past an edge").percentage(p -> p > 5);
        });
    }

    /** Both sides of both edges of every bounded type, each tried once for sure. */
    @Example
    void everyBoundedTypeAtBothSidesOfBothEdges() throws Exception {
        for (Spec spec : X86Oracle.APPLIABLE.values()) {
            if (spec.ext() == X86Oracle.Ext.FULL) {
                continue;
            }
            for (long v : new long[] {spec.min() - 1, spec.min(), spec.max(), spec.max() + 1}) {
                Draw d = new Draw(spec, v, 0xffffffffa0001000L, 0xffffffffa0000010L, 24, 0xffffffffa0002000L,
                        0xffffffffa0002000L - 0x100);
                byte[] buf = new byte[16];
                Arrays.fill(buf, (byte) 0x5A);
                byte[] head = {0x48, (byte) 0x8B, 0x05};
                System.arraycopy(head, 0, buf, 1, 3);
                byte[] before = buf.clone();
                Fixup f = d.fixup(4);
                if (spec.fits(v)) {
                    engine.apply(MemorySegment.ofArray(buf), ByteOrder.LITTLE_ENDIAN, f);
                    assertThat(X86Oracle.decodesTo(spec, buf, 4, v)).as("%s at %d", spec.name(), v).isTrue();
                    assertUnchangedOutside(before, buf, 4, spec.bytes());
                } else {
                    RelocationException e = catchThrowableOfType(RelocationException.class,
                            () -> engine.apply(MemorySegment.ofArray(buf), ByteOrder.LITTLE_ENDIAN, f));
                    assertThat(e).as("%s at %d", spec.name(), v).isNotNull();
                    assertThat(e.value()).isEqualTo(v);
                    assertThat(buf).isEqualTo(before);
                }
            }
        }
    }

    @Provide
    Arbitrary<Long> pcrel32() {
        return X86Draws.aimed(X86Oracle.APPLIABLE.get(4));
    }

    @Provide
    Arbitrary<Long> nonZero() {
        return X86Draws.nonZero();
    }

    @Provide
    Arbitrary<Long> stubDistance() {
        return Arbitraries.oneOf(Arbitraries.longs(), Arbitraries.longs().between(-(1L << 32), 1L << 32));
    }

    /**
     * PLT32 with a PLT entry L: {@code S + A - P} is written when it fits (L unused); when it
     * does not, {@code L + A - P} is, if that fits; otherwise OUT_OF_RANGE with that value and
     * no byte changed. The value through L is aimed at the edges.
     */
    @Property(tries = 2000)
    void pltEntryOnlyWhenTheDirectBranchDoesNotReach(@ForAll("pcrel32") long viaStub, @ForAll("nonZero") long stub,
            @ForAll("stubDistance") long sMinusStub, @ForAll long p, @ForAll boolean bnd) throws Exception {
        int type = bnd ? 40 : 4;
        long a = viaStub - (stub - p);
        long s = stub + sMinusStub;
        long direct = s + a - p;
        Fixup f = new Fixup(type, 2, p, s, a, 0, 0, 0, stub, "f", "t.o: .text+0x2");
        byte[] buf = {(byte) 0x90, (byte) 0xE8, 1, 2, 3, 4, (byte) 0xC3};
        byte[] before = buf.clone();
        boolean directFits = direct >= Integer.MIN_VALUE && direct <= Integer.MAX_VALUE;
        boolean stubFits = viaStub >= Integer.MIN_VALUE && viaStub <= Integer.MAX_VALUE;
        Statistics.label("path").collect(directFits ? "direct" : stubFits ? "through L" : "out of range");
        if (directFits || stubFits) {
            engine.apply(MemorySegment.ofArray(buf), ByteOrder.LITTLE_ENDIAN, f);
            long field = (int) X86Oracle.readLittleEndian(buf, 2, 4);
            assertThat(field).isEqualTo(directFits ? direct : viaStub);
            assertUnchangedOutside(before, buf, 2, 4);
        } else {
            RelocationException e = catchThrowableOfType(RelocationException.class,
                    () -> engine.apply(MemorySegment.ofArray(buf), ByteOrder.LITTLE_ENDIAN, f));
            assertThat(e).as("out of range through L").isNotNull();
            assertThat(e.reason()).isEqualTo(Reason.OUT_OF_RANGE);
            assertThat(e.value()).isEqualTo(viaStub);
            assertThat(buf).isEqualTo(before);
        }
        Statistics.label("path").coverage(cov -> {
            cov.check("direct").percentage(pc -> pc > 10);
            cov.check("through L").percentage(pc -> pc > 10);
            cov.check("out of range").percentage(pc -> pc > 10);
        });
    }

    @Provide
    Arbitrary<byte[]> noise24() {
        return X86Draws.noise(24, 24);
    }

    @Provide
    Arbitrary<Draw> gotDraws() {
        List<Spec> specs = List.of(3, 9, 25, 26, 27, 28, 29, 30, 31, 41, 42).stream()
                .map(X86Oracle.APPLIABLE::get).toList();
        return X86Draws.draws(specs);
    }

    /**
     * A type that needs a GOT entry, given none (got 0), or that needs the GOT's address, given
     * none (gotBase 0): MISSING_PARTNER naming what is missing, and no byte changed.
     */
    @Property(tries = 1000)
    void missingGotIsReportedAndNothingChanges(@ForAll("gotDraws") Draw d, @ForAll boolean dropEntry,
            @ForAll("noise24") byte[] noise) {
        int type = d.spec().type();
        boolean usesEntry = X86Oracle.GOT_ENTRY.contains(type);
        boolean usesBase = !List.of(9, 28, 41, 42).contains(type);
        boolean dropsEntry = usesEntry && (dropEntry || !usesBase);
        Fixup full = d.fixup(8);
        Fixup f = dropsEntry ? full.withGot(0, full.gotBase()) : full.withGot(full.got(), 0);
        byte[] buf = noise.clone();
        buf[5] = 0x48;
        buf[6] = (byte) 0x8B;
        buf[7] = 0x05;
        byte[] before = buf.clone();
        RelocationException e = catchThrowableOfType(RelocationException.class,
                () -> engine.apply(MemorySegment.ofArray(buf), ByteOrder.LITTLE_ENDIAN, f));
        assertThat(e).isNotNull();
        assertThat(e.reason()).isEqualTo(Reason.MISSING_PARTNER);
        assertThat(e.getMessage()).startsWith("t.o: .text+0x8: relocation " + d.spec().name() + " needs ")
                .contains(dropsEntry ? "a GOT entry for 'sym'" : "the address of the GOT");
        assertThat(buf).isEqualTo(before);
    }

    static void assertUnchangedOutside(byte[] before, byte[] after, int offset, int width) {
        assertThat(after).hasSameSizeAs(before);
        for (int i = 0; i < before.length; i++) {
            if (i < offset || i >= offset + width) {
                assertThat(after[i]).as("byte %d outside the field", i).isEqualTo(before[i]);
            }
        }
    }
}
