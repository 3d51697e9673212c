package dev.pond.core.value;

import org.hipparchus.analysis.integration.IterativeLegendreGaussIntegrator;
import org.hipparchus.util.FastMath;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** The Gamma-Gamma spend model with the published CDNOW parameters (Fader and Hardie 2013). */
class GammaGammaTest {

    private static final double P = 6.25;
    private static final double Q = 3.74;
    private static final double GAMMA = 15.44;
    private final GammaGamma model = new GammaGamma(P, Q, GAMMA);

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 5, 20})
    void theDensityOfTheMeanSpendIntegratesToOne(int x) {
        double total = 0;
        double lower = 0;
        for (double upper = 1; upper <= 1e6; upper *= 2) {
            total += new IterativeLegendreGaussIntegrator(16, 1e-12, 1e-14).integrate(1_000_000,
                    z -> z == 0 ? 0 : FastMath.exp(GammaGamma.logLikelihood(P, Q, GAMMA, x, z)), lower, upper);
            lower = upper;
        }
        assertThat(total).isCloseTo(1, within(1e-8));
    }

    @Test
    void theExpectedOrderValueMovesFromTheShopsMeanToTheCustomersOwnWithMoreOrders() {
        double mean = P * GAMMA / (Q - 1);
        assertThat(model.populationMean()).isCloseTo(35.22, within(0.01));
        assertThat(model.expectedOrderValue(0, 0)).isEqualTo(mean);

        // A weighted average: (q - 1) / (px + q - 1) of the shop's mean, the rest the customer's own.
        double w = (Q - 1) / (P * 1 + Q - 1);
        assertThat(model.expectedOrderValue(1, 100)).isCloseTo(w * mean + (1 - w) * 100, within(1e-9));
        assertThat(model.expectedOrderValue(1000, 100)).isCloseTo(100, within(0.1));
        assertThat(model.expectedOrderValue(1_000_000, 1e7)).isFinite();
    }

    @Test
    void refusesParametersWithoutAFiniteMean() {
        assertThatThrownBy(() -> new GammaGamma(1, 1, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("q=1.0");
        assertThatThrownBy(() -> GammaGamma.logLikelihood(P, Q, GAMMA, 0, 10)).isInstanceOf(IllegalArgumentException.class);
    }
}
