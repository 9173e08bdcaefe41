package dev.kobj.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.kobj.elf.ElfFile;
import dev.kobj.registry.depmod.DependencyGraph;
import dev.kobj.registry.depmod.ModuleSymbols;
import dev.kobj.testkit.Testdata;
import java.util.ArrayList;
import java.util.List;

/**
 * depmod on a fuzzed module: its exports and imports ({@link ModuleSymbols#read}, the
 * {@code __ksymtab_} names and undefined symbols), then the dependency graph of the fuzzed
 * module with testdata's exporter and importer (cycles are refused with the cycle named),
 * and modules.dep written from it. Seeds: testdata's exporter and importer objects.
 */
class DepmodFuzzTest {
    static final String NAME = "fuzz-input.ko";

    @FuzzTest(maxDuration = "10m")
    void graph(byte[] data) {
        long[] image = {0};
        Bounded.check(NAME, () -> ElfFuzzTest.limit(data.length, image[0], ElfFuzzTest.compressedFile(data)), () -> {
            ElfFile f = ElfFile.of(NAME, data);
            image[0] = f.bytes().byteSize();
            ModuleSymbols fuzzed = ModuleSymbols.read(f);
            List<DependencyGraph.Node> nodes = new ArrayList<>(Fixed.NODES);
            nodes.add(new DependencyGraph.Node("kernel/fuzz/" + NAME, "fuzz_input", fuzzed));
            DependencyGraph g = DependencyGraph.of(nodes);
            for (DependencyGraph.Node n : g.modules()) {
                g.dependencies(n).size();
            }
            g.modulesDep();
        });
    }

    /** testdata's exporter and importer, read once. */
    static final class Fixed {
        static final List<DependencyGraph.Node> NODES = read();

        private static List<DependencyGraph.Node> read() {
            List<DependencyGraph.Node> out = new ArrayList<>();
            for (String m : List.of("exporter", "importer")) {
                try (ElfFile f = ElfFile.open(Testdata.root().resolve("obj/x86_64-gcc-kernel/" + m + ".o"))) {
                    out.add(new DependencyGraph.Node("kernel/kobj/kobj_" + m + ".ko", "kobj_" + m, ModuleSymbols.read(f)));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
            return out;
        }
    }
}
