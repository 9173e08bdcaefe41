package dev.kobj.reloc.x86_64;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kobj.elf.ElfFile;
import dev.kobj.elf.ElfSymbol;
import dev.kobj.elf.RelocationTable;
import dev.kobj.elf.SectionHeader;
import dev.kobj.elf.SymbolTable;
import dev.kobj.reloc.Fixup;
import dev.kobj.reloc.RelocationEngine.RawRelocation;
import dev.kobj.reloc.RelocationKind;
import dev.kobj.reloc.RelocationKind.Category;
import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * GNU ld as the oracle: {@code golden.o} and {@code golden-got.o} (from their {@code .s}) were
 * linked by ld 2.40 into {@code .elf} files at fixed addresses ({@code make-golden.sh}). Applying golden.o's
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
        assertThat(relocate("golden")).containsExactlyInAnyOrder("R_X86_64_NONE", "R_X86_64_64", "R_X86_64_PC32",
                "R_X86_64_PLT32", "R_X86_64_32", "R_X86_64_32S", "R_X86_64_16", "R_X86_64_PC16", "R_X86_64_8",
                "R_X86_64_PC8", "R_X86_64_PC64", "R_X86_64_SIZE32", "R_X86_64_SIZE64");
    }

    /**
     * The GOT kinds, linked with {@code --no-relax}: kobj is given the GOT entries ld made
     * (found in ld's .got by their contents) and ld's {@code _GLOBAL_OFFSET_TABLE_}; every
     * entry ld made holds S + the addend of the key {@code stubTarget} gives (0: S itself).
     */
    @Test
    void kobjWritesTheGotReferencesGnuLdWrote() throws Exception {
        assertThat(relocate("golden-got")).containsExactlyInAnyOrder("R_X86_64_GOTPCREL", "R_X86_64_GOTPCRELX",
                "R_X86_64_REX_GOTPCRELX", "R_X86_64_GOT64", "R_X86_64_GOTPC32", "R_X86_64_GOTOFF64",
                "R_X86_64_GOTPCREL64", "R_X86_64_GOT32", "R_X86_64_GOTPC64");
    }

    /** Applies {@code base}.o's relocations, compares with {@code base}.elf, returns the types met. */
    private static Set<String> relocate(String base) throws Exception {
        ElfFile object = ElfFile.of(base + ".o", resource(base + ".o"));
        ElfFile linked = ElfFile.of(base + ".elf", resource(base + ".elf"));
        SymbolTable objectSymbols = object.symbolTable().orElseThrow();
        SymbolTable linkedSymbols = linked.symbolTable().orElseThrow();
        Optional<SectionHeader> got = linked.section(".got");
        long gotBase = find(linkedSymbols, "_GLOBAL_OFFSET_TABLE_").map(ElfSymbol::value).orElse(0L);
        X86_64Engine engine = new X86_64Engine();
        Set<String> typesSeen = new TreeSet<>();

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
                    ElfSymbol def = find(linkedSymbols, sym.name()).orElseThrow();
                    s = def.value();
                    z = def.size();
                    name = sym.name();
                }
                RelocationKind kind = engine.kind((int) r.type()).orElseThrow();
                typesSeen.add(kind.name());
                long entry = 0;
                if (kind.category() == Category.GOT) {
                    long key = engine.stubTarget(new RawRelocation((int) r.type(), r.symbol(), r.addend())).addend();
                    entry = gotEntryHolding(linked, got.orElseThrow(), s + key);
                }
                fixups.add(new Fixup((int) r.type(), r.offset(), placed.addr() + r.offset(), s, r.addend(), z, entry,
                        gotBase, 0, name, base + ".o: " + target.name() + "+0x" + Long.toHexString(r.offset())));
            }
            engine.applyAll(MemorySegment.ofArray(bytes), ByteOrder.LITTLE_ENDIAN, fixups);
            assertThat(bytes).as("%s of %s as ld wrote it", target.name(), base).isEqualTo(expected);
        }
        return typesSeen;
    }

    /** {@return the address of the entry of ld's GOT that holds {@code value}} */
    private static long gotEntryHolding(ElfFile linked, SectionHeader got, long value) throws Exception {
        MemorySegment entries = linked.contents(got);
        for (long off = 0; off + 8 <= entries.byteSize(); off += 8) {
            if (entries.get(ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), off) == value) {
                return got.addr() + off;
            }
        }
        throw new AssertionError("ld made no GOT entry holding 0x" + Long.toHexString(value));
    }

    private static Optional<ElfSymbol> find(SymbolTable table, String name) throws Exception {
        for (ElfSymbol s : table.all()) {
            if (s.name().equals(name)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }
}
