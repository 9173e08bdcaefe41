package dev.kobj.emu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kobj.elf.ElfFile;
import dev.kobj.elf.ElfSymbol;
import dev.kobj.link.HeapMemory;
import dev.kobj.link.LinkRequest;
import dev.kobj.link.Linker;
import dev.kobj.link.LoadPolicy;
import dev.kobj.link.LoadedImage;
import dev.kobj.symtab.KernelSymbol;
import dev.kobj.symtab.KernelSymbolTable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The oracle of the execution tests: testdata/run/ARCH/kobj-host (src/run_host.c, a static C
 * program) runs run_module.o natively (x86_64) or under qemu-user (AArch64, RISC-V). kobj links
 * the module at 0x40000000 against the host's own kapi_* functions, writes the image in
 * run_host.c's KOBJIMG1 format, and the host maps it, calls init, result, calls and exit and
 * prints one line per event. Its lines, without the "map" ones, are what the emulator must print.
 */
final class HostOracle {
    private HostOracle() {
    }

    static final long BASE = 0x4000_0000L;

    static List<String> run(String arch, Path module, Path tmp) throws Exception {
        return run(arch, module, tmp, List.of("init_module", "run_module_result", "run_module_calls",
                "cleanup_module"));
    }

    /** Runs the functions {@code functions} of {@code module} (the first as "init") in kobj-host. */
    static List<String> run(String arch, Path module, Path tmp, List<String> functions) throws Exception {
        Path host = EmuTests.testdata().resolve("run").resolve(arch).resolve("kobj-host");
        List<String> cmd = new ArrayList<>();
        if (!arch.equals("x86_64") || !System.getProperty("os.arch").equals("amd64")) {
            cmd.add(EmuTests.tool("qemu-" + arch + "-static", "qemu-user-static").toString());
        }
        cmd.add(host.toString());
        Path image = tmp.resolve("image.bin");
        cmd.add(image.toString());
        try (ElfFile hostElf = ElfFile.open(host); ElfFile elf = ElfFile.open(module)) {
            List<KernelSymbol> api = new ArrayList<>();
            for (ElfSymbol s : hostElf.symbolTable().orElseThrow().all()) {
                if (s.name().startsWith("kapi_") && s.type() == 2 && !s.isUndefined()) {
                    api.add(new KernelSymbol(s.name().substring(5), s.value(), -1, "vmlinux", "EXPORT_SYMBOL", ""));
                }
            }
            LinkRequest request = LinkRequest.builder(new HeapMemory()).symbols(KernelSymbolTable.of("kobj-host",
                    api, true)).base(BASE).policy(LoadPolicy.permissive()).build();
            try (LoadedImage img = Linker.link(elf, request)) {
                write(img, image);
                for (String fn : functions) {
                    cmd.add("0x" + Long.toHexString(img.symbol(fn).orElseThrow()));
                }
            }
        }
        Path log = tmp.resolve("host.txt");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        p.getOutputStream().close();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("kobj-host did not finish in 60 s: " + cmd);
        }
        String out = Files.readString(log);
        assertThat(p.exitValue()).as(out).isZero();
        return out.lines().filter(l -> !l.startsWith("map ")).toList();
    }

    private static void write(LoadedImage img, Path out) throws Exception {
        List<dev.kobj.testkit.HostImage.Region> regions = new java.util.ArrayList<>();
        for (LoadedImage.Region r : img.regions()) {
            if (r.size() == 0) {
                continue;
            }
            regions.add(dev.kobj.testkit.HostImage.Region.of(r.address(), r.permissions().writable(),
                    r.permissions().executable(), img.read(r.address(), Math.toIntExact(r.size()))));
        }
        dev.kobj.testkit.HostImage.write(regions, out);
    }
}
