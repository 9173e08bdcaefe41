package dev.kobj.reloc.riscv;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kobj.elf.ElfFile;
import dev.kobj.elf.ElfSymbol;
import dev.kobj.elf.RelocationTable;
import dev.kobj.elf.SectionHeader;
import dev.kobj.elf.SymbolTable;
import dev.kobj.reloc.Fixup;
import dev.kobj.reloc.PageLayout;
import dev.kobj.testkit.Testdata;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * kobj against GNU ld: the fixtures gcc built for RV32 and RV64 (medany, medlow, with and
 * without relaxation), linked by {@code ld --no-relax} at a fixed layout by
 * src/test/scripts/riscv-ld-golden.sh, must come out byte for byte the same from kobj at
 * that layout. The expected bytes are ld's, never kobj's.
 */
class RiscvLdGoldenTest {

    static Path golden() {
        return Paths.get("src", "test", "resources", "riscv-ld-golden");
    }

    static Stream<String> cases() throws Exception {
        try (Stream<Path> s = Files.list(golden())) {
            List<String> out = s.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList();
            assertThat(out).hasSizeGreaterThanOrEqualTo(15);
            return out.stream();
        }
    }

    @ParameterizedTest
    @MethodSource("cases")
    void sameBytesAsGnuLd(String name) throws Exception {
        int dash = name.lastIndexOf('-');
        Path obj = Testdata.root().resolve("obj").resolve(name.substring(0, dash)).resolve(name.substring(dash + 1) + ".o");
        List<Path> expected;
        try (Stream<Path> s = Files.list(golden().resolve(name))) {
            expected = s.sorted().toList();
        }
        assertThat(expected).isNotEmpty();
        try (ElfFile elf = ElfFile.open(obj)) {
            int xlen = elf.header().bits();
            RiscvEngine engine = xlen == 64 ? RiscvEngine.rv64() : RiscvEngine.rv32();
            PageLayout layout = PageLayout.of(elf, xlen == 64 ? 0xffff_ffff_8100_0000L : 0xc100_0000L);
            Map<Integer, Long> addr = layout.addresses();
            long next = layout.end();
            long externs = next;
            SymbolTable symtab = elf.symbolTable().orElseThrow();
            Map<Integer, RelocationTable> byTarget = new HashMap<>();
            for (RelocationTable t : elf.relocationTables()) {
                byTarget.put(t.target().index(), t);
            }
            for (Path file : expected) {
                String f = file.getFileName().toString();
                int idx = Integer.parseInt(f.substring(0, f.indexOf('.')));
                SectionHeader target = elf.section(idx);
                RelocationTable t = byTarget.get(idx);
                byte[] bytes = elf.contents(target).toArray(ValueLayout.JAVA_BYTE);
                List<Fixup> fixups = new ArrayList<>();
                for (long i = 0; i < t.size(); i++) {
                    ElfSymbol sym = symtab.get((int) t.symbol(i));
                    long s = sym.index() == 0 ? 0
                            : sym.shndx() == 0 ? externs + 64L * sym.index()
                            : sym.shndx() == 0xfff1 ? sym.value()
                            : addr.get((int) sym.shndx()) + sym.value();
                    long off = t.offset(i);
                    fixups.add(new Fixup((int) t.type(i), off, addr.get(idx) + off, s, t.addend(i), sym.size(), 0, 0, 0,
                            sym.name(), "%s: %s+0x%x".formatted(name, target.name(), off)));
                }
                engine.applyAll(MemorySegment.ofArray(bytes), elf.header().order(), fixups);
                assertThat(bytes).as("%s %s", name, target.name()).isEqualTo(Files.readAllBytes(file));
            }
        }
    }
}
