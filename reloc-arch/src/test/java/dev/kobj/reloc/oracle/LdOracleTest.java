package dev.kobj.reloc.oracle;

import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import dev.kobj.elf.ElfFile;
import dev.kobj.elf.SectionHeader;
import dev.kobj.reloc.Fixup;
import dev.kobj.reloc.RelocationEngine;
import dev.kobj.reloc.RelocationEngines;
import dev.kobj.reloc.RelocationException;
import dev.kobj.testkit.AddressPlan;
import dev.kobj.testkit.Fixture;
import dev.kobj.testkit.GnuLd;
import dev.kobj.testkit.LdInput;
import dev.kobj.testkit.Placement;
import dev.kobj.testkit.Tools;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.opentest4j.TestAbortedException;

/**
 * The real oracle of the relocation engines: every testdata object (objects.tsv, all three
 * architectures) is placed at a fixed base by {@link Placement}, its undefined symbols at the
 * fixed addresses of {@link AddressPlan}, and relocated by kobj's engine; the same object is
 * linked by GNU ld ({@code ld}, {@code aarch64-linux-gnu-ld}, {@code riscv64-linux-gnu-ld},
 * {@code --no-relax}) with a generated script that puts every input section at the same
 * address. The bytes of every SHF_ALLOC section must be equal; fields that go through a GOT or
 * stub are followed instead ({@link GotFollow}). Where ld refuses a placement (relocation
 * truncated to fit), kobj must refuse the same relocations as out of range. TLS objects must
 * be refused by the engine with {@code NOT_APPLICABLE}.
 *
 * <p>A missing ld skips the object and says so; under {@code CI=true} it fails instead.
 */
class LdOracleTest {

    private static final OracleReport REPORT = new OracleReport();
    private static final HexFormat HEX = HexFormat.ofDelimiter(" ");

