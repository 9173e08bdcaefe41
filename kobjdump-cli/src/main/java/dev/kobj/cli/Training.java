package dev.kobj.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The training run of kobjdump's ahead-of-time cache (JEP 483 and JEP 515, JDK 25): runs the
 * real commands on testdata's objects in one JVM, so that the classes they load and link,
 * and the profiles of the methods they run, are what {@code -XX:AOTCacheOutput} records.
 * The build runs it on the packaged jar ({@code src/build/TrainAotCache.java}); it is not a
 * user command.
 *
 * <p>Usage: {@code java -XX:AOTCacheOutput=FILE -cp kobjdump.jar dev.kobj.cli.Training
 * TESTDATA WORKDIR [files|trees|stats|depmod]}; with {@code files}, only the file commands (headers, sections,
 * symbols, relocs, modinfo, groups: the lines FastPath runs), for the launcher's small cache
 * of those commands; with {@code trees}, only check and stats on trees of module objects of the
 * three machines, for the cache of {@code kobjdump check}; with {@code stats} and
 * {@code depmod}, that command alone on those trees, for its own cache. Output goes
 * nowhere; a command that fails does not stop the others (usage errors are part of what is
 * trained).
 */
public final class Training {
    private Training() {
    }

    public static void main(String[] args) throws IOException {
        // The launcher starts kobjdump's own main class from the class path: have it in the cache.
        Class<?> unused = Main.class;
        Path testdata = Path.of(args[0]);
        Path work = Files.createDirectories(Path.of(args[1]));
        Path special = testdata.resolve("special");
        List<String> objects = new ArrayList<>();
        try (Stream<Path> s = Files.walk(testdata.resolve("obj"))) {
            s.filter(p -> p.toString().endsWith(".o")).sorted().forEach(p -> objects.add(p.toString()));
        }
        List<String> modules = new ArrayList<>();
        for (String m : List.of("module.ko", "module.ko.gz", "module.ko.xz", "module.ko.zst", "module-signed.ko")) {
            modules.add(special.resolve(m).toString());
        }
        Path symvers = special.resolve("Module.symvers"); // module.c's __versions, as a kernel lists them
        Path tree = Files.createDirectories(work.resolve("lib/modules/6.1.0/kernel/drivers/misc"));
        Files.copy(special.resolve("module.ko"), tree.resolve("kobj_demo.ko"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Path root = work.resolve("lib/modules/6.1.0");

        List<List<String>> runs = new ArrayList<>();
        String mode = args.length > 2 ? args[2] : "";
        if (mode.equals("trees") || mode.equals("stats") || mode.equals("depmod")) {
            // check and stats, once each, on a tree of TREE_SIZE amd64 modules and on smaller
            // trees of the aarch64 and riscv64 module objects: the classes and lambdas of all
            // three engines are then in the cache (arm64's were loaded from the jar before).
            // Once, not twice, and not with the other commands: when check still compiled with
            // C2, a cache trained on check, stats and depmod, twice, made check slower (amd64
            // tree, CPU: no cache 5.1 s, check alone 4.6 s, those three 5.9 s), as other
            // commands' profiles of the shared code misled C2. check and stats are C1-only now
            // (the launcher), and adding stats and the other machines left check unchanged and
            // made stats 8 % faster (docs/notes/speed.md).
            // With "stats", stats alone on the same trees: the cache that kobjdump stats uses.
            // stats replays its cache's training (check does not), and a cache trained on check
            // too had it compile check's link loops as well, at its start: arm64 stats 0.344 ->
            // 0.335 s, amd64 0.387 -> 0.360 s with a cache of its own (docs/notes/speed.md).
            // With "depmod", depmod alone on them, for the cache of kobjdump depmod (with the
            // full cache's profiles: arm64 0.339 -> 0.304 s, amd64 0.389 -> 0.352 s).
            boolean check = mode.equals("trees");
            boolean depmod = mode.equals("depmod");
            Path big = bigTree(work, "big", special.resolve("module.ko"), TREE_SIZE);
            if (mode.equals("stats")) {
                addStatsExtras(big, special);
            }
            if (check) {
                runs.add(List.of("check", "--kernel", symvers.toString(), big.toString()));
            }
            for (String arch : List.of("aarch64-small", "riscv64-medany")) {
                Path other = bigTree(work, arch, testdata.resolve("obj").resolve(arch).resolve("module.o"), TREE_SIZE / 3);
                if (check) {
                    runs.add(List.of("check", "--kernel", symvers.toString(), other.toString()));
                }
                runs.add(depmod ? List.of("depmod", "-o", work.resolve(arch + ".dep").toString(), other.toString())
                        : List.of("stats", other.toString()));
            }
            runs.add(depmod ? List.of("depmod", "-o", work.resolve("big.dep").toString(), big.toString())
                    : List.of("stats", big.toString()));
            run(runs, 1);
            return;
        }
        boolean filesOnly = args.length > 2 && args[2].equals("files");
        for (String cmd : List.of("headers", "sections", "symbols", "relocs", "modinfo", "groups")) {
            runs.add(concat(List.of(cmd), modules));
            runs.add(concat(List.of(cmd), objects));
            runs.add(concat(List.of(cmd, "--json"), modules));
            runs.add(concat(List.of(cmd, "--json"), objects));
        }
        if (filesOnly) {
            run(runs, 2);
            return;
        }
        runs.add(List.of("--help"));
        runs.add(List.of("--version"));
        runs.add(List.of("no-such-command"));
        for (String cmd : List.of("headers", "sections", "symbols", "relocs", "modinfo", "groups")) {
            runs.add(List.of(cmd, "--help"));
            runs.add(List.of(cmd, work.resolve("missing.ko").toString()));
        }
        runs.add(List.of("stats", testdata.resolve("obj").toString(), special.toString()));
        runs.add(List.of("stats", "--json", testdata.resolve("obj").toString()));
        runs.add(List.of("check", "--kernel", symvers.toString(), root.toString()));
        runs.add(concat(List.of("check", "-v", "--kernel", symvers.toString()), modules));
        runs.add(List.of("check", "--checks-only", "--kernel", symvers.toString(), root.toString()));
        runs.add(List.of("depmod", "-o", work.resolve("modules.dep").toString(), root.toString()));
        runs.add(List.of("link", "--kernel", symvers.toString(), "--map", "-o", work.resolve("out.elf").toString(),
                modules.getFirst()));
        runs.add(List.of("modprobe", "--kernel", symvers.toString(), "--path", root.toString(), "kobj_demo"));
        runs.add(List.of("verify", "--cert", special.resolve("signing-cert.pem").toString(),
                special.resolve("module-signed.ko").toString()));
        run(runs, 2);
    }

    /**
     * Adds to the tree {@code root} what a distribution's tree has and copies of module.ko do
     * not, so that stats' cache holds the classes its run loads (loaded from the jar and
     * verified otherwise, on a worker's first files): a signed module ({@code ModuleSignature})
     * and one larger than a reader's own buffer (module.ko with zeros after its last section:
     * {@code ElfReader.Spares}).
     */
    private static void addStatsExtras(Path root, Path special) throws IOException {
        Path dir = root.resolve("kernel/drivers/misc");
        Files.copy(special.resolve("module-signed.ko"), dir.resolve("kobj_demo_signed.ko"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        byte[] module = Files.readAllBytes(special.resolve("module.ko"));
        int padded = Math.max(module.length, 5 << 18); // 1.25 MiB: past the reader's own 1 MiB
        Files.write(dir.resolve("kobj_demo_padded.ko"), java.util.Arrays.copyOf(module, padded));
    }

    /** Modules in the training's big tree (copies of testdata's module.ko). */
    private static final int TREE_SIZE = 300;

    /** {@return a module tree named {@code name} of {@code size} links to (or copies of) {@code module}} */
    private static Path bigTree(Path work, String name, Path module, int size) throws IOException {
        Path root = work.resolve(name + "/lib/modules/6.1.0");
        Path dir = Files.createDirectories(root.resolve("kernel/drivers/misc"));
        for (int i = 0; i < size; i++) {
            Path m = dir.resolve("kobj_demo_" + i + ".ko");
            Files.deleteIfExists(m);
            try {
                Files.createLink(m, module);
            } catch (IOException | UnsupportedOperationException e) {
                Files.copy(module, m);
            }
        }
        return root;
    }

    private static void run(List<List<String>> runs, int rounds) {
        PrintStream none = new PrintStream(OutputStream.nullOutputStream(), false, java.nio.charset.StandardCharsets.UTF_8);
        // The commands ask whether stderr is a terminal only when it is the process's own, which
        // the training's is not: ask once, so that the class that answers is in the cache.
        Terminal.isTerminal(2);
        // Short runs twice: the second round records the profiles of code the first one loaded.
        for (int round = 0; round < rounds; round++) {
            for (List<String> run : runs) {
                KobjDump.run(run.toArray(String[]::new), none, none);
            }
        }
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
