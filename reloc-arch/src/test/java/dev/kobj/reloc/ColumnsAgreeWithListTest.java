package dev.kobj.reloc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kobj.elf.ElfFile;
import dev.kobj.elf.ElfSymbol;
import dev.kobj.elf.RelocationTable;
import dev.kobj.elf.SectionHeader;
import dev.kobj.elf.SymbolTable;
import dev.kobj.testkit.Testdata;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The linker's entry point ({@code applyAll} of {@link FixupColumns}, no object per relocation)
 * against the list form that the oracle tests check (GNU ld, the psABI properties): on every
 * relocation table of the objects gcc and gas built for AArch64, RV64 and RV32 (testdata/obj),
 * both forms must write the same bytes, or both refuse with the same reason, type and value and
 * leave the section as it was. Each object is linked twice: with undefined symbols near the code
 * (everything applies, but what kobj refuses by design), and with them 1 TiB away (branches,
 * ADRP pages and PC-relative words out of range: the refusal and roll-back paths).
 */
class ColumnsAgreeWithListTest {

    static Stream<Path> objects() throws Exception {
        Path root = Testdata.root().resolve("obj");
        List<Path> out = new ArrayList<>();
        try (Stream<Path> s = Files.walk(root)) {
            s.filter(f -> f.toString().endsWith(".o")).filter(f -> {
                String rel = root.relativize(f).toString();
                return rel.contains("aarch64") || rel.contains("riscv");
            }).sorted().forEach(out::add);
        }
        assertThat(out).isNotEmpty();
        return out.stream();
    }

    @ParameterizedTest
    @MethodSource("objects")
    void bothFormsAgree(Path path) throws Exception {
        for (long far : new long[] {0, 1L << 40}) {
            try (ElfFile elf = ElfFile.open(path)) {
                RelocationEngine engine = RelocationEngines.forMachine(elf.header().machine(), elf.header().bits())
                        .orElse(null);
                if (engine == null || elf.symbolTable().isEmpty()) {
                    continue; // ILP32 and big-endian objects: no kobj engine
                }
                boolean is64 = elf.header().bits() == 64;
                long base = is64 ? 0xffff_ffff_8100_0000L : 0xc100_0000L;
                PageLayout layout = PageLayout.of(elf, base);
                Map<Integer, Long> sectionAddr = layout.addresses();
                long next = layout.end();
                SymbolTable symtab = elf.symbolTable().orElseThrow();
                long externs = next + (is64 ? far : 0);
                long gotBase = (next + 64L * symtab.size() + 0xfff) & ~0xfffL;
                for (RelocationTable t : elf.relocationTables()) {
                    SectionHeader target = t.target();
                    if (target == null || !target.isAlloc() || target.isNobits()) {
                        continue;
                    }
                    long addr = sectionAddr.get(target.index());
                    List<Fixup> list = new ArrayList<>();
                    FixupColumns columns = new FixupColumns();
                    for (long i = 0; i < t.size(); i++) {
                        ElfSymbol sym = symtab.get((int) t.symbol(i));
                        long s = layout.symbolValue(sym, externs);
                        long off = t.offset(i);
                        long got = gotBase + 8 * i;
                        list.add(new Fixup((int) t.type(i), off, addr + off, s, t.addend(i), sym.size(), got, gotBase, 0,
                                "", ""));
                        columns.add((int) t.type(i), off, addr + off, s, t.addend(i), sym.size(), got, gotBase, 0);
                    }
                    byte[] original = elf.contents(target).toArray(ValueLayout.JAVA_BYTE);
                    byte[] a = original.clone();
                    byte[] b = original.clone();
                    RelocationException fromList = null;
                    RelocationException fromColumns = null;
                    try {
                        engine.applyAll(MemorySegment.ofArray(a), elf.header().order(), list, VeneerPool.none());
                    } catch (RelocationException e) {
                        fromList = e;
                    }
                    try {
                        engine.applyAll(MemorySegment.ofArray(b), elf.header().order(), columns, VeneerPool.none());
                    } catch (RelocationException e) {
                        fromColumns = e;
                    }
                    String where = path.getFileName() + " " + target.name() + (far != 0 ? " (far)" : "");
                    assertThat(b).as(where).isEqualTo(a);
                    assertThat(fromColumns == null).as(where + ": refused by one form only: " + fromList + " / "
                            + fromColumns).isEqualTo(fromList == null);
                    if (fromList != null) {
                        assertThat(a).as(where + ": a refusal leaves the section as it was").isEqualTo(original);
                        assertThat(fromColumns.reason()).as(where).isEqualTo(fromList.reason());
                        assertThat(fromColumns.type()).as(where).isEqualTo(fromList.type());
                        assertThat(fromColumns.value()).as(where).isEqualTo(fromList.value());
                    }
                }
            }
        }
    }
}
