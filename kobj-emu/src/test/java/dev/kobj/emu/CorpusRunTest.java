package dev.kobj.emu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kobj.elf.ElfFile;
import dev.kobj.elf.ModInfoEntry;
import dev.kobj.link.LinkException;
import dev.kobj.link.LoadedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * ISSUE 10 item 6, real Debian modules (corpus/ARCH: amd64 and arm64 from scripts/fetch-corpus.sh,
 * and any other architecture's tree found there, e.g. riscv64): each module of a sample (fixed seed; -Dkobj.emu.sample=N per architecture, "all" for every module; 150
 * by default) is loaded through the guest's module registry ({@link Machine#loadModule}: its
 * dependencies first, their inits run) and its init run with the standard handlers. The table printed (and written to target/emu-survey-ARCH.txt) gives the
 * share whose init runs to completion and, for the rest, the first missing handler or how it
 * ended. Crypto modules are checked against an oracle independent of kobj: every
 * {@code alias=crypto-NAME} of their .modinfo (MODULE_ALIAS_CRYPTO, the module's own metadata)
 * is the cra_name or cra_driver_name of an algorithm (or a template) their init registered.
 */
class CorpusRunTest {

    @BeforeAll
    static void unicorn() {
        EmuTests.requireUnicorn();
    }

    /** One module's result: how init ended (a short key for the table) and what it registered. */
    record Row(Path module, String key, Outcome outcome, Set<String> registered, Set<String> aliases, long nanos,
            long calls) {
    }

    /** The test kit's rule: runs with -Pcorpus; a missing tree skips, and fails under CI. */
    static Path corpus(String arch) {
        return dev.kobj.testkit.Corpus.require(arch);
    }

    static List<Path> sample(List<Path> all, String arch) {
        String s = System.getProperty("kobj.emu.sample", "150");
        if (s.equals("all")) {
            return all;
        }
        List<Path> shuffled = new ArrayList<>(all);
        Collections.shuffle(shuffled, new Random(10));
        List<Path> out = new ArrayList<>(shuffled.subList(0, Math.min(Integer.parseInt(s), all.size())));
        // the crypto oracle always sees every crypto module
        for (Path p : all) {
            if (p.toString().contains("/crypto/") && !out.contains(p)) {
                out.add(p);
            }
        }
        return out;
    }

    static Row run(Path module, ModuleTree tree) throws Exception {
        Set<String> aliases = new TreeSet<>();
        try (ElfFile elf = ElfFile.open(module)) {
            for (ModInfoEntry e : elf.modinfo()) {
                if (e.key().equals("alias") && e.value().startsWith("crypto-")) {
                    aliases.add(e.value().substring("crypto-".length()));
                }
            }
        }
        Options.Builder options = Machine.options(Cpu.X86_64).maxInstructions(20_000_000).timeout(Duration.ofSeconds(5));
        try (ElfFile elf = ElfFile.open(module); Machine m = Machine.forObject(elf, options)) {
            Set<String> registered = new TreeSet<>();
            Outcome outcome;
            String key;
            long nanos = 0;
            long calls = 0;
            if (!hasInit(elf)) {
                return new Row(module, "no init_module", new Outcome.Returned(0), registered, aliases, 0, 0);
            }
            ModuleLoad load = m.loadModule(module, tree, "init_module");
            Run last = load.runs().getLast();
            if (!last.function().equals("init_module")) {
                outcome = last.outcome();
                key = "dependency " + last.function().replace(":init_module", "") + ": " + key(outcome);
            } else {
                outcome = last.outcome();
                key = key(outcome);
                nanos = last.nanos();
                calls = last.calls();
                for (Kernel.Registration reg : load.registered()) {
                    if (reg.kind().startsWith("crypto")) {
                        registered.add(reg.name());
                    }
                }
            }
            return new Row(module, key, outcome, registered, aliases, nanos, calls);
        } catch (LinkException | EmuException e) {
            return new Row(module, "load failed: " + e.getMessage().lines().findFirst().orElse(""), null, Set.of(),
                    aliases, 0, 0);
        }
    }

    static boolean hasInit(ElfFile elf) throws Exception {
        var t = elf.symbolTable();
        return t.isPresent() && t.get().all().stream().anyMatch(s -> s.name().equals("init_module") && !s.isUndefined());
    }

    static String key(Outcome o) {
        return switch (o) {
            case Outcome.Returned r -> "completed";
            case Outcome.Unhandled u -> "missing handler " + u.name();
            case Outcome.Fault f -> "fault: " + f.kind().replaceAll(" of \\d+ bytes", "");
            case Outcome.Stopped s -> "stopped in " + s.function() + ": " + s.reason().substring(0, Math.min(70, s.reason().length()));
            case Outcome.BudgetExhausted b -> "instruction budget";
            case Outcome.TimedOut t -> "timeout";
        };
    }

    /** -Dkobj.emu.arches=A,B: those; else amd64 and arm64 always (a missing tree skips, or fails under CI); any other tree present in the corpus too (riscv64). */
    static List<String> arches() {
        String only = System.getProperty("kobj.emu.arches", "");
        if (!only.isBlank()) {
            return List.of(only.split(","));
        }
        Set<String> out = new TreeSet<>(List.of("amd64", "arm64"));
        try (var s = Files.list(dev.kobj.testkit.Corpus.root())) {
            s.filter(d -> Files.isDirectory(d.resolve("lib/modules"))).forEach(d -> out.add(d.getFileName().toString()));
        } catch (java.io.IOException | RuntimeException e) {
            // no corpus: the two Debian architectures, which skip
        }
        return List.copyOf(out);
    }

    @ParameterizedTest
    @MethodSource("arches")
    void initsOfRealModules(String arch) throws Exception {
        Path dir = corpus(arch);
        ModuleTree tree = ModuleTree.of(dir.resolve("lib/modules"));
        List<Path> sample = sample(tree.files(), arch);
        List<Row> rows = new ArrayList<>();
        for (Path p : sample) {
            rows.add(run(p, tree));
        }
        String table = table(arch, tree.size(), rows);
        System.out.println(table);
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target", "emu-survey-" + arch + ".txt"), table);

        long completed = rows.stream().filter(r -> r.key().equals("completed")).count();
        assertThat(completed).as("inits that complete").isGreaterThan(rows.size() / 2);
        // the crypto oracle: the algorithms init registered are those the module's metadata
        // announces (alias=crypto-NAME); internal algorithms (cra_name "__...", CRYPTO_ALG_INTERNAL)
        // are never requested by name and have no alias
        List<Row> crypto = rows.stream().filter(r -> !r.aliases().isEmpty() && r.key().equals("completed")).toList();
        List<Row> registering = crypto.stream().filter(r -> !r.registered().isEmpty()).toList();
        List<String> mismatches = new ArrayList<>();
        long equal = 0;
        for (Row r : registering) {
            Set<String> named = r.registered().stream().filter(n -> !n.startsWith("__"))
                    .collect(Collectors.toCollection(TreeSet::new));
            if (named.equals(r.aliases())) {
                equal++;
            }
            if (named.stream().noneMatch(n -> r.aliases().stream().anyMatch(a -> names(a, n)))) {
                mismatches.add(ModuleTree.name(r.module()) + ": no registered algorithm is aliased: registered "
                        + named + ", aliases " + r.aliases());
            }
        }
        String crypt = String.format("%s crypto oracle: %d crypto modules' inits completed; %d registered nothing"
                + " (the emulated CPU has no optional feature: no AVX/PCLMUL/NEON...); of the %d that registered,"
                + " names = aliases for %d, an alias names a registered algorithm for %d%n%s", arch, crypto.size(),
                crypto.size() - registering.size(), registering.size(), equal, registering.size() - mismatches.size(),
                String.join("\n", mismatches));
        System.out.println(crypt);
        Files.writeString(Path.of("target", "emu-survey-" + arch + ".txt"), table + crypt);
        assertThat(registering).isNotEmpty();
        assertThat(mismatches).isEmpty();
    }

    /**
     * {@return true when {@code alias=crypto-A} announces the registered algorithm {@code n}}:
     * {@code n} is A, a mode over A ({@code cbc(A)}: the crypto API asks for {@code crypto-A}
     * when no module announces the instance), or a variant {@code A-...} ({@code ecdh-nist-p256}).
     */
    static boolean names(String a, String n) {
        return n.equals(a) || n.endsWith("(" + a + ")") || n.startsWith(a + "-");
    }

    static String table(String arch, int total, List<Row> rows) {
        StringBuilder sb = new StringBuilder();
        long completed = rows.stream().filter(r -> r.key().equals("completed")).count();
        long withInit = rows.stream().filter(r -> !r.key().equals("no init_module")).count();
        long zero = rows.stream().filter(r -> r.outcome() instanceof Outcome.Returned x && (int) x.value() == 0
                && r.key().equals("completed")).count();
        long nanos = rows.stream().mapToLong(Row::nanos).sum();
        sb.append(String.format("kobj-emu %s: %d of %d modules (seed 10), %d with an init; init completed %d (%.1f%%),"
                + " returned 0: %d; %d kernel calls, %.1f ms of emulation%n", arch, rows.size(), total, withInit,
                completed, 100.0 * completed / withInit, zero, rows.stream().mapToLong(Row::calls).sum(), nanos / 1e6));
        Map<String, Long> byKey = rows.stream().filter(r -> !r.key().equals("completed"))
                .collect(Collectors.groupingBy(r -> r.key().replaceAll("^dependency [^:]+: ", "dependency: "),
                        TreeMap::new, Collectors.counting()));
        byKey.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .forEach(e -> sb.append(String.format("  %5d  %s%n", e.getValue(), e.getKey())));
        Map<String, Long> returned = rows.stream().filter(r -> r.key().equals("completed")
                && r.outcome() instanceof Outcome.Returned)
                .collect(Collectors.groupingBy(r -> "init returned "
                        + Errno.describe((int) ((Outcome.Returned) r.outcome()).value()), TreeMap::new,
                        Collectors.counting()));
        returned.forEach((k, v) -> sb.append(String.format("  %5d  %s%n", v, k)));
        return sb.toString();
    }
}
