package dev.kobj.reloc.oracle;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The per-architecture tally printed after the oracle has run. */
final class OracleReport {

    static final class Tally {
        int objectsCompared;
        int objectsIdentical;
        int sectionsCompared;
        int sectionsIdentical;
        int sectionsDifferent;
        int sectionsRefused;
        long relocationsApplied;
        long gotFieldsFollowed;
        long stubsFollowed;
        int bothRefused;
        int tlsRefused;
        int placementsVerified;
        int mergeCleared;
        int weakDivergences;
        int alignNeutralised;
        final List<String> notes = new ArrayList<>();
        final List<String> skipped = new ArrayList<>();
        final List<String> differences = new ArrayList<>();
    }

    private final Map<String, Tally> byFamily = new TreeMap<>();

    synchronized Tally tally(String family) {
        return byFamily.computeIfAbsent(family, k -> new Tally());
    }

    synchronized String render() {
        StringBuilder sb = new StringBuilder("\n==== LdOracle: kobj relocation engines against GNU ld (--no-relax, same placement) ====\n");
        for (var e : byFamily.entrySet()) {
            Tally t = e.getValue();
            sb.append(String.format(
                    "%-8s objects compared %d (identical %d), sections compared %d: identical %d, different %d, refused by kobj %d;%n"
                            + "         relocations applied %d, GOT/stub fields followed %d (through a PLT entry %d), ld placements verified %d,%n"
                            + "         overflow refused by both ld and kobj %d, TLS objects refused %d, skipped %d%n",
                    e.getKey(), t.objectsCompared, t.objectsIdentical, t.sectionsCompared, t.sectionsIdentical,
                    t.sectionsDifferent, t.sectionsRefused, t.relocationsApplied, t.gotFieldsFollowed, t.stubsFollowed,
                    t.placementsVerified, t.bothRefused, t.tlsRefused, t.skipped.size()));
            sb.append(String.format("         calls to undefined weak symbols where ld applies its own rule and kobj's call decodes to S+A: %d%n",
                    t.weakDivergences));
            sb.append(String.format("         ld input: SHF_MERGE cleared on %d sections, %d R_RISCV_ALIGN made NONE (see LdInput)%n",
                    t.mergeCleared, t.alignNeutralised));
            for (String s : t.notes) {
                sb.append("         note: ").append(s).append('\n');
            }
            for (String s : t.skipped) {
                sb.append("         skipped: ").append(s).append('\n');
            }
            for (String d : t.differences) {
                sb.append("         DIFF ").append(d.replace("\n", "\n              ")).append('\n');
            }
        }
        return sb.toString();
    }
}
