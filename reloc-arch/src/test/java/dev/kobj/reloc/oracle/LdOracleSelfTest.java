package dev.kobj.reloc.oracle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kobj.reloc.Fixup;
import dev.kobj.reloc.RelocationEngine;
import dev.kobj.reloc.RelocationEngines;
import dev.kobj.reloc.RelocationException;
import dev.kobj.reloc.RelocationKind;
import dev.kobj.reloc.StubNeeds;
import dev.kobj.testkit.AddressPlan;
import dev.kobj.testkit.Fixture;
import dev.kobj.testkit.Tools;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The oracle must be able to fail: the x86-64 engine, deliberately broken in one way at a time,
 * must be caught by {@link LdOracleTest#compare} with the place and the relocation named.
 */
class LdOracleSelfTest {

    private static final Fixture HAND_WRITTEN = fixture("obj/x86_64-gcc-kernel/x86_64.o");
    private static final Fixture MODULE = fixture("obj/x86_64-gcc-kernel/module.o");

    private RelocationEngine real;

    private static Fixture fixture(String path) {
        return Fixture.all().stream().filter(f -> f.path().equals(path)).findFirst().orElseThrow();
    }

    @BeforeEach
    void needs() {
        Assumptions.assumeTrue(Tools.find("ld").isPresent(), "SKIPPED: ld is not installed");
        Optional<RelocationEngine> e = RelocationEngines.forMachine(62, 64);
        Assumptions.assumeTrue(e.isPresent(), "SKIPPED: no x86-64 engine on this branch");
        real = e.get();
    }

    @Test
    void theRealEngineMatchesOnTheHandWrittenObject() throws Exception {
        LdOracleTest.compare(HAND_WRITTEN, AddressPlan.low(), real, new OracleReport());
    }

    @Test
    void aWrongAddendIsReportedWithItsPlaceAndRelocation() {
        RelocationEngine broken = new Broken(real, f -> f.type() == 1 ? Fixup.of(f.type(), f.offset(), f.place(),
                f.symbol(), f.addend() + 1, f.name(), f.where()).withSymbolSize(f.symbolSize())
                .withGot(f.got(), f.gotBase()) : f, 0);
        assertThatThrownBy(() -> LdOracleTest.compare(MODULE, AddressPlan.low(), broken, new OracleReport()))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("R_X86_64_64")
                .hasMessageContaining("ld [")
                .hasMessageContaining(".data+0x");
    }

    @Test
    void aWrongGotEntryIsCaughtByFollowingTheSlot() {
        RelocationEngine broken = new Broken(real, UnaryOperator.identity(), 8);
        assertThatThrownBy(() -> LdOracleTest.compare(HAND_WRITTEN, AddressPlan.low(), broken, new OracleReport()))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("GOT entry")
                .hasMessageContaining("R_X86_64_REX_GOTPCRELX");
    }

    @Test
    void anEngineThatAcceptsWhatLdRefusesIsCaught() {
        // The high plan puts kobj_ext_data at 0xffffffffc01xxxxx: R_X86_64_32 cannot reach it.
        RelocationEngine lax = new Broken(real, UnaryOperator.identity(), 0) {
            @Override
            public void apply(MemorySegment section, ByteOrder order, Fixup fixup) {
                try {
                    super.apply(section, order, fixup);
                } catch (RelocationException e) {
                    // swallowed: the bug under test
                }
            }
        };
        OracleReport report = new OracleReport();
        assertThatThrownBy(() -> LdOracleTest.compare(HAND_WRITTEN, AddressPlan.x86High(), lax, report))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("ld refuses")
                .hasMessageContaining("but kobj applies it");
        assertThat(report.render()).contains("DIFF");
    }

    /** The real engine with its fixups rewritten, or its GOT entries off by {@code gotSkew}. */
    private static class Broken implements RelocationEngine {
        private final RelocationEngine real;
        private final UnaryOperator<Fixup> skew;
        private final long gotSkew;

        Broken(RelocationEngine real, UnaryOperator<Fixup> skew, long gotSkew) {
            this.real = real;
            this.skew = skew;
            this.gotSkew = gotSkew;
        }

        @Override
        public dev.kobj.elf.Arch arch() {
            return real.arch();
        }

        @Override
        public Optional<RelocationKind> kind(int type) {
            return real.kind(type);
        }

        @Override
        public List<RelocationKind> kinds() {
            return real.kinds();
        }

        @Override
        public void apply(MemorySegment section, ByteOrder order, Fixup fixup) throws RelocationException {
            real.apply(section, order, skew.apply(fixup));
        }

        @Override
        public void applyAll(MemorySegment section, ByteOrder order, List<Fixup> fixups) throws RelocationException {
            real.applyAll(section, order, fixups.stream().map(skew).toList());
        }

        @Override
        public StubNeeds scan(List<RawRelocation> relocations) {
            return real.scan(relocations);
        }

        @Override
        public StubNeeds scan(dev.kobj.reloc.RelocationBatch relocations) {
            return real.scan(relocations);
        }

        @Override
        public long stubAddend(int type, long symbolIndex, long addend) {
            return real.stubAddend(type, symbolIndex, addend);
        }

        @Override
        public StubNeeds.Target stubTarget(RawRelocation relocation) {
            return real.stubTarget(relocation);
        }

        @Override
        public void writeGotEntry(MemorySegment got, long offset, ByteOrder order, long value) {
            real.writeGotEntry(got, offset, order, value + gotSkew);
        }

        @Override
        public void writeStub(MemorySegment plt, long offset, ByteOrder order, long stubAddress, long target,
                long gotSlot) throws RelocationException {
            real.writeStub(plt, offset, order, stubAddress, target, gotSlot);
        }
    }
}
