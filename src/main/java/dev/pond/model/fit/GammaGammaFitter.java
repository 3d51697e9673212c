package dev.pond.model.fit;

import org.hipparchus.special.Gamma;
import org.hipparchus.util.FastMath;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Fits p, q, γ of the Gamma-Gamma spend model by maximum likelihood on the customers with at
 * least one repeat purchase day, from x and z̄ (the mean of their repeat day totals, as in Fader
 * and Hardie's CDNOW analysis). The search runs over log p, log(q − 1) and log γ, so that q stays
 * above 1 (below it the population mean spend is infinite). The likelihood is the sum of
 * {@link dev.pond.core.value.GammaGamma#logLikelihood}, with the terms that depend only on x
 * computed once per evaluation.
 */
public final class GammaGammaFitter {

    private GammaGammaFitter() {}

    /** @throws IllegalArgumentException without a repeat customer, or if the fit does not converge */
    public static GammaGammaFit fit(List<CustomerSummary> summaries) {
        Terms terms = Terms.of(summaries);
        if (terms.x.length == 0) {
            throw new IllegalArgumentException(
                    "cannot fit the Gamma-Gamma spend model: no customer has a repeat purchase with a value above 0");
        }
        LogSpaceMaximizer.Result best = LogSpaceMaximizer.maximize("Gamma-Gamma", List.of("p", "q - 1", "gamma"),
                u -> terms.logLikelihood(FastMath.exp(u[0]), 1 + FastMath.exp(u[1]), FastMath.exp(u[2])),
                new double[] {0, 0, 0});
        double[] u = best.point();
        return new GammaGammaFit(FastMath.exp(u[0]), 1 + FastMath.exp(u[1]), FastMath.exp(u[2]), best.value(),
                terms.customers, terms.skipped, best.evaluations());
    }

    /** Distinct (x, z̄) with their number of customers, x ascending. */
    private record Terms(int[] x, double[] z, double[] logZ, double[] count, long customers, long skipped) {

        static Terms of(List<CustomerSummary> summaries) {
            // Sorted, so that the sum runs in the same order every time: same input, same bits.
            TreeMap<Integer, TreeMap<Double, Long>> byX = new TreeMap<>();
            long skipped = 0;
            for (CustomerSummary s : summaries) {
                if (s.x() >= 1 && s.zbar() > 0) {
                    byX.computeIfAbsent(s.x(), k -> new TreeMap<>()).merge(s.zbar(), 1L, Long::sum);
                } else if (s.x() >= 1) {
                    skipped++; // z̄ = 0 has no density under the model
                }
            }
            int n = byX.values().stream().mapToInt(Map::size).sum();
            Terms t = new Terms(new int[n], new double[n], new double[n], new double[n], 0, skipped);
            long customers = 0;
            int i = 0;
            for (Map.Entry<Integer, TreeMap<Double, Long>> group : byX.entrySet()) {
                for (Map.Entry<Double, Long> e : group.getValue().entrySet()) {
                    t.x[i] = group.getKey();
                    t.z[i] = e.getKey();
                    t.logZ[i] = FastMath.log(e.getKey());
                    t.count[i] = e.getValue();
                    customers += e.getValue();
                    i++;
                }
            }
            return new Terms(t.x, t.z, t.logZ, t.count, customers, skipped);
        }

        double logLikelihood(double p, double q, double gamma) {
            double head = -Gamma.logGamma(q) + q * FastMath.log(gamma);
            double sum = 0;
            int lastX = -1;
            double perX = 0;
            for (int i = 0; i < x.length; i++) {
                double px = p * x[i];
                if (x[i] != lastX) { // x ascends, so each x's constant is computed once
                    lastX = x[i];
                    perX = head + Gamma.logGamma(px + q) - Gamma.logGamma(px) + px * FastMath.log(x[i]);
                }
                sum += count[i] * (perX + (px - 1) * logZ[i] - (px + q) * FastMath.log(gamma + x[i] * z[i]));
            }
            return sum;
        }
    }
}
