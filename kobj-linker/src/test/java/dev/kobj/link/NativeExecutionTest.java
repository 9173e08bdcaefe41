package dev.kobj.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kobj.elf.ElfFile;
import dev.kobj.testkit.Testdata;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * ISSUE 4 item 7, x86_64 in process: testdata/run/x86_64-*-pic/run_module.o is linked by kobj
 * into {@link NativeMemory}; its undefined symbols are bound to libc (memcpy, memset, strlen)
 * and to Java upcalls (printk, kmalloc, kfree, kobj_report); its init runs through FFM and must
 * make exactly the calls and return the values that run_module.c computes ({@link RunModule}).
 */
class NativeExecutionTest {

    private static final FunctionDescriptor INT_FN = FunctionDescriptor.of(ValueLayout.JAVA_INT);

    /** The kernel side of the module: records every call as the host program prints it. */
    static final class Kernel {
        final List<String> events = Collections.synchronizedList(new ArrayList<>());
        final Set<Long> live = Collections.synchronizedSet(new HashSet<>());
        final MethodHandle malloc;
        final MethodHandle free;

        Kernel() {
            var l = java.lang.foreign.Linker.nativeLinker();
            var libc = l.defaultLookup();
            malloc = l.downcallHandle(libc.find("malloc").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.JAVA_LONG));
            free = l.downcallHandle(libc.find("free").orElseThrow(), FunctionDescriptor.ofVoid(ValueLayout.ADDRESS));
        }

        MemorySegment kmalloc(long size, int flags) throws Throwable {
            MemorySegment p = (MemorySegment) malloc.invokeExact(size);
            events.add("kmalloc " + size + " 0x" + Integer.toHexString(flags) + " -> "
                    + (p.equals(MemorySegment.NULL) ? "NULL" : "ok"));
            if (!p.equals(MemorySegment.NULL)) {
                live.add(p.address());
            }
            return p;
        }

        void kfree(MemorySegment p) throws Throwable {
            if (p.equals(MemorySegment.NULL)) {
                return;
            }
            // only what kmalloc handed out may come back, once
            events.add(live.remove(p.address()) ? "kfree ok" : "kfree of a pointer kmalloc never gave");
            free.invokeExact(p);
        }

        void report(MemorySegment what, long value) {
            events.add("report " + NativeBindings.string(what) + "=" + value);
        }

