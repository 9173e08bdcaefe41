package dev.kobj.link;

import static dev.kobj.elf.ElfConstants.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kobj.testkit.Tools;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ELF executable writer on hand-made images, read back by GNU readelf and objdump: the
 * expected values are what those tools print, never what kobj reads.
 */
class ImageWriterTest {
    static final long BASE = 0xffffffffc0000000L;
    static final long PRINTK = 0xffffffff81000100L;

    @TempDir
    Path dir;

    private static int st(int bind, int type) {
        return bind << 4 | type;
    }

    /** x86-64: {@code call printk; ret} in .text, a word in .data, 0x100 bytes of .bss. */
    private Path x86Image() throws Exception {
        ImageWriter w = new ImageWriter(true, ByteOrder.LITTLE_ENDIAN, EM_X86_64, 0, ELFOSABI_NONE);
        long rel = PRINTK - (BASE + 5);
        byte[] text = {(byte) 0xe8, (byte) rel, (byte) (rel >> 8), (byte) (rel >> 16), (byte) (rel >> 24), (byte) 0xc3};
        int t = w.section(new ImageWriter.Section(".text", SHT_PROGBITS, SHF_ALLOC | SHF_EXECINSTR | SHF_GROUP, BASE,
                16, 0, text.length, MemorySegment.ofArray(text)));
        int d = w.section(new ImageWriter.Section(".data", SHT_PROGBITS, SHF_ALLOC | SHF_WRITE, BASE + 0x1000, 8, 0, 8,
                MemorySegment.ofArray(new byte[] {1, 2, 3, 4, 5, 6, 7, 8})));
        int b = w.section(new ImageWriter.Section(".bss", SHT_NOBITS, SHF_ALLOC | SHF_WRITE, BASE + 0x1008, 8, 0, 0x100,
                null));
        w.segment(new ImageWriter.Segment(BASE, 0x1000, PF_R | PF_X, 0x1000));
        w.segment(new ImageWriter.Segment(BASE + 0x1000, 0x1000, PF_R | PF_W, 0x1000));
        w.symbol(new ImageWriter.Symbol("init_module", BASE, 6, st(STB_GLOBAL, STT_FUNC), 0, t));
        w.symbol(new ImageWriter.Symbol("printk", PRINTK, 0, st(STB_GLOBAL, STT_NOTYPE), 0, ImageWriter.ABS));
        w.symbol(new ImageWriter.Symbol("counter", BASE + 0x1000, 8, st(STB_LOCAL, STT_OBJECT), 0, d));
        w.symbol(new ImageWriter.Symbol("buffer", BASE + 0x1008, 0x100, st(STB_LOCAL, STT_OBJECT), 0, b));
        w.entry(BASE);
        Path out = dir.resolve("x86.elf");
        w.write(out);
        return out;
    }

    @Test
    void readelfSeesSectionsAtTheirAddresses() throws Exception {
        String s = Tools.run("readelf", "-SW", x86Image().toString());
        assertThat(s).contains("There are 7 section headers");
        assertThat(Tools.grep(s, "\\] \\.text ")).singleElement().asString()
                .matches(".*\\[ 1\\] \\.text\\s+PROGBITS\\s+ffffffffc0000000 [0-9a-f]{6} 000006 00  AX  0   0 16");
        assertThat(Tools.grep(s, "\\] \\.data ")).singleElement().asString()
                .matches(".*\\[ 2\\] \\.data\\s+PROGBITS\\s+ffffffffc0001000 [0-9a-f]{6} 000008 00  WA  0   0  8");
        assertThat(Tools.grep(s, "\\] \\.bss ")).singleElement().asString()
                .matches(".*\\[ 3\\] \\.bss\\s+NOBITS\\s+ffffffffc0001008 [0-9a-f]{6} 000100 00  WA  0   0  8");
        assertThat(s).contains("] .symtab           SYMTAB", "] .strtab           STRTAB", "] .shstrtab         STRTAB");
    }

    @Test
    void readelfSeesOneLoadPerRegionWithItsPermissions() throws Exception {
        String l = Tools.run("readelf", "-lW", x86Image().toString());
        assertThat(l).contains("Elf file type is EXEC (Executable file)", "Entry point 0xffffffffc0000000");
        assertThat(Tools.grep(l, "^\\s+LOAD")).hasSize(2);
        assertThat(Tools.grep(l, "^\\s+LOAD")).element(0).asString()
                .matches("\\s+LOAD\\s+0x[0-9a-f]+ 0xffffffffc0000000 0xffffffffc0000000 0x000006 0x001000 R E 0x1000");
        assertThat(Tools.grep(l, "^\\s+LOAD")).element(1).asString()
                .matches("\\s+LOAD\\s+0x[0-9a-f]+ 0xffffffffc0001000 0xffffffffc0001000 0x000008 0x001000 RW  0x1000");
        assertThat(l).containsPattern("00\\s+\\.text\\s*\n\\s+01\\s+\\.data \\.bss\\s*\n");
    }

