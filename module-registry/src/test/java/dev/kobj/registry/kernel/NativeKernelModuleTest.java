package dev.kobj.registry.kernel;

import static dev.kobj.registry.kernel.SyscallTableTest.assertErrno;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kobj.elf.ElfFile;
import dev.kobj.link.LinkRequest;
import dev.kobj.link.LoadPolicy;
import dev.kobj.link.LoadedImage;
import dev.kobj.link.Linker;
import dev.kobj.link.NativeMemory;
import dev.kobj.registry.ModuleClass;
import dev.kobj.registry.ModuleCommand;
import dev.kobj.registry.ModuleException;
import dev.kobj.registry.ModuleException.Errno;
import dev.kobj.testkit.Testdata;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Real ELF modules of each kind (testdata/src/{syscall,driver,secmodel}_module.c, built by
 * testdata/build.sh into testdata/run/kernel/x86_64-gcc-pic) linked by kobj into native memory,
 * their kobj_* calls bound to the simulated kernel's upcalls, their init and exit run through FFM
 * by the class handlers. x86_64 hosts only.
 */
class NativeKernelModuleTest {

    private static final String VERMAGIC = "6.1.0 SMP mod_unload modversions ";

    private SimulatedKernel kernel;
    private SimulatedKernelServices services;
    private SimulatedKernel.Snapshot pristine;
    private final List<AutoCloseable> open = new ArrayList<>();

