package dev.kobj.reloc.x86_64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.kobj.reloc.Fixup;
import dev.kobj.reloc.RelocationException;
import dev.kobj.reloc.RelocationException.Reason;
import dev.kobj.reloc.x86_64.X86Draws.Draw;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.statistics.Statistics;

/**
 * What {@code applyAll} does to a whole section (all or nothing), the GOTPCRELX instruction
 * check, and places outside the section.
 */
class X86_64SectionPropertiesTest {
    private static final int SLOT = 16;
    private static final int FIELD = 4; // each field starts 4 bytes into its slot, after the instruction head

    private final X86_64Engine engine = new X86_64Engine();

    @Provide
    Arbitrary<List<Draw>> goodDraws() {
        return X86Draws.draws().filter(Draw::fits).list().ofMinSize(0).ofMaxSize(8);
    }

    @Provide
    Arbitrary<Draw> anyDraw() {
        return X86Draws.draws();
    }

    @Provide
    Arbitrary<byte[]> noise() {
        return X86Draws.noise(9 * SLOT, 9 * SLOT);
    }

    @Provide
    Arbitrary<byte[]> head() {
        return X86Draws.gotpcrelxHead();
    }

    /**
     * Fixups laid in slots of one section, one of them maybe failing (out of range, or PLT32
     * with no PLT entry): with no failure every field holds its value and no other byte
     * changed; with one, applyAll throws that fixup's error and not one byte changed, even
     * though the fixups before it were fine.
     */
    @Property(tries = 1500)
    void applyAllIsAllOrNothing(@ForAll("goodDraws") List<Draw> good, @ForAll("anyDraw") Draw extra,
            @ForAll @IntRange(min = 0, max = 8) int at, @ForAll("noise") byte[] noise, @ForAll("head") byte[] head)
            throws Exception {
        List<Draw> draws = new ArrayList<>(good);
        draws.add(Math.min(at, draws.size()), extra);
        byte[] buf = noise.clone();
        List<Fixup> fixups = new ArrayList<>();
        for (int i = 0; i < draws.size(); i++) {
            System.arraycopy(head, 0, buf, i * SLOT + FIELD - 3, 3);
            fixups.add(draws.get(i).fixup(i * SLOT + FIELD));
        }
        byte[] before = buf.clone();
        Statistics.label("section").collect(extra.fits() ? "all fit" : "one fails");
        if (extra.fits()) {
            engine.applyAll(MemorySegment.ofArray(buf), ByteOrder.LITTLE_ENDIAN, fixups);
            for (int i = 0; i < draws.size(); i++) {
                Draw d = draws.get(i);
                int off = i * SLOT + FIELD;
                assertThat(X86Oracle.decodesTo(d.spec(), buf, off, d.value())).as("%s", d).isTrue();
                for (int j = off - FIELD; j < off - FIELD + SLOT; j++) {
                    if (j < off || j >= off + d.spec().bytes()) {
                        assertThat(buf[j]).isEqualTo(before[j]);
                    }
                }
            }
            for (int j = draws.size() * SLOT; j < buf.length; j++) {
                assertThat(buf[j]).isEqualTo(before[j]);
            }
        } else {
            RelocationException e = catchThrowableOfType(RelocationException.class,
                    () -> engine.applyAll(MemorySegment.ofArray(buf), ByteOrder.LITTLE_ENDIAN, fixups));
            assertThat(e).isNotNull();
            assertThat(e.value()).isEqualTo(extra.value());
            assertThat(e.type()).isEqualTo(extra.spec().type());
            assertThat(buf).isEqualTo(before);
        }
        Statistics.label("section").coverage(cov -> {
            cov.check("all fit").percentage(p -> p > 20);
            cov.check("one fails").percentage(p -> p > 10);
        });
    }

    @Provide
    Arbitrary<byte[]> headOrNoise() {
        return Arbitraries.oneOf(X86Draws.gotpcrelxHead(), X86Draws.noise(3, 3),
                X86Draws.gotpcrelxHead().map(h -> new byte[] {h[0], h[1], (byte) (h[2] ^ 0xC0)}),
                X86Draws.gotpcrelxHead().map(h -> new byte[] {(byte) 0x90, h[1], h[2]}),
                Arbitraries.of(0, 1, 3, 5, 6, 7).map(r -> new byte[] {0x48, (byte) 0xFF, (byte) ((r << 3) | 5)}));
    }

