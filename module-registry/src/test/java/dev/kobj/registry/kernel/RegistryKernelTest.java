package dev.kobj.registry.kernel;

import static dev.kobj.registry.kernel.SyscallTableTest.assertErrno;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kobj.link.LoadPolicy;
import dev.kobj.link.NativeMemory;
import dev.kobj.registry.BuiltinModule;
import dev.kobj.registry.ModuleClass;
import dev.kobj.registry.ModuleException;
import dev.kobj.registry.ModuleException.Errno;
import dev.kobj.registry.ModuleMetadata;
import dev.kobj.registry.ModuleRegistry;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The simulated kernel behind a real {@link ModuleRegistry}: builtin modules of each class
 * register and unregister through it, file modules get their class handler from
 * {@link SimulatedKernelServices#handlerFor}, and a load whose class does not match fails with
 * the registry's errno (ENOENT, as NetBSD's module_do_load) leaving the kernel as it was.
 */
class RegistryKernelTest {

    private static BuiltinModule builtin(SimulatedKernelServices s, String name, ModuleClass c) {
        return new BuiltinModule(ModuleMetadata.of(name, c, 1, List.of()), s.handler(c));
    }

    @Test
    void builtinModulesOfEveryClassRegisterAndUnloadPutsBack() throws ModuleException {
        SimulatedKernel kernel = SimulatedKernel.standard();
        try (SimulatedKernelServices s = new SimulatedKernelServices(kernel);
                ModuleRegistry reg = ModuleRegistry.builder().kernel(s).build()) {
            SimulatedKernel.Snapshot pristine = kernel.snapshot();
            s.syscallFunction("triple", args -> 3 * args[0]);
            s.execFunction("is_kobj", h -> h.length > 4 && h[0] == 'K' && h[1] == 'O');
            s.secmodelFunction("no_time", r -> r.action().equals("system.time") ? SecurityModels.Decision.DENY
                    : SecurityModels.Decision.DEFER);
            for (ModuleClass c : List.of(ModuleClass.SYSCALL, ModuleClass.DRIVER, ModuleClass.VFS, ModuleClass.EXEC,
                    ModuleClass.SECMODEL, ModuleClass.MISC)) {
                reg.registerBuiltin(builtin(s, "b_" + c.name().toLowerCase(java.util.Locale.ROOT), c));
            }
            reg.load("b_syscall", Set.of(), Map.of("syscall.slot", "5", "syscall.function", "triple"),
                    ModuleClass.SYSCALL);
            reg.load("b_driver", Set.of(), Map.of("driver.nodes", "bdev0:0"), ModuleClass.DRIVER);
            reg.load("b_vfs", Set.of(), Map.of("vfs.name", "bfs"), ModuleClass.VFS);
            reg.load("b_exec", Set.of(), Map.of("exec.function", "is_kobj"), ModuleClass.EXEC);
            reg.load("b_secmodel", Set.of(), Map.of("secmodel.function", "no_time"), ModuleClass.SECMODEL);
            reg.load("b_misc", Set.of(), Map.of(), ModuleClass.ANY);

            assertThat(kernel.syscalls().invoke(5, 7)).isEqualTo(21);
            assertThat(kernel.devices().lookup("bdev0")).isPresent();
            assertThat(kernel.fileSystems().lookup("bfs")).isPresent();
            assertThat(kernel.exec().recognise("KOBJ!".getBytes(java.nio.charset.StandardCharsets.US_ASCII)))
                    .hasValueSatisfying(i -> assertThat(i.owner()).isEqualTo("b_exec"));
            assertThat(kernel.security().allowed(0, "system.time", "")).isFalse();
            assertThat(reg.stat("b_syscall")).containsEntry("syscall.5", "b_syscall");

            // VFS: EBUSY while mounted, the module stays
            FileSystemTable.Mount m = kernel.fileSystems().mount("bfs", "/b");
            assertErrno(() -> reg.unload("b_vfs"), Errno.EBUSY);
            assertThat(reg.status("b_vfs")).isPresent();
            kernel.fileSystems().unmount(m);

            for (String n : List.of("b_syscall", "b_driver", "b_vfs", "b_exec", "b_secmodel", "b_misc")) {
                reg.unload(n);
            }
            assertThat(kernel.snapshot()).isEqualTo(pristine);
        }
    }

