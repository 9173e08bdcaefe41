package dev.kobj.reloc.oracle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import dev.kobj.elf.ElfFile;
import dev.kobj.reloc.RelocationEngine;
import dev.kobj.reloc.RelocationEngines;
import dev.kobj.testkit.AddressPlan;
import dev.kobj.testkit.Fixture;
import dev.kobj.testkit.Placement;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The stub half of the oracle, where GNU ld cannot be compared byte for byte (ld would insert
 * its own veneers between the input sections and move them): AArch64 objects placed with
 * their undefined symbols 1 GiB away, beyond the ±128 MiB of CALL26/JUMP26. Every call is
 * decoded; it must reach S+A directly or reach a veneer in kobj's stub area that decodes
 * (ADRP x16; ADD x16, x16, #lo12; BR x16) to S+A. GOT fields are followed as in LdOracleTest.
 */
class LdOracleVeneerTest {

    private static final List<String> OBJECTS = List.of("obj/aarch64-small/module.o", "obj/aarch64-large/module.o",
            "obj/aarch64-pic/module.o", "obj/aarch64-small/importer.o", "special/be64.o");

    static AddressPlan far() {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("kobj_abs_small", 0x40L);
        String[] names = {"printk", "kmalloc", "kfree", "memcpy", "memset", "kobj_ext_array", "kobj_ext_value",
            "kobj_ext_data", "kobj_ext_fn", "kobj_shared_counter", "kobj_shared_add"};
        for (int k = 0; k < names.length; k++) {
            m.put(names[k], 0x40100000L + 0x100L * k);
        }
        return new AddressPlan("far", 0x100000L, Map.copyOf(m), 0x40200000L);
    }

    @TestFactory
    Stream<DynamicTest> callsBeyondBranchRangeGoThroughVeneersThatReachTheSymbol() {
        List<DynamicTest> out = new ArrayList<>();
        for (String p : OBJECTS) {
            out.add(dynamicTest(p + " [far]", () -> check(p)));
        }
        return out.stream();
    }

    private static void check(String path) throws Exception {
        Fixture f = Fixture.all().stream().filter(x -> x.path().equals(path)).findFirst().orElseThrow();
        try (ElfFile elf = ElfFile.open(f.file())) {
            Optional<RelocationEngine> engine = RelocationEngines.forMachine(elf.header().machine(), elf.header().bits());
            Assumptions.assumeTrue(engine.isPresent(), "SKIPPED " + path + ": no AArch64 engine on this branch");
            Placement pl = new Placement(elf, far());
            KobjLink link = new KobjLink(pl, engine.get());
            List<String> problems = new ArrayList<>(link.stubErrors);
            int direct = 0;
            int viaVeneer = 0;
            for (KobjLink.SectionResult sr : link.results.values()) {
                if (sr.error() != null) {
                    problems.add(sr.section().section().name() + ": refused (" + sr.error().reason() + "): "
                            + sr.error().getMessage());
                    continue;
                }
                for (KobjLink.Reloc r : sr.relocs()) {
                    if (!r.typeName().equals("R_AARCH64_CALL26") && !r.typeName().equals("R_AARCH64_JUMP26")) {
                        continue;
                    }
                    if (WeakBranch.weakUndefined(pl, r.raw().symbol())) {
                        continue; // S = 0: its own question, see WeakBranch
                    }
                    long want = r.fixup().symbol() + r.fixup().addend();
                    long t = WeakBranch.target(r.typeName(), sr.bytes(), r.raw().offset(), r.place());
                    if (t == want) {
                        direct++;
                        continue;
                    }
                    Long v = veneer(link, t);
                    if (v == null) {
                        problems.add(String.format("%s: %s '%s' goes to 0x%x: neither S+A (0x%x) nor a veneer", r.fixup().where(),
                                r.typeName(), r.fixup().name(), t, want));
                    } else if (v != want) {
                        problems.add(String.format("%s: %s '%s': veneer 0x%x jumps to 0x%x, want 0x%x", r.fixup().where(),
                                r.typeName(), r.fixup().name(), t, v, want));
                    } else {
                        viaVeneer++;
                    }
                }
            }
            GotFollow got = new GotFollow(link);
            problems.addAll(got.problems);
            System.out.printf("LdOracleVeneer %s: %d calls direct, %d through veneers, %d GOT fields followed, %d problems%n",
                    path, direct, viaVeneer, got.followed, problems.size());
            assertThat(problems).as(path).isEmpty();
            assertThat(viaVeneer).as(path + ": calls to symbols 1 GiB away").isPositive();
        }
    }

    /** Decodes ADRP x16; ADD x16, x16, #imm; BR x16 at {@code at}: {@return its destination, or null} */
    private static Long veneer(KobjLink link, long at) {
        MemorySegment m = link.stubMemory(at, 12);
        if (m == null) {
            return null;
        }
        ValueLayout.OfInt le = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
        int adrp = m.get(le, 0);
        int add = m.get(le, 4);
        int br = m.get(le, 8);
        if ((adrp & 0x9f00001f) != 0x90000010 || (add & 0xffc003ff) != 0x91000210 || br != 0xd61f0200) {
            return null;
        }
        long imm = ((adrp >>> 29) & 3) | (((long) (adrp >>> 5) & 0x7ffff) << 2);
        imm = (imm << 43) >> 43;
        long page = (at & ~0xfffL) + (imm << 12);
        return page + ((add >>> 10) & 0xfff);
    }
}
