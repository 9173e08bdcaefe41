package dev.kobj.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kobj.registry.ModuleException.Errno;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/**
 * Registry-only semantics on builtin modules (no ELF): what NetBSD module(9), FreeBSD kld and
 * HP-UX kmadmin promise about ids, dependencies, refcounts, errors and builtins.
 */
class BuiltinRegistryTest {
    final Recorder rec = new Recorder();
    final List<RegistryEvent> events = new ArrayList<>();
    final ModuleRegistry reg = ModuleRegistry.builder().listener(events::add).build();

    void builtin(String name, String... requires) throws ModuleException {
        reg.registerBuiltin(new BuiltinModule(ModuleMetadata.of(name, requires), rec.handler()));
    }

    void builtin(ModuleMetadata md) throws ModuleException {
        reg.registerBuiltin(new BuiltinModule(md, rec.handler()));
    }

    static void errno(Errno expected, ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOf(ModuleException.class)
                .satisfies(e -> assertThat(((ModuleException) e).errno()).isEqualTo(expected));
    }

    @Test
    void requiredModulesLoadFirstAndOnceWithIdsFromOne() throws Exception {
        builtin("c");
        builtin("b", "c");
        builtin("a", "b", "c");
        builtin("d", "c");
        ModuleInfo a = reg.load("a");
        ModuleInfo d = reg.load("d");
        assertThat(rec.of(ModuleCommand.INIT)).containsExactly("c", "b", "a", "d");
        assertThat(reg.list()).extracting(ModuleInfo::id).containsExactly(1, 2, 3, 4);
        assertThat(reg.list()).extracting(ModuleInfo::name).containsExactly("c", "b", "a", "d");
        assertThat(a.requires()).containsExactly("b", "c");
        assertThat(d.id()).isEqualTo(4);
        ModuleInfo c = reg.status("c").orElseThrow();
        assertThat(c.dependents()).isEqualTo(3);
        assertThat(c.refcount()).isEqualTo(3);
        assertThat(c.requiredBy()).containsExactly("b", "a", "d");
        assertThat(reg.status(2)).map(ModuleInfo::name).hasValue("b");
        assertThat(c.autoloaded()).isTrue();
        assertThat(a.autoloaded()).isFalse();
        assertThat(a.unloadDelay()).isEqualTo(Duration.ZERO);
        assertThat(c.unloadDelay()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void unloadIsRefusedWhileDependedOnOrHeld() throws Exception {
        builtin("c");
        builtin("b", "c");
        reg.load("b");
        errno(Errno.EBUSY, () -> reg.unload("c"));
        reg.hold("b");
        assertThat(reg.status("b").orElseThrow().refcount()).isEqualTo(1);
        errno(Errno.EBUSY, () -> reg.unload("b"));
        reg.rele("b");
        errno(Errno.EINVAL, () -> reg.rele("b"));
        errno(Errno.ENOENT, () -> reg.hold("nosuch"));
        errno(Errno.ENOENT, () -> reg.unload("nosuch"));
        errno(Errno.ENOENT, () -> reg.unload(99));
        errno(Errno.EEXIST, () -> reg.load("b"));
        reg.unload("b");
        assertThat(reg.status("c").orElseThrow().refcount()).isZero();
        assertThat(rec.of(ModuleCommand.FINI)).containsExactly("b");
    }

    @Test
    void cycleIsEdeadlkAndLeavesNothing() throws Exception {
        builtin("x", "y");
        builtin("y", "z");
        builtin("z", "x");
        builtin("self", "self");
        errno(Errno.EDEADLK, () -> reg.load("x"));
        errno(Errno.EDEADLK, () -> reg.load("self"));
        assertThat(reg.list()).isEmpty();
        assertThat(rec.calls).isEmpty();
        assertThat(events).allMatch(e -> e instanceof RegistryEvent.Failed);
    }

    @Test
    void tooDeepAChainIsEmlink() throws Exception {
        // m1 -> m2 -> ... -> m7: seven modules deep, NetBSD's limit is 6
        for (int i = 1; i <= 7; i++) {
            builtin(i == 7 ? ModuleMetadata.of("m7") : ModuleMetadata.of("m" + i, "m" + (i + 1)));
        }
        errno(Errno.EMLINK, () -> reg.load("m1"));
        assertThat(reg.list()).isEmpty();
        reg.load("m2"); // six deep
        assertThat(reg.list()).hasSize(6);
    }

    @Test
    void aFailedLoadInTheChainLeavesTheRegistryAsItWas() throws Exception {
        builtin("shared");
        builtin("b", "shared");
        builtin("c");
        builtin("top", "b", "c");
        reg.load("shared");
        rec.fail(ModuleCommand.INIT, "c", Errno.ENOEXEC);
        errno(Errno.ENOEXEC, () -> reg.load("top"));
        assertThat(reg.list()).extracting(ModuleInfo::name).containsExactly("shared");
        assertThat(reg.status("shared").orElseThrow().refcount()).isZero();
        assertThat(rec.of(ModuleCommand.INIT)).containsExactly("shared", "b", "c");
        assertThat(rec.of(ModuleCommand.FINI)).containsExactly("b"); // b, loaded for top, is undone
        assertThat(events).last().isInstanceOfSatisfying(RegistryEvent.Failed.class,
                f -> assertThat(f.name()).isEqualTo("top"));
        assertThat(events).filteredOn(e -> e instanceof RegistryEvent.Loaded).extracting(RegistryEvent::name)
                .containsExactly("shared");
    }

    @Test
    void unloadingABuiltinDisablesItAndForceReinstatesIt() throws Exception {
        builtin("bi");
        ModuleInfo first = reg.load("bi");
        assertThat(first.source()).isEqualTo(ModuleSource.BUILTIN);
        reg.unload("bi");
        assertThat(reg.status("bi").orElseThrow().state()).isEqualTo(ModuleState.DISABLED);
        assertThat(reg.list()).extracting(ModuleInfo::state).containsExactly(ModuleState.DISABLED);
        errno(Errno.EPERM, () -> reg.load("bi"));
        errno(Errno.ENOENT, () -> reg.unload("bi"));
        assertThat(reg.initClass(ModuleClass.ANY)).isEmpty();
        ModuleInfo again = reg.load("bi", Set.of(LoadFlag.FORCE), Map.of(), ModuleClass.ANY);
        assertThat(again.state()).isEqualTo(ModuleState.LOADED);
        assertThat(again.id()).isEqualTo(2);
        assertThat(rec.of(ModuleCommand.INIT)).containsExactly("bi", "bi");
    }

    @Test
    void classesMatchAndInitClassLoadsTheBuiltinsOfOneClass() throws Exception {
        builtin(ModuleMetadata.of("ffs", ModuleClass.VFS, 1, List.of()));
        builtin(ModuleMetadata.of("nfs", ModuleClass.VFS, 1, List.of(Dependency.on("rpc"))));
        builtin(ModuleMetadata.of("rpc", ModuleClass.MISC, 1, List.of()));
        builtin(ModuleMetadata.of("wd", ModuleClass.DRIVER, 1, List.of()));
        errno(Errno.ENOENT, () -> reg.load("wd", Set.of(), Map.of(), ModuleClass.VFS));
        errno(Errno.ENOENT, () -> reg.autoload("ffs", ModuleClass.EXEC));
        List<ModuleInfo> vfs = reg.initClass(ModuleClass.VFS);
        assertThat(vfs).extracting(ModuleInfo::name).containsExactly("ffs", "nfs");
        assertThat(reg.list()).extracting(ModuleInfo::name).containsExactly("ffs", "rpc", "nfs");
        assertThat(reg.status("wd").orElseThrow().state()).isEqualTo(ModuleState.REGISTERED);
        errno(Errno.EEXIST, () -> builtin("wd"));
    }

    @Test
    void aModuleCannotLoadOrUnloadItselfFromItsLifecycle() throws Exception {
        List<Errno> seen = new ArrayList<>();
        reg.registerBuiltin(new BuiltinModule(ModuleMetadata.of("selfish"), (cmd, ctx) -> {
            if (cmd == ModuleCommand.INIT) {
                for (ThrowingCallable c : List.<ThrowingCallable>of(() -> ctx.registry().load("selfish"),
                        () -> ctx.registry().autoload("selfish", ModuleClass.ANY),
                        () -> ctx.registry().unload("selfish"), () -> ctx.registry().findSection(".text"))) {
                    try {
                        c.call();
                    } catch (ModuleException e) {
                        seen.add(e.errno());
                    } catch (Throwable t) {
                        throw new AssertionError(t);
                    }
                }
            }
        }));
        reg.load("selfish");
        assertThat(seen).containsExactly(Errno.EEXIST, Errno.EEXIST, Errno.EBUSY, Errno.ENOENT);
        errno(Errno.ENOENT, () -> reg.findSection(".text")); // outside any INIT
    }

    @Test
    void dependencyVersionsOutOfRangeAreRefusedNamingBoth() throws Exception {
        builtin(ModuleMetadata.of("lib", ModuleClass.MISC, 1, List.of()));
        builtin(ModuleMetadata.of("user", ModuleClass.MISC, 1, List.of(Dependency.on("lib", 2, 2, 3))));
        builtin(ModuleMetadata.of("old", ModuleClass.MISC, 1, List.of(Dependency.on("lib", 1, 1, 1))));
        assertThatThrownBy(() -> reg.load("user")).isInstanceOf(ModuleException.class)
                .hasMessageContaining("user").hasMessageContaining("lib").hasMessageContaining("version 1")
                .satisfies(e -> assertThat(((ModuleException) e).errno()).isEqualTo(Errno.ENOENT));
        assertThat(reg.list()).isEmpty();
        reg.load("old");
        errno(Errno.ENOENT, () -> reg.load("user")); // the loaded lib is checked too
    }

    @Test
    void autounloadAfterTheDelayUnlessHeldDependedOnVetoedOrNoautoload() throws Exception {
        ManualTicker clock = new ManualTicker();
        ModuleRegistry r = ModuleRegistry.builder().ticker(clock).listener(events::add).build();
        List<String> vetoes = new ArrayList<>();
        ModuleHandler h = rec.handler();
        ModuleHandler vetoing = (cmd, ctx) -> {
            h.command(cmd, ctx);
            if (cmd == ModuleCommand.AUTOUNLOAD && vetoes.contains(ctx.name())) {
                throw new ModuleException(Errno.EBUSY, "in use");
            }
        };
        for (String n : List.of("lib", "user", "held", "sticky", "explicit", "veto")) {
            ModuleMetadata md = n.equals("user") ? ModuleMetadata.of(n, "lib") : ModuleMetadata.of(n);
            r.registerBuiltin(new BuiltinModule(n.equals("sticky") ? md.withNoAutoload(true) : md, vetoing));
        }
        vetoes.add("veto");
        for (String n : List.of("user", "held", "sticky", "veto")) {
            r.autoload(n, ModuleClass.ANY);
        }
        r.load("explicit");
        r.hold("held");
        clock.advance(Duration.ofSeconds(9));
        assertThat(r.runAutounload()).isEmpty();
        clock.advance(Duration.ofSeconds(1));
        assertThat(r.runAutounload()).containsExactly("user");
        assertThat(rec.of(ModuleCommand.AUTOUNLOAD)).containsExactlyInAnyOrder("user", "veto");
        // lib became unused now: it waits a whole delay from here
        assertThat(r.runAutounload()).isEmpty();
        clock.advance(Duration.ofSeconds(10));
        r.rele("held");
        assertThat(r.runAutounload()).containsExactly("lib");
        clock.advance(Duration.ofSeconds(10));
        assertThat(r.runAutounload()).containsExactly("held");
        assertThat(r.list()).filteredOn(m -> m.state() == ModuleState.LOADED).extracting(ModuleInfo::name)
                .containsExactly("sticky", "veto", "explicit");
        assertThat(r.status("lib").orElseThrow().state()).isEqualTo(ModuleState.DISABLED); // builtins are disabled
        assertThat(events).filteredOn(e -> e instanceof RegistryEvent.Autounloaded).extracting(RegistryEvent::name)
                .containsExactly("user", "lib", "held");
        vetoes.clear();
        clock.advance(Duration.ofSeconds(10));
        assertThat(r.runAutounload()).containsExactly("veto");
        // builtins are disabled by an autounload too
        assertThat(r.status("veto").orElseThrow().state()).isEqualTo(ModuleState.DISABLED);
    }

    @Test
    void unloadAllGoesDependentsFirstAndStatReports() throws Exception {
        ModuleRegistry r = ModuleRegistry.builder().build();
        r.registerBuiltin(new BuiltinModule(ModuleMetadata.of("kernelpart"), rec.handler()));
        r.load("kernelpart");
        assertThat(r.stat("kernelpart")).containsEntry("id", "1");
        assertThat(r.unloadAll()).isEmpty(); // builtins are part of the kernel: unload-all leaves them
        r.unload(0);
        assertThat(r.list()).hasSize(1);
    }

    @Test
    void securityPolicyIsConsultedOnEveryLoadAndUnload() throws Exception {
        List<String> asked = new ArrayList<>();
        ModuleRegistry r = ModuleRegistry.builder().security(new SecurityPolicy() {
            @Override
            public void checkLoad(ModuleCandidate c) throws ModuleException {
                asked.add("load " + c.name() + (c.autoload() ? " (dep)" : ""));
                if (c.name().equals("evil")) {
                    throw new ModuleException(Errno.EPERM, "blacklisted");
                }
            }

            @Override
            public void checkUnload(ModuleInfo m) throws ModuleException {
                asked.add("unload " + m.name());
                if (m.name().equals("pinned")) {
                    throw new ModuleException(Errno.EPERM, "securelevel");
                }
            }
        }).build();
        for (String n : List.of("evil", "good", "pinned")) {
            r.registerBuiltin(new BuiltinModule(ModuleMetadata.of(n), rec.handler()));
        }
        r.registerBuiltin(new BuiltinModule(ModuleMetadata.of("user", "evil"), rec.handler()));
        errno(Errno.EPERM, () -> r.load("user"));
        r.load("good");
        r.load("pinned");
        errno(Errno.EPERM, () -> r.unload("pinned"));
        r.unload("good");
        assertThat(asked).containsExactly("load user", "load evil (dep)", "load good", "load pinned", "unload pinned",
                "unload good");
        assertThat(rec.of(ModuleCommand.INIT)).containsExactly("good", "pinned");
    }

    @Test
    void listingsShowEveryColumn() throws Exception {
        builtin("c");
        builtin("b", "c");
        reg.load("b");
        String full = reg.listing(true);
        assertThat(full.lines().findFirst().orElseThrow()).contains("ID", "NAME", "CLASS", "STATE", "ADDRESS", "SIZE",
                "REFS", "DEPS", "DELAY", "SOURCE");
        assertThat(full).containsPattern("\\s+1\\s+c\\s+misc\\s+loaded\\s+0x0{16}\\s+0\\s+1\\s+1\\s+10s\\s+builtin");
        assertThat(reg.listing(false)).containsPattern("\\s+2\\s+b\\s+loaded\\s+misc");
    }
}
