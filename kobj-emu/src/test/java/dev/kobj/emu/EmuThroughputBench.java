package dev.kobj.emu;

import dev.kobj.elf.ElfFile;
import dev.kobj.link.LoadedImage;
import dev.kobj.testkit.Corpus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Instructions per second of kobj-emu (a benchmark printing figures, not a test: surefire runs
 * only *Test classes; run it with {@code -Dtest=EmuThroughputBench}). Two figures per CPU:
 * testdata's fault_spin loop stopped by an instruction budget (the budget is the exact count),
 * and real Debian inits (corpus, when present) whose instructions are counted in a first run
 * and timed in a second, uncounted one. Each timed run is the best of two.
 */
class EmuThroughputBench {

    @Test
    void instructionsPerSecond() throws Exception {
        EmuTests.requireUnicorn();
        StringBuilder out = new StringBuilder();
        for (String variant : List.of("x86_64-gcc-kernel", "aarch64-small", "riscv64-medany-norelax")) {
            long budget = 20_000_000L;
            try (ElfFile elf = ElfFile.open(EmuExecutionTest.object(variant, "emu_faults.o"));
                 Machine m = Machine.forObject(elf, Machine.options(Cpu.X86_64).maxInstructions(budget)
                         .timeout(java.time.Duration.ofSeconds(60)))) {
                LoadedImage img = m.load(elf);
                long best = Long.MAX_VALUE;
                for (int i = 0; i < 2; i++) {
                    best = Math.min(best, m.run(img, "fault_spin").nanos());
                }
                out.append(String.format("%-24s loop with a budget: %,d instructions in %.3f s = %.0f M"
                        + " instructions/s%n", variant, budget, best / 1e9, budget / (best / 1e9) / 1e6));
            }
            // without a budget (no per-instruction hook): spin_n's count is linear in n, counted at
            // two small n and extrapolated
            long n = 20_000_000L;
            long c1;
            long c2;
            try (ElfFile elf = ElfFile.open(EmuExecutionTest.object(variant, "emu_faults.o"));
                 Machine m = Machine.forObject(elf, Machine.options(Cpu.X86_64).countInstructions(true))) {
                LoadedImage img = m.load(elf);
                c1 = m.run(img, "spin_n", 1000).instructions();
                c2 = m.run(img, "spin_n", 2000).instructions();
            }
            long count = c1 + (c2 - c1) * (n - 1000) / 1000;
            try (ElfFile elf = ElfFile.open(EmuExecutionTest.object(variant, "emu_faults.o"));
                 Machine m = Machine.forObject(elf, Machine.options(Cpu.X86_64).maxInstructions(0)
                         .timeout(java.time.Duration.ofSeconds(60)))) {
                LoadedImage img = m.load(elf);
                long best = Long.MAX_VALUE;
                for (int i = 0; i < 2; i++) {
                    Run r = m.run(img, "spin_n", n);
                    if (r.outcome().equals(new Outcome.Returned(n))) {
                        best = Math.min(best, r.nanos());
                    }
                }
                out.append(String.format("%-24s loop, no budget: %,d instructions in %.3f s = %.0f M"
                        + " instructions/s%n", variant, count, best / 1e9, count / (best / 1e9) / 1e6));
            }
        }
        String corpus = Corpus.root().toString();
        String[][] modules = {
            {"amd64", "lib/modules/6.1.0-57-amd64/kernel/crypto/sha512_generic.ko"},
            {"amd64", "lib/modules/6.1.0-57-amd64/kernel/crypto/aes_ti.ko"},
        };
        for (String[] mod : modules) {
            Path p = corpus == null ? null : Path.of(corpus, mod[0]).resolve(mod[1]);
            if (p != null && mod[0].equals("arm64")) {
                try (var s = Files.walk(Path.of(corpus, "arm64"))) {
                    p = s.filter(x -> x.endsWith(mod[1])).findFirst().orElse(null);
                }
            }
            if (p == null || !Files.exists(p)) {
                continue;
            }
            long count;
            try (ElfFile elf = ElfFile.open(p);
                 Machine m = Machine.forObject(elf, Machine.options(Cpu.X86_64).countInstructions(true))) {
                count = m.run(m.load(elf), "init_module").instructions();
            }
            long best = Long.MAX_VALUE;
            for (int i = 0; i < 2; i++) {
                try (ElfFile elf = ElfFile.open(p); Machine m = Machine.forObject(elf, Machine.options(Cpu.X86_64))) {
                    best = Math.min(best, m.run(m.load(elf), "init_module").nanos());
                }
            }
            System.out.println(out);
            out.append(String.format("%-24s init: %,d instructions in %.3f ms = %.1f M instructions/s%n",
                    mod[0] + " " + p.getFileName(), count, best / 1e6, count / (best / 1e9) / 1e6));
        }
        System.out.print(out);
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target", "emu-throughput.txt"), out);
    }
}
