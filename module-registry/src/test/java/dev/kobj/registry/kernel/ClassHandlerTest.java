package dev.kobj.registry.kernel;

import static dev.kobj.registry.kernel.SyscallTableTest.assertErrno;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kobj.registry.ModuleClass;
import dev.kobj.registry.ModuleCommand;
import dev.kobj.registry.ModuleException;
import dev.kobj.registry.ModuleException.Errno;
import dev.kobj.registry.ModuleHandler;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Each class registers on INIT from its properties, and FINI puts back what was there (Java modules). */
class ClassHandlerTest {

    private SimulatedKernel kernel;
    private SimulatedKernelServices services;
    private SimulatedKernel.Snapshot pristine;

    @BeforeEach
    void setUp() {
        kernel = SimulatedKernel.standard();
        services = new SimulatedKernelServices(kernel);
        pristine = kernel.snapshot();
    }

    private TestContext init(String name, ModuleClass c, Map<String, String> props) throws ModuleException {
        TestContext ctx = TestContext.of(name, c, services, props);
        services.handler(c).command(ModuleCommand.INIT, ctx);
        return ctx;
    }

    private void fini(TestContext ctx) throws ModuleException {
        services.handler(ctx.moduleClass()).command(ModuleCommand.FINI, ctx);
    }

    @Test
    void syscallModuleInstallsAtItsSlotAndUnloadRestores() throws ModuleException {
        services.syscallFunction("double_it", args -> 2 * args[0]);
        TestContext ctx = init("sys_double", ModuleClass.SYSCALL,
                Map.of("syscall.slot", "5", "syscall.function", "double_it", "syscall.name", "double"));
        assertThat(kernel.syscalls().entry(5).name()).isEqualTo("double");
        assertThat(kernel.syscalls().entry(5).owner()).isEqualTo("sys_double");
        assertThat(kernel.syscalls().invoke(5, 21)).isEqualTo(42);
        services.handler(ModuleClass.SYSCALL).command(ModuleCommand.STAT, ctx);
        assertThat(ctx.reports()).containsEntry("syscall.5", "double");
        fini(ctx);
        assertThat(kernel.snapshot()).isEqualTo(pristine);
    }

    @Test
    void syscallModuleAutoSlotAndStackedOverARealCall() throws ModuleException {
        services.syscallFunction("fake_pid", args -> 777);
        TestContext auto = init("sys_auto", ModuleClass.SYSCALL, Map.of("syscall.function", "fake_pid"));
        assertThat(kernel.syscalls().installations("sys_auto")).singleElement()
                .satisfies(i -> assertThat(i.entry().slot()).isZero());
        TestContext a = init("pid_a", ModuleClass.SYSCALL,
                Map.of("syscall.slot", "20", "syscall.function", "fake_pid"));
        services.syscallFunction("pid_b_fn", args -> 888);
        TestContext b = init("pid_b", ModuleClass.SYSCALL,
                Map.of("syscall.slot", "20", "syscall.function", "pid_b_fn"));
        assertThat(kernel.syscalls().invoke(SimulatedKernel.SYS_GETPID)).isEqualTo(888);
        fini(a);
        assertThat(kernel.syscalls().invoke(SimulatedKernel.SYS_GETPID)).isEqualTo(888);
        fini(b);
        assertThat(kernel.syscalls().invoke(SimulatedKernel.SYS_GETPID)).isEqualTo(SimulatedKernel.PID);
        fini(auto);
        assertThat(kernel.snapshot()).isEqualTo(pristine);
    }

    @Test
    void exclusiveSyscallOverARealCallFailsTheLoadAndLeavesNothing() {
        services.syscallFunction("f", args -> 1);
        assertErrno(() -> init("excl", ModuleClass.SYSCALL,
                Map.of("syscall.slot", "20", "syscall.function", "f", "syscall.mode", "exclusive")), Errno.EBUSY);
        assertErrno(() -> init("bad", ModuleClass.SYSCALL, Map.of("syscall.slot", "five", "syscall.function", "f")),
                Errno.EINVAL);
        assertErrno(() -> init("none", ModuleClass.SYSCALL, Map.of("syscall.function", "nowhere")), Errno.ENOENT);
        assertThat(kernel.snapshot()).isEqualTo(pristine);
    }

