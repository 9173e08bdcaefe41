package dev.kobj.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kobj.link.HeapMemory;
import dev.kobj.testkit.Testdata;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ModuleLocator#of}: testdata's exporter and importer objects under names of the test's
 * choosing, loaded from wherever they are, the search path playing no part.
 */
class FileMapLocatorTest {
    @TempDir
    Path tmp;

    @Test
    void findsExactlyTheMapsNamesInItsOrderAndIgnoresTheSearchPath() throws Exception {
        Map<String, Path> files = new LinkedHashMap<>();
        files.put("kobj_importer", Testdata.obj("x86_64-gcc-kernel", "importer.o"));
        files.put("kobj_exporter", Testdata.obj("x86_64-gcc-kernel", "exporter.o"));
        ModuleLocator locator = ModuleLocator.of(files);
        files.put("later", tmp.resolve("later.o"));

        assertThat(locator.find("kobj_exporter", List.of(tmp))).contains(files.get("kobj_exporter"));
        assertThat(locator.find("kobj-exporter", List.of())).as("no '-'/'_' folding: the map's names only").isEmpty();
        assertThat(locator.find("later", List.of())).as("the map was copied").isEmpty();
        assertThat(locator.candidates(List.of(tmp))).containsExactly(files.get("kobj_importer"),
                files.get("kobj_exporter"));
    }

    @Test
    void aRegistryLoadsTheImporterAndItsExporterThroughIt() throws Exception {
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        HeapMemory heap = Fixtures.kernelHeap();
        try (ModuleRegistry reg = Fixtures.registry(heap, empty).locator(ModuleLocator.of(Map.of(
                "kobj_importer", Testdata.obj("x86_64-gcc-kernel", "importer.o"),
                "kobj_exporter", Testdata.obj("x86_64-gcc-kernel", "exporter.o")))).build()) {
            ModuleInfo imp = reg.load("kobj_importer");
            assertThat(imp.requires()).containsExactly("kobj_exporter");
            assertThat(reg.status("kobj_exporter")).isPresent();
            reg.unload("kobj_importer");
            reg.unload("kobj_exporter");
            assertThat(reg.list()).isEmpty();
            assertThat(heap.liveAllocations()).isZero();
        }
    }
}
