package dev.kobj.cli;

import dev.kobj.elf.ElfFile;
import dev.kobj.emu.Cpu;
import dev.kobj.emu.EmulatorUnavailableException;
import dev.kobj.emu.Errno;
import dev.kobj.emu.Kernel;
import dev.kobj.emu.Machine;
import dev.kobj.emu.ModuleLoad;
import dev.kobj.emu.ModuleTree;
import dev.kobj.emu.Options;
import dev.kobj.emu.Outcome;
import dev.kobj.emu.Run;
import dev.kobj.emu.Tracer;
import dev.kobj.link.LoadedImage;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code kobjdump run}: runs a module's init (and exit) on an emulated CPU of its architecture (kobj-emu). */
@Command(name = "run", description = {
    "Run a module's init (and exit) on an emulated CPU of its architecture.",
    "",
    "Loads the --object files (plain objects giving functions of a test host), then the module's "
            + "dependencies found under --modules (their inits run first), then MODULE into an emulated "
            + "x86_64, AArch64 or RISC-V 64 machine (Unicorn 2, Debian package libunicorn2), and runs "
            + "init: kernel functions are answered by kobj-emu's Java handlers. Prints the printk output "
            + "as the kernel would (levels stripped) and init's return value; --trace calls prints each "
            + "kernel function called with its arguments, --trace blocks each basic block.",
    "",
    "Exit status: 0 init returned 0 (and exit ran), 1 a file could not be read or linked, "
            + "3 init returned non-zero or the run stopped (fault, unhandled function, budget, timeout)."})
final class RunCommand implements Callable<Integer> {
    @Parameters(paramLabel = "MODULE", arity = "1", description = "The module (.ko, .o, .ko.xz, .ko.zst, .ko.gz).")
    Path file;

    @Option(names = "--kernel", paramLabel = "TABLE",
            description = "System.map, kallsyms or Module.symvers: the names kallsyms_lookup_name knows; repeatable.")
    List<Path> kernel = new ArrayList<>();

    @Option(names = "--object", paramLabel = "SHIM.o", description = "A plain object loaded before the module "
            + "(its global functions and data resolve the module's undefined symbols); repeatable.")
    List<Path> objects = new ArrayList<>();

    @Option(names = "--modules", paramLabel = "DIR",
            description = "A module tree (/lib/modules/RELEASE) where the module's depends= are found.")
    Path modules;

    @Option(names = "--init", paramLabel = "SYMBOL", defaultValue = "init_module",
            description = "The function run as init (default ${DEFAULT-VALUE}).")
    String init;

    @Option(names = "--exit", description = "Run cleanup_module after init returned 0.")
    boolean exit;

    @Option(names = "--trace", paramLabel = "calls|blocks", description = "Print each kernel function call, "
            + "or each basic block run (and the calls).")
    String trace;