    @Test
    void driverNodesAppearAndDisappear() throws ModuleException {
        List<DeviceNamespace.Event> events = new ArrayList<>();
        kernel.devices().addListener(events::add);
        TestContext ctx = init("lpt", ModuleClass.DRIVER, Map.of("driver.nodes", "lpt0:0, lpt1:1", "driver.major", "60"));
        assertThat(kernel.devices().lookup("/dev/lpt0")).hasValueSatisfying(n -> {
            assertThat(n.major()).isEqualTo(60);
            assertThat(n.minor()).isZero();
            assertThat(n.driver()).isEqualTo("lpt");
        });
        assertThat(kernel.devices().lookup("lpt1")).isPresent();
        assertThat(kernel.devices().majorHolder(DeviceNamespace.Type.CHAR, 60)).hasValue("lpt");
        // another driver cannot take the major nor the names
        assertErrno(() -> init("lpt2", ModuleClass.DRIVER, Map.of("driver.nodes", "lptx:7", "driver.major", "60")),
                Errno.EBUSY);
        assertErrno(() -> init("other", ModuleClass.DRIVER, Map.of("driver.nodes", "lpt0:0")), Errno.EEXIST);
        assertThat(kernel.devices().majorHolder(DeviceNamespace.Type.CHAR, DeviceNamespace.FIRST_DYNAMIC_MAJOR))
                .as("the failed load's dynamic major freed").isEmpty();
        fini(ctx);
        assertThat(kernel.devices().lookup("/dev/lpt0")).isEmpty();
        assertThat(kernel.devices().lookup("/dev/lpt1")).isEmpty();
        assertThat(kernel.snapshot()).isEqualTo(pristine);
        assertThat(events).extracting(e -> (e.created() ? "+" : "-") + e.node().path())
                .containsExactly("+/dev/lpt0", "+/dev/lpt1", "-/dev/lpt0", "-/dev/lpt1");
    }

    @Test
    void driverOwnCodeMakesNodesThatGoWithIt() throws ModuleException {
        ModuleHandler own = (cmd, ctx) -> {
            if (cmd == ModuleCommand.INIT) {
                ctx.kernel().service(DeviceNamespace.class).orElseThrow()
                        .make(ctx.name(), "tty", "ttyU0", DeviceNamespace.Type.CHAR, -1, 0);
            }
        };
        TestContext ctx = TestContext.of("ucom", ModuleClass.DRIVER, services, Map.of());
        services.handler(ModuleClass.DRIVER, own).command(ModuleCommand.INIT, ctx);
        assertThat(kernel.devices().lookup("ttyU0")).hasValueSatisfying(
                n -> assertThat(n.major()).isEqualTo(DeviceNamespace.FIRST_DYNAMIC_MAJOR));
        services.handler(ModuleClass.DRIVER, own).command(ModuleCommand.FINI, ctx);
        assertThat(kernel.snapshot()).isEqualTo(pristine);
    }

    @Test
    void vfsTypeRegistersAndUnloadIsRefusedWhileMounted() throws ModuleException {
        TestContext ctx = init("kobjfs_mod", ModuleClass.VFS, Map.of("vfs.name", "kobjfs"));
        assertThat(kernel.fileSystems().lookup("kobjfs")).isPresent();
        FileSystemTable.Mount m = kernel.fileSystems().mount("kobjfs", "/mnt");
        assertErrno(() -> fini(ctx), Errno.EBUSY);
        assertErrno(() -> services.handler(ModuleClass.VFS).command(ModuleCommand.AUTOUNLOAD, ctx), Errno.EBUSY);
        assertThat(kernel.fileSystems().lookup("kobjfs")).as("still there").isPresent();
        kernel.fileSystems().unmount(m);
        fini(ctx);
        assertErrno(() -> kernel.fileSystems().mount("kobjfs", "/mnt"), Errno.ENODEV);
        assertErrno(() -> init("dup", ModuleClass.VFS, Map.of("vfs.name", "ffs")), Errno.EEXIST);
        assertThat(kernel.snapshot()).isEqualTo(pristine);
    }

    @Test
    void execInterpreterIsAskedInPriorityOrder() throws ModuleException {
        byte[] elf = {0x7f, 'E', 'L', 'F', 2, 1};
        byte[] wasm = {0, 'a', 's', 'm', 1, 0, 0, 0};
        byte[] script = "#!/bin/sh\n".getBytes(StandardCharsets.US_ASCII);
        assertThat(kernel.exec().recognise(wasm)).isEmpty();
        TestContext w = init("exec_wasm", ModuleClass.EXEC, Map.of("exec.magic", "0061736d", "exec.name", "wasm"));
        assertThat(kernel.exec().recognise(wasm)).hasValueSatisfying(i -> assertThat(i.name()).isEqualTo("wasm"));
        // a FIRST one that accepts everything comes before elf; script stays LAST
        services.execFunction("all", h -> true);
        TestContext all = init("exec_all", ModuleClass.EXEC, Map.of("exec.function", "all", "exec.priority", "first"));
        assertThat(kernel.exec().interpreters()).extracting(ExecSwitch.Interpreter::name)
                .containsExactly("exec_all", "elf", "wasm", "script");
        assertThat(kernel.exec().recognise(elf).orElseThrow().name()).isEqualTo("exec_all");
        fini(all);
        assertThat(kernel.exec().recognise(elf).orElseThrow().name()).isEqualTo("elf");
        assertThat(kernel.exec().recognise(script).orElseThrow().name()).isEqualTo("script");
        fini(w);
        assertThat(kernel.exec().recognise(wasm)).isEmpty();
        assertErrno(() -> init("exec_none", ModuleClass.EXEC, Map.of()), Errno.EINVAL);
        assertThat(kernel.snapshot()).isEqualTo(pristine);
    }