    @BeforeEach
    void setUp() {
        assumeTrue(System.getProperty("os.arch").equals("amd64"),
                "skipped: x86_64 modules run in process only on an x86_64 JVM (this is "
                        + System.getProperty("os.arch") + ")");
        kernel = SimulatedKernel.standard();
        services = new SimulatedKernelServices(kernel);
        pristine = kernel.snapshot();
    }

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : open.reversed()) {
            c.close();
        }
        if (services != null) {
            services.close();
        }
    }

    static Path object(String name) {
        return Testdata.path("run/kernel/x86_64-gcc-pic/" + name + ".o");
    }

    private LoadedImage link(String name) throws Exception {
        ElfFile elf = ElfFile.open(object(name));
        open.add(elf);
        LoadedImage img = Linker.link(elf, LinkRequest.builder(new NativeMemory())
                .policy(LoadPolicy.builder().vermagic(VERMAGIC).build())
                .bindAll(services.nativeBindings())
                .build());
        open.add(img);
        return img;
    }

    private static void poke(LoadedImage img, String symbol, long value, int width) {
        ByteBuffer b = ByteBuffer.allocate(width).order(ByteOrder.LITTLE_ENDIAN);
        if (width == 4) {
            b.putInt((int) value);
        } else {
            b.putLong(value);
        }
        img.write(img.symbol(symbol).orElseThrow(), b.array());
    }

    private static long peek(LoadedImage img, String symbol) {
        return img.segment(img.symbol(symbol).orElseThrow(), 8).get(ValueLayout.JAVA_LONG_UNALIGNED, 0);
    }

    private TestContext run(ModuleCommand cmd, String name, ModuleClass c, LoadedImage img, Map<String, String> props)
            throws ModuleException {
        TestContext ctx = TestContext.of(name, c, services, img, props);
        services.handler(c).command(cmd, ctx);
        return ctx;
    }

    @Test
    void nativeSyscallModulesStackAndReturnTheSlotToItsRightfulPlace() throws Exception {
        LoadedImage a = link("syscall_module");
        LoadedImage b = link("syscall_module");
        poke(a, "syscall_module_tag", 100, 8);
        poke(b, "syscall_module_tag", 200, 8);

        TestContext ca = run(ModuleCommand.INIT, "sys_a", ModuleClass.SYSCALL, a, Map.of());
        assertThat(peek(a, "syscall_module_pid")).as("kobj_syscall(20) ran getpid").isEqualTo(SimulatedKernel.PID);
        assertThat(kernel.syscalls().invoke(5, 4, 2)).isEqualTo(142);
        assertThat(kernel.syscalls().entry(5).nativeAddress())
                .hasValue(a.symbol("syscall_module_call").getAsLong());

        TestContext cb = run(ModuleCommand.INIT, "sys_b", ModuleClass.SYSCALL, b, Map.of());
        assertThat(kernel.syscalls().invoke(5, 4, 2)).isEqualTo(242);

        services.handler(ModuleClass.SYSCALL).command(ModuleCommand.FINI, ca);
        assertThat(kernel.syscalls().invoke(5, 4, 2)).as("B survives A's unload").isEqualTo(242);
        services.handler(ModuleClass.SYSCALL).command(ModuleCommand.FINI, cb);
        assertThat(kernel.syscalls().invoke(5, 4, 2)).isEqualTo(-SyscallTable.ENOSYS);
        assertThat(peek(a, "syscall_module_calls")).isEqualTo(1);
        assertThat(peek(b, "syscall_module_calls")).isEqualTo(2);
        assertThat(kernel.snapshot()).isEqualTo(pristine);
    }

    @Test
    void nativeSyscallDeclaredByProperties() throws Exception {
        LoadedImage img = link("syscall_module");
        TestContext ctx = run(ModuleCommand.INIT, "sys_decl", ModuleClass.SYSCALL, img,
                Map.of("syscall.function", "syscall_module_negate", "syscall.slot", "20", "syscall.name", "negate"));
        assertThat(kernel.syscalls().invoke(SimulatedKernel.SYS_GETPID, 1)).isEqualTo(999);
        assertThat(kernel.syscalls().invoke(5, 1, 1)).as("and its own establish").isEqualTo(11);
        services.handler(ModuleClass.SYSCALL).command(ModuleCommand.FINI, ctx);
        assertThat(kernel.syscalls().invoke(SimulatedKernel.SYS_GETPID)).isEqualTo(SimulatedKernel.PID);
        assertThat(kernel.snapshot()).isEqualTo(pristine);
    }

    @Test
    void nativeInitRefusedLeavesTheKernelAsItWas() throws Exception {
        LoadedImage img = link("syscall_module");
        poke(img, "syscall_module_slot", 600, 4); // outside the table: EINVAL, init returns -22
        assertErrno(() -> run(ModuleCommand.INIT, "sys_bad", ModuleClass.SYSCALL, img, Map.of()), Errno.ENOEXEC);
        assertThat(kernel.snapshot()).isEqualTo(pristine);
    }

    @Test
    void nativeDriverNodesDisappearOnUnloadEvenThoseItForgets() throws Exception {
        LoadedImage img = link("driver_module");
        TestContext ctx = run(ModuleCommand.INIT, "kobjdrv", ModuleClass.DRIVER, img, Map.of());
        assertThat(kernel.devices().nodes("kobjdrv")).extracting(DeviceNamespace.Node::toString).containsExactly(
                "/dev/kobjdrv0 c 234,0 kobjdrv", "/dev/kobjdrv1 c 234,1 kobjdrv", "/dev/kobjdrv2 c 234,2 kobjdrv");
        assertThat(peek(img, "driver_module_major") & 0xffffffffL).isEqualTo(DeviceNamespace.FIRST_DYNAMIC_MAJOR);

        // a second copy: the names are taken, its init undoes itself and fails
        LoadedImage again = link("driver_module");
        assertErrno(() -> run(ModuleCommand.INIT, "kobjdrv_again", ModuleClass.DRIVER, again, Map.of()), Errno.ENOEXEC);
        assertThat(kernel.devices().nodes("kobjdrv_again")).isEmpty();

        services.handler(ModuleClass.DRIVER).command(ModuleCommand.FINI, ctx);
        assertThat(kernel.devices().lookup("kobjdrv2")).as("left by the module, taken by the kernel").isEmpty();
        assertThat(kernel.snapshot()).isEqualTo(pristine);
    }

    @Test
    void nativeSecurityModelDecidesWhileLoaded() throws Exception {
        LoadedImage img = link("secmodel_module");
        TestContext ctx = run(ModuleCommand.INIT, "lockdown", ModuleClass.SECMODEL, img, Map.of());
        assertThat(kernel.security().models()).extracting(SecurityModels.Model::name)
                .containsExactly("suser", "kobj_lockdown");
        assertThat(kernel.security().allowed(0, "module.load", "x")).isFalse();
        assertThat(kernel.security().allowed(0, "system.reboot", "")).isTrue();
        assertThat(kernel.security().allowed(1000, "system.time", "")).isTrue();
        assertThat(kernel.security().allowed(1001, "system.time", "")).isFalse();
        assertThat(peek(img, "secmodel_module_asked")).isEqualTo(4);
        services.handler(ModuleClass.SECMODEL).command(ModuleCommand.FINI, ctx);
        assertThat(kernel.security().allowed(0, "module.load", "x")).isTrue();
        assertThat(kernel.snapshot()).isEqualTo(pristine);
    }

    @Test
    void kernelServicesOutsideALifecycleCommandAreRefused() throws Throwable {
        long makeDev = services.nativeBindings().get("kobj_make_dev");
        var h = java.lang.foreign.Linker.nativeLinker().downcallHandle(MemorySegment.ofAddress(makeDev),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT,
                        ValueLayout.JAVA_INT));
        try (var arena = java.lang.foreign.Arena.ofConfined()) {
            int r = (int) h.invokeExact(arena.allocateFrom("stray"), -1, 0);
            assertThat(r).isEqualTo(-KernelErrno.number(Errno.EPERM));
        }
        assertThat(kernel.snapshot()).isEqualTo(pristine);
    }
}
