package dev.kobj.symtab;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link SymbolLookup#find} (a name given as bytes of a string table) answers exactly what
 * {@link SymbolLookup#lookup} answers for the name decoded as ISO-8859-1, the same object, on
 * the committed System.map and /proc/kallsyms samples (kallsyms lists static functions of the
 * same name several times, where the first global one wins) and through a {@link ChainedLookup}.
 */
class NameLookupTest {

    /** {@code name} placed at offset 3 of a string table, between other bytes, as an ELF .strtab holds it. */
    private static KernelSymbol find(SymbolLookup t, String name) {
        byte[] b = name.getBytes(StandardCharsets.ISO_8859_1);
        byte[] table = new byte[b.length + 8];
        table[0] = 'x';
        table[1] = 'y';
        System.arraycopy(b, 0, table, 3, b.length);
        table[b.length + 4] = 'z';
        return t.find(table, 3, b.length);
    }

    /** {@code find} of each name, and of near misses of it, is {@code lookup}'s answer (also for {@link CorpusNameLookupTest}). */
    static void sameAsLookup(SymbolLookup t, List<String> names) {
        for (String n : names) {
            assertThat(find(t, n)).as(n).isSameAs(t.lookup(n).orElse(null));
            for (String other : List.of(n + "_", n.substring(1), n.substring(0, n.length() - 1), "_" + n)) {
                assertThat(find(t, other)).as(other).isSameAs(t.lookup(other).orElse(null));
            }
        }
    }

    @Test
    void findIsLookupOnTheSamples() throws Exception {
        for (String sample : List.of("System.map", "kallsyms")) {
            KernelSymbolTable t = KernelSymbolTable.read(Samples.resource(sample));
            List<String> names = t.symbols().stream().map(KernelSymbol::name).distinct().toList();
            assertThat(names).hasSizeGreaterThan(5);
            sameAsLookup(t, names);
            assertThat(find(t, "")).isNull();
            assertThat(find(t, "no_such_symbol_\u00e9")).isNull();
        }
    }

    @Test
    void findThroughAChainIsTheFirstTablesAnswer() throws Exception {
        KernelSymbolTable map = KernelSymbolTable.read(Samples.resource("System.map"));
        KernelSymbolTable kallsyms = KernelSymbolTable.read(Samples.resource("kallsyms"));
        ChainedLookup chain = new ChainedLookup(kallsyms, map);
        List<String> names = java.util.stream.Stream.concat(map.symbols().stream(), kallsyms.symbols().stream())
                .map(KernelSymbol::name).distinct().toList();
        sameAsLookup(chain, names);
    }

    /** Names are matched as ISO-8859-1 bytes: a char above 0xff (which no ELF name decodes to) never matches a '?'. */
    @Test
    void namesOutsideIso88591MatchNoBytes() throws Exception {
        KernelSymbolTable t = KernelSymbolTable.parse("Module.symvers", """
                0x00000001\ta\u0100b\tvmlinux\tEXPORT_SYMBOL\t
                0x00000002\tcaf\u00e9\tvmlinux\tEXPORT_SYMBOL\t
                0x00000003\tx?\u0100\tvmlinux\tEXPORT_SYMBOL\t
                0x00000004\ta?b\tvmlinux\tEXPORT_SYMBOL\t
                """, KernelSymbolTable.Format.MODULE_SYMVERS);
        assertThat(t.lookup("a\u0100b")).isPresent();
        assertThat(find(t, "a?b")).isSameAs(t.lookup("a?b").orElseThrow());
        assertThat(find(t, "caf\u00e9")).isSameAs(t.lookup("caf\u00e9").orElseThrow());
        assertThat(find(t, "x??")).isNull();
        sameAsLookup(t, List.of("a?b", "caf\u00e9", "x??"));
    }
}
