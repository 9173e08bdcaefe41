package dev.kobj.symtab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kobj.symtab.KernelSymbolTable.Format;
import org.junit.jupiter.api.Test;

/** System.map, kallsyms and Module.symvers lines, good and bad; merging by name. */
class TextSourcesTest {

    @Test
    void systemMapGivesAddressesAndPrefersGlobalsByName() throws Exception {
        KernelSymbolTable t = KernelSymbolTable.read(Samples.resource("System.map"));
        assertThat(t.size()).isEqualTo(13);
        assertThat(t.lookup("_text")).get().extracting(KernelSymbol::address).isEqualTo(0xffffffff81000000L);
        assertThat(t.lookup("_printk")).get().satisfies(s -> {
            assertThat(s.address()).isEqualTo(0xffffffff81002340L);
            assertThat(s.owner()).isEqualTo("vmlinux");
            assertThat(s.crc()).isEqualTo(-1);
            assertThat(s.exportType()).isEmpty();
        });
        // Two local "cleanup"s and a global one: the name answers with the global.
        assertThat(t.lookup("cleanup")).get().extracting(KernelSymbol::address).isEqualTo(0xffffffff81003000L);
        assertThat(t.nmType("cleanup")).isEqualTo('T');
        // ... but every entry takes part in address look-ups.
        assertThat(t.nearest(0xffffffff81002410L)).get().extracting(KernelSymbol::address).isEqualTo(0xffffffff81002400L);
        // Several at one address: the first listed answers.
        assertThat(t.nearest(0xffffffff81000010L)).get().extracting(KernelSymbol::name).isEqualTo("_stext");
        assertThat(t.symbolize(0xffffffff81002345L)).contains("_printk+0x5");
        assertThat(t.symbolize(0xffffffff81002340L)).contains("_printk");
        // Kernel addresses compare unsigned: the per-CPU symbols at 0 are below them all.
        assertThat(t.nearest(0x10)).get().extracting(KernelSymbol::name).isEqualTo("__per_cpu_start");
        assertThat(t.nearest(-1L)).get().extracting(KernelSymbol::name).isEqualTo("_end");
    }

    @Test
    void kallsymsHasAModuleColumn() throws Exception {
        KernelSymbolTable t = KernelSymbolTable.read(Samples.resource("kallsyms"));
        assertThat(t.size()).isEqualTo(7);
        assertThat(t.lookup("tun_get_socket")).get().satisfies(s -> {
            assertThat(s.owner()).isEqualTo("tun");
            assertThat(s.address()).isEqualTo(0xffffffffc0a02000L);
        });
        assertThat(t.lookup("jiffies")).get().extracting(KernelSymbol::owner).isEqualTo("vmlinux");
        assertThat(t.nearest(0xffffffffc0a01abcL)).get().extracting(KernelSymbol::name).isEqualTo("tun_chr_open");
    }

    @Test
    void kallsymsWithHiddenAddressesIsRefusedClearly() throws Exception {
        assertThatThrownBy(() -> KernelSymbolTable.read(Samples.resource("kallsyms-restricted")))
                .isInstanceOf(SymtabFormatException.class)
                .hasMessageContaining("kallsyms-restricted")
                .hasMessageContaining("every address is 0")
                .hasMessageContaining("kptr_restrict");
        try (var in = java.nio.file.Files.newBufferedReader(Samples.resource("kallsyms-restricted"))) {
            KernelSymbolTable names = KernelSymbolTable.parse("kallsyms-restricted", in, Format.KALLSYMS, true);
            assertThat(names.size()).isEqualTo(5);
            assertThat(names.hasAddresses()).isFalse();
            assertThat(names.hasAddress("_text")).isFalse();
            assertThat(names.nearest(0)).isEmpty();
            assertThat(names.lookup("tun_chr_open")).get().extracting(KernelSymbol::owner).isEqualTo("tun");
        }
    }

