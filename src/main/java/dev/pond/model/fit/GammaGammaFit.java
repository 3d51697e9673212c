package dev.pond.model.fit;

/**
 * A maximum-likelihood fit of the Gamma-Gamma spend model.
 *
 * @param customers repeat customers it was fitted on
 * @param skipped repeat customers left out because their repeat days cost nothing (z̄ = 0 has
 *     no density under the model)
 */
public record GammaGammaFit(double p, double q, double gamma, double logLikelihood, long customers, long skipped,
        int evaluations) {

    /** The mean order value of a new customer, pγ / (q − 1). */
    public double populationMean() {
        return p * gamma / (q - 1);
    }
}
