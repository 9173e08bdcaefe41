package dev.kobj.cli;

import dev.kobj.elf.ElfFile;
import dev.kobj.link.HeapMemory;
import dev.kobj.link.ImageWriter;
import dev.kobj.link.LinkException;
import dev.kobj.link.LinkRequest;
import dev.kobj.link.Linker;
import dev.kobj.link.LayoutStrategy;
import dev.kobj.link.LoadedImage;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code kobjdump link}: links one module against a kernel table and writes the image as an ELF executable. */
@Command(name = "link", description = {
    "Link a module and write the image as an ELF executable.",
    "",
    "Links FILE in memory against the kernel symbol tables given with --kernel (System.map, "
            + "/proc/kallsyms, or Module.symvers, whose addresses are then synthesized), with the "
            + "kernel's load checks, and writes OUT: one section per placed section at its load "
            + "address with its relocated bytes (NOBITS for bss), the stub sections (.kobj.got, "
            + ".kobj.plt), one PT_LOAD per region with its permissions, and a .symtab whose "
            + "undefined symbols are SHN_ABS at the address they resolved to. objdump -d OUT shows "
            + "calls going to their real targets. --map prints the link map on stdout."})
final class LinkCommand implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", arity = "1",
            description = "A kernel module or relocatable object (.ko, .o, .ko.xz, .ko.zst, .ko.gz).")
    Path file;

    @Option(names = "--kernel", paramLabel = "MAP_OR_SYMVERS",
            description = "A System.map, kallsyms or Module.symvers file; repeat to merge several.")
    List<Path> kernel = new ArrayList<>();

    @Option(names = "--base", paramLabel = "[REGION=]ADDR",
            description = "ADDR alone: address of the first region (core; text from 6.4), default where Linux "
                    + "puts modules on the object's architecture, e.g. 0xffffffffc0000000 on x86_64. REGION=ADDR "
                    + "(repeatable): where that region goes, with the kernel's names: core, init (linux-6.1); text, "
                    + "data, rodata, ro_after_init, init_text, init_data, init_rodata (linux-6.4); and kobj's "
                    + "kobj_stubs and percpu. Regions with no base follow the previous one after a guard page.")
    List<String> bases = new ArrayList<>();

    @Option(names = "--layout", paramLabel = "NAME",
            description = "linux-6.1, linux-6.4 or kobj (default: the layout of the kernel release the module's "
                    + "vermagic names; kobj when it has none).")
    String layout;

    @Option(names = "--kallsyms-all", negatable = true,
            description = "Whether the target kernel has CONFIG_KALLSYMS_ALL (sizes the core kallsyms copy the kernel "
                    + "appends to core data). Default: inferred from a --kernel file named *kallsyms* (data symbols "
                    + "listed or not), else no on arm64 (as Debian's 6.1 arm64 kernel) and yes elsewhere.")
    Boolean kallsymsAll;

    @Option(names = "--erratum-843419", negatable = true,
            description = "Whether the target CPU needs the Cortex-A53 erratum 843419 workaround (AArch64; default "
                    + "yes). qemu -cpu max does not: give --no-erratum-843419 to match a kernel booted there.")
    Boolean erratum843419;

    @Option(names = "--json", description = "With --map: print the link map as JSON (layout, regions, sections, "
            + "symbols with their final addresses).")
    boolean json;

    @Option(names = {"-o", "--output"}, paramLabel = "OUT", required = true, description = "The ELF file to write.")
    Path output;

    @Option(names = "--map", description = "Print the link map: regions, sections with their addresses, sizes "
            + "and the symbols each defines, stubs, and the undefined symbols with what they resolved to.")
    boolean map;

    @Option(names = "--svg", paramLabel = "OUT.svg", description = "Also draw the linked image as SVG: regions, "
            + "sections and stubs to scale with their names and addresses, coloured by permissions.")
    Path svg;

    @Mixin
    PolicyOptions policyOptions = new PolicyOptions();

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    private final KobjDump.Context ctx;

    LinkCommand(KobjDump.Context ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        String name = file.toString();
        KernelTables tables;
        try {
            tables = KernelTables.load(kernel);
        } catch (Exception e) {
            ctx.error(KobjDump.errorMessage(kernelName(e), e));
            return 1;
        }
        LinkBases parsed;
        LayoutStrategy strategy = null;
        try {
            parsed = LinkBases.parse(bases);
            if (layout != null) {
                strategy = LayoutStrategy.named(layout).orElseThrow(() -> new IllegalArgumentException(
                        "unknown layout '" + layout + "' (linux-6.1, linux-6.4, kobj)"));
            }
        } catch (IllegalArgumentException e) {
            ctx.error(e.getMessage());
            return 2;
        }
        try (ElfFile f = ElfFile.open(file)) {
            long at = parsed.base() != null ? parsed.base() : KernelTables.defaultBase(f.header());
            LinkRequest.Builder b = LinkRequest.builder(new HeapMemory(at == 0 ? HeapMemory.DEFAULT_BASE : at))
                    .symbols(tables.forObject(f.header()))
                    .base(at)
                    .policy(policyOptions.policy())
                    .layout(strategy)
                    .kallsymsAll(kallsymsAll != null ? kallsymsAll : tables.kallsymsAll())
                    .erratum843419(erratum843419);
            parsed.regions().forEach(b::base);
            try (LoadedImage image = Linker.link(f, b.build())) {
                byte[] bytes = ImageWriter.of(image).toBytes();
                Files.write(output, bytes);
                if (svg != null) {
                    Files.writeString(svg, LinkSvg.of(image));
                }
                if (map) {
                    PrintStream out = ctx.out();
                    out.print(json ? LinkMapJson.of(name, image) : LinkMap.text(image));
                    out.flush();
                }
            }
            return 0;
        } catch (LinkException e) {
            ctx.error(name + ": " + (e.problems().size() > 1 ? e.problems().size() + " problems" : "cannot link"));
            for (LinkException.Problem p : e.problems()) {
                ctx.err().println("  " + Fmt.oneLine(p.message()));
            }
            if (e.problems().isEmpty()) {
                ctx.err().println("  " + Fmt.oneLine(String.valueOf(e.getMessage())));
            }
            ctx.err().flush();
            return 1;
        } catch (Exception | StackOverflowError e) {
            ctx.error(KobjDump.errorMessage(name, e));
            return 1;
        }
    }

    private String kernelName(Exception e) {
        return kernel.size() == 1 ? kernel.getFirst().toString() : "--kernel";
    }
}