    @Test
    void malformedNmLinesNameFileLineAndText() {
        assertThatThrownBy(() -> KernelSymbolTable.parse("System.map", "ffffffff81000000 T _text\nffffffff8100zz00 T x\n",
                Format.SYSTEM_MAP))
                .isInstanceOf(SymtabFormatException.class)
                .hasMessage("System.map:2: address \"ffffffff8100zz00\" is not 1 to 16 hex digits: \"ffffffff8100zz00 T x\"")
                .satisfies(e -> {
                    SymtabFormatException f = (SymtabFormatException) e;
                    assertThat(f.file()).isEqualTo("System.map");
                    assertThat(f.line()).isEqualTo(2);
                    assertThat(f.text()).isEqualTo("ffffffff8100zz00 T x");
                });
        assertThatThrownBy(() -> KernelSymbolTable.parse("m", "ffffffff81000000 T\n", Format.SYSTEM_MAP))
                .hasMessage("m:1: expected \"ADDRESS TYPE NAME\": \"ffffffff81000000 T\"");
        assertThatThrownBy(() -> KernelSymbolTable.parse("m", "ffffffff81000000 TT x\n", Format.SYSTEM_MAP))
                .hasMessageContaining("m:1: symbol type \"TT\" is not one nm type letter");
        assertThatThrownBy(() -> KernelSymbolTable.parse("m", "ffffffff81000000 T x\t[tun]\n", Format.SYSTEM_MAP))
                .hasMessageContaining("m:1: unexpected text after the name");
        assertThatThrownBy(() -> KernelSymbolTable.parse("k", "ffffffff81000000 T x\ttun\n", Format.KALLSYMS))
                .hasMessageContaining("k:1: expected \"[module]\" after the name, found \"tun\"");
        assertThatThrownBy(() -> KernelSymbolTable.parse("k", "ffffffff81000000 T x\n81000000 T y\n", Format.KALLSYMS))
                .hasMessageContaining("k:2: address has 8 hex digits where the lines before have 16");
    }

    @Test
    void symversLinesInEveryLayout() throws Exception {
        String text = """
                0x92997ed8\t_printk\tvmlinux\tEXPORT_SYMBOL\t
                0x1a2b3c4d\tdma_buf_get\tvmlinux\tEXPORT_SYMBOL_GPL\tDMA_BUF
                0x0000abcd\ttun_get_socket\tdrivers/net/tun\tEXPORT_SYMBOL_GPL\t
                """;
        KernelSymbolTable t = KernelSymbolTable.parse("Module.symvers", text, Format.MODULE_SYMVERS);
        assertThat(t.size()).isEqualTo(3);
        assertThat(t.lookup("_printk")).contains(new KernelSymbol("_printk", 0, 0x92997ed8L, "vmlinux", "EXPORT_SYMBOL", ""));
        assertThat(t.lookup("dma_buf_get")).get().satisfies(s -> {
            assertThat(s.gplOnly()).isTrue();
            assertThat(s.namespace()).isEqualTo("DMA_BUF");
        });
        assertThat(t.lookup("tun_get_socket")).get().extracting(KernelSymbol::ownerModuleName).isEqualTo("tun");
        assertThat(t.hasAddresses()).isFalse();
        assertThat(t.nearest(-1L)).isEmpty();
        assertThat(t.moduleExports()).containsOnlyKeys("drivers/net/tun");
        // Linux < 5.4: four fields; 5.4-5.9: the namespace third.
        assertThat(KernelSymbolTable.parse("old", "0x12345678\tfoo\tvmlinux\tEXPORT_SYMBOL\n", Format.MODULE_SYMVERS)
                .lookup("foo")).contains(new KernelSymbol("foo", 0, 0x12345678L, "vmlinux", "EXPORT_SYMBOL", ""));
        assertThat(KernelSymbolTable.parse("5.4", "0x12345678\tfoo\tNS\tdrivers/x\tEXPORT_SYMBOL_GPL\n", Format.MODULE_SYMVERS)
                .lookup("foo")).contains(new KernelSymbol("foo", 0, 0x12345678L, "drivers/x", "EXPORT_SYMBOL_GPL", "NS"));
    }

