package dev.kobj.reloc.oracle;

import dev.kobj.elf.ElfFile;
import dev.kobj.elf.SectionHeader;
import java.io.File;
import java.io.IOException;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * GNU ld as the oracle: the same object linked with {@code --no-relax} and a generated linker
 * script that gives every name group of {@link Placement} its own output section at the
 * address kobj chose, undefined symbols defined by {@code --defsym} at the plan's addresses.
 */
final class GnuLd {

    /** ld's view of one link: the bytes of each input section as placed, or why it failed. */
    record Result(boolean ok, String log, Map<Integer, byte[]> bytesBySection, List<String> placementErrors,
            List<Truncation> truncations, String command) {
    }

    /** ld's "(.text+0x1f): relocation truncated to fit: R_X86_64_32 against ..." */
    record Truncation(String section, long offset, String type, String line) {
    }

    static final String GOT_OUTPUT = ".kobj_ld_got";
    static final String PLT_OUTPUT = ".kobj_ld_plt";

    /** {@return the ld program for an objects.tsv arch, and the emulation options it needs} */
    static List<String> command(String arch) {
        return switch (arch) {
            case "x86_64" -> List.of("ld", "-m", "elf_x86_64");
            case "aarch64" -> List.of("aarch64-linux-gnu-ld", "-EL");
            case "aarch64_be" -> List.of("aarch64-linux-gnu-ld", "-EB");
            case "aarch64_ilp32" -> List.of("aarch64-linux-gnu-ld", "-m", "aarch64linux32");
            case "aarch64_be_ilp32" -> List.of("aarch64-linux-gnu-ld", "-m", "aarch64linux32b");
            case "riscv64" -> List.of("riscv64-linux-gnu-ld", "-m", "elf64lriscv");
            case "riscv32" -> List.of("riscv64-linux-gnu-ld", "-m", "elf32lriscv");
            default -> throw new IllegalArgumentException("no GNU ld known for " + arch);
        };
    }

