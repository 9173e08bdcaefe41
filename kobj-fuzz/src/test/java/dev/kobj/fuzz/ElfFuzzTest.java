package dev.kobj.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.kobj.elf.ElfFile;
import dev.kobj.elf.ElfWalk;
import dev.kobj.elf.Limits;
import dev.kobj.elf.SectionHeader;

/**
 * The ELF parser through every public accessor ({@link ElfWalk}), on plain objects, Linux
 * modules (modinfo, __versions, this_module, appended signature), SHF_COMPRESSED sections and
 * whole gzip/xz/zstd files. Seeds: small objects of every architecture from testdata
 * (ElfFuzzTestInputs/parse/, copied by scripts/fuzz-seeds.sh).
 */
class ElfFuzzTest {
    static final String NAME = "fuzz-input.ko";

    @FuzzTest(maxDuration = "10m")
    void parse(byte[] data) {
        long[] image = {0};
        boolean[] inflates = {compressedFile(data)};
        Bounded.check(NAME, () -> limit(data.length, image[0], inflates[0]), () -> {
            ElfFile f = ElfFile.of(NAME, data);
            image[0] = f.bytes().byteSize();
            inflates[0] |= f.sections().stream().anyMatch(SectionHeader::isCompressed);
            ElfWalk.all(f);
        });
    }

    /** {@return whether {@code b} starts with the magic of gzip, xz or zstd} */
    static boolean compressedFile(byte[] b) {
        return b.length >= 4 && ((b[0] == 0x1f && (b[1] & 0xff) == 0x8b)
                || ((b[0] & 0xff) == 0xfd && b[1] == '7' && b[2] == 'z' && b[3] == 'X')
                || (b[0] == 0x28 && (b[1] & 0xff) == 0xb5 && b[2] == 0x2f && (b[3] & 0xff) == 0xfd));
    }

    /**
     * The allocation allowed for an input of {@code length} bytes that opened to an image of
     * {@code image} bytes: {@link Bounded#ALLOC_FACTOR} times both, plus, when something in it
     * is compressed, what decompression may take (its output is capped at
     * {@link Limits#maxDecompressed}, and a growing buffer copies it at most about three times).
     */
    static long limit(long length, long image, boolean inflates) {
        long inflate = inflates ? 3 * Limits.maxDecompressed(length) : 0;
        return Bounded.ALLOC_FACTOR * (length + image) + inflate + Bounded.ALLOC_SLACK;
    }
}
