package dev.pond.model.fit;

import dev.pond.core.value.BgNbd;
import dev.pond.model.ChurnModel;

/**
 * A maximum-likelihood fit of one BG/NBD-family model (time unit weeks).
 *
 * @param logLikelihood the maximised log-likelihood, summed over {@code customers}
 * @param evaluations how many times the likelihood was computed
 */
public record BgNbdFit(ChurnModel kind, double r, double alpha, double a, double b, double logLikelihood,
        long customers, int evaluations) {

    /** The fitted model, ready to score customers. */
    public BgNbd model() {
        return new BgNbd(kind, r, alpha, a, b);
    }
}
