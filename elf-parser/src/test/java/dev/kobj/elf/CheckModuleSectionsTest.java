package dev.kobj.elf;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link ElfFile#checkModuleSections} promises what {@link ElfFile#modinfo()} and
 * {@link ElfFile#modversions()} would throw, without making their entries. On every compiled
 * fixture with a {@code __versions} or {@code .modinfo} section, and on copies with one field
 * made wrong (a name without its NUL, {@code __versions}' sh_size off a multiple of 64, a section
 * moved past the end of the file), both pass or both throw the same message.
 */
class CheckModuleSectionsTest {

    /** {@return copies of {@code good}, each with one field of {@code s}'s header or contents made wrong} */
    private static List<byte[]> damaged(ElfFile f, byte[] good, SectionHeader s) {
        ElfHeader h = f.header();
        long at = f.sectionHeaderOffset(s.index());
        List<byte[]> out = new ArrayList<>();
        // sh_size one more than it is, sh_offset past the end of the file
        for (int field : h.is64() ? new int[] {32, 24} : new int[] {20, 16}) {
            byte[] b = good.clone();
            ByteBuffer bb = ByteBuffer.wrap(b).order(h.order());
            long value = field == (h.is64() ? 32 : 20) ? s.size() + 1 : good.length + 64L;
            if (h.is64()) {
                bb.putLong((int) at + field, value);
            } else {
                bb.putInt((int) at + field, (int) value);
            }
            out.add(b);
        }
        // the last entry's name without its NUL (__versions: 64-byte entries, the name after the CRC)
        if (s.name().equals("__versions") && s.size() >= 64) {
            byte[] b = good.clone();
            int crc = h.is64() ? 8 : 4;
            int entry = (int) (s.offset() + s.size() - 64);
            for (int k = entry + crc; k < entry + 64; k++) {
                b[k] = 'x';
            }
            out.add(b);
        }
        return out;
    }

    @Test
    void sameOutcomeAsReadingTheEntries() throws Exception {
        int files = 0;
        int copies = 0;
        int refused = 0;
        for (Path p : Fixtures.objects()) {
            byte[] good = Files.readAllBytes(p);
            ElfFile clean = ElfFile.of(p.toString(), good);
            List<byte[]> variants = new ArrayList<>();
            variants.add(good);
            for (String name : List.of("__versions", ".modinfo")) {
                if (clean.section(name).isPresent()) {
                    variants.addAll(damaged(clean, good, clean.section(name).get()));
                }
            }
            if (variants.size() == 1) {
                continue;
            }
            files++;
            for (int c = 0; c < variants.size(); c++) {
                ElfFile f;
                try {
                    f = ElfFile.of(p + " copy " + c, variants.get(c));
                } catch (ElfFormatException e) {
                    continue; // a change the header reader refuses: not this test's matter
                }
                copies++;
                String read = Outcome.of(() -> {
                    f.modinfo();
                    f.modversions();
                });
                refused += read.equals("passes") ? 0 : 1;
                assertThat(Outcome.of(f::checkModuleSections)).as(p + " copy " + c).isEqualTo(read);
            }
        }
        assertThat(files).isGreaterThan(10);
        assertThat(refused).as("damaged copies that modinfo()/modversions() refuse").isGreaterThan(files);
        assertThat(copies).isGreaterThan(3 * files);
    }
}
