package dev.kobj.cli;

import dev.kobj.elf.ElfFile;
import dev.kobj.elf.ElfHeader;
import dev.kobj.link.HeapMemory;
import dev.kobj.registry.ModuleException;
import dev.kobj.registry.ModuleInfo;
import dev.kobj.registry.ModuleRegistry;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code kobjdump modprobe} does for a set of modules, through the same registry set-up
 * (tree locator, kernel tables, heap memory at Linux's addresses, default policy), followed by
 * unloads: the kobj side of the refcount and rmmod comparison.
 *
 * @param modules  name to status after the loads
 * @param failures name to the error of a load that failed
 * @param unloads  name to the errno of each unload ("OK" when it unloaded)
 */
record ModprobeReplay(Map<String, ModuleInfo> modules, Map<String, String> failures, Map<String, String> unloads) {

    static ModprobeReplay run(Path tree, List<Path> kernel, List<String> names, List<String> unloads) throws Exception {
        var locator = ModprobeCommand.TreeLocator.of(List.of(tree));
        ElfHeader header;
        try (ElfFile f = ElfFile.open(locator.find(names.getFirst(), List.of(tree)).orElseThrow())) {
            header = f.header();
        }
        var symbols = KernelTables.load(kernel).forObject(header);
        long at = KernelTables.defaultBase(header);
        Map<String, ModuleInfo> modules = new LinkedHashMap<>();
        Map<String, String> failures = new LinkedHashMap<>();
        Map<String, String> out = new LinkedHashMap<>();
        try (ModuleRegistry registry = ModuleRegistry.builder().memory(new HeapMemory(at == 0 ? HeapMemory.DEFAULT_BASE : at))
                .kernelSymbols(symbols).linkPolicy(new PolicyOptions().policy()).locator(locator)
                .searchPath(List.of(tree)).personality(dev.kobj.registry.Personality.LINUX).build()) {
            for (String n : names) {
                try {
                    if (registry.list().stream().noneMatch(i -> i.name().equals(n))) {
                        registry.load(n);
                    }
                } catch (ModuleException e) {
                    failures.put(n, e.getMessage());
                }
            }
            for (ModuleInfo i : registry.list()) {
                modules.put(i.name(), i);
            }
            for (String u : unloads) {
                try {
                    registry.unload(u);
                    out.put(u, "OK");
                } catch (ModuleException e) {
                    out.put(u, e.errno().name());
                }
            }
        }
        return new ModprobeReplay(modules, failures, out);
    }
}
