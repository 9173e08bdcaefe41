package dev.kobj.testkit;

import dev.kobj.elf.ElfFile;
import dev.kobj.elf.ElfFormatException;
import dev.kobj.elf.ElfHeader;
import dev.kobj.elf.SectionHeader;
import java.io.IOException;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SequencedMap;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * GNU ld as the oracle of relocation and linking: an object linked with {@code --no-relax}
 * and a generated linker script that puts its sections where a placement says, undefined
 * symbols at the placement's addresses, and the bytes of every placed section read back from
 * ld's output. Two ways to say where:
 * <ul>
 * <li>{@link #link}: this kit's {@link Placement} (one output section per name group, since
 *     ld's script language selects input sections by name), checked in ld's map file;</li>
 * <li>{@link #linkEach}: any placement, kobj's own included (each placed section renamed in
 *     ld's copy, {@link LdInput#writeRenamed}, and given its own output section).</li>
 * </ul>
 * ld's own GOT and PLT, if it makes any, go after the image where they overlap nothing.
 */
public final class GnuLd {
    private GnuLd() {
    }

    /** ld's view of one link: the bytes of each input section as placed (by header index), or why it failed. */
    public record Result(boolean ok, String log, Map<Integer, byte[]> bytesBySection, List<String> placementErrors,
            List<Truncation> truncations, String command) {
    }

    /** ld's "(.text+0x1f): relocation truncated to fit: R_X86_64_32 against ..." */
    public record Truncation(String section, long offset, String type, String line) {
    }

    /** One placed input section, for {@link #linkEach}: header index, name, address, size, NOBITS. */
    public record Section(int index, String name, long address, long size, boolean nobits) {
    }

    /** The output sections ld's own GOT and PLT go to. */
    public static final String GOT_OUTPUT = ".kobj_ld_got";
    public static final String PLT_OUTPUT = ".kobj_ld_plt";

    /** The options of every link: no relaxation, nothing but the object, no program-header warnings. */
    static final List<String> OPTIONS = List.of("--no-relax", "-static", "-nostdlib", "-e", "0",
            "--no-dynamic-linker", "-z", "norelro", "-z", "noexecstack", "--no-warn-rwx-segments",
            "--no-warn-execstack");

    private static final Duration TIMEOUT = Duration.ofSeconds(300);

    /** {@return the ld program for an objects.tsv arch, and the emulation options it needs} */
    public static List<String> command(String arch) {
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

    /** {@return the objects.tsv arch of an object with this header} */
    public static String arch(ElfHeader h) {
        String ilp32 = h.is64() ? "" : "_ilp32";
        return switch (h.machine()) {
            case 62 -> "x86_64";
            case 183 -> (h.littleEndian() ? "aarch64" : "aarch64_be") + ilp32;
            case 243 -> h.is64() ? "riscv64" : "riscv32";
            default -> throw new IllegalArgumentException("no GNU ld known for e_machine " + h.machine());
        };
    }

    /** ld's script syntax: a section name with wildcard or other odd characters is quoted (no globbing then). */
    public static String sectionPattern(String name) {
        return name.matches("[A-Za-z0-9_.$-]+") ? name : "\"" + name.replace("\"", "\\\"") + "\"";
    }

    /** ld's script syntax: a symbol name with other characters is quoted. */
    static String symbolName(String name) {
        return name.matches("[A-Za-z_.$][A-Za-z0-9_.$]*") ? name : "\"" + name.replace("\"", "\\\"") + "\"";
    }

    /** Where ld puts the GOT and PLT it makes for GOT-using objects: after the sections, never overlapping them. */
    private static void stubOutputs(StringBuilder sb, long ldGot, long ldPlt) {
        sb.append(String.format("  %s 0x%x : { *(.got.plt) *(.got) *(.igot.plt) }%n", GOT_OUTPUT, ldGot));
        sb.append(String.format("  %s 0x%x : { *(.plt) *(.iplt) *(.plt.got) *(.plt.sec) }%n", PLT_OUTPUT, ldPlt));
        sb.append("}\n");
    }

    /** {@return the script of {@link #link}: output section {@code .kN} per name group N of {@code pl}} */
    public static String script(Placement pl, long ldGot, long ldPlt) {
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
        stubOutputs(sb, ldGot, ldPlt);
        return sb.toString();
    }

    private static final Pattern MAP_ONE_LINE = Pattern.compile("^ (\\S+)\\s+0x([0-9a-f]+)\\s+0x([0-9a-f]+)\\s+(\\S.*)$");
    private static final Pattern MAP_NAME_ONLY = Pattern.compile("^ (\\S+)$");
    private static final Pattern MAP_ADDR_ONLY = Pattern.compile("^\\s{2,}0x([0-9a-f]+)\\s+0x([0-9a-f]+)\\s+(\\S.*)$");
    private static final Pattern TRUNCATED = Pattern.compile(
            "\\(([^()+]+)\\+0x([0-9a-f]+)\\): relocation truncated to fit: (R_\\S+)");

    /** One input section line of ld's map file. */
    public record MapEntry(String name, long address, long size) {
    }

    /** Reads the input sections of {@code object} from ld's -Map output, in output order. */
    public static List<MapEntry> parseMap(List<String> lines, String object) {
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

    /** Runs ld ({@link #command} of {@code arch}, {@link #OPTIONS}, then {@code args}) in {@code dir}; stderr merged. */
    private static Tools.Run ld(String arch, Path dir, List<String> args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(command(arch));
        Tools.require(cmd.getFirst());
        cmd.addAll(OPTIONS);
        cmd.addAll(args);
        return Tools.exec(cmd, dir, true, TIMEOUT);
    }

    /**
     * Links {@code objectFile} (ld's copy of {@code pl}'s object, {@link LdInput#write}) as
     * {@code pl} places it, undefined symbols by {@code --defsym}, and checks in ld's map that
     * every input section landed where {@code pl} said.
     */
    public static Result link(Placement pl, String arch, Path objectFile, Path dir, long ldGot, long ldPlt)
            throws IOException, InterruptedException {
        Path script = dir.resolve("link.ld");
        Path out = dir.resolve("out.elf");
        Path map = dir.resolve("out.map");
        Files.writeString(script, script(pl, ldGot, ldPlt));
        List<String> args = new ArrayList<>(List.of("-T", script.toString(), "-Map", map.toString(), "-o",
                out.toString()));
        for (var e : pl.undefined.entrySet()) {
            args.add("--defsym");
            args.add(e.getKey() + "=0x" + Long.toHexString(e.getValue()));
        }
        String obj = objectFile.toString();
        args.add(obj);
        Tools.Run run = ld(arch, dir, args);
        if (!run.ok()) {
            List<Truncation> tr = new ArrayList<>();
            for (String line : run.out().split("\n")) {
                Matcher m = TRUNCATED.matcher(line);
                if (m.find()) {
                    tr.add(new Truncation(m.group(1), Long.parseUnsignedLong(m.group(2), 16), m.group(3), line.trim()));
                }
            }
            return new Result(false, run.out(), Map.of(), List.of(), tr, run.command());
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
        } catch (ElfFormatException e) {
            throw new IOException(e);
        }
        return new Result(true, run.out(), bytes, placementErrors, List.of(), run.command());
    }

    /** {@return the script of {@link #linkEach}: one output section per placed section, then the symbols} */
    static String scriptEach(List<Section> placed, SequencedMap<String, Long> symbols, long ldStubs) {
        StringBuilder sb = new StringBuilder("SECTIONS\n{\n");
        for (Section p : placed) {
            String n = LdInput.name(p.index());
            sb.append(String.format("  %s 0x%x : { KEEP(*(%s)) }%n", n, p.address(), n));
        }
        stubOutputs(sb, ldStubs, ldStubs + 0x100000);
        for (var e : symbols.entrySet()) {
            sb.append(String.format("%s = 0x%x;%n", symbolName(e.getKey()), e.getValue()));
        }
        return sb.toString();
    }

    /**
     * Links {@code elf} with each section of {@code placed} at its address (ld's copy renamed by
     * {@link LdInput#writeRenamed}), the undefined symbols at {@code symbols}' addresses, ld's
     * own GOT at {@code ldStubs} and PLT 1 MiB above it. Every placed section must come out at
     * its address with its size ({@link Result#placementErrors} otherwise).
     */
    public static Result linkEach(ElfFile elf, List<Section> placed, SequencedMap<String, Long> symbols, long ldStubs,
            Path dir) throws IOException, InterruptedException, ElfFormatException {
        Path input = dir.resolve("in.o");
        Path script = dir.resolve("link.ld");
        Path out = dir.resolve("out.elf");
        Set<Integer> indexes = new HashSet<>();
        placed.forEach(p -> indexes.add(p.index()));
        new LdInput().writeRenamed(elf, indexes, input);
        Files.writeString(script, scriptEach(placed, symbols, ldStubs));
        Tools.Run run = ld(arch(elf.header()), dir, List.of("-T", script.toString(), "-o", out.toString(),
                input.toString()));
        if (!run.ok()) {
            return new Result(false, run.out(), Map.of(), List.of(), List.of(), run.command());
        }
        Map<Integer, byte[]> bytes = new HashMap<>();
        List<String> errors = new ArrayList<>();
        try (ElfFile linked = ElfFile.open(out)) {
            for (Section p : placed) {
                if (p.size() == 0) {
                    continue;
                }
                SectionHeader os = linked.section(LdInput.name(p.index())).orElse(null);
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
        return new Result(true, run.out(), bytes, errors, List.of(), run.command());
    }
}