    @Test
    void malformedSymversLinesNameFileLineAndText() {
        assertThatThrownBy(() -> KernelSymbolTable.parse("Module.symvers", "0x92997ed8\t_printk\tvmlinux\tEXPORT_SYMBOL\t\n"
                + "0x1234\tfoo\tvmlinux\n", Format.MODULE_SYMVERS))
                .isInstanceOf(SymtabFormatException.class)
                .hasMessage("Module.symvers:2: expected 5 tab-separated fields (crc, name, module, export type, namespace),"
                        + " found 3: \"0x1234\\tfoo\\tvmlinux\"");
        assertThatThrownBy(() -> KernelSymbolTable.parse("S", "92997ed8\t_printk\tvmlinux\tEXPORT_SYMBOL\t\n", Format.MODULE_SYMVERS))
                .hasMessageStartingWith("S:1: CRC \"92997ed8\" is not 0x and 1 to 8 hex digits");
        assertThatThrownBy(() -> KernelSymbolTable.parse("S", "0x92997ed8\t_printk\tvmlinux\tEXPORT_IT\t\n", Format.MODULE_SYMVERS))
                .hasMessageStartingWith("S:1: export type \"EXPORT_IT\"");
        assertThatThrownBy(() -> KernelSymbolTable.parse("S", "0x1\tfoo\tvmlinux\tEXPORT_SYMBOL\t\n0x2\tbar\tvmlinux\tEXPORT_SYMBOL\t\n"
                + "0x3\tfoo\tdrivers/x\tEXPORT_SYMBOL\t\n", Format.MODULE_SYMVERS))
                .hasMessageStartingWith("S:3: symbol foo is listed again (first on line 1, owned by vmlinux)");
        assertThatThrownBy(() -> KernelSymbolTable.parse("S", "0x1\t\tvmlinux\tEXPORT_SYMBOL\t\n", Format.MODULE_SYMVERS))
                .hasMessageStartingWith("S:1: symbol name \"\" is empty");
    }

    @Test
    void mergeTakesAddressesFromTheMapAndTheRestFromSymvers() throws Exception {
        KernelSymbolTable map = KernelSymbolTable.read(Samples.resource("System.map"));
        KernelSymbolTable symvers = KernelSymbolTable.parse("Module.symvers", """
                0x92997ed8\t_printk\tvmlinux\tEXPORT_SYMBOL\t
                0x15ba50a6\tjiffies\tvmlinux\tEXPORT_SYMBOL\t
                0x0000abcd\ttun_get_socket\tdrivers/net/tun\tEXPORT_SYMBOL_GPL\t
                """, Format.MODULE_SYMVERS);
        for (KernelSymbolTable t : new KernelSymbolTable[] {KernelSymbolTable.merge(map, symvers),
                KernelSymbolTable.merge(symvers, map)}) {
            assertThat(t.lookup("_printk")).contains(
                    new KernelSymbol("_printk", 0xffffffff81002340L, 0x92997ed8L, "vmlinux", "EXPORT_SYMBOL", ""));
            assertThat(t.lookup("jiffies")).get().extracting(KernelSymbol::crc).isEqualTo(0x15ba50a6L);
            assertThat(t.nmType("jiffies")).isEqualTo('D');
            assertThat(t.hasAddress("tun_get_socket")).isFalse();
            assertThat(t.lookup("tun_get_socket")).get().extracting(KernelSymbol::owner).isEqualTo("drivers/net/tun");
            assertThat(t.size()).isEqualTo(14); // 13 map lines + tun_get_socket
            assertThat(t.nearest(0xffffffff81002341L)).get().extracting(KernelSymbol::crc).isEqualTo(0x92997ed8L);
            assertThat(t.exportsOnly().size()).isEqualTo(3);
            assertThat(t.exportsOnly().nearest(0xffffffff81003000L)).get().extracting(KernelSymbol::name).isEqualTo("_printk");
        }
    }
}
