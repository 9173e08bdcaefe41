package dev.kobj.registry;

import dev.kobj.link.HeapMemory;
import dev.kobj.symtab.KernelSymbol;
import dev.kobj.symtab.KernelSymbolTable;
import dev.kobj.testkit.ByteSearch;
import dev.kobj.testkit.Testdata;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The testdata objects and a kernel for them at kernel-like addresses (testdata/README.md, "Undefined symbols"). */
final class Fixtures {
    private Fixtures() {
    }

    /** The kernel's functions in the top 2 GiB (x86_64 kernel text at 0xffffffff81000000). */
    static final Map<String, Long> KERNEL = Map.of("printk", 0xffff_ffff_8100_0000L, "kmalloc", 0xffff_ffff_8100_0100L,
            "kfree", 0xffff_ffff_8100_0200L, "memcpy", 0xffff_ffff_8100_0300L, "memset", 0xffff_ffff_8100_0400L,
            "kobj_ext_value", 0xffff_ffff_8200_0000L, "kobj_ext_array", 0xffff_ffff_8200_1000L);

    /** {@return the kernel table of {@link #KERNEL}: vmlinux, EXPORT_SYMBOL, no CRC} */
    static KernelSymbolTable kernel() {
        List<KernelSymbol> syms = new ArrayList<>();
        KERNEL.forEach((n, a) -> syms.add(new KernelSymbol(n, a, -1, KernelSymbol.VMLINUX, "EXPORT_SYMBOL", "")));
        return KernelSymbolTable.of("test kernel", syms, true);
    }

    /** A module directory: exporter.o and importer.o of x86_64-gcc-kernel under their module names. */
    static Path moduleDir(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.copy(Testdata.obj("x86_64-gcc-kernel", "exporter.o"), dir.resolve("kobj_exporter.o"));
        Files.copy(Testdata.obj("x86_64-gcc-kernel", "importer.o"), dir.resolve("kobj_importer.o"));
        return dir;
    }

    /**
     * Copies importer.o with its {@code .modinfo} "depends=kobj_exporter" blanked (the value's bytes
     * set to NUL): its dependency on kobj_exporter is then only implied by the symbols it imports.
     */
    static void importerWithoutDepends(Path to) throws IOException {
        byte[] b = Files.readAllBytes(Testdata.obj("x86_64-gcc-kernel", "importer.o"));
        byte[] key = "depends=kobj_exporter".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        int at = ByteSearch.indexOf(b, key);
        if (at < 0) {
            throw new IllegalStateException("importer.o has no depends=kobj_exporter");
        }
        for (int i = "depends=".length(); i < key.length; i++) {
            b[at + i] = 0;
        }
        Files.write(to, b);
    }

    /** {@return a registry over {@code dir} with heap memory at kernel addresses} */
    static ModuleRegistryBuilder registry(HeapMemory memory, Path... dirs) {
        return ModuleRegistry.builder().memory(memory).kernelSymbols(kernel()).searchPath(List.of(dirs));
    }

    static HeapMemory kernelHeap() {
        return new HeapMemory(ModuleRegistry.KERNEL_MODULE_BASE);
    }
}
