package dev.pond.core.value;

import org.hipparchus.special.Gamma;
import org.hipparchus.util.FastMath;

/**
 * The Gamma-Gamma model of spend per transaction (Fader, Hardie and Lee, "RFM and CLV", 2005;
 * Fader and Hardie, "The Gamma-Gamma model of monetary value", 2013): a customer's transaction
 * values are gamma(p, ν) around a personal mean, and ν is gamma(q, γ) across customers. It is fitted
 * on the mean value z̄ of each repeat customer's x repeat transactions.
 */
public final class GammaGamma {

    private final double p;
    private final double q;
    private final double gamma;

    /**
     * @throws IllegalArgumentException unless p, γ are positive and q is above 1 (else the
     *     population mean spend is infinite)
     */
    public GammaGamma(double p, double q, double gamma) {
        if (!(p > 0) || !(q > 1) || !(gamma > 0) || Double.isInfinite(p + q + gamma)) {
            throw new IllegalArgumentException(
                    "Gamma-Gamma needs p > 0, q > 1 and gamma > 0, got p=" + p + ", q=" + q + ", gamma=" + gamma);
        }
        this.p = p;
        this.q = q;
        this.gamma = gamma;
    }

    /** The log-density of a mean value {@code zbar} over {@code x} ≥ 1 transactions. */
    public static double logLikelihood(double p, double q, double gamma, int x, double zbar) {
        if (x < 1 || !(zbar > 0)) {
            throw new IllegalArgumentException("need x >= 1 and zbar > 0, got x=" + x + ", zbar=" + zbar);
        }
        double px = p * x;
        return Gamma.logGamma(px + q) - Gamma.logGamma(px) - Gamma.logGamma(q) + q * FastMath.log(gamma)
                + (px - 1) * FastMath.log(zbar) + px * FastMath.log(x) - (px + q) * FastMath.log(gamma + x * zbar);
    }

    /** The mean transaction value across all customers: pγ / (q − 1). */
    public double populationMean() {
        return p * gamma / (q - 1);
    }

    /**
     * The expected value of this customer's next transaction: a weighted average of the population
     * mean and the customer's own mean, weighted towards the latter the more transactions there are.
     * Without repeat transactions (x = 0) it is the population mean.
     */
    public double expectedOrderValue(int x, double zbar) {
        if (x <= 0 || !(zbar > 0)) {
            return populationMean();
        }
        return p * (gamma + x * zbar) / (p * x + q - 1);
    }
}
