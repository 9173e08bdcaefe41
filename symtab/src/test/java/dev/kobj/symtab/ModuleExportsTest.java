package dev.kobj.symtab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Adding and removing modules' exports; duplicates; the chain the linker asks. */
class ModuleExportsTest {

    static KernelSymbol sym(String name, long address) {
        return new KernelSymbol(name, address, 0x1234, "?", "EXPORT_SYMBOL", "");
    }

    @Test
    void addLookupRemove() throws Exception {
        ModuleExports e = new ModuleExports();
        e.add("a", List.of(sym("foo", 0xffffffffc0001000L), sym("bar", 0xffffffffc0001100L)));
        e.add("b", List.of(sym("baz", 0xffffffffc0002000L)));
        assertThat(e.size()).isEqualTo(3);
        assertThat(e.lookup("foo")).get().extracting(KernelSymbol::owner).isEqualTo("a");
        assertThat(e.nearest(0xffffffffc0001180L)).get().extracting(KernelSymbol::name).isEqualTo("bar");
        assertThat(e.symbolize(0xffffffffc0002010L)).contains("baz+0x10");
        assertThat(e.modules()).containsExactly("a", "b");
        assertThat(e.remove("a")).isTrue();
        assertThat(e.remove("a")).isFalse();
        assertThat(e.lookup("foo")).isEmpty();
        assertThat(e.nearest(0xffffffffc0001180L)).isEmpty();
        assertThat(e.size()).isEqualTo(1);
        e.add("c", List.of(sym("foo", 0xffffffffc0003000L))); // the name is free again
        assertThat(e.lookup("foo")).get().extracting(KernelSymbol::owner).isEqualTo("c");
        assertThatThrownBy(() -> e.add("c", List.of())).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void duplicateExportNamesBothOwnersAndAddsNothing() throws Exception {
        ModuleExports e = new ModuleExports();
        e.add("a.ko", List.of(sym("foo", 0x1000)));
        assertThatThrownBy(() -> e.add("b.ko", List.of(sym("qux", 0x2000), sym("foo", 0x2010))))
                .isInstanceOf(DuplicateExportException.class)
                .hasMessage("symbol foo exported by both a.ko and b.ko")
                .satisfies(x -> {
                    DuplicateExportException d = (DuplicateExportException) x;
                    assertThat(d.symbol()).isEqualTo("foo");
                    assertThat(d.firstOwner()).isEqualTo("a.ko");
                    assertThat(d.secondOwner()).isEqualTo("b.ko");
                });
        assertThat(e.lookup("qux")).isEmpty();
        assertThat(e.modules()).containsExactly("a.ko");
        assertThatThrownBy(() -> e.add("c.ko", List.of(sym("x", 1), sym("x", 2))))
                .hasMessage("symbol x exported twice by c.ko");
    }

    @Test
    void anExportTheKernelHasIsADuplicateUnlessItIsTheSameModules() throws Exception {
        KernelSymbolTable kernel = KernelSymbolTable.of("k", List.of(
                new KernelSymbol("_printk", 0xffffffff81002340L, 0x92997ed8L, "vmlinux", "EXPORT_SYMBOL", ""),
                new KernelSymbol("tun_get_socket", 0xffffffff81100000L, 0x74752c8dL, "drivers/net/tun", "EXPORT_SYMBOL_GPL", "")),
                true);
        ModuleExports e = new ModuleExports(kernel);
        assertThatThrownBy(() -> e.add("evil", List.of(sym("_printk", 0xffffffffc0000000L))))
                .hasMessage("symbol _printk exported by both vmlinux and evil");
        e.add("tun", List.of(sym("tun_get_socket", 0xffffffffc0000000L)));
        assertThatThrownBy(() -> e.add("tun2", List.of(sym("tun_get_socket", 0xffffffffc0010000L))))
                .hasMessage("symbol tun_get_socket exported by both tun and tun2");
    }

    @Test
    void theChainAsksLoadedModulesFirstThenTheKernel() throws Exception {
        KernelSymbolTable kernel = KernelSymbolTable.of("k", List.of(
                new KernelSymbol("_printk", 0xffffffff81002340L, 0x92997ed8L, "vmlinux", "EXPORT_SYMBOL", ""),
                new KernelSymbol("shadowed", 0xffffffff81003000L, 1, "vmlinux", "EXPORT_SYMBOL", "")), true);
        ModuleExports mods = new ModuleExports();
        mods.add("a", List.of(sym("shadowed", 0xffffffffc0000000L), sym("mine", 0xffffffffc0000100L)));
        ChainedLookup chain = new ChainedLookup(mods, kernel);
        assertThat(chain.lookup("shadowed")).get().extracting(KernelSymbol::owner).isEqualTo("a");
        assertThat(chain.lookup("_printk")).get().extracting(KernelSymbol::owner).isEqualTo("vmlinux");
        assertThat(chain.lookup("nothing")).isEmpty();
        assertThat(chain.nearest(0xffffffff81002350L)).get().extracting(KernelSymbol::name).isEqualTo("_printk");
        assertThat(chain.nearest(0xffffffffc0000180L)).get().extracting(KernelSymbol::name).isEqualTo("mine");
        assertThat(chain.size()).isEqualTo(4);
    }

    @Test
    void concurrentLoadsAndLookupsStayConsistent() throws Exception {
        ModuleExports e = new ModuleExports();
        int modules = 64;
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            List<Future<?>> futures = new ArrayList<>();
            for (int m = 0; m < modules; m++) {
                int id = m;
                futures.add(pool.submit(() -> {
                    List<KernelSymbol> syms = new ArrayList<>();
                    for (int i = 0; i < 50; i++) {
                        syms.add(sym("m" + id + "_s" + i, 0xffffffffc0000000L + id * 0x10000L + i * 16));
                    }
                    for (int round = 0; round < 20; round++) {
                        e.add("m" + id, syms);
                        assertThat(e.lookup("m" + id + "_s7")).get().extracting(KernelSymbol::owner).isEqualTo("m" + id);
                        assertThat(e.nearest(syms.get(9).address() + 3)).contains(syms.get(9).withOwner("m" + id));
                        if (round < 19) {
                            e.remove("m" + id);
                        }
                    }
                    // Every thread also tries to take a shared name: exactly one wins.
                    try {
                        e.add("shared" + id, List.of(sym("contested", 0x1000 + id)));
                        return true;
                    } catch (DuplicateExportException x) {
                        return false;
                    }
                }));
            }
            long winners = 0;
            for (Future<?> f : futures) {
                winners += Boolean.TRUE.equals(f.get()) ? 1 : 0;
            }
            assertThat(winners).isEqualTo(1);
        }
        assertThat(e.size()).isEqualTo(modules * 50 + 1);
    }
}
