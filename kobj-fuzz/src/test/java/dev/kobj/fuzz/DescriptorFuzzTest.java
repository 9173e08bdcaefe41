package dev.kobj.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.kobj.elf.ElfFile;
import dev.kobj.registry.Dependency;
import dev.kobj.registry.MetadataReader;
import dev.kobj.registry.ModuleMetadata;
import dev.kobj.testkit.Testdata;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The registry's module descriptors: a module's own {@code .modinfo} (name, depends with
 * FreeBSD-style version ranges {@code name:min:preferred:max}, vermagic, license, aliases,
 * namespaces) through {@link MetadataReader} on a fuzzed object, and the descriptor files
 * kept beside a real object ({@code NAME.properties}, {@code NAME.plist}) with fuzzed
 * contents. Seeds: testdata's importer objects; descriptors as DescriptorTest writes them.
 */
class DescriptorFuzzTest {
    static final String NAME = "fuzz-input.o";
    private static Path dir;
    private static Path object;

    private static synchronized Path object() {
        if (object == null) {
            try {
                dir = Files.createTempDirectory("kobj-fuzz-descriptor");
                dir.toFile().deleteOnExit();
                object = dir.resolve("kobj_exporter.o");
                Files.copy(Testdata.root().resolve("obj/x86_64-gcc-kernel/exporter.o"), object);
                object.toFile().deleteOnExit();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return object;
    }

    @FuzzTest(maxDuration = "10m")
    void modinfo(byte[] data) {
        long[] image = {0};
        Bounded.check(NAME, () -> ElfFuzzTest.limit(data.length, image[0], ElfFuzzTest.compressedFile(data)), () -> {
            ElfFile f = ElfFile.of(NAME, data);
            image[0] = f.bytes().byteSize();
            use(MetadataReader.read(f, Optional.empty(), false));
        });
    }

    @FuzzTest(maxDuration = "10m")
    void properties(byte[] data) {
        beside(data, ".properties");
    }

    @FuzzTest(maxDuration = "10m")
    void plist(byte[] data) {
        beside(data, ".plist");
    }

    private static void beside(byte[] data, String suffix) {
        Path o = object();
        Path d = o.resolveSibling("kobj_exporter" + suffix);
        try {
            Files.write(d, data);
            d.toFile().deleteOnExit();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // The descriptor file is named in messages, not the object: its path is the input's name.
        Bounded.check(d.getFileName().toString(), 64L * data.length + (4L << 20), () -> {
            try (ElfFile f = ElfFile.open(o)) {
                use(MetadataReader.read(f, Optional.of(o), true));
            }
        });
    }

    private static long use(ModuleMetadata m) {
        long sum = m.name().length() + m.version() + m.moduleClass().hashCode();
        for (Dependency d : m.requires()) {
            sum += d.range().length() + (d.accepts(d.preferred()) ? 1 : 0) + (d.accepts(0) ? 1 : 0);
        }
        return sum + m.aliases().size() + m.raw().size();
    }
}
