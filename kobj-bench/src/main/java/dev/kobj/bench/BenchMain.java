package dev.kobj.bench;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.CommandLineOptions;

/**
 * Runs JMH with the given command line (the same options as {@code org.openjdk.jmh.Main}),
 * then prints a summary of {@link ParseBenchmark}: per variant, the files parsed, the time
 * per pass over the set, MB/s, relocations/s and the bytes allocated per pass (from
 * {@code -prof gc}). Used by {@code scripts/bench.sh}.
 */
public final class BenchMain {
    private BenchMain() {
    }

    private static final List<String> ORDER = List.of("kobjMapped", "kobjBytes", "kobjBytesRecords", "jelfMapped",
            "jelfMappedLinked", "jelfBytes", "jelfBytesLinked");

    public static void main(String[] args) throws Exception {
        CommandLineOptions cli = new CommandLineOptions(args);
        if (cli.shouldHelp() || cli.shouldList() || cli.shouldListWithParams() || cli.shouldListProfilers()
                || cli.shouldListResultFormats()) {
            org.openjdk.jmh.Main.main(args);
            return;
        }
        Collection<RunResult> results = new Runner(cli).run();
        System.out.println();
        System.out.print(summary(results));
    }

    /** One row: the results of one benchmark method for one value of {@code set}. */
    private static final class Row {
        Result<?> thrpt; // ops/s
        Result<?> avgt; // s/op
        Result<?> allocNorm; // B/op
    }

    static String summary(Collection<RunResult> results) {
        // set -> variant -> row
        Map<String, Map<String, Row>> bySet = new TreeMap<>();
        for (RunResult r : results) {
            String bench = r.getParams().getBenchmark();
            if (!bench.startsWith(ParseBenchmark.class.getName() + ".")) {
                continue;
            }
            String variant = bench.substring(bench.lastIndexOf('.') + 1);
            String set = r.getParams().getParam("set");
            Row row = bySet.computeIfAbsent(set, k -> new TreeMap<>()).computeIfAbsent(variant, k -> new Row());
            Result<?> primary = r.getPrimaryResult();
            switch (r.getParams().getMode()) {
                case Throughput -> row.thrpt = checkUnit(primary, "ops/s");
                case AverageTime -> row.avgt = checkUnit(primary, "s/op");
                default -> {
                    continue;
                }
            }
            Result<?> alloc = r.getSecondaryResults().get("gc.alloc.rate.norm");
            if (alloc != null && (row.allocNorm == null || r.getParams().getMode() == org.openjdk.jmh.annotations.Mode.Throughput)) {
                row.allocNorm = alloc;
            }
        }
        StringBuilder out = new StringBuilder();
        for (Map.Entry<String, Map<String, Row>> e : bySet.entrySet()) {
            Corpus.Sample sample = Corpus.load(e.getKey());
            out.append("Summary: ").append(sample.describe()).append('\n');
            out.append("MB = 10^6 bytes; ms/pass is the average time to parse the whole set (± JMH's 99.9% error);")
                    .append(" MB/s and relocs/s come from the throughput score; alloc is gc.alloc.rate.norm.\n\n");
            Map<String, Row> rows = new LinkedHashMap<>();
            for (String v : ORDER) {
                if (e.getValue().containsKey(v)) {
                    rows.put(v, e.getValue().get(v));
                }
            }
            e.getValue().forEach(rows::putIfAbsent);
            List<String[]> table = new ArrayList<>();
            table.add(new String[] {"variant", "files", "ms/pass", "MB/s", "relocs/s", "alloc B/pass", "alloc B/file"});
            for (Map.Entry<String, Row> v : rows.entrySet()) {
                Row row = v.getValue();
                double opsPerSec = row.thrpt != null ? row.thrpt.getScore()
                        : row.avgt != null ? 1 / row.avgt.getScore() : Double.NaN;
                String ms = row.avgt == null ? fmt("%.2f", 1e3 / opsPerSec)
                        : Double.isNaN(row.avgt.getScoreError()) ? fmt("%.2f", row.avgt.getScore() * 1e3) // one iteration
                        : fmt("%.2f ± %.2f", row.avgt.getScore() * 1e3, row.avgt.getScoreError() * 1e3);
                String alloc = row.allocNorm == null ? "-" : fmt("%,.0f", row.allocNorm.getScore());
                String allocFile = row.allocNorm == null || sample.files().isEmpty() ? "-"
                        : fmt("%,.0f", row.allocNorm.getScore() / sample.files().size());
                table.add(new String[] {v.getKey(), Integer.toString(sample.files().size()), ms,
                        fmt("%.1f", opsPerSec * sample.bytes() / 1e6), fmt("%,.0f", opsPerSec * sample.relocations()),
                        alloc, allocFile});
            }
            out.append(markdown(table)).append('\n');
        }
        return out.toString();
    }

    private static Result<?> checkUnit(Result<?> r, String unit) {
        if (!r.getScoreUnit().equals(unit)) {
            throw new IllegalStateException("expected a score in " + unit + ", got " + r.getScoreUnit()
                    + " (do not pass -tu to this runner)");
        }
        return r;
    }

    private static String fmt(String f, Object... args) {
        return String.format(Locale.ROOT, f, args);
    }

    private static String markdown(List<String[]> table) {
        int cols = table.get(0).length;
        int[] w = new int[cols];
        for (String[] row : table) {
            for (int c = 0; c < cols; c++) {
                w[c] = Math.max(w[c], row[c].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (int r = 0; r < table.size(); r++) {
            String[] row = table.get(r);
            sb.append('|');
            for (int c = 0; c < cols; c++) {
                String cell = row[c];
                String pad = " ".repeat(w[c] - cell.length());
                sb.append(' ').append(c == 0 ? cell + pad : pad + cell).append(" |");
            }
            sb.append('\n');
            if (r == 0) {
                sb.append('|');
                for (int c = 0; c < cols; c++) {
                    sb.append(c == 0 ? ":" : "-").append("-".repeat(w[c])).append(c == 0 ? "-|" : ":|");
                }
                sb.append('\n');
            }
        }
        return sb.toString();
    }
}
