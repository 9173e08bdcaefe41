package dev.kobj.registry.depmod;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kobj.elf.ElfFile;
import dev.kobj.registry.ModuleException;
import dev.kobj.testkit.Testdata;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DependencyGraphTest {
    static DependencyGraph.Node node(String name, List<String> exports, List<String> imports) {
        return new DependencyGraph.Node("kernel/" + name + ".ko", name, new ModuleSymbols(exports, imports));
    }

    static List<String> deps(DependencyGraph g, String name) {
        return g.dependencies(g.find(name).orElseThrow()).stream().map(DependencyGraph.Node::name).toList();
    }

    @Test
    void closureIsTransitiveAndOrderedFromUsersToProviders() throws Exception {
        // nfsv4 -> nfs -> sunrpc, nfsv4 -> sunrpc, nfs -> lockd -> sunrpc
        DependencyGraph g = DependencyGraph.of(List.of(
                node("sunrpc", List.of("rpc_call"), List.of("printk")),
                node("lockd", List.of("nlm_init"), List.of("rpc_call")),
                node("nfs", List.of("nfs_mount"), List.of("rpc_call", "nlm_init")),
                node("nfsv4", List.of(), List.of("rpc_call", "nfs_mount"))));
        assertThat(deps(g, "nfsv4")).containsExactly("nfs", "lockd", "sunrpc");
        assertThat(deps(g, "nfs")).containsExactly("lockd", "sunrpc");
        assertThat(deps(g, "sunrpc")).isEmpty();
        assertThat(g.modulesDep()).isEqualTo("""
                kernel/sunrpc.ko:
                kernel/lockd.ko: kernel/sunrpc.ko
                kernel/nfs.ko: kernel/lockd.ko kernel/sunrpc.ko
                kernel/nfsv4.ko: kernel/nfs.ko kernel/lockd.ko kernel/sunrpc.ko
                """);
        assertThat(g.edgeCount()).isEqualTo(5);
    }

    @Test
    void rootsArePoppedLastFirstAndDependenciesPushedInReferenceOrder() throws Exception {
        // Two unrelated users of a and b: the stack starts [u1, u2]; u2 pops first (index 0),
        // pushes nothing (a and b keep u1); u1 (index 1) then frees b and a in its reference
        // order b, a: a is pushed last and pops first.
        DependencyGraph g = DependencyGraph.of(List.of(
                node("a", List.of("fa"), List.of()),
                node("b", List.of("fb"), List.of()),
                node("u1", List.of(), List.of("fb", "fa")),
                node("u2", List.of(), List.of("fa", "fb"))));
        assertThat(deps(g, "u1")).containsExactly("a", "b");
        assertThat(deps(g, "u2")).containsExactly("a", "b");
    }

    @Test
    void lastExporterWinsAndUnknownOrSelfNamesGiveNoDependency() throws Exception {
        DependencyGraph g = DependencyGraph.of(List.of(
                node("first", List.of("dup"), List.of()),
                node("second", List.of("dup"), List.of()),
                node("user", List.of("mine"), List.of("dup", "vmlinux_only", ".dup", "mine"))));
        assertThat(deps(g, "user")).containsExactly("second");
        assertThat(g.owner("dup").orElseThrow().name()).isEqualTo("second");
    }

    @Test
    void cycleIsEdeadlkNamingTheCycle() {
        assertThatThrownBy(() -> DependencyGraph.of(List.of(
                node("x", List.of("fx"), List.of("fy")),
                node("y", List.of("fy"), List.of("fz")),
                node("z", List.of("fz"), List.of("fx")),
                node("leaf", List.of("fl"), List.of()),
                node("top", List.of(), List.of("fx", "fl")))))
                .isInstanceOf(ModuleException.class)
                .satisfies(e -> assertThat(((ModuleException) e).errno()).isEqualTo(ModuleException.Errno.EDEADLK))
                .hasMessageContaining("3 modules")
                .hasMessageMatching(".*(x -> y -> z -> x|y -> z -> x -> y|z -> x -> y -> z).*");
    }

    @Test
    void fixtureImporterNeedsExporter() throws Exception {
        Path dir = Testdata.root().resolve("obj/x86_64-gcc-kernel");
        List<DependencyGraph.Node> nodes = new ArrayList<>();
        for (String n : List.of("exporter", "importer", "module")) {
            try (ElfFile f = ElfFile.open(dir.resolve(n + ".o"))) {
                nodes.add(new DependencyGraph.Node(n + ".o", n, ModuleSymbols.read(f)));
            }
        }
        assertThat(nodes.getFirst().symbols().exports()).containsExactlyInAnyOrder("kobj_shared_counter", "kobj_shared_add");
        assertThat(nodes.get(1).symbols().imports()).contains("kobj_shared_add", "kobj_shared_counter", "printk");
        DependencyGraph g = DependencyGraph.of(nodes);
        assertThat(g.modulesDep()).isEqualTo("exporter.o:\nimporter.o: exporter.o\nmodule.o:\n");
    }

    @Test
    void treeIsOrderedByModulesOrderThenPath(@TempDir Path root) throws Exception {
        Path src = Testdata.root().resolve("obj/x86_64-gcc-kernel");
        Files.createDirectories(root.resolve("kernel/lib"));
        Files.createDirectories(root.resolve("kernel/fs"));
        Files.createDirectories(root.resolve("updates"));
        Files.createDirectories(root.resolve("build/x"));
        Files.copy(src.resolve("exporter.o"), root.resolve("kernel/lib/kobj-exporter.ko"));
        Files.copy(src.resolve("importer.o"), root.resolve("kernel/fs/importer.ko"));
        Files.copy(src.resolve("module.o"), root.resolve("kernel/fs/module.ko"));
        Files.copy(src.resolve("module.o"), root.resolve("updates/module.ko"));   // updates/ wins
        Files.copy(src.resolve("module.o"), root.resolve("build/x/skipped.ko"));  // build/ is not entered
        Files.writeString(root.resolve("modules.order"), "kernel/fs/importer.ko\nkernel/lib/kobj-exporter.ko\n");
        Depmod.Result r = Depmod.run(root, 2);
        assertThat(r.problems()).isEmpty();
        assertThat(r.tree().modules()).extracting(ModuleTree.Entry::name)
                .containsExactly("importer", "kobj_exporter", "module");
        assertThat(r.graph().modulesDep()).isEqualTo("""
                kernel/fs/importer.ko: kernel/lib/kobj-exporter.ko
                kernel/lib/kobj-exporter.ko:
                updates/module.ko:
                """);
    }

    @Test
    void moduleNamesAndPaths() {
        assertThat(ModuleTree.moduleName("kernel/sound/snd-hda-codec.ko.xz")).isEqualTo("snd_hda_codec");
        assertThat(ModuleTree.uncompressedPath("kernel/a/b-c.ko.zst")).isEqualTo("kernel/a/b-c.ko");
        assertThat(ModuleTree.isModuleFile("x.ko.gz")).isTrue();
        assertThat(ModuleTree.isModuleFile(".ko")).isFalse();
        assertThat(ModuleTree.isModuleFile("x.o")).isFalse();
    }
}
