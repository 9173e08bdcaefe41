package dev.kobj.reloc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kobj.elf.ElfFile;
import dev.kobj.elf.ElfSymbol;
import dev.kobj.elf.RelocationTable;
import dev.kobj.elf.SectionHeader;
import dev.kobj.elf.SymbolTable;
import dev.kobj.testkit.Testdata;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The AArch64 and RISC-V engines read and write a section held in a heap {@code byte[]} (what
 * check, stats and the tests give them) with plain array loads and stores, checked all before
 * the first store (AArch64: {@code HeapRows}); any other memory goes through the segment with an
 * undo log. Both ways must agree: on every relocation table of the objects gcc and gas built for
 * AArch64, RV64 and RV32 (testdata/obj), applied from the same columns to a heap copy and to a
 * native copy of the section (and a veneer pool of each kind), the bytes of the section and of
 * the pool, the slots taken, and any refusal (its message whole) must be the same, and a refused
 * section left as it was. Each table is applied with undefined symbols near, 16 MiB away (an ADR
 * does not reach them, a veneer's ADRP does) and 1 TiB away (out of every range), with
 * the section page-aligned and moved so that its first ADRP sits at page offset 0xff8 (Cortex-A53
 * erratum 843419: the ADR rewrite near, a veneer far), and with pools of one slot and of 64.
 */
class HeapAgreesWithNativeTest {

    static Stream<Path> objects() throws Exception {
        return ColumnsAgreeWithListTest.objects();
    }

    /** Cases where a veneer was taken and kept, and cases refused: both paths must have been compared. */
    private static final AtomicInteger VENEERS = new AtomicInteger();
    private static final AtomicInteger REFUSALS = new AtomicInteger();

    @AfterAll
    static void bothPathsWereCompared() {
        assertThat(VENEERS.get()).as("cases with an erratum 843419 veneer").isPositive();
        assertThat(REFUSALS.get()).as("cases refused").isPositive();
    }

    /** What one application left: the section's and the pool's bytes, slots used, the refusal's text. */
    private record Outcome(byte[] section, byte[] pool, int used, String refusal) {
    }

    @ParameterizedTest
    @MethodSource("objects")
    void heapAndNativeAgree(Path path) throws Exception {
        int tables = 0;
        boolean applicable = false;
        for (long far : new long[] {0, 16L << 20, 1L << 40}) {
            try (ElfFile elf = ElfFile.open(path)) {
                RelocationEngine engine = RelocationEngines.forMachine(elf.header().machine(), elf.header().bits())
                        .orElse(null);
                if (engine == null || elf.symbolTable().isEmpty()) {
                    continue; // ILP32 and big-endian objects: no kobj engine
                }
                applicable = true;
                boolean is64 = elf.header().bits() == 64;
                long base = is64 ? 0xffff_ffff_8100_0000L : 0xc100_0000L;
                PageLayout layout = PageLayout.of(elf, base);
                Map<Integer, Long> sectionAddr = layout.addresses();
                SymbolTable symtab = elf.symbolTable().orElseThrow();
                long externs = layout.end() + (is64 ? far : 0);
                long gotBase = (layout.end() + 64L * symtab.size() + 0xfff) & ~0xfffL;
                long poolAddress = layout.end() + 0x10_0000;
                for (RelocationTable t : elf.relocationTables()) {
                    SectionHeader target = t.target();
                    if (target == null || !target.isAlloc() || target.isNobits()) {
                        continue;
                    }
                    long page = sectionAddr.get(target.index());
                    byte[] original = elf.contents(target).toArray(ValueLayout.JAVA_BYTE);
                    for (long addr : new long[] {page, page + shiftToFf8(t)}) {
                        FixupColumns columns = new FixupColumns();
                        for (long i = 0; i < t.size(); i++) {
                            ElfSymbol sym = symtab.get((int) t.symbol(i));
                            long s = layout.symbolValue(sym, externs);
                            long off = t.offset(i);
                            columns.add((int) t.type(i), off, addr + off, s, t.addend(i), sym.size(), gotBase + 8 * i,
                                    gotBase, 0);
                        }
                        for (int slots : new int[] {1, 64}) {
                            Outcome heap;
                            Outcome nat;
                            heap = apply(engine, elf, columns, MemorySegment.ofArray(original.clone()),
                                    MemorySegment.ofArray(new byte[16 * slots]), poolAddress);
                            try (Arena arena = Arena.ofConfined()) {
                                MemorySegment section = arena.allocate(Math.max(1, original.length));
                                section = section.asSlice(0, original.length);
                                MemorySegment.copy(original, 0, section, ValueLayout.JAVA_BYTE, 0, original.length);
                                nat = apply(engine, elf, columns, section, arena.allocate(16L * slots), poolAddress);
                            }
                            String where = path.getFileName() + " " + target.name() + " at 0x" + Long.toHexString(addr)
                                    + (far != 0 ? " (far)" : "") + ", " + slots + " veneer slot(s)";
                            assertThat(heap.refusal()).as(where).isEqualTo(nat.refusal());
                            assertThat(heap.section()).as(where).isEqualTo(nat.section());
                            assertThat(heap.pool()).as(where).isEqualTo(nat.pool());
                            assertThat(heap.used()).as(where).isEqualTo(nat.used());
                            if (heap.refusal() != null) {
                                assertThat(heap.section()).as(where + ": a refusal leaves the section as it was")
                                        .isEqualTo(original);
                                assertThat(heap.used()).as(where + ": and gives the slots back").isZero();
                                REFUSALS.incrementAndGet();
                            } else if (heap.used() > 0) {
                                VENEERS.incrementAndGet();
                            }
                            tables++;
                        }
                    }
                }
            }
        }
        if (applicable) {
            assertThat(tables).as("tables applied").isPositive();
        }
    }

    /** {@return how far to move a page-aligned section so that its first ADRP row's place has page offset 0xff8} */
    private static long shiftToFf8(RelocationTable t) {
        for (long i = 0; i < t.size(); i++) {
            long type = t.type(i);
            if (type == 275 || type == 276 || type == 311) { // ADR_PREL_PG_HI21(_NC), ADR_GOT_PAGE
                return (0xff8 - (t.offset(i) & 0xfff)) & 0xffc;
            }
        }
        return 0x100;
    }

    private static Outcome apply(RelocationEngine engine, ElfFile elf, FixupColumns columns, MemorySegment section,
            MemorySegment poolArea, long poolAddress) {
        VeneerPool pool = new VeneerPool(poolArea, poolAddress, 16);
        String refusal = null;
        try {
            engine.applyAll(section, elf.header().order(), columns, pool);
        } catch (RelocationException e) {
            refusal = e.reason() + " " + e.type() + " " + e.value() + " " + e.getMessage();
        }
        return new Outcome(section.toArray(ValueLayout.JAVA_BYTE), poolArea.toArray(ValueLayout.JAVA_BYTE),
                pool.used(), refusal);
    }

}