    /** {@return the program found on PATH, if any} */
    static Optional<Path> find(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path p = Path.of(dir, program);
            if (Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** ld's script syntax: a name with wildcard or other odd characters is quoted (no globbing then). */
    static String sectionPattern(String name) {
        return name.matches("[A-Za-z0-9_.$-]+") ? name : "\"" + name.replace("\"", "\\\"") + "\"";
    }

    static String script(Placement pl, long ldGot, long ldPlt) {
        StringBuilder sb = new StringBuilder("SECTIONS\n{\n");
        int done = -1;
        for (Placement.Placed p : pl.placed) {
            if (p.group() == done) {
                continue;
            }
            done = p.group();
            sb.append(String.format("  .k%d 0x%x : { KEEP(*(%s)) }%n", p.group(), p.address(),
                    sectionPattern(pl.groupNames.get(p.group()))));
        }
        // Where ld puts the GOT and PLT it makes for GOT-using objects: after the sections,
        // never overlapping them (their bytes are not compared; see GotFollow).
        sb.append(String.format("  %s 0x%x : { *(.got.plt) *(.got) *(.igot.plt) }%n", GOT_OUTPUT, ldGot));
        sb.append(String.format("  %s 0x%x : { *(.plt) *(.iplt) *(.plt.got) *(.plt.sec) }%n", PLT_OUTPUT, ldPlt));
        sb.append("}\n");
        return sb.toString();
    }

    private static final Pattern MAP_ONE_LINE = Pattern.compile("^ (\\S+)\\s+0x([0-9a-f]+)\\s+0x([0-9a-f]+)\\s+(\\S.*)$");
    private static final Pattern MAP_NAME_ONLY = Pattern.compile("^ (\\S+)$");
    private static final Pattern MAP_ADDR_ONLY = Pattern.compile("^\\s{2,}0x([0-9a-f]+)\\s+0x([0-9a-f]+)\\s+(\\S.*)$");
    private static final Pattern TRUNCATED = Pattern.compile(
            "\\(([^()+]+)\\+0x([0-9a-f]+)\\): relocation truncated to fit: (R_\\S+)");

    /** One input section line of ld's map file. */
    record MapEntry(String name, long address, long size) {
    }

    /** Reads the input sections of {@code object} from ld's -Map output, in output order. */
    static List<MapEntry> parseMap(List<String> lines, String object) {
        List<MapEntry> out = new ArrayList<>();
        boolean started = false;
        String pending = null;
        for (String line : lines) {
            if (!started) {
                started = line.startsWith("Linker script and memory map");
                continue;
            }
            Matcher m;
            if (pending != null && (m = MAP_ADDR_ONLY.matcher(line)).matches()) {
                if (m.group(3).trim().equals(object)) {
                    out.add(new MapEntry(pending, Long.parseUnsignedLong(m.group(1), 16),
                            Long.parseUnsignedLong(m.group(2), 16)));
                }
                pending = null;
                continue;
            }
            pending = null;
            if ((m = MAP_ONE_LINE.matcher(line)).matches()) {
                if (m.group(4).trim().equals(object)) {
                    out.add(new MapEntry(m.group(1), Long.parseUnsignedLong(m.group(2), 16),
                            Long.parseUnsignedLong(m.group(3), 16)));
                }
            } else if ((m = MAP_NAME_ONLY.matcher(line)).matches()) {
                pending = m.group(1);
            }
        }
        return out;
    }

    static Result link(Placement pl, String arch, Path objectFile, Path dir, long ldGot, long ldPlt)
            throws IOException, InterruptedException {
        Path script = dir.resolve("link.ld");
        Path out = dir.resolve("out.elf");
        Path map = dir.resolve("out.map");
        Files.writeString(script, script(pl, ldGot, ldPlt));
        List<String> cmd = new ArrayList<>(command(arch));
        cmd.addAll(List.of("--no-relax", "-static", "-nostdlib", "-e", "0", "--no-dynamic-linker", "-z", "norelro",
                "-z", "noexecstack", "--no-warn-rwx-segments", "--no-warn-execstack", "-T", script.toString(),
                "-Map", map.toString(), "-o", out.toString()));
        for (var e : pl.undefined.entrySet()) {
            cmd.add("--defsym");
            cmd.add(e.getKey() + "=0x" + Long.toHexString(e.getValue()));
        }
        String obj = objectFile.toString();
        cmd.add(obj);
        Process proc = new ProcessBuilder(cmd).redirectErrorStream(true).directory(dir.toFile()).start();
        String log = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!proc.waitFor(120, TimeUnit.SECONDS)) {
            proc.destroyForcibly();
            throw new IOException("ld timed out: " + String.join(" ", cmd));
        }
        String shown = String.join(" ", cmd);
        if (proc.exitValue() != 0) {
            List<Truncation> tr = new ArrayList<>();
            for (String line : log.split("\n")) {
                Matcher m = TRUNCATED.matcher(line);
                if (m.find()) {
                    tr.add(new Truncation(m.group(1), Long.parseUnsignedLong(m.group(2), 16), m.group(3), line.trim()));
                }
            }
            return new Result(false, log, Map.of(), List.of(), tr, shown);
        }
        // Did ld put each input section where we asked?
        List<String> placementErrors = new ArrayList<>();
        Map<String, List<MapEntry>> mapped = new LinkedHashMap<>();
        for (MapEntry e : parseMap(Files.readAllLines(map), obj)) {
            if (e.size() > 0) {
                mapped.computeIfAbsent(e.name(), k -> new ArrayList<>()).add(e);
            }
        }
        Map<String, Integer> seen = new HashMap<>();
        Map<Integer, Long> ldAddress = new HashMap<>();
        for (Placement.Placed p : pl.placed) {
            if (p.section().size() == 0) {
                continue;
            }
            String name = p.section().name();
            int k = seen.merge(name, 1, Integer::sum) - 1;
            List<MapEntry> l = mapped.getOrDefault(name, List.of());
            if (k >= l.size()) {
                placementErrors.add("ld's map has no input section " + name + " #" + k + " (section " + p.section().index() + ")");
                continue;
            }
            MapEntry e = l.get(k);
            ldAddress.put(p.section().index(), e.address());
            if (e.address() != p.address() || e.size() != p.section().size()) {
                placementErrors.add(String.format("section %d (%s): kobj placed 0x%x size 0x%x, ld 0x%x size 0x%x",
                        p.section().index(), name, p.address(), p.section().size(), e.address(), e.size()));
            }
        }
        // The bytes of each input section in ld's output.
        Map<Integer, byte[]> bytes = new HashMap<>();
        try (ElfFile linked = ElfFile.open(out)) {
            for (Placement.Placed p : pl.placed) {
                Long at = ldAddress.get(p.section().index());
                if (at == null || p.section().isNobits()) {
                    continue;
                }
                SectionHeader os = linked.section(".k" + p.group()).orElse(null);
                if (os == null) {
                    placementErrors.add("ld's output has no section .k" + p.group() + " for " + p.section().name());
                    continue;
                }
                long off = at - os.addr();
                if (os.isNobits() || off < 0 || off + p.section().size() > os.size()) {
                    placementErrors.add(String.format("section %s at 0x%x lies outside ld's %s (0x%x, 0x%x bytes%s)",
                            p.section().name(), at, os.name(), os.addr(), os.size(), os.isNobits() ? ", NOBITS" : ""));
                    continue;
                }
                bytes.put(p.section().index(),
                        linked.contents(os).asSlice(off, p.section().size()).toArray(ValueLayout.JAVA_BYTE));
            }
        } catch (dev.kobj.elf.ElfFormatException e) {
            throw new IOException(e);
        }
        return new Result(true, log, bytes, placementErrors, List.of(), shown);
    }
}
