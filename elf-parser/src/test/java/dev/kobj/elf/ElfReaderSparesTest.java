package dev.kobj.elf;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * A file larger than a reader's own buffer goes into a buffer borrowed from those the readers of
 * the process share ({@link ElfReader.Spares}), given back at the reader's next open. Readers whose
 * own buffers hold 4 KiB read the compiled fixtures (most of them larger) one after the other, side
 * by side and from several threads: every file reads as {@link Files#readAllBytes} reads it, and
 * stays so until its reader opens another, whatever the other readers open meanwhile.
 */
class ElfReaderSparesTest {
    private static final int OWN = 4096;

    private static ElfReader reader() {
        return new ElfReader(64L << 20, 16L << 20, OWN);
    }

    private static byte[] bytes(ElfFile f) {
        return f.fileBytes().toArray(ValueLayout.JAVA_BYTE);
    }

    private static List<Path> big() {
        List<Path> out = new ArrayList<>();
        for (Path p : Fixtures.objects()) {
            if (p.toFile().length() > OWN) {
                out.add(p);
            }
        }
        out.sort(Comparator.comparingLong(p -> p.toFile().length()));
        assertThat(out).as("fixtures larger than a reader's own buffer").hasSizeGreaterThan(10);
        return out;
    }

    @Test
    void aFileStaysWholeUntilItsReaderOpensAnotherWhateverTheOthersRead() throws Exception {
        List<Path> files = big();
        ElfReader a = reader();
        ElfReader b = reader();
        for (int i = 0; i + 1 < files.size(); i++) {
            // a holds the bigger of two files while b reads the smaller one and then the next
            Path x = files.get(files.size() - 1 - i);
            Path y = files.get(i);
            ElfFile fa = a.open(x);
            ElfFile fb = b.open(y);
            ElfFile fb2 = b.open(files.get(i + 1));
            assertThat(bytes(fb2)).as(files.get(i + 1).toString()).isEqualTo(Files.readAllBytes(files.get(i + 1)));
            assertThat(bytes(fa)).as(x + " while another reader read " + y).isEqualTo(Files.readAllBytes(x));
            assertThat(fa.sections().size()).as(x.toString()).isEqualTo(ElfFile.of(x.toString(), Files.readAllBytes(x)).sections().size());
            assertThat(fb).isNotNull();
        }
    }

    @Test
    void aBufferGivenBackIsLentToTheNextReaderThatNeedsOne() throws Exception {
        List<Path> files = big();
        Path largest = files.get(files.size() - 1);
        Path smaller = files.get(files.size() / 2);
        Path small = Fixtures.objects().stream().filter(p -> p.toFile().length() <= OWN).findFirst().orElseThrow();
        ElfReader a = reader();
        ElfReader b = reader();
        Object lent = a.open(largest).bytes().heapBase().orElseThrow();
        a.open(small); // gives the big buffer back
        ElfFile f = b.open(smaller);
        assertThat(f.bytes().heapBase().orElseThrow()).as("the buffer " + largest + " was read into").isSameAs(lent);
        assertThat(bytes(f)).isEqualTo(Files.readAllBytes(smaller));
        ElfFile g = a.open(largest); // b holds it: a gets another
        assertThat(g.bytes().heapBase().orElseThrow()).isNotSameAs(lent);
        assertThat(bytes(f)).as(smaller + " after another reader read " + largest).isEqualTo(Files.readAllBytes(smaller));
        assertThat(bytes(g)).isEqualTo(Files.readAllBytes(largest));
    }

    @Test
    void sectionHeadersOfAFileStayTrueAfterItsReaderMovesOnOrItIsClosed() throws Exception {
        List<Path> files = big();
        Path x = files.get(files.size() - 1);
        Path y = files.get(files.size() - 2);
        List<SectionHeader> expected = ElfFile.of(x.toString(), Files.readAllBytes(x)).sections();
        ElfReader r = reader();
        ElfFile f = r.open(x);
        SectionHeader first = f.sections().get(1); // made while the file is there
        r.open(y);
        assertThat(first).isEqualTo(expected.get(1));
        // one not made before the reader moved on fails, naming the file, rather than read y's bytes
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> f.sections().get(2))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining(x.toString());
        // a mapped file makes its headers before it is unmapped: the list outlives close()
        ElfFile mapped = ElfFile.open(x);
        List<SectionHeader> kept = mapped.sections();
        mapped.close();
        assertThat(kept).isEqualTo(expected);
        // and the look-ups by name and type, which read the table in place while it is mapped, read the headers
        for (SectionHeader s : expected) {
            assertThat(mapped.section(s.name())).as(s.name())
                    .isEqualTo(expected.stream().filter(e -> e.name().equals(s.name())).findFirst());
            assertThat(mapped.sections(s.type())).isEqualTo(expected.stream().filter(e -> e.type() == s.type()).toList());
        }
        assertThat(mapped.section(1)).isEqualTo(expected.get(1));
    }

    @Test
    void threadsReadingSideBySideEachSeeTheirOwnFiles() throws Exception {
        List<Path> files = new ArrayList<>(Fixtures.objects());
        List<byte[]> expected = new ArrayList<>();
        for (Path p : files) {
            expected.add(Files.readAllBytes(p));
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Integer>> done = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int seed = t;
                done.add(pool.submit(() -> {
                    ElfReader r = reader();
                    int checked = 0;
                    java.util.Random random = new java.util.Random(seed);
                    for (int k = 0; k < 300; k++) {
                        int i = random.nextInt(files.size());
                        ElfFile f = r.open(files.get(i));
                        Thread.yield();
                        assertThat(bytes(f)).as(files.get(i).toString()).isEqualTo(expected.get(i));
                        checked++;
                    }
                    return checked;
                }));
            }
            for (Future<Integer> d : done) {
                assertThat(d.get()).isEqualTo(300);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
