package dev.pond.model.fit;

import dev.pond.core.value.BgNbd;
import dev.pond.model.ChurnModel;
import org.hipparchus.special.Beta;
import org.hipparchus.util.FastMath;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.IntStream;

/**
 * The BG/NBD (or MBG/NBD) log-likelihood of a customer base, fast enough to be evaluated a
 * thousand times over millions of customers. Customers with the same (x, tₓ, T) in days are one
 * weighted term, and everything that depends only on x or only on a day count is computed once
 * per evaluation; the result equals the sum of {@link dev.pond.core.value.BgNbd#logLikelihood}
 * over the customers. Hipparchus' FastMath rather than Math: it is pure Java, so the same orders
 * give the same bits on any JVM.
 */
public final class BgNbdLikelihood {

    /** Terms per parallel chunk: small inputs stay on one thread. */
    private static final int CHUNK = 16_384;

    private final int[] x;
    private final int[] txDays;
    private final int[] tDays;
    private final double[] count;
    private final int maxX;
    private final int maxDay;
    private final long customers;

    /** @param counts (x, tₓ days, T days) → number of customers */
    BgNbdLikelihood(Map<Triple, Long> counts) {
        int n = counts.size();
        x = new int[n];
        txDays = new int[n];
        tDays = new int[n];
        count = new double[n];
        int i = 0;
        int mx = 0;
        int md = 0;
        long total = 0;
        // Sorted, so that the sum is taken in the same order every time: same input, same bits.
        for (Map.Entry<Triple, Long> e : new TreeMap<>(counts).entrySet()) {
            x[i] = e.getKey().x();
            txDays[i] = e.getKey().txDays();
            tDays[i] = e.getKey().tDays();
            count[i] = e.getValue();
            mx = Math.max(mx, x[i]);
            md = Math.max(md, tDays[i]);
            total += e.getValue();
            i++;
        }
        maxX = mx;
        maxDay = md;
        customers = total;
    }

    /** One customer's (x, tₓ, T) in days. */
    record Triple(int x, int txDays, int tDays) implements Comparable<Triple> {
        @Override
        public int compareTo(Triple o) {
            int c = Integer.compare(x, o.x);
            c = c != 0 ? c : Integer.compare(tDays, o.tDays);
            return c != 0 ? c : Integer.compare(txDays, o.txDays);
        }
    }

    /** The likelihood of {@code summaries}. */
    public static BgNbdLikelihood of(List<CustomerSummary> summaries) {
        Map<Triple, Long> counts = new java.util.HashMap<>();
        for (CustomerSummary s : summaries) {
            counts.merge(new Triple(s.x(), s.txDays(), s.tDays()), 1L, Long::sum);
        }
        return new BgNbdLikelihood(counts);
    }

    /** Customers summed over. */
    public long customers() {
        return customers;
    }

    /** Distinct (x, tₓ, T) terms. */
    public int terms() {
        return x.length;
    }

    /** The log-likelihood at these parameters (time unit weeks). */
    public double value(ChurnModel kind, double r, double alpha, double a, double b) {
        int shift = kind == ChurnModel.MBG_NBD ? 1 : 0;
        double[] logAlphaPlus = new double[maxDay + 1]; // log(alpha + d / 7)
        for (int d = 0; d <= maxDay; d++) {
            logAlphaPlus[d] = FastMath.log(alpha + d / 7.0);
        }
        // The terms in x by recurrence, one log each: Γ(y + 1) = y Γ(y), B(a, y + 1) = B(a, y) y / (a + y).
        double[] common = new double[maxX + 1]; // log Γ(r + x) / Γ(r) + r log α − log B(a, b)
        double[] alive = new double[maxX + 1]; // log B(a, b + x + shift)
        double[] dropped = new double[maxX + 1]; // log B(a + 1, b + x + shift − 1), for x + shift ≥ 1
        common[0] = r * FastMath.log(alpha) - Beta.logBeta(a, b);
        alive[0] = Beta.logBeta(a, b + shift);
        dropped[0] = shift == 0 ? Double.NaN : Beta.logBeta(a + 1, b);
        for (int k = 1; k <= maxX; k++) {
            double y = b + k + shift - 1;
            common[k] = common[k - 1] + FastMath.log(r + k - 1);
            alive[k] = alive[k - 1] + FastMath.log(y / (a + y));
            dropped[k] = k == 1 && shift == 0 ? Beta.logBeta(a + 1, b) : dropped[k - 1] + FastMath.log((y - 1) / (a + y));
        }
        // Fixed chunks summed in order: parallel, yet the same bits whatever the number of threads.
        double[] partial = new double[(x.length + CHUNK - 1) / CHUNK];
        IntStream.range(0, partial.length).parallel().forEach(c -> partial[c] =
                sum(c * CHUNK, Math.min(x.length, (c + 1) * CHUNK), shift, r, logAlphaPlus, common, alive, dropped));
        double sum = 0;
        for (double p : partial) {
            sum += p;
        }
        return sum;
    }

    private double sum(int from, int to, int shift, double r, double[] logAlphaPlus, double[] common, double[] alive,
            double[] dropped) {
        double sum = 0;
        for (int i = from; i < to; i++) {
            int k = x[i];
            double ll = alive[k] - (r + k) * logAlphaPlus[tDays[i]];
            if (k > 0 || shift == 1) {
                ll = BgNbd.logAddExp(ll, dropped[k] - (r + k) * logAlphaPlus[txDays[i]]);
            }
            sum += count[i] * (common[k] + ll);
        }
        return sum;
    }
}