    @Option(names = "--max-instructions", paramLabel = "N", defaultValue = "100000000",
            description = "Instruction budget of each run (default ${DEFAULT-VALUE}; 0: none).")
    long maxInstructions;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "10",
            description = "Wall-clock limit of each run (default ${DEFAULT-VALUE} s).")
    long timeout;

    @Option(names = "--unhandled-zero", description = "Answer calls of kernel functions without a handler with 0 "
            + "instead of stopping.")
    boolean unhandledZero;

    @Option(names = "--json", description = "Print JSON: console, runs, calls, registrations.")
    boolean json;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    private final KobjDump.Context ctx;

    RunCommand(KobjDump.Context ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        if (trace != null && !trace.equals("calls") && !trace.equals("blocks")) {
            ctx.error("--trace takes calls or blocks, not " + trace);
            return 2;
        }
        PrintStream out = ctx.out();
        List<String> events = new ArrayList<>();
        int[] printed = {0};
        Machine[] machine = {null};
        Tracer tracer = new Tracer() {
            @Override
            public void call(String name, long caller, long[] args, long result) {
                StringBuilder a = new StringBuilder();
                for (long v : args) {
                    a.append(a.isEmpty() ? "" : ", ").append(String.format("0x%x", v));
                }
                String line = String.format("%s(%s) = 0x%x from %s", name, a, result,
                        machine[0].kernel().symbolize(caller));
                events.add(line);
                if (!json) {
                    out.println("[call] " + line);
                    flushConsole(out, machine[0], printed);
                }
            }

            @Override
            public boolean blocks() {
                return "blocks".equals(trace);
            }

            @Override
            public void block(long address, int size, String symbol) {
                if (!json) {
                    out.printf("[block] 0x%x %s (%d bytes)%n", address, symbol, size);
                }
            }
        };
        List<Run> runs = new ArrayList<>();
        try (ElfFile elf = ElfFile.open(file)) {
            Options.Builder options = Machine.options(Cpu.X86_64)
                    .kernelTable(KernelTables.load(kernel).forObject(elf.header()))
                    .maxInstructions(maxInstructions)
                    .timeout(Duration.ofSeconds(Math.max(1, timeout)))
                    .unhandledReturnsZero(unhandledZero)
                    .tracer(trace == null ? Tracer.NONE : tracer);
            try (Machine m = Machine.forObject(elf, options)) {
                machine[0] = m;
                for (Path o : objects) {
                    m.load(o);
                }
                // the module and its dependencies (depends=, found under --modules) through the guest's registry
                ModuleTree tree = modules != null ? ModuleTree.of(modules) : ModuleTree.ofFiles(List.of());
                ModuleLoad load = m.loadModule(file, tree, init);
                for (Run r : load.runs()) {
                    report(out, m, printed, runs, r);
                }
                if (exit && load.loaded()) {
                    Optional<Run> fini = m.unloadModule(load.name());
                    if (fini.isPresent()) {
                        report(out, m, printed, runs, fini.get());
                    }
                }
                if (json) {
                    out.println(json(m, runs, events));
                }
            }
        } catch (EmulatorUnavailableException e) {
            ctx.error(e.getMessage());
            return 1;
        } catch (Exception e) {
            ctx.error(KobjDump.errorMessage(file.toString(), e));
            return 1;
        }
        Run last = runs.getLast();
        boolean ok = runs.stream().allMatch(r -> r.outcome().completed())
                && runs.stream().filter(r -> !r.function().equals("cleanup_module"))
                        .allMatch(r -> r.returned().orElse(-1) == 0);
        return ok && last.outcome().completed() ? 0 : 3;
    }

    private void report(PrintStream out, Machine m, int[] printed, List<Run> runs, Run r) {
        runs.add(r);
        if (!json) {
            flushConsole(out, m, printed);
            out.println(r.function() + ": " + describe(r));
        }
    }

    private static String describe(Run r) {
        if (r.outcome() instanceof Outcome.Returned ret) {
            return r.function().endsWith("cleanup_module") ? "returned" : "returned " + Errno.describe((int) ret.value());
        }
        return r.outcome().describe();
    }

    private static void flushConsole(PrintStream out, Machine m, int[] printed) {
        List<Kernel.Line> lines = m.kernel().console();
        // the last line may still be open (no newline yet): print only finished ones until the end
        for (; printed[0] < lines.size(); printed[0]++) {
            out.println(lines.get(printed[0]).text());
        }
    }

    private String json(Machine m, List<Run> runs, List<String> events) {
        StringBuilder sb = new StringBuilder("{\"module\":").append(Json.quote(file.toString()))
                .append(",\"cpu\":").append(Json.quote(m.cpu().name().toLowerCase())).append(",\"console\":[");
        List<Kernel.Line> lines = m.kernel().console();
        for (int i = 0; i < lines.size(); i++) {
            sb.append(i > 0 ? "," : "").append("{\"level\":").append(lines.get(i).level()).append(",\"text\":")
                    .append(Json.quote(lines.get(i).text())).append('}');
        }
        sb.append("],\"runs\":[");
        for (int i = 0; i < runs.size(); i++) {
            Run r = runs.get(i);
            sb.append(i > 0 ? "," : "").append("{\"function\":").append(Json.quote(r.function()))
                    .append(",\"completed\":").append(r.outcome().completed());
            if (r.outcome() instanceof Outcome.Returned ret) {
                sb.append(",\"returned\":").append((int) ret.value());
            }
            sb.append(",\"outcome\":").append(Json.quote(r.outcome().describe())).append(",\"calls\":")
                    .append(r.calls()).append(",\"nanos\":").append(r.nanos()).append('}');
        }
        sb.append("],\"trace\":[");
        for (int i = 0; i < events.size(); i++) {
            sb.append(i > 0 ? "," : "").append(Json.quote(events.get(i)));
        }
        sb.append("],\"registrations\":[");
        List<Kernel.Registration> regs = m.kernel().registrations();
        for (int i = 0; i < regs.size(); i++) {
            Kernel.Registration g = regs.get(i);
            sb.append(i > 0 ? "," : "").append("{\"kind\":").append(Json.quote(g.kind())).append(",\"name\":")
                    .append(Json.quote(g.name())).append(",\"address\":").append(Json.quote(String.format("0x%x",
                            g.address()))).append('}');
        }
        return sb.append("]}").toString();
    }
}
