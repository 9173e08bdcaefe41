package dev.kobj.cli;

import dev.kobj.elf.ElfFile;
import dev.kobj.elf.ElfFormatException;
import dev.kobj.elf.SectionHeader;
import java.io.IOException;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SequencedMap;
import java.util.concurrent.TimeUnit;

/**
 * GNU ld given kobj's placement of one real module: a linker script with one output section
 * per placed input section (renamed {@code .kobj.<index>} by {@link LdModuleInput}) at the
 * address kobj chose, the undefined symbols assigned the addresses kobj resolved them to,
 * {@code --no-relax}. ld's own GOT and PLT, if it makes any, go after the image where they
 * overlap nothing.
 */
final class LdModuleLink {
    private LdModuleLink() {
    }

    /** One placed input section: header index, address, size, NOBITS. */
    record Placed(int index, String name, long address, long size, boolean nobits) {
    }

    /** ld's result: the bytes of each placed section by header index, or the log of a failure. */
    record Result(boolean ok, String log, Map<Integer, byte[]> bytes, List<String> placementErrors, String command) {
    }

    /** {@return ld and its emulation for e_machine} */
    static List<String> command(int machine, boolean littleEndian) {
        return switch (machine) {
            case 62 -> List.of("ld", "-m", "elf_x86_64");
            case 183 -> List.of("aarch64-linux-gnu-ld", littleEndian ? "-EL" : "-EB");
            case 243 -> List.of("riscv64-linux-gnu-ld", "-m", "elf64lriscv");
            default -> throw new IllegalArgumentException("no GNU ld known for e_machine " + machine);
        };
    }

    /** ld's script syntax: names with other characters are quoted. */
    static String quote(String name) {
        return name.matches("[A-Za-z_.$][A-Za-z0-9_.$]*") ? name : "\"" + name.replace("\"", "\\\"") + "\"";
    }

    static String script(List<Placed> placed, SequencedMap<String, Long> symbols, long ldStubs) {
        StringBuilder sb = new StringBuilder("SECTIONS\n{\n");
        for (Placed p : placed) {
            String n = LdModuleInput.name(p.index());
            sb.append(String.format("  %s 0x%x : { KEEP(*(%s)) }%n", n, p.address(), n));
        }
        sb.append(String.format("  .kobj_ld_got 0x%x : { *(.got.plt) *(.got) *(.igot.plt) }%n", ldStubs));
        sb.append(String.format("  .kobj_ld_plt 0x%x : { *(.plt) *(.iplt) *(.plt.got) *(.plt.sec) }%n",
                ldStubs + 0x100000));
        sb.append("}\n");
        for (var e : symbols.entrySet()) {
            sb.append(String.format("%s = 0x%x;%n", quote(e.getKey()), e.getValue()));
        }
        return sb.toString();
    }

    static Result link(ElfFile elf, List<Placed> placed, SequencedMap<String, Long> symbols, long ldStubs, Path dir)
            throws IOException, InterruptedException, ElfFormatException {
        Path input = dir.resolve("in.o");
        Path script = dir.resolve("link.ld");
        Path out = dir.resolve("out.elf");
        java.util.Set<Integer> indexes = new java.util.HashSet<>();
        placed.forEach(p -> indexes.add(p.index()));
        LdModuleInput.write(elf, indexes, input);
        Files.writeString(script, script(placed, symbols, ldStubs));
        List<String> cmd = new ArrayList<>(command(elf.header().machine(), elf.header().littleEndian()));
        cmd.addAll(List.of("--no-relax", "-static", "-nostdlib", "-e", "0", "--no-dynamic-linker", "-z", "norelro",
                "-z", "noexecstack", "--no-warn-rwx-segments", "--no-warn-execstack", "-T", script.toString(),
                "-o", out.toString(), input.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).directory(dir.toFile());
        pb.environment().put("LC_ALL", "C");
        Process proc = pb.start();
        String log = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!proc.waitFor(300, TimeUnit.SECONDS)) {
            proc.destroyForcibly();
            throw new IOException("ld timed out: " + String.join(" ", cmd));
        }
        String shown = String.join(" ", cmd);
        if (proc.exitValue() != 0) {
            return new Result(false, log, Map.of(), List.of(), shown);
        }
        Map<Integer, byte[]> bytes = new HashMap<>();
        List<String> errors = new ArrayList<>();
        try (ElfFile linked = ElfFile.open(out)) {
            for (Placed p : placed) {
                if (p.size() == 0) {
                    continue;
                }
                SectionHeader os = linked.section(LdModuleInput.name(p.index())).orElse(null);
                if (os == null) {
                    errors.add("ld's output has no section for " + p.name() + " (" + p.index() + ")");
                    continue;
                }
                if (os.addr() != p.address() || os.size() != p.size()) {
                    errors.add(String.format("%s (%d): kobj 0x%x size 0x%x, ld 0x%x size 0x%x", p.name(), p.index(),
                            p.address(), p.size(), os.addr(), os.size()));
                    continue;
                }
                if (!p.nobits()) {
                    bytes.put(p.index(), linked.contents(os).toArray(ValueLayout.JAVA_BYTE));
                }
            }
        }
        return new Result(true, log, bytes, errors, shown);
    }
}