        NativeBindings bindings() throws ReflectiveOperationException {
            MethodHandles.Lookup lk = MethodHandles.lookup();
            return new NativeBindings()
                    .onError(t -> events.add("upcall threw " + t))
                    .libc("memcpy", "memset", "strlen")
                    .printk(s -> events.add("printk: " + s))
                    .upcall("kmalloc", lk.findVirtual(Kernel.class, "kmalloc",
                            MethodType.methodType(MemorySegment.class, long.class, int.class)).bindTo(this),
                            FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT))
                    .upcall("kfree", lk.findVirtual(Kernel.class, "kfree",
                            MethodType.methodType(void.class, MemorySegment.class)).bindTo(this),
                            FunctionDescriptor.ofVoid(ValueLayout.ADDRESS))
                    .upcall("kobj_report", lk.findVirtual(Kernel.class, "report",
                            MethodType.methodType(void.class, MemorySegment.class, long.class)).bindTo(this),
                            FunctionDescriptor.ofVoid(ValueLayout.ADDRESS, ValueLayout.JAVA_LONG));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"x86_64-gcc-pic", "x86_64-clang-pic"})
    void initRunsInThisProcess(String variant) throws Throwable {
        assumeTrue(System.getProperty("os.arch").equals("amd64"),
                "skipped: x86_64 code runs in process only on an x86_64 JVM (this is " + System.getProperty("os.arch") + ")");
        Kernel kernel = new Kernel();
        try (ElfFile elf = ElfFile.open(RunModule.object(variant)); NativeBindings b = kernel.bindings()) {
            LinkRequest request = LinkRequest.builder(new NativeMemory())
                    .policy(LoadPolicy.builder().vermagic(RunModule.VERMAGIC).build())
                    .bindAll(b.addresses())
                    .build();
            try (LoadedImage img = Linker.link(elf, request)) {
                assertThat(img.name()).isEqualTo("kobj_run");
                assertThat(img.memory().kind()).isEqualTo("native");
                // W^X, as /proc/self/maps sees it
                for (LoadedImage.Region r : img.regions()) {
                    String expected = switch (r.permissions()) {
                        case RX -> "r-xp";
                        case R -> r.part() == LoadedImage.Part.RO_AFTER_INIT ? "rw-p" : "r--p";
                        case RW -> "rw-p";
                    };
                    assertThat(NativeMemoryTest.mapping(r.address())).as(r.name()).isEqualTo(expected);
                }
                // undefined symbols resolved to the bindings, the weak one to 0
                assertThat(img.symbols()).filteredOn(LoadedImage.LinkedSymbol::wasUndefined)
                        .filteredOn(s -> !s.name().isEmpty() && !s.name().equals("_GLOBAL_OFFSET_TABLE_"))
                        .allSatisfy(s -> {
                            if (s.name().equals("run_optional")) {
                                assertThat(s.source()).isEqualTo(LoadedImage.Source.WEAK_UNDEFINED);
                                assertThat(s.address()).isZero();
                            } else {
                                assertThat(s.source()).as(s.name()).isEqualTo(LoadedImage.Source.BINDING);
                                assertThat(s.address()).as(s.name()).isEqualTo(b.addresses().get(s.name()));
                            }
                        });

                int ret = (int) img.function("init_module", INT_FN).invokeExact();
                System.out.printf("%s: init_module() = %d, calls:%n  %s%n", variant, ret,
                        String.join("\n  ", kernel.events).replace("\n\n", "\n"));
                assertThat(ret).isZero();
                assertThat(kernel.events).containsExactlyElementsOf(RunModule.initEvents(false));
                assertThat(kernel.live).as("kmalloc/kfree balanced").isEmpty();

                long initText = img.regions().stream().filter(r -> r.layout() == LoadedImage.Layout.INIT)
                        .findFirst().orElseThrow().address();
                img.completeInit();
                assertThat(NativeMemoryTest.mapping(initText)).as("init region unmapped").isNotEqualTo("r-xp");

                assertThat((int) img.function("run_module_result", INT_FN).invokeExact()).isEqualTo(RunModule.TOTAL);
                assertThat((int) img.function("run_module_calls", INT_FN).invokeExact()).isEqualTo(RunModule.CALLS);
                kernel.events.clear();
                img.function("cleanup_module", FunctionDescriptor.ofVoid()).invokeExact();
                assertThat(kernel.events).containsExactly(RunModule.exitEvent(false));

                // the data the code wrote is where the image says
                long total = img.symbol("run_total").orElseThrow();
                assertThat(img.segment(total, 8).get(ValueLayout.JAVA_LONG_UNALIGNED, 0)).isEqualTo(RunModule.TOTAL);
                assertThatThrownBy(() -> img.function("run_total", INT_FN))
                        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not RX");
            }
        }
    }

    @Test
    void kernelModelObjectsAreRefusedAndLeaveNothingMapped() throws Exception {
        NativeMemory memory = new NativeMemory();
        Path ko = Testdata.root().resolve("obj/x86_64-gcc-kernel/module.o");
        try (ElfFile elf = ElfFile.open(ko); NativeBindings b = new NativeBindings()) {
            b.libc("memcpy", "memset").libcAs("kmalloc", "malloc").libcAs("kfree", "free").printk(s -> { })
                    .libcAs("kobj_ext_array", "environ").libcAs("kobj_ext_value", "environ");
            LinkRequest request = LinkRequest.builder(memory).bindAll(b.addresses()).build();
            // R_X86_64_32S needs addresses in the top 2 GiB (or the bottom 2 GiB): not where mmap puts things
            assertThatThrownBy(() -> Linker.link(elf, request)).isInstanceOf(LinkException.class)
                    .satisfies(e -> System.out.println("kernel model in native memory: " + e.getMessage()))
                    .satisfies(e -> assertThat(((LinkException) e).kind()).isEqualTo(LinkException.Kind.RELOCATION))
                    .hasMessageContaining("R_X86_64_32S");
        }
        assertThat(memory.liveAllocations()).isZero();
    }

    /**
     * The big fixture, testdata/obj/x86_64-*-pic/module.o (module kobj_demo), runs too: its init
     * and its dispatcher (a jump table, tables of function pointers, .data/.bss/.rodata, undefined
     * data with negative addends). Expected values worked out from testdata/src/module.c.
     */
    @ParameterizedTest
    @ValueSource(strings = {"x86_64-gcc-pic", "x86_64-clang-pic"})
    void theDemoModuleRunsToo(String variant) throws Throwable {
        assumeTrue(System.getProperty("os.arch").equals("amd64"), "skipped: not an x86_64 JVM");
        Kernel kernel = new Kernel();
        Path obj = Testdata.root().resolve("obj").resolve(variant).resolve("module.o");
        try (ElfFile elf = ElfFile.open(obj); NativeBindings b = kernel.bindings();
                java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofConfined()) {
            // extern char kobj_ext_array[] (read at [-8]); extern int kobj_ext_value
            MemorySegment array = arena.allocate(256, 16);
            array.set(ValueLayout.JAVA_BYTE, 64 - 8, (byte) 5);
            MemorySegment value = arena.allocate(ValueLayout.JAVA_INT);
            value.set(ValueLayout.JAVA_INT, 0, 30);
            b.address("kobj_ext_array", array.address() + 64).address("kobj_ext_value", value.address());
            LinkRequest request = LinkRequest.builder(new NativeMemory())
                    .policy(LoadPolicy.builder().vermagic(RunModule.VERMAGIC).build())
                    .bindAll(b.addresses())
                    .build();
            try (LoadedImage img = Linker.link(elf, request)) {
                // init: sum = 3+1+4+1, printk(banner), kmalloc(512)/memcpy/kfree, weak hooks absent,
                // sum += kobj_comdat_helper() + kobj_comdat_helper_ptr() = 7 + 7; demo_opened = 23; return 0
                assertThat((int) img.function("init_module", INT_FN).invokeExact()).isZero();
                assertThat(kernel.events).containsExactly("printk: kobj_demo: loading\n", "kmalloc 512 0xcc0 -> ok",
                        "kfree ok");
                assertThat(img.segment(img.symbol("demo_opened").orElseThrow(), 4).get(ValueLayout.JAVA_INT, 0))
                        .isEqualTo(3 + 1 + 4 + 1 + 7 + 7);
                kernel.events.clear();

                MethodHandle dispatch = img.function("kobj_demo_dispatch",
                        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG));
                // dispatch(fd, cmd) = ioctl(fd, cmd), then (if >= 0) + demo_handlers[cmd & 3](fd)
                // cmd 3: demo_limits[2] * 3 = 768; handlers[3] = demo_reset(2) = 2 (memset of demo_scratch)
                assertThat((int) dispatch.invokeExact(2, 3L)).isEqualTo(256 * 3 + 2);
                // cmd 12: kobj_ext_value + 12 = 42; handlers[0] = demo_open(1): printk, returns 0
                assertThat((int) dispatch.invokeExact(1, 12L)).isEqualTo(30 + 12);
                // cmd 2: printk("kobj_demo: cmd2 fd=%d\n", 3) = our printk's length of the format;
                // handlers[2] = demo_probe(3) = demo_limits[3] + demo_zeroed (0) = 4096
                assertThat((int) dispatch.invokeExact(3, 2L)).isEqualTo("kobj_demo: cmd2 fd=%d\n".length() + 4096);
                // cmd 10: kobj_ext_array[0 - 8] = 5; handlers[2] = demo_probe(0) = 1
                assertThat((int) dispatch.invokeExact(0, 10L)).isEqualTo(5 + 1);
                // cmd 11: handlers[9 & 3] = demo_release(9) = 0 (demo_zeroed += 9); handlers[3] = demo_reset(9) = 9
                assertThat((int) dispatch.invokeExact(9, 11L)).isEqualTo(9);
                // cmd 2 again: demo_probe(3) now sees demo_zeroed = 9
                assertThat((int) dispatch.invokeExact(3, 2L)).isEqualTo("kobj_demo: cmd2 fd=%d\n".length() + 4096 + 9);
                // cmd 99: default: kobj_demo_errors++, -25
                assertThat((int) dispatch.invokeExact(7, 99L)).isEqualTo(-25);
                // cmd 5: kobj_demo_generation++ (42 -> 43) returns 42; handlers[1] = demo_release(4) = 0
                assertThat((int) dispatch.invokeExact(4, 5L)).isEqualTo(42);
                assertThat(kernel.events).containsExactly("printk: kobj_demo: open fd=%d\n",
                        "printk: kobj_demo: cmd2 fd=%d\n", "printk: kobj_demo: cmd2 fd=%d\n");
                assertThat(img.segment(img.symbol("kobj_demo_errors").orElseThrow(), 4).get(ValueLayout.JAVA_INT, 0))
                        .isEqualTo(1);
                assertThat(img.segment(img.symbol("kobj_demo_generation").orElseThrow(), 4)
                        .get(ValueLayout.JAVA_INT, 0)).isEqualTo(43);
                // kobj_demo_peek(i) = demo_big[100000 + (i & 7)] + kobj_ext_array[-8] + demo_scratch[500] = 0 + 5 + 0
                MethodHandle peek = img.function("kobj_demo_peek",
                        FunctionDescriptor.of(ValueLayout.JAVA_BYTE, ValueLayout.JAVA_INT));
                assertThat((byte) peek.invokeExact(3)).isEqualTo((byte) 5);
                assertThat(kernel.live).isEmpty();
            }
        }
    }

    @Test
    void linksAtARequestedAddressAndRefusesATakenOne() throws Throwable {
        assumeTrue(System.getProperty("os.arch").equals("amd64"), "skipped: not an x86_64 JVM");
        NativeMemory memory = new NativeMemory();
        long base;
        try (NativeAllocation probe = memory.allocate(0, 64 * NativeMemory.pageSize(), 1L << 20)) {
            base = probe.address();     // free now, once the probe is unmapped
        }
        Kernel kernel = new Kernel();
        try (ElfFile elf = ElfFile.open(RunModule.object("x86_64-gcc-pic")); NativeBindings b = kernel.bindings()) {
            LinkRequest request = LinkRequest.builder(memory).base(base).bindAll(b.addresses()).build();
            try (LoadedImage img = Linker.link(elf, request)) {
                assertThat(img.regions().getFirst().address()).isEqualTo(base);
                assertThat(img.symbol("init_module").orElseThrow()).isGreaterThan(base);
                assertThat((int) img.function("init_module", INT_FN).invokeExact()).isZero();
                assertThat((int) img.function("run_module_result", INT_FN).invokeExact()).isEqualTo(RunModule.TOTAL);
                // a second image cannot take the same place: MAP_FIXED_NOREPLACE says EEXIST
                assertThatThrownBy(() -> Linker.link(elf, request)).isInstanceOf(LinkException.class)
                        .hasMessageContaining("already mapped");
            }
        }
        assertThat(memory.liveAllocations()).isZero();
    }
}
