package dev.kobj.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.kobj.elf.ElfSymbol;
import dev.kobj.link.HeapMemory;
import dev.kobj.link.LoadPolicy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link LinkBindings}: a simulated kernel (kobj-emu) binds each object's undefined symbols at
 * its link. With no kernel table, kobj_exporter and kobj_importer (testdata x86_64-gcc-kernel)
 * load only through the bindings; the importer's kobj_shared_* come from the exporter's exports
 * (the registry's symbols, searched first), never from the bindings; a refusal undoes the load.
 * Expected names: the undefined symbols readelf lists for the two objects (printk, memcpy...).
 */
class LinkBindingsTest {
    @TempDir
    Path tmp;

    @Test
    void eachObjectIsBoundAtItsLinkAfterTheRegistrysSymbols() throws Exception {
        List<String> asked = new ArrayList<>();
        Map<String, Long> bound = new LinkedHashMap<>();
        LinkBindings kernel = (object, symbols) -> {
            asked.add(object.name());
            Map<String, Long> out = new LinkedHashMap<>();
            try {
                for (ElfSymbol s : object.symbolTable().orElseThrow().all()) {
                    if (s.isUndefined() && !s.name().isEmpty() && symbols.lookup(s.name()).isEmpty()) {
                        out.put(s.name(), 0xffff_ffff_8100_0000L + 16L * (bound.size() + out.size()));
                    }
                }
            } catch (dev.kobj.elf.ElfFormatException e) {
                throw new ModuleException(ModuleException.Errno.ENOEXEC, e.getMessage(), e);
            }
            bound.putAll(out);
            return out;
        };
        HeapMemory heap = Fixtures.kernelHeap();
        try (ModuleRegistry reg = ModuleRegistry.builder().memory(heap).linkPolicy(LoadPolicy.permissive())
                .linkBindings(kernel).searchPath(List.of(Fixtures.moduleDir(tmp.resolve("mods")))).build()) {
            reg.load("kobj_importer");
            assertThat(asked).hasSize(2);
            assertThat(asked.get(0)).endsWith("kobj_exporter.o");
            assertThat(asked.get(1)).endsWith("kobj_importer.o");
            assertThat(bound).containsKey("printk").doesNotContainKeys("kobj_shared_add", "kobj_shared_counter");
            assertThat(reg.list()).extracting(ModuleInfo::name).containsExactly("kobj_exporter", "kobj_importer");
        }

        LinkBindings refusing = (object, symbols) -> {
            throw new ModuleException(ModuleException.Errno.ENOEXEC, object.name() + ": refused");
        };
        try (ModuleRegistry reg = ModuleRegistry.builder().memory(heap).linkPolicy(LoadPolicy.permissive())
                .linkBindings(refusing).searchPath(List.of(tmp.resolve("mods"))).build()) {
            ModuleException e = catchThrowableOfType(ModuleException.class, () -> reg.load("kobj_importer"));
            assertThat(e.errno()).isEqualTo(ModuleException.Errno.ENOEXEC);
            assertThat(e).hasMessageContaining("refused");
            assertThat(reg.list()).isEmpty();
            assertThat(heap.liveAllocations()).isZero();
        }
    }
}
