package dev.kobj.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kobj.elf.Arch;
import dev.kobj.elf.ElfFile;
import dev.kobj.elf.Relocation;
import dev.kobj.elf.RelocationTable;
import dev.kobj.elf.RelocationTypes;
import dev.kobj.link.HeapMemory;
import dev.kobj.link.LinkException;
import dev.kobj.link.LinkRequest;
import dev.kobj.link.Linker;
import dev.kobj.link.LoadPolicy;
import dev.kobj.link.LoadedImage;
import dev.kobj.symtab.KernelSymbolTable;
import dev.kobj.testkit.Corpus;
import dev.kobj.testkit.GnuLd;
import dev.kobj.testkit.Tools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The real-module oracle (issue 4, item 6): every .ko of Debian's 6.1 amd64 and arm64
 * packages and of Debian 13's 6.12 riscv64 package is linked by kobj in heap memory against a table synthesized from the matching
 * Module.symvers, then by GNU ld with the same placement ({@link GnuLd#linkEach}: a generated
 * script putting each input section at kobj's address, undefined symbols at kobj's
 * addresses, --no-relax); every placed section's bytes must be equal.
 *
 * <p>Runs in the Maven profile {@code corpus}. System properties: {@code kobj.corpus.ld.sample}
 * (link every n-th module of each architecture; default 1, the whole corpus) and
 * {@code kobj.corpus.ld.threads} (default: the available processors). The report goes to
 * stdout and to {@code target/corpus-ld-oracle.txt}.
 *
 * <p>One difference is accepted and counted apart: on arm64 kobj applies Linux's Cortex-A53
 * erratum 843419 workaround (an ADRP at page offset 0xff8/0xffc becomes {@code ADR Xd,
 * Page(S+A)}), which ld does not without --fix-cortex-a53-843419; such a word is equivalent
 * when ld's ADRP and kobj's ADR write the same register with the same address. When the ADR
 * does not reach, kobj (as Linux) puts a B to a veneer there instead; that word is equivalent
 * when the veneer's ADRP writes ld's register with ld's page and its B returns to the next
 * instruction (decoded here). kobj also raises code sections' alignment as Linux does so that
 * few ADRPs land there; ld is given the same placement.
 */
class CorpusLdOracleTest {

    /** What the kernel itself refuses a module for. */
    static final Set<LinkException.Kind> KERNEL_REFUSALS = EnumSet.of(LinkException.Kind.UNRESOLVED,
            LinkException.Kind.CRC_MISMATCH, LinkException.Kind.MISSING_VERSIONS,
            LinkException.Kind.VERMAGIC_MISMATCH, LinkException.Kind.GPL_ONLY,
            LinkException.Kind.NAMESPACE_NOT_IMPORTED, LinkException.Kind.COMMON_SYMBOL,
            LinkException.Kind.NOT_A_MODULE, LinkException.Kind.WRITABLE_EXECUTABLE);

    enum Status {
        IDENTICAL, DIFFERENT, REFUSED, LD_FAILED, ERROR
    }

    record Outcome(Path module, String arch, Status status, String detail, LinkException.Kind kind, long relocations,
            int sections, int erratumWords, int veneerWords, long kobjNanos, long ldNanos) {
    }

    @Test
    void everyDebianModuleLinksAsGnuLdDoes() throws Exception {
        Map<String, Arch> arches = new LinkedHashMap<>();
        for (String a : Corpus.arches()) {
            arches.put(a, Corpus.arch(a));
        }
        for (var a : arches.entrySet()) {
            Corpus.require(a.getKey());
            Tools.require(GnuLd.command(a.getValue().displayName()).getFirst());
        }
        int sample = Math.max(1, Integer.getInteger("kobj.corpus.ld.sample", 1));
        int threads = Integer.getInteger("kobj.corpus.ld.threads", Runtime.getRuntime().availableProcessors());
        long t0 = System.nanoTime();
        List<Outcome> outcomes = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            for (var a : arches.entrySet()) {
                Path root = Corpus.root().resolve(a.getKey());
                KernelSymbolTable table = KernelSymbolTable.synthesize(
                        KernelSymbolTable.read(root.resolve("Module.symvers")), a.getValue(), true);
                List<Path> kos;
                try (Stream<Path> s = Files.walk(root.resolve("lib"))) {
                    kos = s.filter(Trees.MODULES).sorted().toList();
                }
                assertThat(kos).as(a.getKey() + " modules").hasSizeGreaterThan(1000);
                List<Future<Outcome>> fs = new ArrayList<>();
                for (int i = 0; i < kos.size(); i += sample) {
                    Path ko = kos.get(i);
                    fs.add(pool.submit(() -> compare(ko, a.getKey(), table)));
                }
                for (Future<Outcome> f : fs) {
                    outcomes.add(f.get());
                }
            }
        } finally {
            pool.shutdownNow();
        }
        double wall = (System.nanoTime() - t0) / 1e9;
        String report = report(outcomes, wall, threads, sample);
        System.out.println(report);
        Path target = Paths.get("target");
        if (Files.isDirectory(target)) {
            Files.writeString(target.resolve("corpus-ld-oracle.txt"), report);
        }
        assertThat(outcomes.stream().filter(o -> o.status() == Status.DIFFERENT).map(Outcome::detail))
                .as("modules whose bytes differ from GNU ld's").isEmpty();
        assertThat(outcomes.stream().filter(o -> o.status() == Status.LD_FAILED || o.status() == Status.ERROR)
                .map(Outcome::detail)).as("modules GNU ld or the harness could not link").isEmpty();
        assertThat(outcomes.stream().filter(o -> o.status() == Status.REFUSED && !KERNEL_REFUSALS.contains(o.kind()))
                .map(Outcome::detail)).as("refusals for reasons the kernel would not refuse").isEmpty();
    }

    static Outcome compare(Path ko, String arch, KernelSymbolTable table) {
        long k0 = System.nanoTime();
        try (ElfFile elf = ElfFile.open(ko)) {
            long base = KernelTables.defaultBase(elf.header());
            LinkRequest request = LinkRequest.builder(new HeapMemory(base)).symbols(table).base(base)
                    .policy(LoadPolicy.defaults()).build();
            LoadedImage image;
            try {
                image = Linker.link(elf, request);
            } catch (LinkException e) {
                return new Outcome(ko, arch, Status.REFUSED, Fmt.oneLine(e.getMessage()), e.kind(), 0, 0, 0,
                        0, System.nanoTime() - k0, 0);
            }
            try (image) {
                long kobjNanos = System.nanoTime() - k0;
                List<GnuLd.Section> placed = new ArrayList<>();
                for (LoadedImage.PlacedSection p : image.sections()) {
                    if (!p.header().isAlloc() || p.header().type() != image.object().section(p.index()).type()) {
                        continue; // the kernel's .symtab/.strtab copy, or a stub section the kernel resized
                    }
                    placed.add(new GnuLd.Section(p.index(), p.name(), p.address(), p.size(), p.nobits()));
                }
                var symbols = new LinkedHashMap<String, Long>();
                for (LoadedImage.LinkedSymbol s : image.symbols()) {
                    if (s.wasUndefined() && (s.source() == LoadedImage.Source.LOOKUP
                            || s.source() == LoadedImage.Source.BINDING)) {
                        symbols.putIfAbsent(s.name(), s.address());
                    }
                }
                long end = 0;
                for (LoadedImage.Region r : image.regions()) {
                    end = Math.max(end, r.address() + r.size());
                }
                long l0 = System.nanoTime();
                Path dir = Files.createTempDirectory("kobj-ld-");
                GnuLd.Result ld;
                try {
                    ld = GnuLd.linkEach(elf, placed, symbols, end + 0x100000, dir);
                } finally {
                    deleteTree(dir);
                }
                long ldNanos = System.nanoTime() - l0;
                if (!ld.ok()) {
                    return new Outcome(ko, arch, Status.LD_FAILED, ko + ": ld failed: " + Fmt.oneLine(ld.log()), null,
                            image.relocationCount(), placed.size(), 0, 0, kobjNanos, ldNanos);
                }
                if (!ld.placementErrors().isEmpty()) {
                    return new Outcome(ko, arch, Status.ERROR, ko + ": placement: " + ld.placementErrors(), null,
                            image.relocationCount(), placed.size(), 0, 0, kobjNanos, ldNanos);
                }
                List<String> diffs = new ArrayList<>();
                int erratum = 0;
                int veneered = 0;
                boolean aarch64 = elf.header().machine() == 183;
                for (LoadedImage.PlacedSection p : image.sections()) {
                    byte[] theirs = ld.bytesBySection().get(p.index());
                    if (theirs == null) {
                        continue;
                    }
                    byte[] ours = image.read(p.address(), (int) p.size());
                    for (int off = 0; off < ours.length; off++) {
                        if (ours[off] == theirs[off]) {
                            continue;
                        }
                        int word = off & ~3;
                        if (aarch64 && erratumEquivalent(ours, theirs, word, p.address() + word)) {
                            erratum++;
                            off = word + 3;
                            continue;
                        }
                        if (aarch64 && veneerEquivalent(image, ours, theirs, word, p.address() + word)) {
                            veneered++;
                            off = word + 3;
                            continue;
                        }
                        diffs.add(describe(elf, p, off, ours, theirs));
                        off = word + 7; // one report per relocated field, more or less
                        if (diffs.size() >= 5) {
                            break;
                        }
                    }
                    if (diffs.size() >= 5) {
                        break;
                    }
                }
                Status st = diffs.isEmpty() ? Status.IDENTICAL : Status.DIFFERENT;
                return new Outcome(ko, arch, st, diffs.isEmpty() ? "" : ko + ":\n      " + String.join("\n      ", diffs),
                        null, image.relocationCount(), placed.size(), erratum, veneered, kobjNanos, ldNanos);
            }
        } catch (Exception | StackOverflowError e) {
            return new Outcome(ko, arch, Status.ERROR, ko + ": " + e, null, 0, 0, 0, 0, System.nanoTime() - k0, 0);
        }
    }

    private static int le32(byte[] b, int off) {
        return (b[off] & 0xff) | (b[off + 1] & 0xff) << 8 | (b[off + 2] & 0xff) << 16 | (b[off + 3] & 0xff) << 24;
    }

    /** ADR/ADRP immediate: immhi (bits 5-23) : immlo (bits 29-30), 21 bits signed. */
    private static long adrImm(int insn) {
        long imm = ((insn >>> 5) & 0x7ffffL) << 2 | ((insn >>> 29) & 3);
        return imm << 43 >> 43;
    }

    /** kobj's ADR (erratum 843419) and ld's ADRP, at a page offset ≥ 0xff8, name the same register and page. */
    static boolean erratumEquivalent(byte[] ours, byte[] theirs, int word, long place) {
        if ((place & 0xfff) < 0xff8 || word + 4 > ours.length) {
            return false;
        }
        int adr = le32(ours, word);
        int adrp = le32(theirs, word);
        if ((adr & 0x9f000000) != 0x10000000 || (adrp & 0x9f000000) != 0x90000000 || (adr & 0x1f) != (adrp & 0x1f)) {
            return false;
        }
        return place + adrImm(adr) == (place & ~0xfffL) + (adrImm(adrp) << 12);
    }

    /** B, BL: imm26 × 4, signed. */
    private static long branch26(int insn) {
        return ((long) insn << 38) >> 36;
    }

    /**
     * kobj's erratum 843419 veneer and ld's ADRP, at a page offset ≥ 0xff8: kobj's word is a B to a
     * veneer whose first instruction is an ADRP of ld's register giving ld's page (from the
     * veneer's own page) and whose second is a B back to the instruction after the place.
     */
    static boolean veneerEquivalent(LoadedImage image, byte[] ours, byte[] theirs, int word, long place) {
        if ((place & 0xfff) < 0xff8 || word + 4 > ours.length) {
            return false;
        }
        int b = le32(ours, word);
        int adrp = le32(theirs, word);
        if ((b & 0xfc000000) != 0x14000000 || (adrp & 0x9f000000) != 0x90000000) {
            return false;
        }
        long veneer = place + branch26(b);
        boolean inVeneers = image.stubs().stream().anyMatch(st -> st.kind() == LoadedImage.StubKind.VENEER
                && veneer >= st.address() && veneer + 8 <= st.address() + st.size());
        if (!inVeneers) {
            return false;
        }
        byte[] v = image.read(veneer, 8);
        int vAdrp = le32(v, 0);
        int vB = le32(v, 4);
        if ((vAdrp & 0x9f000000) != 0x90000000 || (vAdrp & 0x1f) != (adrp & 0x1f) || (vB & 0xfc000000) != 0x14000000) {
            return false;
        }
        long ldPage = (place & ~0xfffL) + (adrImm(adrp) << 12);
        long veneerPage = (veneer & ~0xfffL) + (adrImm(vAdrp) << 12);
        return ldPage == veneerPage && veneer + 4 + branch26(vB) == place + 4;
    }

    private static String describe(ElfFile elf, LoadedImage.PlacedSection p, int off, byte[] ours, byte[] theirs)
            throws Exception {
        StringBuilder sb = new StringBuilder(String.format("%s+0x%x (0x%x): kobj", p.name(), off, p.address() + off));
        int from = off & ~3;
        int to = Math.min(ours.length, from + 8);
        for (int i = from; i < to; i++) {
            sb.append(String.format(" %02x", ours[i]));
        }
        sb.append(", ld");
        for (int i = from; i < to; i++) {
            sb.append(String.format(" %02x", theirs[i]));
        }
        // The relocation that wrote there, if any.
        for (RelocationTable t : elf.relocationTables()) {
            if (t.target() == null || t.target().index() != p.index()) {
                continue;
            }
            for (long i = 0; i < t.size(); i++) {
                Relocation r = t.get(i);
                if (r.offset() <= off && off < r.offset() + 8) {
                    String sym = r.symbol() == 0 ? "" : elf.symbolTable().map(st -> {
                        try {
                            var s = st.get((int) r.symbol());
                            return s.type() == 3 ? elf.section(s.shndx()).name() : s.name();
                        } catch (Exception e) {
                            return "#" + r.symbol();
                        }
                    }).orElse("");
                    sb.append(String.format("; %s %s%+d at +0x%x",
                            RelocationTypes.nameOrUnrecognized(elf.header().machine(), r.type()), sym, r.addend(),
                            r.offset()));
                }
            }
        }
        return sb.toString();
    }

    static String report(List<Outcome> outcomes, double wall, int threads, int sample) {
        StringBuilder sb = new StringBuilder("GNU ld oracle on the Debian corpus");
        sb.append(sample > 1 ? " (every " + sample + "th module)" : " (every module)").append('\n');
        Map<String, List<Outcome>> byArch = new TreeMap<>();
        outcomes.forEach(o -> byArch.computeIfAbsent(o.arch(), k -> new ArrayList<>()).add(o));
        for (var e : byArch.entrySet()) {
            List<Outcome> os = e.getValue();
            Map<Status, Long> counts = new TreeMap<>();
            long relocs = 0;
            long sections = 0;
            long erratum = 0;
            long veneered = 0;
            long kobj = 0;
            long ld = 0;
            for (Outcome o : os) {
                counts.merge(o.status(), 1L, Long::sum);
                relocs += o.relocations();
                sections += o.sections();
                erratum += o.erratumWords();
                veneered += o.veneerWords();
                kobj += o.kobjNanos();
                ld += o.ldNanos();
            }
            long linked = os.size() - counts.getOrDefault(Status.REFUSED, 0L) - counts.getOrDefault(Status.ERROR, 0L);
            sb.append(String.format(Locale.ROOT, "%n%s: %d modules: %d linked, %d identical, %d different, %d refused, "
                    + "%d ld failed, %d harness errors%n", e.getKey(), os.size(), linked,
                    counts.getOrDefault(Status.IDENTICAL, 0L), counts.getOrDefault(Status.DIFFERENT, 0L),
                    counts.getOrDefault(Status.REFUSED, 0L), counts.getOrDefault(Status.LD_FAILED, 0L),
                    counts.getOrDefault(Status.ERROR, 0L)));
            sb.append(String.format(Locale.ROOT, "  %d sections, %d relocations compared; %d erratum-843419 ADR words "
                    + "and %d ADRP veneers equivalent to ld's ADRP%n", sections, relocs, erratum, veneered));
            sb.append(String.format(Locale.ROOT, "  time: kobj %.1f s, ld %.1f s (summed over threads)%n", kobj / 1e9,
                    ld / 1e9));
            Map<String, Long> reasons = new TreeMap<>();
            for (Outcome o : os) {
                if (o.status() == Status.REFUSED) {
                    reasons.merge(String.valueOf(o.kind()), 1L, Long::sum);
                }
            }
            reasons.forEach((k, v) -> sb.append("  refused ").append(k).append(": ").append(v).append('\n'));
            os.stream().filter(o -> o.status() != Status.IDENTICAL).sorted(Comparator.comparing(Outcome::module))
                    .limit(200).forEach(o -> sb.append("    ").append(o.status()).append(' ').append(o.detail())
                            .append('\n'));
        }
        sb.append(String.format(Locale.ROOT, "%nwall time %.1f s with %d threads%n", wall, threads));
        return sb.toString();
    }

    static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
