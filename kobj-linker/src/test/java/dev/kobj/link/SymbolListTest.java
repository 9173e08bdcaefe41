package dev.kobj.link;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kobj.elf.Arch;
import dev.kobj.elf.ElfConstants;
import dev.kobj.elf.ElfFile;
import dev.kobj.elf.ElfReader;
import dev.kobj.elf.ElfSymbol;
import dev.kobj.testkit.Fixture;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link LoadedImage#symbols} is made from columns and copies of the symbol and string tables
 * when it is asked for ({@link SymbolList}): every entry must still be what
 * {@link dev.kobj.elf.SymbolTable#all} decodes from the file (a separate path through
 * elf-parser), after the file's buffer was reused for another file (an {@link ElfReader}, as
 * check reads trees), after the image was closed, in every layout (Linux 6.1 and 6.4 place the
 * kernel's copies of .symtab and .strtab in the image, kobj's own layout does not) and in
 * native memory; and a listener that overrides {@link LinkListener#resolved} is told of the
 * same symbols in index order.
 */
class SymbolListTest {

    @Test
    void symbolsAreTheFilesAfterItsBufferWasReused() throws Exception {
        List<Fixture> all = Fixture.all().stream().filter(f -> f.file().toString().endsWith(".ko")
                || f.file().toString().endsWith(".o")).toList();
        ElfReader reader = new ElfReader();
        long compared = 0;
        int layouts = 0;
        for (int k = 0; k < all.size(); k++) {
            Fixture f = all.get(k);
            List<ElfSymbol> expected;
            Map<String, Long> plan;
            try (ElfFile own = ElfFile.open(f.file())) {
                if (Arch.of(own.header().machine(), own.header().bits()) == null || own.symbolTable().isEmpty()) {
                    continue;
                }
                expected = own.symbolTable().get().all();
                plan = TestObjects.plan(own);
            }
            for (LayoutStrategy layout : List.of(LayoutStrategy.LINUX_6_1, LayoutStrategy.LINUX_6_4, LayoutStrategy.KOBJ)) {
                List<LoadedImage.LinkedSymbol> heard = new ArrayList<>();
                LinkListener listener = new LinkListener() {
                    @Override
                    public void resolved(LoadedImage.LinkedSymbol symbol) {
                        heard.add(symbol);
                    }
                };
                LoadedImage image;
                ElfFile elf = reader.open(f.file());
                LinkRequest req = LinkRequest.builder(layout == LayoutStrategy.KOBJ ? new NativeMemory()
                        : new HeapMemory(TestObjects.BASE)).symbols(TestObjects.kernel(plan)).base(TestObjects.BASE)
                        .policy(LoadPolicy.defaults()).layout(layout).listener(listener).build();
                try {
                    image = Linker.link(elf, req);
                } catch (LinkException e) {
                    continue; // refused (thread-local storage, R_RISCV_ALIGN...): LinkFixturesTest says why
                }
                layouts++;
                // reuse the buffer: another file, then this one's bytes are gone from it
                reader.open(all.get((k + 1) % all.size()).file());
                List<LoadedImage.LinkedSymbol> symbols = image.symbols();
                assertThat(heard).as(f.path()).isEqualTo(symbols);
                image.close();
                assertThat(symbols).hasSameSizeAs(expected);
                for (int i = 0; i < expected.size(); i++) {
                    LoadedImage.LinkedSymbol s = symbols.get(i);
                    assertThat(s.symbol()).as(f.path() + " " + layout + " symbol " + i).isEqualTo(expected.get(i));
                    if (i > 0 && s.wasUndefined() && plan.containsKey(s.name())) {
                        assertThat(s.address()).isEqualTo(plan.get(s.name()));
                        assertThat(s.provider()).isEqualTo("vmlinux");
                    }
                    if (s.source() == LoadedImage.Source.DEFINED && !s.wasUndefined()
                            && s.symbol().type() != ElfConstants.STT_SECTION) {
                        long section = image.section((int) s.symbol().shndx()).orElseThrow().address();
                        assertThat(s.address()).isEqualTo(section + s.symbol().value());
                    }
                    compared++;
                }
                assertThat(image.symbols()).isEqualTo(heard);
            }
        }
        assertThat(compared).isPositive();
        assertThat(layouts).isGreaterThan(10);
    }
}
