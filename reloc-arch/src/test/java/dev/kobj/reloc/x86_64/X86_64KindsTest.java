package dev.kobj.reloc.x86_64;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kobj.elf.RelocationTypes;
import dev.kobj.elf.Arch;
import dev.kobj.reloc.RelocationEngine;
import dev.kobj.reloc.RelocationEngine.RawRelocation;
import dev.kobj.reloc.RelocationEngines;
import dev.kobj.reloc.RelocationKind;
import dev.kobj.reloc.RelocationKind.Category;
import dev.kobj.reloc.StubNeeds;
import dev.kobj.reloc.StubNeeds.Target;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The table of kinds against readelf's names and the oracle's ranges; the registry; the pre-scan. */
class X86_64KindsTest {
    private static final int EM_X86_64 = 62;

    private final X86_64Engine engine = new X86_64Engine();

    @Test
    void theRegistryHandsOutTheEngineForX86_64Only() {
        assertThat(RelocationEngines.forMachine(EM_X86_64, 64)).get().isInstanceOf(X86_64Engine.class)
                .extracting(RelocationEngine::arch).isEqualTo(Arch.X86_64);
        assertThat(RelocationEngines.forMachine(EM_X86_64, 32)).isEmpty();
    }

    @Test
    void everyTypeReadelfNamesIsKnownUnderThatName() {
        for (int i = 0; i < 256; i++) {
            final int t = i;
            var readelf = RelocationTypes.name(EM_X86_64, t);
            var kind = engine.kind(t);
            assertThat(kind.map(RelocationKind::name)).as("type %d", t).isEqualTo(readelf);
            kind.ifPresent(k -> assertThat(k.type()).isEqualTo(t));
        }
        assertThat(engine.kinds()).hasSize(43).extracting(RelocationKind::type).doesNotHaveDuplicates();
    }

    @Test
    void rangesAndWidthsAreTheOnesGnuLdAccepts() {
        for (X86Oracle.Spec spec : X86Oracle.APPLIABLE.values()) {
            RelocationKind k = engine.kind(spec.type()).orElseThrow();
            assertThat(k.name()).isEqualTo(spec.name());
            assertThat(k.bits()).as(spec.name()).isEqualTo(8 * spec.bytes());
            assertThat(k.min()).as(spec.name()).isEqualTo(spec.min());
            assertThat(k.max()).as(spec.name()).isEqualTo(spec.max());
            assertThat(k.alignment()).isEqualTo(1);
            assertThat(k.category()).isNotIn(Category.DYNAMIC, Category.TLS);
        }
    }

    @Test
    void everyOtherKnownTypeIsNoneDynamicOrTls() {
        for (RelocationKind k : engine.kinds()) {
            if (X86Oracle.APPLIABLE.containsKey(k.type())) {
                continue;
            }
            Category expected = k.type() == 0 ? Category.MARKER
                    : X86Oracle.DYNAMIC.contains(k.type()) ? Category.DYNAMIC : Category.TLS;
            assertThat(k.category()).as(k.name()).isEqualTo(expected);
            assertThat(X86Oracle.DYNAMIC.contains(k.type()) || X86Oracle.TLS.contains(k.type()) || k.type() == 0)
                    .isTrue();
        }
    }

    @Test
    void categoriesSayWhatTheScanCounts() {
        for (int t : X86Oracle.GOT_ENTRY) {
            assertThat(engine.kind(t).orElseThrow().category()).isEqualTo(Category.GOT);
        }
        for (int t : X86Oracle.PLT) {
            assertThat(engine.kind(t).orElseThrow().category()).isEqualTo(Category.BRANCH);
        }
    }

    @Test
    void scanCountsOneGotEntryAndOnePltEntryPerSymbol() {
        List<RawRelocation> relocations = List.of(
                new RawRelocation(4, 5, -4), new RawRelocation(4, 5, -4), new RawRelocation(4, 5, 0),
                new RawRelocation(40, 6, -4),
                new RawRelocation(9, 7, -4), new RawRelocation(42, 7, -4), new RawRelocation(41, 7, -5),
                new RawRelocation(27, 8, 0), new RawRelocation(3, 8, 16), new RawRelocation(28, 12, 0),
                new RawRelocation(30, 13, 0),
                new RawRelocation(2, 9, -4), new RawRelocation(26, 1, 3), new RawRelocation(25, 1, 0),
                new RawRelocation(31, 14, 0), new RawRelocation(200, 10, 0), new RawRelocation(23, 11, 0),
                new RawRelocation(7, 11, 0));
        StubNeeds needs = engine.scan(relocations);
        assertThat(needs.gotEntries()).containsExactly(new Target(7, 0), new Target(8, 0), new Target(12, 0),
                new Target(13, 0));
        assertThat(needs.pltEntries()).containsExactly(new Target(5, 0), new Target(6, 0));
        assertThat(needs.gotEntrySize()).isEqualTo(8);
        assertThat(needs.pltEntrySize()).isEqualTo(16);
        assertThat(needs.gotSize()).isEqualTo(32);
        assertThat(needs.pltSize()).isEqualTo(32);
    }

    @Test
    void gotEntriesHoldSAndStubsReachS() {
        assertThat(engine.stubTarget(new RawRelocation(9, 7, -4))).isEqualTo(new Target(7, 0));
        assertThat(engine.stubTarget(new RawRelocation(4, 5, -4))).isEqualTo(new Target(5, 0));
    }
}