    @Test
    void readelfSeesResolvedSymbolsAsAbsolute() throws Exception {
        String s = Tools.run("readelf", "-sW", x86Image().toString());
        assertThat(s).containsPattern("ffffffff81000100\\s+0 NOTYPE  GLOBAL DEFAULT  ABS printk\n");
        assertThat(s).containsPattern("ffffffffc0000000\\s+6 FUNC    GLOBAL DEFAULT    1 init_module\n");
        assertThat(s).containsPattern("ffffffffc0001000\\s+8 OBJECT  LOCAL  DEFAULT    2 counter\n");
        assertThat(s).containsPattern("ffffffffc0001008\\s+256 OBJECT  LOCAL  DEFAULT    3 buffer\n");
        // Locals first: sh_info is the first global; readelf warns on stderr otherwise (run() fails then).
        assertThat(Tools.grep(s, "LOCAL ")).hasSize(3); // the null symbol too
        assertThat(s).contains("Symbol table '.symtab' contains 5 entries");
    }

    @Test
    void objdumpNamesTheCallTarget() throws Exception {
        String d = Tools.run("objdump", "-d", x86Image().toString());
        assertThat(d).containsPattern("ffffffffc0000000:\\s+e8 fb 00 00 c1\\s+call\\s+ffffffff81000100 <printk>");
    }

    @Test
    void bigEndianElf32() throws Exception {
        ImageWriter w = new ImageWriter(false, ByteOrder.BIG_ENDIAN, EM_AARCH64, 0, ELFOSABI_NONE);
        int t = w.section(new ImageWriter.Section(".rodata", SHT_PROGBITS, SHF_ALLOC, 0x10000, 4, 0, 4,
                MemorySegment.ofArray(new byte[] {0x12, 0x34, 0x56, 0x78})));
        w.segment(new ImageWriter.Segment(0x10000, 0x1000, PF_R, 0x1000));
        w.symbol(new ImageWriter.Symbol("magic", 0x10000, 4, st(STB_GLOBAL, STT_OBJECT), 0, t));
        Path out = dir.resolve("be32.elf");
        w.write(out);
        String r = Tools.run("readelf", "-hSlsW", out.toString());
        assertThat(r).contains("ELF32", "big endian", "EXEC (Executable file)", "AArch64");
        assertThat(r).containsPattern("\\[ 1\\] \\.rodata\\s+PROGBITS\\s+00010000 [0-9a-f]{6} 000004 00   A  0   0  4");
        assertThat(r).containsPattern("LOAD\\s+0x[0-9a-f]+ 0x00010000 0x00010000 0x00004 0x01000 R   0x1000");
        assertThat(r).containsPattern("00010000\\s+4 OBJECT  GLOBAL DEFAULT    1 magic");
        String x = Tools.run("readelf", "-x", ".rodata", out.toString());
        assertThat(x).contains("0x00010000 12345678");
    }

    @Test
    void extendedSectionNumbering() throws Exception {
        ImageWriter w = new ImageWriter(true, ByteOrder.LITTLE_ENDIAN, EM_X86_64, 0, ELFOSABI_NONE);
        int n = 0xff10;
        int last = -1;
        for (int i = 0; i < n; i++) {
            last = w.section(new ImageWriter.Section(".data." + i, SHT_PROGBITS, SHF_ALLOC | SHF_WRITE, 0x100000L + i,
                    1, 0, 1, MemorySegment.ofArray(new byte[] {(byte) i})));
        }
        w.segment(new ImageWriter.Segment(0x100000L, 0x10000, PF_R | PF_W, 0x1000));
        w.symbol(new ImageWriter.Symbol("far", 0x100000L + n - 1, 1, st(STB_GLOBAL, STT_OBJECT), 0, last));
        Path out = dir.resolve("many.elf");
        w.write(out);
        String h = Tools.run("readelf", "-hW", out.toString());
        int shnum = n + 5; // null, n sections, .symtab, .symtab_shndx, .strtab, .shstrtab
        assertThat(h).contains("Number of section headers:         0 (" + shnum + ")");
        assertThat(h).contains("Section header string table index: 65535 (" + (shnum - 1) + ")");
        String s = Tools.run("readelf", "-sW", out.toString());
        assertThat(s).containsPattern("000000000010ff0f\\s+1 OBJECT  GLOBAL DEFAULT 65296 far");
        assertThat(Files.size(out)).isLessThan(8_000_000);
    }
}
