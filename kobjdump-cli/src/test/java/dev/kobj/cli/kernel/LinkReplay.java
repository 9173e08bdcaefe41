package dev.kobj.cli.kernel;

import dev.kobj.cli.KobjDump;
import dev.kobj.elf.ElfFile;
import dev.kobj.elf.ElfSymbol;
import dev.kobj.elf.SectionHeader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Replays one load of the real kernel with kobj: {@code kobjdump link} of the same module at the
 * bases the kernel chose (per region: {@code --layout linux-6.1|linux-6.4 --base REGION=ADDR},
 * falling back to {@code --base CORE} while kobjdump has no --layout) against the guest's
 * /proc/kallsyms (Debian's image packages carry a placeholder System.map), then compares every section address (sysfs), every
 * kallsyms symbol address and the peeked bytes with kobj's image.
 */
public final class LinkReplay {
    /** What was compared for one module, and every difference (one line each). */
    public record Result(String module, String linkMode, int sections, int sectionsAgree, int symbols,
            int symbolsAgree, int words, int wordsAgree, Map<String, Integer> rewritten, List<String> differences,
            String linkError) {
        public boolean allAgree() {
            return linkError == null && sections == sectionsAgree && symbols == symbolsAgree;
        }
    }

    private LinkReplay() {
    }

    public static Result replay(KernelImage kernel, Path moduleFile, String name, GuestReport.Dump dump,
            GuestReport.ProcModule proc, List<GuestReport.Kallsym> kallsyms, Path kallsymsFile, Path work)
            throws Exception {
        Path ko = work.resolve(name + ".ko");
        Files.write(ko, KernelOracle.moduleBytes(moduleFile));
        List<SectionHeader> inSections;
        java.util.OptionalLong percpu;
        try (ElfFile in = ElfFile.open(ko)) {
            inSections = in.sections();
            percpu = PerCpuBase.of(in, kallsyms);
        }
        Map<String, Long> bases = KernelRegions.bases(inSections, dump.sections(), proc.base(), kernel.modMem());
        if (percpu.isPresent()) {
            bases.put("percpu", percpu.getAsLong()); // the kernel's per-CPU address (kallsyms)
        }
        Path out = work.resolve(name + ".elf");
        List<String> kernelArgs = new ArrayList<>(List.of("--kernel", kallsymsFile.toString()));
        Path placeholders = kallsymsFile.resolveSibling("data-placeholders.map");
        boolean usesPlaceholders = Files.isRegularFile(placeholders);
        if (usesPlaceholders) {
            kernelArgs.addAll(List.of("--kernel", placeholders.toString()));
        }
        Path moduleData = kallsymsFile.resolveSibling("module-data.map");
        if (Files.isRegularFile(moduleData)) {
            kernelArgs.addAll(List.of("--kernel", moduleData.toString()));
        }
        if (Files.isRegularFile(kernel.symvers())) {
            kernelArgs.addAll(List.of("--kernel", kernel.symvers().toString()));
        }
        List<String> args = new ArrayList<>(List.of("link"));
        args.addAll(kernelArgs);
        if (kernel.arch().equals("arm64")) {
            args.add("--no-erratum-843419"); // qemu -cpu max: the kernel applies no 843419 workaround
        }
        args.addAll(List.of("--layout", kernel.modMem() ? "linux-6.4" : "linux-6.1"));
        for (var b : bases.entrySet()) {
            args.add("--base");
            args.add(b.getKey() + "=0x" + Long.toHexString(b.getValue()));
        }
        args.addAll(List.of("-o", out.toString(), ko.toString()));
        String mode = "layout";
        String[] r = run(args);
        if (!r[0].equals("0") && (r[2].contains("--layout") || r[2].contains("Unknown option")
                || r[2].contains("Invalid value"))) {
            mode = "core-base";
            List<String> core = new ArrayList<>(List.of("link"));
            core.addAll(kernelArgs);
            core.addAll(List.of("--base", "0x" + Long.toHexString(proc.base()), "-o", out.toString(), ko.toString()));
            r = run(core);
        }
        if (!r[0].equals("0")) {
            return new Result(name, mode, dump.sections().size(), 0, kallsyms.size(), 0, 0, 0, Map.of(), List.of(),
                    r[2].strip().replace('\n', ' '));
        }
        return compare(name, mode, out, dump, kallsyms, usesPlaceholders);
    }

    private static String[] run(List<String> args) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        int rc = KobjDump.run(args.toArray(String[]::new), new PrintStream(o, true, StandardCharsets.UTF_8),
                new PrintStream(e, true, StandardCharsets.UTF_8));
        return new String[] {Integer.toString(rc), o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8)};
    }

    static Result compare(String name, String mode, Path image, GuestReport.Dump dump,
            List<GuestReport.Kallsym> kallsyms, boolean placeholders) throws Exception {
        List<String> diffs = new ArrayList<>();
        Map<String, Integer> rewritten = new HashMap<>();
        int secAgree = 0;
        int symAgree = 0;
        int words = 0;
        int wordsAgree = 0;
        try (ElfFile f = ElfFile.open(image)) {
            Map<String, SectionHeader> placed = new HashMap<>();
            for (SectionHeader s : f.sections()) {
                // placed: allocated (the kernel's init copies of .symtab and .strtab too: the
                // kernel sets SHF_ALLOC on them, and so does kobj's image)
                if (s.isAlloc()) {
                    placed.putIfAbsent(s.name(), s);
                }
            }
            for (var e : dump.sections().entrySet()) {
                SectionHeader s = placed.get(e.getKey());
                if (s == null) {
                    diffs.add("section " + e.getKey() + ": kernel 0x" + Long.toHexString(e.getValue()) + ", kobj none");
                } else if (s.addr() != e.getValue()) {
                    diffs.add("section " + e.getKey() + ": kernel 0x" + Long.toHexString(e.getValue()) + ", kobj 0x"
                            + Long.toHexString(s.addr()) + " (" + signed(s.addr() - e.getValue()) + ")");
                } else {
                    secAgree++;
                }
            }
            Map<String, Set<Long>> syms = new HashMap<>();
            var st = f.symbolTable();
            if (st.isPresent()) {
                for (ElfSymbol s : st.get().all()) {
                    syms.computeIfAbsent(s.name(), k -> new HashSet<>()).add(s.value());
                }
            }
            for (GuestReport.Kallsym k : kallsyms) {
                Set<Long> at = syms.get(k.name());
                if (at != null && at.contains(k.address())) {
                    symAgree++;
                } else {
                    diffs.add("symbol " + k.name() + " (" + k.type() + "): kernel 0x" + Long.toHexString(k.address())
                            + ", kobj " + (at == null ? "none" : at.stream().map(a -> "0x" + Long.toHexString(a)).toList()));
                }
            }
            for (var e : dump.peeks().entrySet()) {
                SectionHeader s = placed.get(e.getKey());
                if (s == null || s.addr() != e.getValue().address() || s.isNobits()) {
                    continue;
                }
                byte[] guest = e.getValue().bytes();
                var mine = f.contents(s);
                long n = Math.min(guest.length, mine.byteSize());
                int bad = 0;
                for (long w = 0; w < n; w += 8) {
                    words++;
                    boolean same = true;
                    for (long b = w; b < Math.min(n, w + 8); b++) {
                        same &= mine.get(ValueLayout.JAVA_BYTE, b) == guest[(int) b];
                    }
                    if (same) {
                        wordsAgree++;
                    } else {
                        bad++;
                        if (bad <= 4 && RewrittenWords.category(s) == null && secAgree == dump.sections().size()
                                && !placeholders) {
                            diffs.add("bytes " + e.getKey() + "+0x" + Long.toHexString(w) + ": kernel "
                                    + hex(guest, (int) w, (int) Math.min(8, n - w)) + ", kobj "
                                    + hex(mine.asSlice(w, Math.min(8, n - w)).toArray(ValueLayout.JAVA_BYTE), 0,
                                            (int) Math.min(8, n - w)));
                        }
                    }
                }
                if (bad > 0) {
                    String cat = RewrittenWords.category(s);
                    if (cat == null && secAgree < dump.sections().size()) {
                        cat = "follows a section placed elsewhere";
                    } else if (cat == null && placeholders) {
                        cat = "may refer to a data symbol kallsyms does not list (placeholder)";
                    }
                    rewritten.merge(cat == null ? "unexplained:" + e.getKey() : cat + ":" + e.getKey(), bad, Integer::sum);
                }
            }
        }
        return new Result(name, mode, dump.sections().size(), secAgree, kallsyms.size(), symAgree, words, wordsAgree,
                rewritten, diffs, null);
    }

    private static String signed(long d) {
        return d < 0 ? "-0x" + Long.toHexString(-d) : "+0x" + Long.toHexString(d);
    }

    private static String hex(byte[] b, int off, int len) {
        StringBuilder s = new StringBuilder();
        for (int i = off; i < off + len; i++) {
            s.append(String.format("%02x", b[i]));
        }
        return s.toString();
    }
}
