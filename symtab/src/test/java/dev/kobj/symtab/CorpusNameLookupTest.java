package dev.kobj.symtab;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link SymbolLookup#find} by bytes answers what {@link SymbolLookup#lookup} answers, for every
 * name of the corpus's Module.symvers (amd64, arm64, riscv64: some 24,000 names each) and for
 * near misses of each (a byte more, a byte less).
 */
class CorpusNameLookupTest {

    @ParameterizedTest
    @ValueSource(strings = {"amd64", "arm64", "riscv64"})
    void findIsLookupOnModuleSymvers(String arch) throws Exception {
        KernelSymbolTable t = KernelSymbolTable.read(CorpusSymversTest.symvers(arch));
        List<String> names = t.symbols().stream().map(KernelSymbol::name).distinct().toList();
        org.assertj.core.api.Assertions.assertThat(names).hasSizeGreaterThan(20000);
        NameLookupTest.sameAsLookup(t, names);
    }
}
