package dev.kobj.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link Fmt#fixed} prints what {@code String.format(Locale.ROOT, "%.Nf", v)} prints, for the
 * values kobjdump shows: byte counts in MiB (binary fractions, every half among them), seconds and
 * rates (random doubles), zeros, negatives, and values too big to scale.
 */
class FmtFixedTest {
    private static void same(double v, int decimals) {
        assertThat(Fmt.fixed(v, decimals)).as("%s with %d decimals", v, decimals)
                .isEqualTo(String.format(Locale.ROOT, "%." + decimals + "f", v));
    }

    @Test
    void printsWhatFormatterPrints() {
        Random r = new Random(9);
        int n = 0;
        for (int decimals = 0; decimals <= 3; decimals++) {
            for (long bytes : new long[] {0, 1, 52428, 52429, 104857, 117424, 137450, 1048575, 1048576, 409032,
                    397_411_328L, 1L << 40}) {
                same(bytes / 1048576.0, decimals);
                n++;
            }
            for (int k = 0; k < 2000; k++) {
                same(r.nextLong(1L << 30) / 1048576.0, decimals); // MiB: halves and quarters are exact
                same(r.nextDouble() * Math.pow(10, r.nextInt(9)), decimals); // seconds, files/s, relocations/s
                same(r.nextInt(4000) / 8.0, decimals); // exact halves, eighths
                n += 3;
            }
            for (double v : new double[] {0.0, -0.0, -0.04, -2.5, 0.5, 1.5, 2.5, 0.05, 0.25, 1e16, 9.5e15, Double.NaN,
                    Double.POSITIVE_INFINITY}) {
                same(v, decimals);
                n++;
            }
        }
        assertThat(n).isGreaterThan(24_000);
    }
}
