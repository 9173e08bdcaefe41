package dev.kobj.symtab;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kobj.symtab.KernelSymbolTable.Format;
import dev.kobj.testkit.Corpus;
import dev.kobj.testkit.Testdata;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link KernelSymbolTable#read(Path, Format)} reads Module.symvers through a fast path on the
 * file's bytes ({@link SymversBytes}); the general line parser ({@link KernelSymbolTable#parse(String,
 * String, Format)}) is the reference: on the real files (testdata, and the corpus trees when
 * present), on every layout and malformed line the general parser's tests use, and on copies of a
 * real file with bytes changed at random, both give the same symbols in the same order, or the
 * same exception message.
 */
class SymversFastPathTest {

    /** {@return what reading {@code text} from a file gives: its symbols, or its error} */
    private static String viaFile(Path dir, String text) throws Exception {
        Path f = dir.resolve("Module.symvers");
        Files.write(f, text.getBytes(StandardCharsets.ISO_8859_1));
        try {
            KernelSymbolTable t = KernelSymbolTable.read(f, Format.MODULE_SYMVERS);
            return t.symbols().toString();
        } catch (SymtabFormatException e) {
            return "error: " + e.getMessage();
        }
    }

    /** {@return what the general parser gives for {@code text}, named as the file would be} */
    private static String viaLines(Path dir, String text) {
        try {
            return KernelSymbolTable.parse(dir.resolve("Module.symvers").toString(), text, Format.MODULE_SYMVERS)
                    .symbols().toString();
        } catch (SymtabFormatException e) {
            return "error: " + e.getMessage();
        }
    }

    private static void same(Path dir, String text) throws Exception {
        assertThat(viaFile(dir, text)).as("%s", text.length() > 300 ? text.substring(0, 300) : text)
                .isEqualTo(viaLines(dir, text));
    }

    @Test
    void everyLayoutAndEveryMalformedLineAsTheLineParser(@TempDir Path dir) throws Exception {
        List<String> texts = List.of(
                "", "\n", "\n\n",
                "0x92997ed8\t_printk\tvmlinux\tEXPORT_SYMBOL\t\n",
                "0x92997ed8\t_printk\tvmlinux\tEXPORT_SYMBOL\t", // no final newline
                "0x1a2b3c4d\tdma_buf_get\tvmlinux\tEXPORT_SYMBOL_GPL\tDMA_BUF\n",
                "0x0000abcd\ttun_get_socket\tdrivers/net/tun\tEXPORT_SYMBOL_GPL\t\n",
                "0x12345678\tfoo\tvmlinux\tEXPORT_SYMBOL\n", // Linux < 5.4
                "0x12345678\tfoo\tNS\tdrivers/x\tEXPORT_SYMBOL_GPL\n", // 5.4-5.9
                "0x12345678\tfoo\tvmlinux\tEXPORT_SYMBOL_GPL_FUTURE\t\n",
                "0x12345678\tfoo\tvmlinux\tEXPORT_UNUSED_SYMBOL\t\n",
                "0x1\tfoo\tvmlinux\tEXPORT_SYMBOL\t\r\n", // CRLF
                "0x1\tfoo\tvmlinux\tEXPORT_SYMBOL\t\r",
                "0x92997ed8\t_printk\tvmlinux\tEXPORT_SYMBOL\t\n0x1234\tfoo\tvmlinux\n",
                "92997ed8\t_printk\tvmlinux\tEXPORT_SYMBOL\t\n",
                "0x\t_printk\tvmlinux\tEXPORT_SYMBOL\t\n",
                "0x123456789\t_printk\tvmlinux\tEXPORT_SYMBOL\t\n",
                "0xABCDEFab\t_printk\tvmlinux\tEXPORT_SYMBOL\t\n",
                "0x12g4\t_printk\tvmlinux\tEXPORT_SYMBOL\t\n",
                "0x92997ed8\t_printk\tvmlinux\tEXPORT_IT\t\n",
                "0x92997ed8\t_printk\tvmlinux\tEXPORT_SYMBOL_GP\t\n",
                "0x92997ed8\t_printk\tvmlinux\tEXPORT_SYMBOLX\t\n",
                "0x1\tfoo\tvmlinux\tEXPORT_SYMBOL\t\n0x2\tbar\tvmlinux\tEXPORT_SYMBOL\t\n0x3\tfoo\tdrivers/x\tEXPORT_SYMBOL\t\n",
                "0x1\t\tvmlinux\tEXPORT_SYMBOL\t\n",
                "0x1\tfoo\t\tEXPORT_SYMBOL\t\n",
                "0x1\tfo o\tvmlinux\tEXPORT_SYMBOL\t\n",
                "0x1\tfoo\tvm linux\tEXPORT_SYMBOL\t\n",
                "0x1\tfoo\tvmlinux\tEXPORT_SYMBOL\tN S\n",
                "0x1\tfoo\tvmlinux\tEXPORT_SYMBOL\tNS\textra\n",
                "0x1\tf\u0001o\tvmlinux\tEXPORT_SYMBOL\t\n",
                "0x1\tf\u00e9o\tvmlinux\tEXPORT_SYMBOL\t\n", // a byte >= 0x80 is no blank
                " 0x1\tfoo\tvmlinux\tEXPORT_SYMBOL\t\n",
                "0x1\tfoo\tvmlinux\tEXPORT_SYMBOL\t\n \n",
                "0x1\tfoo\tvmlinux\tEXPORT_SYMBOL\t\n0x2\tbar\tdrivers/a\tEXPORT_SYMBOL\t\n0x3\tbaz\tdrivers/a\tEXPORT_SYMBOL\tX\n"
                        + "0x4\tqux\tdrivers/b\tEXPORT_SYMBOL_GPL\t\n0x5\tquux\tdrivers/a\tEXPORT_SYMBOL\t\n");
        for (String t : texts) {
            same(dir, t);
        }
    }

    @Test
    void realFilesAndDamagedCopiesAsTheLineParser(@TempDir Path dir) throws Exception {
        List<Path> files = new ArrayList<>();
        files.add(Testdata.special("Module.symvers"));
        for (String arch : Corpus.ARCHES) {
            Corpus.dir(arch).map(d -> d.resolve("Module.symvers")).filter(Files::isRegularFile).ifPresent(files::add);
        }
        Random random = new Random(9);
        for (Path file : files) {
            byte[] data = Files.readAllBytes(file);
            String text = new String(data, StandardCharsets.ISO_8859_1);
            same(dir, text);
            // Changed bytes: in a big file, a few lines out of thousands; the change is near the
            // start half of the time, so that the general parser's error comes before its end.
            int copies = data.length > 100_000 ? 40 : 200;
            byte[] alphabet = "\t\n\r x0AG_\u0001\u00ff".getBytes(StandardCharsets.ISO_8859_1);
            for (int c = 0; c < copies; c++) {
                byte[] d = data.clone();
                int edits = 1 + random.nextInt(3);
                int span = random.nextBoolean() ? Math.min(d.length, 2000) : d.length;
                for (int e = 0; e < edits && span > 0; e++) {
                    d[random.nextInt(span)] = alphabet[random.nextInt(alphabet.length)];
                }
                same(dir, new String(d, StandardCharsets.ISO_8859_1));
            }
            // A name listed twice, far apart: the fast path leaves it to the line parser.
            String first = text.substring(0, text.indexOf('\n') + 1);
            same(dir, text + first);
        }
    }
}