    @TestFactory
    Stream<DynamicTest> everyObjectMatchesGnuLd() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Fixture f : Fixture.all()) {
            if (f.tls()) {
                tests.add(dynamicTest(f + " is refused (TLS)", () -> tls(f)));
                continue;
            }
            tests.add(dynamicTest(f + " [low]", () -> compare(f, AddressPlan.low(), null, REPORT)));
            if (f.x86KernelModel()) {
                tests.add(dynamicTest(f + " [high]", () -> compare(f, AddressPlan.x86High(), null, REPORT)));
            }
        }
        return tests.stream();
    }

    @AfterAll
    static void summary() throws IOException {
        String text = REPORT.render();
        System.out.println(text);
        Path out = Path.of("target", "ldoracle-report.txt");
        Files.createDirectories(out.getParent());
        Files.writeString(out, text);
    }

    // ---------------------------------------------------------------- skipping

    private static void skip(Fixture f, String why) {
        skip(f, why, REPORT);
    }

    private static void skip(Fixture f, String why, OracleReport report) {
        report.tally(f.family()).skipped.add(f + ": " + why);
        throw new TestAbortedException("SKIPPED " + f + ": " + why);
    }

    private static Optional<RelocationEngine> engine(ElfFile elf) {
        return RelocationEngines.forMachine(elf.header().machine(), elf.header().bits());
    }

    private static String noEngine(Fixture f, ElfFile elf) {
        return "no kobj relocation engine for e_machine " + elf.header().machine() + " ELF" + elf.header().bits()
                + " (" + f.arch() + ")";
    }

    /** The ld for this arch, or a plain skip (a failure under CI=true: {@link Tools#require}) when it is not installed. */
    private static void requireLd(Fixture f, OracleReport report) {
        String program = GnuLd.command(f.arch()).get(0);
        if (!Tools.present(program)) {
            report.tally(f.family()).skipped.add(f + ": " + program + " is not installed: GNU ld comparison not run");
            Tools.require(program);
        }
    }

    /** The copy ld links (see {@link LdInput}), named like the fixture without a compression suffix. */
    private static Path ldInput(Fixture f, ElfFile elf, Path dir, OracleReport.Tally tally) throws Exception {
        String base = Path.of(f.path().replaceFirst("\\.(xz|zst|gz)$", "")).getFileName().toString();
        LdInput in = new LdInput();
        Path out = in.write(elf, dir.resolve(base));
        tally.mergeCleared += in.mergeCleared;
        tally.alignNeutralised += in.alignNeutralised;
        return out;
    }

    // ---------------------------------------------------------------- the comparison

    /**
     * Compares kobj with GNU ld for one object and one plan; fails with every difference.
     *
     * @param override an engine to use instead of the registry's (the self-test's broken engine), or null
     */
    static void compare(Fixture f, AddressPlan plan, RelocationEngine override, OracleReport report) throws Exception {
        OracleReport.Tally tally = report.tally(f.family());
        requireLd(f, report);
        Path dir = Files.createTempDirectory("kobj-ldoracle");
        try (ElfFile elf = ElfFile.open(f.file())) {
            Placement pl = new Placement(elf, plan);
            Optional<RelocationEngine> engine = override != null ? Optional.of(override) : engine(elf);
            KobjLink link = null;
            List<String> diffs = new ArrayList<>();
            if (engine.isPresent()) {
                try {
                    link = new KobjLink(pl, engine.get());
                } catch (RuntimeException e) {
                    diffs.add(f + " [" + plan.name() + "]: the engine threw " + e);
                }
            }
            long ldGot = link != null ? link.gotBase : Placement.alignUp(pl.end, 16);
            long ldPlt = Placement.alignUp(ldGot + 0x1000, 0x1000);
            GnuLd.Result ld = GnuLd.link(pl, f.arch(), ldInput(f, elf, dir, tally), dir, ldGot, ldPlt);
            String tag = f + " [" + plan.name() + "]";
            if (!ld.ok()) {
                if (ld.truncations().isEmpty()) {
                    Assertions.fail(tag + ": GNU ld failed (harness problem):\n" + ld.command() + "\n" + ld.log());
                }
                if (link == null) {
                    if (diffs.isEmpty()) {
                        skip(f, "[" + plan.name() + "] ld refuses the placement (" + ld.truncations().size()
                                + " truncated relocations) and " + noEngine(f, elf), report);
                    }
                } else {
                    bothMustRefuse(tag, link, ld, diffs);
                }
                if (diffs.isEmpty()) {
                    tally.bothRefused++;
                    return;
                }
                tally.differences.addAll(diffs);
                Assertions.fail(String.join("\n", diffs));
            }
            if (!ld.placementErrors().isEmpty()) {
                Assertions.fail(tag + ": GNU ld did not place the sections as asked (harness problem):\n"
                        + String.join("\n", ld.placementErrors()) + "\n" + ld.command());
            }
            tally.placementsVerified++;
            if (engine.isEmpty()) {
                skip(f, "[" + plan.name() + "] " + noEngine(f, elf) + "; ld's placement was verified", report);
            }
            if (link != null) {
                compareBytes(tag, pl, link, ld, tally, diffs);
            }
            tally.objectsCompared++;
            if (diffs.isEmpty()) {
                tally.objectsIdentical++;
            } else {
                tally.differences.addAll(diffs);
                Assertions.fail(diffs.size() + " difference(s) with GNU ld:\n" + String.join("\n", diffs));
            }
        } finally {
            deleteTree(dir);
        }
    }

    private static void compareBytes(String tag, Placement pl, KobjLink link, GnuLd.Result ld,
            OracleReport.Tally tally, List<String> diffs) throws Exception {
        GotFollow got = new GotFollow(link);
        tally.gotFieldsFollowed += got.followed;
        tally.stubsFollowed += got.stubsFollowed;
        for (String p : got.problems) {
            diffs.add(tag + ": " + p);
        }
        for (String s : link.stubErrors) {
            diffs.add(tag + ": " + s);
        }
        for (Placement.Placed p : pl.placed) {
            SectionHeader sh = p.section();
            if (sh.size() == 0 || sh.isNobits()) {
                continue;
            }
            byte[] want = ld.bytesBySection().get(sh.index());
            KobjLink.SectionResult sr = link.results.get(sh.index());
            if (sr != null && sr.error() != null) {
                tally.sectionsRefused++;
                diffs.add(String.format("%s: %s: kobj refused the section (%s): %s", tag, sh.name(),
                        sr.error().reason(), sr.error().getMessage()));
                continue;
            }
            byte[] have = sr != null ? sr.bytes() : pl.elf.contents(sh).toArray(ValueLayout.JAVA_BYTE);
            if (sr != null) {
                tally.relocationsApplied += sr.relocs().size();
                if (sr.note() != null) {
                    tally.notes.add(tag + ": " + sh.name() + ": " + sr.note());
                }
            }
            boolean[] masked = new boolean[have.length];
            for (GotFollow.Mask m : got.masks) {
                if (m.section() == sh.index()) {
                    for (long i = m.offset(); i < m.offset() + m.length() && i < masked.length; i++) {
                        masked[(int) i] = true;
                    }
                }
            }
            tally.sectionsCompared++;
            List<String> runs = new ArrayList<>();
            for (String d : differingRuns(tag, p, want, have, masked, sr, pl)) {
                if (d.startsWith("NOTE ")) {
                    tally.notes.add(d.substring(5));
                    tally.weakDivergences++;
                } else {
                    runs.add(d);
                }
            }
            if (runs.isEmpty()) {
                tally.sectionsIdentical++;
            } else {
                tally.sectionsDifferent++;
                diffs.addAll(runs);
            }
        }
    }

    /** Differing bytes, in runs (gaps of under 4 equal bytes joined), each with the relocations that touch it. */
    private static List<String> differingRuns(String tag, Placement.Placed p, byte[] want, byte[] have,
            boolean[] masked, KobjLink.SectionResult sr, Placement pl) {
        List<String> out = new ArrayList<>();
        int n = Math.min(want.length, have.length);
        if (want.length != have.length) {
            out.add(String.format("%s: %s: ld has %d bytes, kobj %d", tag, p.section().name(), want.length, have.length));
        }
        int i = 0;
        while (i < n) {
            if (masked[i] || want[i] == have[i]) {
                i++;
                continue;
            }
            int start = i;
            int end = i + 1;
            for (int j = i + 1; j < n && j < end + 4; j++) {
                if (!masked[j] && want[j] != have[j]) {
                    end = j + 1;
                }
            }
            i = end;
            if (out.size() >= 40) {
                out.add(tag + ": " + p.section().name() + ": more differences not shown");
                break;
            }
            // A call to an undefined weak function: GNU ld's own rule (see WeakBranch). Accept
            // kobj's bytes when its branch reaches S + A exactly.
            if (sr != null) {
                String weak = weakBranch(pl, sr, start, end);
                if (weak != null) {
                    out.add("NOTE " + tag + ": " + p.section().name() + String.format("+0x%x: ", start) + weak);
                    continue;
                }
            }
            StringBuilder rel = new StringBuilder();
            if (sr != null) {
                for (KobjLink.Reloc r : sr.relocs()) {
                    long o = r.raw().offset();
                    if (o < end + 4 && o + 8 > start) {
                        Fixup fx = r.fixup();
                        rel.append(String.format("%n    %s '%s'%+d at +0x%x (S=0x%x, P=0x%x)", r.typeName(), fx.name(),
                                fx.addend(), o, fx.symbol(), fx.place()));
                    }
                }
            }
            out.add(String.format("%s: %s+0x%x (address 0x%x): ld [%s], kobj [%s]%s", tag, p.section().name(), start,
                    p.address() + start, HEX.formatHex(Arrays.copyOfRange(want, start, end)),
                    HEX.formatHex(Arrays.copyOfRange(have, start, end)),
                    rel.length() == 0 ? " (no relocation here)" : rel.toString()));
        }
        return out;
    }

    /** {@return a note when the run [start, end) lies inside the field of a call to an undefined weak symbol and kobj's call reaches S + A; else null} */
    private static String weakBranch(Placement pl, KobjLink.SectionResult sr, int start, int end) {
        try {
            for (KobjLink.Reloc r : sr.relocs()) {
                int w = WeakBranch.width(r.typeName());
                long o = r.raw().offset();
                if (w == 0 || start < o || end > o + w || !WeakBranch.weakUndefined(pl, r.raw().symbol())) {
                    continue;
                }
                long t = WeakBranch.target(r.typeName(), sr.bytes(), o, r.place());
                long want = r.fixup().symbol() + r.fixup().addend();
                if (t == want) {
                    return String.format("%s to undefined weak '%s': GNU ld applies its weak-reference rule (NOP / x0-based JALR), kobj branches to S+A = 0x%x (decoded: ok)",
                            r.typeName(), r.fixup().name(), want);
                }
            }
        } catch (dev.kobj.elf.ElfFormatException e) {
            throw new IllegalStateException(e);
        }
        return null;
    }

    /** ld refused the placement: kobj must refuse each of ld's truncated relocations as OUT_OF_RANGE, and no other. */
    private static void bothMustRefuse(String tag, KobjLink link, GnuLd.Result ld, List<String> diffs) throws Exception {
        for (GnuLd.Truncation t : ld.truncations()) {
            KobjLink.Reloc found = null;
            for (KobjLink.SectionResult sr : link.results.values()) {
                for (KobjLink.Reloc r : sr.relocs()) {
                    if (sr.section().section().name().equals(t.section()) && r.raw().offset() == t.offset()
                            && r.typeName().equals(t.type())) {
                        found = r;
                    }
                }
            }
            if (found == null) {
                diffs.add(tag + ": ld reports a relocation the harness cannot find: " + t.line());
                continue;
            }
            byte[] copy = link.placement.elf.contents(found.section().section()).toArray(ValueLayout.JAVA_BYTE);
            try {
                link.engine.apply(MemorySegment.ofArray(copy), link.order, found.fixup());
                diffs.add(String.format("%s: ld refuses %s but kobj applies it: %s '%s'%+d at %s (S=0x%x, P=0x%x)", tag,
                        t.line(), found.typeName(), found.fixup().name(), found.fixup().addend(), found.fixup().where(),
                        found.fixup().symbol(), found.place()));
            } catch (RelocationException e) {
                if (e.reason() != RelocationException.Reason.OUT_OF_RANGE) {
                    diffs.add(tag + ": ld says out of range, kobj refuses " + found.fixup().where() + " as " + e.reason()
                            + ": " + e.getMessage());
                }
            }
        }
        for (KobjLink.SectionResult sr : link.results.values()) {
            RelocationException e = sr.error();
            if (e == null) {
                continue;
            }
            boolean ldToo = ld.truncations().stream().anyMatch(t -> t.section().equals(sr.section().section().name()));
            if (!ldToo || e.reason() != RelocationException.Reason.OUT_OF_RANGE) {
                diffs.add(String.format("%s: %s: kobj refuses (%s) where ld does not: %s", tag, sr.section().section().name(),
                        e.reason(), e.getMessage()));
            }
        }
    }

    // ---------------------------------------------------------------- TLS

    private void tls(Fixture f) throws Exception {
        OracleReport.Tally tally = REPORT.tally(f.family());
        try (ElfFile elf = ElfFile.open(f.file())) {
            Optional<RelocationEngine> engine = engine(elf);
            if (engine.isEmpty()) {
                skip(f, noEngine(f, elf));
            }
            Placement pl = new Placement(elf, AddressPlan.low());
            KobjLink link = new KobjLink(pl, engine.get());
            List<String> problems = new ArrayList<>();
            int tlsRelocs = 0;
            for (KobjLink.SectionResult sr : link.results.values()) {
                boolean hasTls = sr.relocs().stream().anyMatch(r -> GotFollow.isTls(r.typeName()));
                if (hasTls && sr.error() == null) {
                    problems.add(sr.section().section().name() + ": applyAll accepted a section with TLS relocations");
                }
                byte[] original = elf.contents(sr.section().section()).toArray(ValueLayout.JAVA_BYTE);
                if (sr.error() != null && !Arrays.equals(original, sr.bytes())) {
                    problems.add(sr.section().section().name() + ": applyAll refused but changed bytes");
                }
                for (KobjLink.Reloc r : sr.relocs()) {
                    if (!GotFollow.isTls(r.typeName())) {
                        continue;
                    }
                    tlsRelocs++;
                    byte[] copy = original.clone();
                    try {
                        link.engine.apply(MemorySegment.ofArray(copy), link.order, r.fixup());
                        problems.add(r.fixup().where() + ": " + r.typeName() + " was applied");
                    } catch (RelocationException e) {
                        if (e.reason() != RelocationException.Reason.NOT_APPLICABLE) {
                            problems.add(r.fixup().where() + ": " + r.typeName() + " refused as " + e.reason()
                                    + ", want NOT_APPLICABLE: " + e.getMessage());
                        }
                    }
                    if (!Arrays.equals(original, copy)) {
                        problems.add(r.fixup().where() + ": refusing " + r.typeName() + " changed bytes");
                    }
                }
            }
            if (tlsRelocs == 0) {
                problems.add("no TLS relocation found in a -tls object (harness problem)");
            }
            if (!problems.isEmpty()) {
                problems.replaceAll(p -> f + ": " + p);
                tally.differences.addAll(problems);
                Assertions.fail(String.join("\n", problems));
            }
            tally.tlsRefused++;
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