    @Test
    void classMismatchFailsAndLeavesTheKernelAsItWas() throws ModuleException {
        SimulatedKernel kernel = SimulatedKernel.standard();
        try (SimulatedKernelServices s = new SimulatedKernelServices(kernel);
                ModuleRegistry reg = ModuleRegistry.builder().kernel(s).build()) {
            SimulatedKernel.Snapshot pristine = kernel.snapshot();
            s.syscallFunction("one", args -> 1);
            reg.registerBuiltin(builtin(s, "sys_one", ModuleClass.SYSCALL));
            Map<String, String> props = Map.of("syscall.slot", "5", "syscall.function", "one");
            for (ModuleClass wrong : List.of(ModuleClass.DRIVER, ModuleClass.EXEC, ModuleClass.MISC, ModuleClass.SECMODEL,
                    ModuleClass.VFS)) {
                assertErrno(() -> reg.load("sys_one", Set.of(), props, wrong), Errno.ENOENT);
                assertThat(reg.status("sys_one").map(i -> i.state().name())).hasValue("REGISTERED");
                assertThat(kernel.snapshot()).isEqualTo(pristine);
            }
            reg.load("sys_one", Set.of(), props, ModuleClass.SYSCALL);
            assertThat(kernel.syscalls().invoke(5)).isEqualTo(1);
        }
    }

    @Test
    void elfModulesThroughTheRegistry() throws ModuleException {
        assumeTrue(System.getProperty("os.arch").equals("amd64"),
                "skipped: x86_64 modules run in process only on an x86_64 JVM");
        SimulatedKernel kernel = SimulatedKernel.standard();
        NativeMemory memory = new NativeMemory();
        try (SimulatedKernelServices s = new SimulatedKernelServices(kernel);
                ModuleRegistry reg = ModuleRegistry.builder().memory(memory).kernel(s).bindAll(s.nativeBindings())
                        .linkPolicy(LoadPolicy.builder().vermagic("6.1.0 SMP mod_unload modversions ").build())
                        .build()) {
            SimulatedKernel.Snapshot pristine = kernel.snapshot();
            var driver = NativeKernelModuleTest.object("driver_module");
            var syscall = NativeKernelModuleTest.object("syscall_module");

            // the object says DRIVER (.modinfo kobj.class): asked for SYSCALL, ENOENT, nothing left
            assertErrno(() -> reg.load(driver, Set.of(), Map.of(), ModuleClass.SYSCALL), Errno.ENOENT);
            assertThat(kernel.snapshot()).isEqualTo(pristine);
            assertThat(memory.liveAllocations()).isZero();

            var d = reg.load(driver, Set.of(), Map.of(), ModuleClass.DRIVER);
            assertThat(d.moduleClass()).isEqualTo(ModuleClass.DRIVER);
            assertThat(kernel.devices().nodes("kobj_driver_mod")).hasSize(3);
            var sc = reg.load(syscall, Set.of(), Map.of("syscall.function", "syscall_module_negate",
                    "syscall.slot", "7"), ModuleClass.SYSCALL);
            assertThat(sc.name()).isEqualTo("kobj_syscall_mod");
            assertThat(kernel.syscalls().invoke(5, 3, 4)).isEqualTo(34);
            assertThat(kernel.syscalls().invoke(7, 10)).isEqualTo(990);

            reg.unload("kobj_driver_mod");
            reg.unload("kobj_syscall_mod");
            assertThat(kernel.snapshot()).isEqualTo(pristine);
            assertThat(memory.liveAllocations()).isZero();
        }
    }
}
