package dev.kobj.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kobj.link.LoadPolicy;
import dev.kobj.link.NativeBindings;
import dev.kobj.link.NativeMemory;
import dev.kobj.testkit.Testdata;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The default handler of native images: testdata/run/x86_64-gcc-pic/run_module.o (module
 * kobj_run) is loaded by the registry into {@link NativeMemory}; its own init_module runs on
 * load and cleanup_module on unload. Expected output: testdata/src/run_module.c's header
 * (init reports; exit calls printk("run_module: exit calls=%d\n", 4)).
 */
class NativeHandlerTest {
    static final List<String> REPORTS = Collections.synchronizedList(new ArrayList<>());

    static void report(MemorySegment what, long value) {
        REPORTS.add(NativeBindings.string(what) + "=" + value);
    }

    @TempDir
    Path tmp;

    @Test
    void initModuleAndCleanupModuleRunThroughFfm() throws Throwable {
        assumeTrue(System.getProperty("os.arch").equals("amd64"), "x86_64 code runs in process only on x86_64");
        List<String> printk = Collections.synchronizedList(new ArrayList<>());
        Path obj = Testdata.root().resolve("run/x86_64-gcc-pic/run_module.o");
        Files.copy(obj, tmp.resolve("kobj_run.o"));
        NativeMemory memory = new NativeMemory();
        try (NativeBindings b = new NativeBindings()) {
            b.libc("memcpy", "memset", "strlen").libcAs("kmalloc", "malloc").libcAs("kfree", "free")
                    .printk(printk::add)
                    .upcall("kobj_report", MethodHandles.lookup().findStatic(NativeHandlerTest.class, "report",
                            MethodType.methodType(void.class, MemorySegment.class, long.class)),
                            FunctionDescriptor.ofVoid(ValueLayout.ADDRESS, ValueLayout.JAVA_LONG));
            ModuleRegistry reg = ModuleRegistry.builder().memory(memory).bindAll(b.addresses())
                    .linkPolicy(LoadPolicy.permissive()).searchPath(List.of(tmp)).build();
            ModuleInfo m = reg.load("kobj_run");
            assertThat(m.name()).isEqualTo("kobj_run");
            assertThat(REPORTS).isNotEmpty(); // init_module ran and reported
            assertThat(m.loadAddress()).isNotZero();
            printk.clear();
            reg.unload("kobj_run");
            // NativeBindings.printk hands over the format string, unformatted
            assertThat(printk).containsExactly("run_module: exit calls=%d\n");
            assertThat(memory.liveAllocations()).isZero();
        }
    }
}
