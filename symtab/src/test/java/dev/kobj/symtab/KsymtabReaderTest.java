package dev.kobj.symtab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kobj.elf.ElfFile;
import dev.kobj.symtab.KsymtabReader.Layout;
import dev.kobj.testkit.Testdata;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * __ksymtab and __ksymtab_gpl of the fixtures' exporter objects, placed and relocated by the
 * reloc-arch engines (see {@link PlacedObject}). Expected values: testdata/src/exporter.c
 * ({@code KOBJ_EXPORT_SYMBOL(kobj_shared_counter, 0x0badc0de)},
 * {@code KOBJ_EXPORT_SYMBOL_GPL_NS(kobj_shared_add, "KOBJ_NS", 0x5ca1ab1e)}: one entry each, in
 * the PREL32 layout of kobj_module.h) and the symbols' places from the object's symbol table
 * (readelf: kobj_shared_counter in .bss, kobj_shared_add in .text).
 */
class KsymtabReaderTest {

    static Stream<Path> exporters() throws IOException {
        Path obj = Testdata.root().resolve("obj");
        try (Stream<Path> s = Files.walk(obj)) {
            List<Path> all = s.filter(p -> p.getFileName().toString().equals("exporter.o")
                    || p.getFileName().toString().equals("kobj_multi.o")).sorted().toList();
            assertThat(all).hasSizeGreaterThanOrEqualTo(17);
            return all.stream();
        }
    }

    @ParameterizedTest
    @MethodSource("exporters")
    void readsTheFixtureExports(Path path) throws Exception {
        for (long base : new long[] {0x100000L, 0x7fff0000L}) {
            try (ElfFile elf = ElfFile.open(path)) {
                PlacedObject p = new PlacedObject(elf, base);
                KsymtabReader reader = new KsymtabReader(p.reader(), Layout.PREL32, "kobj_exporter");
                List<KernelSymbol> plain = reader.read(p.address("__ksymtab"), p.size("__ksymtab"), false,
                        p.address("__kcrctab"));
                List<KernelSymbol> gpl = reader.read(p.address("__ksymtab_gpl"), p.size("__ksymtab_gpl"), true,
                        p.address("__kcrctab_gpl"));
                assertThat(plain).containsExactly(new KernelSymbol("kobj_shared_counter", p.symbol("kobj_shared_counter"),
                        0x0badc0deL, "kobj_exporter", "EXPORT_SYMBOL", ""));
                assertThat(gpl).containsExactly(new KernelSymbol("kobj_shared_add", p.symbol("kobj_shared_add"),
                        0x5ca1ab1eL, "kobj_exporter", "EXPORT_SYMBOL_GPL", "KOBJ_NS"));
                // Without __kcrctab (a kernel built without MODVERSIONS) the CRC is unknown.
                assertThat(reader.read(p.address("__ksymtab"), p.size("__ksymtab"), false, 0).getFirst().crc()).isEqualTo(-1);
                // And the module's exports go into the table the linker asks.
                ModuleExports exports = new ModuleExports();
                exports.add("kobj_exporter", Stream.concat(plain.stream(), gpl.stream()).toList());
                assertThat(exports.nearest(gpl.getFirst().address() + 2)).contains(gpl.getFirst());
            }
        }
    }

    /** A hand-built image in the ABSOLUTE layout: two entries, 64-bit LE and 32-bit BE. */
    @Test
    void readsTheAbsoluteLayout() throws Exception {
        for (int ps : new int[] {8, 4}) {
            ByteOrder order = ps == 8 ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
            long base = ps == 8 ? 0xffffffffc0000000L : 0xbf000000L;
            ByteBuffer b = ByteBuffer.allocate(256).order(order);
            long strings = base + 128;
            byte[] text = "alpha\0beta\0NS_B\0".getBytes(StandardCharsets.US_ASCII);
            b.put(128, text);
            long[] entry = {base + 0x40, strings, 0, base + 0x50, strings + 6, strings + 11};
            for (int i = 0; i < entry.length; i++) {
                if (ps == 8) {
                    b.putLong(i * 8, entry[i]);
                } else {
                    b.putInt(i * 4, (int) entry[i]);
                }
            }
            b.putInt(96, 0xdeadbeef).putInt(100, 0x00000001);
            ImageReader image = ImageReader.of(base, b.array(), order == ByteOrder.LITTLE_ENDIAN, ps);
            List<KernelSymbol> syms = new KsymtabReader(image, Layout.ABSOLUTE, "m").read(base, 6L * ps, false, base + 96);
            assertThat(syms).containsExactly(new KernelSymbol("alpha", base + 0x40, 0xdeadbeefL, "m", "EXPORT_SYMBOL", ""),
                    new KernelSymbol("beta", base + 0x50, 1, "m", "EXPORT_SYMBOL", "NS_B"));
        }
    }

    @Test
    void badEntriesNameModuleSectionAndEntry() {
        ByteBuffer b = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0, 0x20).putInt(4, 0x1000).putInt(8, 0); // name far outside
        ImageReader image = ImageReader.of(0x1000, b.array(), true, 8);
        KsymtabReader r = new KsymtabReader(image, Layout.PREL32, "broken");
        assertThatThrownBy(() -> r.read(0x1000, 12, true, 0))
                .isInstanceOf(SymtabFormatException.class)
                .hasMessage("broken: __ksymtab_gpl entry 0 at 0x1000: the name runs out of the image before its NUL: name at 0x2004");
        assertThatThrownBy(() -> r.read(0x1000, 13, false, 0))
                .hasMessage("broken: __ksymtab at 0x1000: not a multiple of the PREL32 entry size 12: size 13");
        b.putInt(4, 0x1c); // name at 0x1020, but not NUL-terminated before the end
        java.util.Arrays.fill(b.array(), 0x20, 64, (byte) 'x');
        assertThatThrownBy(() -> r.read(0x1000, 12, false, 0)).hasMessageContaining("runs out of the image before its NUL");
        b.put(40, (byte) 0);
        assertThatThrownBy(() -> r.read(0x1000, 12, false, 0x1040))
                .hasMessageContaining("broken: __ksymtab entry 0 at 0x1000: the CRC is outside the image");
    }
}