    @Provide
    Arbitrary<Long> disp32() {
        return Arbitraries.longs().between(Integer.MIN_VALUE, Integer.MAX_VALUE);
    }

    /**
     * GOTPCRELX and REX_GOTPCRELX patch only the disp32 of a RIP-relative mov, test, ALU load,
     * call or jmp (with a REX prefix for the latter): when the oracle's own decoder accepts the
     * three bytes before the place, the disp32 is written; when it does not, WRONG_INSTRUCTION
     * and no byte changed.
     */
    @Property(tries = 1500)
    void gotpcrelxPatchesOnlyRipRelativeLoads(@ForAll boolean rex, @ForAll("headOrNoise") byte[] head,
            @ForAll("disp32") long value, @ForAll long place, @ForAll long entry) throws Exception {
        int type = rex ? 42 : 41;
        byte[] buf = {0x11, head[0], head[1], head[2], 0, 0, 0, 0, 0x22};
        byte[] before = buf.clone();
        long g = entry == 0 ? 8 : entry;
        Fixup f = new Fixup(type, 4, place, 0x1234, value - (g - place), 0, g, 0, 0, "g", "t.o: .text+0x4");
        boolean ok = X86Oracle.isGotpcrelxInstruction(buf, 4, rex);
        Statistics.label("instruction").collect(ok ? "accepted" : "refused");
        if (ok) {
            engine.apply(MemorySegment.ofArray(buf), ByteOrder.LITTLE_ENDIAN, f);
            assertThat((long) (int) X86Oracle.readLittleEndian(buf, 4, 4)).isEqualTo(value);
            assertThat(buf[0]).isEqualTo(before[0]);
            assertThat(buf[8]).isEqualTo(before[8]);
            assertThat(new byte[] {buf[1], buf[2], buf[3]}).isEqualTo(head);
        } else {
            RelocationException e = catchThrowableOfType(RelocationException.class,
                    () -> engine.apply(MemorySegment.ofArray(buf), ByteOrder.LITTLE_ENDIAN, f));
            assertThat(e).as("refused instruction").isNotNull();
            assertThat(e.reason()).isEqualTo(Reason.WRONG_INSTRUCTION);
            assertThat(e.getMessage()).startsWith("t.o: .text+0x4: relocation " + (rex ? "R_X86_64_REX_GOTPCRELX"
                    : "R_X86_64_GOTPCRELX")).endsWith("; references 'g'");
            assertThat(buf).isEqualTo(before);
        }
        Statistics.label("instruction").coverage(cov -> {
            cov.check("accepted").percentage(p -> p > 20);
            cov.check("refused").percentage(p -> p > 20);
        });
    }

    /**
     * A field that starts before the section or ends after it: BAD_PLACE, no byte changed;
     * a field that ends exactly at the section's end is written.
     */
    @Property(tries = 1000)
    void placesOutsideTheSectionAreRefused(@ForAll("anyDraw") Draw d, @ForAll @IntRange(min = -9, max = 9) int past,
            @ForAll("noise") byte[] noise) throws Exception {
        int w = d.spec().bytes();
        long offset = past < 0 ? past : noise.length - w + past;
        Fixup f = d.fixup(offset);
        byte[] buf = noise.clone();
        if (d.gotpcrelx() && offset >= 3 && offset <= buf.length) {
            System.arraycopy(new byte[] {0x48, (byte) 0x8B, 0x05}, 0, buf, (int) offset - 3, 3);
        }
        byte[] before = buf.clone();
        if (offset >= 0 && offset + w <= buf.length && d.fits()) {
            engine.apply(MemorySegment.ofArray(buf), ByteOrder.LITTLE_ENDIAN, f);
            assertThat(X86Oracle.decodesTo(d.spec(), buf, (int) offset, d.value())).isTrue();
        } else if (offset < 0 || offset + w > buf.length) {
            RelocationException e = catchThrowableOfType(RelocationException.class,
                    () -> engine.apply(MemorySegment.ofArray(buf), ByteOrder.LITTLE_ENDIAN, f));
            assertThat(e).as("place outside").isNotNull();
            assertThat(e.reason()).isEqualTo(Reason.BAD_PLACE);
            assertThat(e.getMessage()).contains("outside the section of 0x" + Integer.toHexString(buf.length));
            assertThat(buf).isEqualTo(before);
        }
    }
}
