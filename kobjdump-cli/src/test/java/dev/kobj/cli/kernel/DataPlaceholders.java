package dev.kobj.cli.kernel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/**
 * For a kernel whose /proc/kallsyms lists text only (Debian's 6.1 arm64: no
 * CONFIG_KALLSYMS_ALL), a System.map-format file giving every vmlinux export of Module.symvers
 * that kallsyms lacks (its data symbols) one placeholder address: kallsyms' {@code _stext}, a
 * real kernel address in reach of every module relocation. The placement the kernel chose does
 * not depend on these values, so sections and symbols can be compared; the words that refer to
 * such a symbol cannot, and are counted apart.
 */
public final class DataPlaceholders {
    private DataPlaceholders() {
    }

    /** {@return whether the kernel's /proc/kallsyms lists data symbols (CONFIG_KALLSYMS_ALL)} */
    public static boolean kallsymsAll(KernelImage kernel) throws IOException {
        return Files.readAllLines(kernel.dir().resolve("config")).contains("CONFIG_KALLSYMS_ALL=y");
    }

    /**
     * For the same kernels, the data symbols that loaded modules export (Module.symvers), at
     * their real addresses: the kernel's sysfs address of the symbol's section in the exporting
     * module plus the symbol's st_value in that module's ELF symbol table, written to {@code out}
     * in System.map format; {@return how many}. A module that links against them gets the
     * addresses the kernel resolved (ADRP reaches them, as in the guest).
     */
    public static int moduleData(KernelImage kernel, String kallsyms, GuestReport report, ModuleTree tree, Path out)
            throws Exception {
        Set<String> known = new HashSet<>();
        for (String l : kallsyms.split("\n")) {
            String[] f = l.trim().split("\\s+");
            if (f.length >= 3) {
                known.add(f[2]);
            }
        }
        java.util.Map<String, Set<String>> exports = new java.util.HashMap<>();
        for (String l : Files.readAllLines(kernel.symvers())) {
            String[] f = l.split("\t");
            if (f.length >= 3 && !f[2].equals("vmlinux")) {
                exports.computeIfAbsent(ModuleTree.name(f[2]), k -> new HashSet<>()).add(f[1]);
            }
        }
        StringBuilder s = new StringBuilder();
        int n = 0;
        for (var d : report.dumps.entrySet()) {
            Set<String> ex = exports.getOrDefault(d.getKey(), Set.of());
            if (ex.isEmpty() || !tree.has(d.getKey())) {
                continue;
            }
            try (dev.kobj.elf.ElfFile f = dev.kobj.elf.ElfFile.of(d.getKey(), KernelOracle.moduleBytes(tree.file(d.getKey())))) {
                var table = f.symbolTable();
                if (table.isEmpty()) {
                    continue;
                }
                for (dev.kobj.elf.ElfSymbol sym : table.get().all()) {
                    if (sym.bind() == 0 || sym.isUndefined() || !ex.contains(sym.name()) || known.contains(sym.name())
                            || sym.shndx() >= f.sections().size()) {
                        continue;
                    }
                    Long at = d.getValue().sections().get(f.sections().get((int) sym.shndx()).name());
                    if (at != null) {
                        s.append(String.format("%016x D %s%n", at + sym.value(), sym.name()));
                        n++;
                    }
                }
            }
        }
        Files.writeString(out, s);
        return n;
    }

    /** Writes the placeholders to {@code out}; {@return how many} */
    public static int write(KernelImage kernel, String kallsyms, Path out) throws IOException {
        Set<String> known = new HashSet<>();
        String stext = null;
        for (String l : kallsyms.split("\n")) {
            String[] f = l.trim().split("\\s+");
            if (f.length >= 3) {
                known.add(f[2]);
                if (f[2].equals("_stext")) {
                    stext = f[0];
                }
            }
        }
        if (stext == null) {
            throw new IOException("no _stext in the guest's kallsyms");
        }
        StringBuilder s = new StringBuilder();
        int n = 0;
        for (String l : Files.readAllLines(kernel.symvers())) {
            String[] f = l.split("\t");
            if (f.length >= 3 && f[2].equals("vmlinux") && !known.contains(f[1])) {
                s.append(stext).append(" D ").append(f[1]).append('\n');
                n++;
            }
        }
        Files.writeString(out, s);
        return n;
    }
}
