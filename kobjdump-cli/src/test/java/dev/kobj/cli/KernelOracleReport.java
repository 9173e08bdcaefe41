package dev.kobj.cli;

import dev.kobj.cli.kernel.GuestReport;
import dev.kobj.cli.kernel.KernelImage;
import dev.kobj.cli.kernel.LinkReplay;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/** The printed figures of a real-kernel comparison, and the agreement floors. */
final class KernelOracleReport {
    private KernelOracleReport() {
    }

    static double floor(KernelImage kernel) {
        return floorOf(kernel.series() + "-" + kernel.arch());
    }

    static double floorOf(String key) {
        Properties p = new Properties();
        try (InputStream in = KernelOracleReport.class.getResourceAsStream("/kernel-agreement.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Double.parseDouble(p.getProperty(key, "100"));
    }

    static String text(KernelImage kernel, int sampled, GuestReport report, List<LinkReplay.Result> results) {
        StringBuilder s = new StringBuilder();
        int sec = 0;
        int secOk = 0;
        int sym = 0;
        int symOk = 0;
        int words = 0;
        int wordsOk = 0;
        long all = 0;
        Map<String, Integer> rewritten = new TreeMap<>();
        Map<Integer, Integer> errnos = new TreeMap<>();
        for (GuestReport.Load l : report.loads.values()) {
            errnos.merge(l.errno(), 1, Integer::sum);
        }
        for (LinkReplay.Result r : results) {
            sec += r.sections();
            secOk += r.sectionsAgree();
            sym += r.symbols();
            symOk += r.symbolsAgree();
            words += r.words();
            wordsOk += r.wordsAgree();
            all += r.allAgree() ? 1 : 0;
            r.rewritten().forEach((k, v) -> rewritten.merge(k.substring(0, k.indexOf(':')), v, Integer::sum));
        }
        s.append(String.format("kernel %s (%s %s), %d boot(s), %.0f s in qemu%n", kernel.release(), kernel.arch(),
                kernel.version(), report.boots, report.seconds));
        s.append(String.format("sampled %d modules (seed %d), %d loads (with dependencies), errno counts %s, lost %s%n",
                sampled, KernelLoadOracleTest.SEED, report.loads.size(), errnos, report.lost));
        s.append(String.format("compared %d loaded modules (link mode %s): %d agree in every section and symbol (%.1f %%)%n",
                results.size(), results.isEmpty() ? "-" : results.getFirst().linkMode(), all,
                results.isEmpty() ? 0.0 : 100.0 * all / results.size()));
        s.append(String.format("sections %d/%d agree (%.1f %%), kallsyms symbols %d/%d agree (%.1f %%)%n", secOk, sec,
                pct(secOk, sec), symOk, sym, pct(symOk, sym)));
        s.append(String.format("data words %d/%d agree (%.1f %%); differing words by category: %s%n", wordsOk, words,
                pct(wordsOk, words), rewritten));
        for (LinkReplay.Result r : results) {
            if (r.linkError() != null) {
                s.append("  ").append(r.module()).append(": kobjdump link failed: ").append(r.linkError()).append('\n');
            } else if (!r.differences().isEmpty()) {
                s.append(String.format("  %s: sections %d/%d, symbols %d/%d, words %d/%d%n", r.module(),
                        r.sectionsAgree(), r.sections(), r.symbolsAgree(), r.symbols(), r.wordsAgree(), r.words()));
                for (String d : r.differences()) {
                    s.append("    ").append(d).append('\n');
                }
            }
        }
        return s.toString();
    }

    private static double pct(int a, int b) {
        return b == 0 ? 100.0 : 100.0 * a / b;
    }
}
