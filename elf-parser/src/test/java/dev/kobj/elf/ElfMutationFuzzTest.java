package dev.kobj.elf;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Mutates the real fixtures (compiled by gcc/clang for every architecture, plus the
 * compressed and signed modules) and asserts that the parser, read from end to end, either
 * succeeds or throws {@link ElfFormatException}: never an IndexOutOfBounds, NullPointer,
 * Arithmetic, NegativeArraySize or OutOfMemory error, whatever bytes it is given.
 */
class ElfMutationFuzzTest {
    static final List<byte[]> SEEDS = new ArrayList<>();
    static final List<String> NAMES = new ArrayList<>();

    @BeforeContainer
    static void load() {
        if (!SEEDS.isEmpty()) {
            return;
        }
        for (Path p : Fixtures.objects()) {
            byte[] b = Fixtures.read(p);
            if (b.length < 400_000) {
                SEEDS.add(b);
                NAMES.add(p.toString());
            }
        }
        for (String c : List.of("special/module.ko.xz", "special/module.ko.zst", "special/module.ko.gz",
                "special/module-signed.ko")) {
            Path p = Fixtures.path(c);
            if (p.toFile().isFile()) {
                SEEDS.add(Fixtures.read(p));
                NAMES.add(p.toString());
            }
        }
        assertThat(SEEDS).as("fixtures to mutate").hasSizeGreaterThan(10);
    }

    /** What one mutation does to a copy of a seed. */
    enum Kind { BIT_FLIPS, TRUNCATE, HEADER_FIELD, SECTION_HEADER_FIELD, TABLE_ENTRY, SPLICE }

    record Mutation(int seed, Kind kind, long r1, long r2, long value, int width) {
    }

    @Provide
    Arbitrary<Mutation> mutations() {
        Arbitrary<Long> interesting = Arbitraries.of(0L, 1L, 2L, 0x7fL, 0xffL, 0x100L, 0xff00L, 0xfff1L, 0xfff2L,
                0xffffL, 0x10000L, 0x7fffffffL, 0x80000000L, 0xffffffffL, 0x100000000L, Long.MAX_VALUE,
                Long.MIN_VALUE, -1L, -2L, 64L, 24L, 40L);
        Arbitrary<Long> value = Arbitraries.oneOf(interesting, Arbitraries.longs());
        return Combinators.combine(
                Arbitraries.integers().between(0, 1 << 20),
                Arbitraries.of(Kind.class),
                Arbitraries.longs().greaterOrEqual(0),
                Arbitraries.longs().greaterOrEqual(0),
                value,
                Arbitraries.of(1, 2, 4, 8)).as(Mutation::new);
    }

    @Property(tries = 6000)
    void onlyElfFormatExceptionEscapes(@ForAll("mutations") Mutation m) {
        int s = m.seed() % SEEDS.size();
        byte[] b = mutate(SEEDS.get(s), m);
        try {
            ElfFile f = ElfFile.of(NAMES.get(s) + "~" + m.kind(), b);
            ElfWalk.all(f);
        } catch (ElfFormatException e) {
            assertThat(e.getMessage()).contains(NAMES.get(s)).contains("offset 0x");
        }
    }

    static byte[] mutate(byte[] seed, Mutation m) {
        byte[] b = seed.clone();
        int n = b.length;
        ByteOrder order = n > 5 && b[5] == 2 ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        boolean is64 = n > 4 && b[4] == 2;
        switch (m.kind()) {
            case BIT_FLIPS -> {
                int flips = 1 + (int) (m.r2() % 8);
                long r = m.r1();
                for (int i = 0; i < flips; i++) {
                    int pos = (int) ((r >>> 3) % n);
                    b[pos] ^= (byte) (1 << (r & 7));
                    r = r * 6364136223846793005L + 1442695040888963407L;
                    r >>>= 1;
                }
            }
            case TRUNCATE -> {
                return java.util.Arrays.copyOf(b, (int) (m.r1() % n));
            }
            case HEADER_FIELD -> put(b, (int) (m.r1() % (is64 ? 64 : 52)), m.value(), m.width(), order);
            case SECTION_HEADER_FIELD -> {
                long shoff = is64 ? get(b, 40, 8, order) : get(b, 32, 4, order);
                int shentsize = (int) get(b, is64 ? 58 : 46, 2, order);
                int shnum = (int) get(b, is64 ? 60 : 48, 2, order);
                if (shoff > 0 && shentsize > 0 && shnum > 0 && shoff < n) {
                    long at = shoff + (m.r1() % shnum) * shentsize + (m.r2() % shentsize);
                    put(b, (int) Math.min(at, n - 1), m.value(), m.width(), order);
                }
            }
            case TABLE_ENTRY -> {
                // A random entry of a random symbol, relocation, group or note table.
                List<long[]> tables = tables(b, is64, order);
                if (!tables.isEmpty()) {
                    long[] t = tables.get((int) (m.r1() % tables.size()));
                    if (t[1] > 0) {
                        long at = t[0] + (m.r2() % t[1]);
                        put(b, (int) Math.min(at, n - 1), m.value(), m.width(), order);
                    }
                }
            }
            case SPLICE -> {
                int from = (int) (m.r1() % n);
                int to = (int) (m.r2() % n);
                int len = (int) Math.min(1 + (m.value() & 0xff), Math.min(n - from, n - to));
                System.arraycopy(seed, from, b, to, len);
            }
        }
        return b;
    }

    /** {offset, size} of each SYMTAB, REL, RELA, GROUP, NOTE and SYMTAB_SHNDX section, read naively. */
    static List<long[]> tables(byte[] b, boolean is64, ByteOrder order) {
        List<long[]> out = new ArrayList<>();
        int n = b.length;
        if (n < 64) {
            return out;
        }
        long shoff = is64 ? get(b, 40, 8, order) : get(b, 32, 4, order);
        int shentsize = (int) get(b, is64 ? 58 : 46, 2, order);
        int shnum = (int) get(b, is64 ? 60 : 48, 2, order);
        for (int i = 0; i < shnum && shentsize >= 40; i++) {
            long p = shoff + (long) i * shentsize;
            if (p < 0 || p + shentsize > n) {
                break;
            }
            int type = (int) get(b, (int) p + 4, 4, order);
            long off = is64 ? get(b, (int) p + 24, 8, order) : get(b, (int) p + 16, 4, order);
            long size = is64 ? get(b, (int) p + 32, 8, order) : get(b, (int) p + 20, 4, order);
            if (List.of(2, 4, 7, 9, 17, 18).contains(type) && off >= 0 && off < n && size > 0) {
                out.add(new long[] {off, Math.min(size, n - off)});
            }
        }
        return out;
    }

    static long get(byte[] b, int at, int width, ByteOrder order) {
        if (at < 0 || at + width > b.length) {
            return 0;
        }
        ByteBuffer bb = ByteBuffer.wrap(b).order(order);
        return switch (width) {
            case 1 -> b[at] & 0xff;
            case 2 -> bb.getShort(at) & 0xffff;
            case 4 -> bb.getInt(at) & 0xffffffffL;
            default -> bb.getLong(at);
        };
    }

    static void put(byte[] b, int at, long v, int width, ByteOrder order) {
        int w = Math.min(width, b.length - at);
        if (at < 0 || w <= 0) {
            return;
        }
        ByteBuffer bb = ByteBuffer.allocate(8).order(order);
        bb.putLong(0, order == ByteOrder.LITTLE_ENDIAN ? v : v << (8 * (8 - width)));
        for (int i = 0; i < w; i++) {
            b[at + i] = bb.get(i);
        }
    }

}
