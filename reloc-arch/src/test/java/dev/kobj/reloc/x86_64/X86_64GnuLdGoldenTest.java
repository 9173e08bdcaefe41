package dev.kobj.reloc.x86_64;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kobj.elf.ElfFile;
import dev.kobj.elf.ElfSymbol;
import dev.kobj.elf.RelocationTable;
import dev.kobj.elf.SectionHeader;
import dev.kobj.elf.SymbolTable;
import dev.kobj.reloc.Fixup;
import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * GNU ld as the oracle: {@code golden.o} (from {@code golden.s}) was linked by ld 2.40 into
 * {@code golden.elf} at fixed addresses ({@code make-golden.sh}). Applying golden.o's
 * relocations with kobj, at the addresses ld gave every section and symbol, must produce
 * exactly the bytes ld wrote.
 */
class X86_64GnuLdGoldenTest {
    private static final int STT_SECTION = 3;

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = X86_64GnuLdGoldenTest.class.getResourceAsStream("/x86_64/" + name)) {
            assertThat(in).as(name).isNotNull();
            return in.readAllBytes();
        }
    }

    @Test
    void kobjWritesTheBytesGnuLdWrote() throws Exception {
        ElfFile object = ElfFile.of("golden.o", resource("golden.o"));
        ElfFile linked = ElfFile.of("golden.elf", resource("golden.elf"));
        SymbolTable objectSymbols = object.symbolTable().orElseThrow();
        SymbolTable linkedSymbols = linked.symbolTable().orElseThrow();
        X86_64Engine engine = new X86_64Engine();
        Set<String> typesSeen = new TreeSet<>();
        int sections = 0;

        for (RelocationTable table : object.relocationTables()) {
            SectionHeader target = table.target();
            SectionHeader placed = linked.section(target.name()).orElseThrow();
            byte[] bytes = object.contents(target).toArray(ValueLayout.JAVA_BYTE);
            byte[] expected = linked.contents(placed).toArray(ValueLayout.JAVA_BYTE);
            assertThat(bytes).as("%s before relocation", target.name()).isNotEqualTo(expected);

            List<Fixup> fixups = new ArrayList<>();
            for (long i = 0; i < table.size(); i++) {
                var r = table.get(i);
                ElfSymbol sym = objectSymbols.get((int) r.symbol());
                long s;
                long z;
                String name;
                if (sym.type() == STT_SECTION) {
                    SectionHeader in = object.section(sym.shndx());
                    s = linked.section(in.name()).orElseThrow().addr();
                    z = 0;
                    name = "";
                } else {
                    ElfSymbol def = find(linkedSymbols, sym.name());
                    s = def.value();
                    z = def.size();
                    name = sym.name();
                }
                typesSeen.add(engine.kind((int) r.type()).orElseThrow().name());
                fixups.add(new Fixup((int) r.type(), r.offset(), placed.addr() + r.offset(), s, r.addend(), z, 0, 0,
                        0, name, "golden.o: " + target.name() + "+0x" + Long.toHexString(r.offset())));
            }
            engine.applyAll(MemorySegment.ofArray(bytes), ByteOrder.LITTLE_ENDIAN, fixups);
            assertThat(bytes).as("%s as ld wrote it", target.name()).isEqualTo(expected);
            sections++;
        }
        assertThat(sections).isEqualTo(2);
        assertThat(typesSeen).containsExactlyInAnyOrder("R_X86_64_NONE", "R_X86_64_64", "R_X86_64_PC32",
                "R_X86_64_PLT32", "R_X86_64_32", "R_X86_64_32S", "R_X86_64_16", "R_X86_64_PC16", "R_X86_64_8",
                "R_X86_64_PC8", "R_X86_64_PC64", "R_X86_64_SIZE32", "R_X86_64_SIZE64");
    }

    private static ElfSymbol find(SymbolTable table, String name) throws Exception {
        for (ElfSymbol s : table.all()) {
            if (s.name().equals(name)) {
                return s;
            }
        }
        throw new AssertionError("golden.elf has no symbol " + name);
    }
}