    @Test
    void securityModelIsConsultedWhileLoaded() throws ModuleException {
        assertThat(kernel.security().allowed(0, "module.load", "x")).isTrue();
        assertThat(kernel.security().allowed(1000, "module.load", "x")).as("everyone defers: deny").isFalse();
        services.secmodelFunction("securelevel", r -> r.action().startsWith("module.") ? SecurityModels.Decision.DENY
                : SecurityModels.Decision.DEFER);
        services.secmodelFunction("users_may_time", r -> r.action().equals("system.time") ? SecurityModels.Decision.ALLOW
                : SecurityModels.Decision.DEFER);
        TestContext sl = init("secmodel_securelevel", ModuleClass.SECMODEL,
                Map.of("secmodel.function", "securelevel", "secmodel.name", "securelevel"));
        TestContext ut = init("secmodel_time", ModuleClass.SECMODEL, Map.of("secmodel.function", "users_may_time"));
        assertThat(kernel.security().allowed(0, "module.load", "x")).as("a deny beats root's allow").isFalse();
        assertThat(kernel.security().allowed(1000, "system.time", "")).isTrue();
        assertThat(kernel.security().models()).extracting(SecurityModels.Model::name)
                .containsExactly("suser", "securelevel", "secmodel_time");
        fini(sl);
        fini(ut);
        assertThat(kernel.security().allowed(0, "module.load", "x")).isTrue();
        assertThat(kernel.security().allowed(1000, "system.time", "")).isFalse();
        assertThat(kernel.snapshot()).isEqualTo(pristine);
    }

    @Test
    void miscRegistersNothingAndAFailingOwnInitLeavesNothing() throws ModuleException {
        TestContext misc = init("misc", ModuleClass.MISC, Map.of("syscall.function", "ignored"));
        assertThat(kernel.snapshot()).isEqualTo(pristine);
        fini(misc);
        ModuleHandler failing = (cmd, ctx) -> {
            if (cmd == ModuleCommand.INIT) {
                ctx.kernel().service(DeviceNamespace.class).orElseThrow()
                        .make(ctx.name(), "half", "half0", DeviceNamespace.Type.CHAR, -1, 0);
                throw new ModuleException(Errno.ENOEXEC, "init failed half way");
            }
        };
        assertErrno(() -> services.handler(ModuleClass.DRIVER, failing).command(ModuleCommand.INIT,
                TestContext.of("half", ModuleClass.DRIVER, services, Map.of())), Errno.ENOEXEC);
        assertThat(kernel.snapshot()).isEqualTo(pristine);
    }

    @Test
    void metadataKeysDeclareToo() throws ModuleException {
        services.syscallFunction("f", args -> 5);
        var meta = new dev.kobj.registry.ModuleMetadata("declared", ModuleClass.SYSCALL, 1, List.of(), false, "", "",
                List.of(), List.of(), List.of(), dev.kobj.registry.ModuleMetadata.Origin.PROPERTIES_FILE,
                Map.of("syscall.slot", List.of("9"), "syscall.function", List.of("f")));
        TestContext ctx = new TestContext(2, "declared", ModuleClass.SYSCALL, meta, java.util.Optional.empty(),
                Map.of("syscall.slot", "10"), services, new java.util.LinkedHashMap<>());
        services.handler(ModuleClass.SYSCALL).command(ModuleCommand.INIT, ctx);
        assertThat(kernel.syscalls().invoke(10)).as("the load's properties win").isEqualTo(5);
        assertThat(kernel.syscalls().entry(9).isNosys()).isTrue();
        services.handler(ModuleClass.SYSCALL).command(ModuleCommand.FINI, ctx);
        assertThat(kernel.snapshot()).isEqualTo(pristine);
    }

    @Test
    void servicesAreFoundByType() {
        assertThat(services.service(SyscallTable.class)).containsSame(kernel.syscalls());
        assertThat(services.service(DeviceNamespace.class)).containsSame(kernel.devices());
        assertThat(services.service(FileSystemTable.class)).containsSame(kernel.fileSystems());
        assertThat(services.service(ExecSwitch.class)).containsSame(kernel.exec());
        assertThat(services.service(SecurityModels.class)).containsSame(kernel.security());
        assertThat(services.service(SimulatedKernel.class)).containsSame(kernel);
        assertThat(services.service(String.class)).isEmpty();
    }
}
