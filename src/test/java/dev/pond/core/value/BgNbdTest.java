package dev.pond.core.value;

import dev.pond.model.ChurnModel;
import org.hipparchus.analysis.UnivariateFunction;
import java.util.function.DoubleUnaryOperator;
import org.hipparchus.analysis.integration.IterativeLegendreGaussIntegrator;
import org.hipparchus.special.Beta;
import org.hipparchus.util.FastMath;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * The BG/NBD family against the published example and against independent computations: the
 * conditional expectation by numerical integration over the dropout probability instead of the
 * hypergeometric series, the unconditional one as the mean of the distribution, which must sum to
 * one.
 */
class BgNbdTest {

    /** Fader, Hardie and Lee (2005), CDNOW sample, calibration to 1997-09-30. */
    static final BgNbd CDNOW = new BgNbd(ChurnModel.BG_NBD, 0.243, 4.414, 0.793, 2.426);

    @Test
    void thePublishedExampleCustomerExpectsAboutOneAndAQuarterPurchasesInThirtyNineWeeks() {
        // FHL 2005, section 5: x = 2, t_x = 30.43, T = 38.86 -> E[Y(39) | x, t_x, T] = 1.226.
        assertThat(CDNOW.expectedPurchases(2, 30.43, 38.86, 39)).isCloseTo(1.226, within(0.001));
    }

    @ParameterizedTest(name = "{0}: x={1}, t_x={2}, T={3}, t={4}")
    @CsvSource({
        "BG_NBD, 0, 0, 38.86, 39",
        "BG_NBD, 2, 30.43, 38.86, 39",
        "BG_NBD, 7, 35, 38, 12.86",
        "BG_NBD, 40, 100, 104, 52",
        "MBG_NBD, 0, 0, 38.86, 39",
        "MBG_NBD, 1, 2, 30, 12.86",
        "MBG_NBD, 12, 20, 60, 26",
        "MBG_NBD, 300, 150, 156, 52",
    })
    void conditionalExpectationEqualsIntegrationOverTheDropoutProbability(ChurnModel kind, int x, double tx,
            double T, double t) {
        assertMatchesIntegration(kind, 0.243, 4.414, 0.793, 2.426, x, tx, T, t);
    }

    @ParameterizedTest(name = "{0}: r={1} alpha={2} a={3} b={4} x={5} t_x={6} T={7} t={8}")
    @CsvSource({
        // a + b < 1: the series' lower parameter is negative for BG/NBD without repeat purchases.
        "BG_NBD, 0.5, 10, 0.3, 0.4, 0, 0, 0, 52",
        "BG_NBD, 0.5, 10, 0.3, 0.4, 0, 0, 20, 13",
        "BG_NBD, 5, 1, 0.3, 0.4, 0, 0, 0, 52",
        "BG_NBD, 0.5, 10, 0.3, 0.4, 3, 10, 20, 13",
        "MBG_NBD, 0.5, 10, 0.3, 0.4, 0, 0, 20, 13",
        // a + b = 1 exactly: c = 0, a pole of 2F1 that the formula does not have.
        "BG_NBD, 1, 5, 0.25, 0.75, 0, 0, 8, 26",
        // a > 1
        "MBG_NBD, 1.3, 3.7, 2.5, 6.3, 4, 12, 30, 13",
    })
    void unusualParametersToo(ChurnModel kind, double r, double alpha, double a, double b, int x, double tx, double T,
            double t) {
        assertMatchesIntegration(kind, r, alpha, a, b, x, tx, T, t);
    }

    @ParameterizedTest(name = "{0}: r={1} alpha={2} a={3} b={4}")
    @CsvSource({
        "BG_NBD, 0.243, 4.414, 0.793, 2.426",
        "MBG_NBD, 0.243, 4.414, 0.793, 2.426",
        "BG_NBD, 5, 1, 0.3, 0.4",
        "MBG_NBD, 5, 1, 0.3, 0.4",
    })
    void aNewCustomersExpectationIsTheConditionalOneWithNothingKnown(ChurnModel kind, double r, double alpha,
            double a, double b) {
        BgNbd model = new BgNbd(kind, r, alpha, a, b);
        for (double t : new double[] {1, 13, 52, 520}) {
            double e = model.expectedPurchases(t);
            assertThat(e).isCloseTo(model.expectedPurchases(0, 0, 0, t), within(1e-9 * (1 + e)));
        }
    }

    private static void assertMatchesIntegration(ChurnModel kind, double r, double alpha, double a, double b, int x,
            double tx, double T, double t) {
        BgNbd model = new BgNbd(kind, r, alpha, a, b);
        int s = kind == ChurnModel.MBG_NBD ? 1 : 0;
        // Alive at T: p ~ beta(a, B), B = b + x + s, λ ~ gamma(r + x, alpha + T); an alive customer
        // with (λ, p) makes g(p) = (1 - E[e^(-λpt)]) / p purchases on average in t. The beta density
        // may be singular at both ends: below 1/2 substitute p = u^(1/a), above it 1 - p = w^(1/B).
        double bb = b + x + s;
        double logNorm = Beta.logBeta(a, bb);
        DoubleUnaryOperator g = p -> -FastMath.expm1(-(r + x) * FastMath.log1p(p * t / (alpha + T))) / p;
        UnivariateFunction low = u -> {
            double p = FastMath.pow(u, 1 / a);
            return u == 0 ? 0 : g.applyAsDouble(p) * FastMath.exp((bb - 1) * FastMath.log1p(-p) - logNorm) / a;
        };
        UnivariateFunction high = w -> {
            double p = 1 - FastMath.pow(w, 1 / bb);
            return g.applyAsDouble(p) * FastMath.exp((a - 1) * FastMath.log(p) - logNorm) / bb;
        };
        double integral = piecewise(low, FastMath.pow(0.5, a)) + piecewise(high, FastMath.pow(0.5, bb));

        double expected = integral * model.pAlive(x, tx, T);

        assertThat(model.expectedPurchases(x, tx, T, t)).isCloseTo(expected, within(1e-7 * (1 + expected)));
    }

    /** The integral of f over [0, to], piece by piece on a geometric grid: the mass may sit close to 0. */
    private static double piecewise(UnivariateFunction f, double to) {
        double integral = 0;
        double lower = 0;
        for (double upper = to * 1e-16; upper < to; upper *= 2) {
            integral += new IterativeLegendreGaussIntegrator(16, 1e-13, 1e-15).integrate(1_000_000, f, lower, upper);
            lower = upper;
        }
        return integral + new IterativeLegendreGaussIntegrator(16, 1e-13, 1e-15).integrate(1_000_000, f, lower, to);
    }

    @ParameterizedTest
    @EnumSource(ChurnModel.class)
    void theDistributionOfRepeatPurchasesSumsToOneAndItsMeanIsTheExpectation(ChurnModel kind) {
        BgNbd model = new BgNbd(kind, 0.243, 4.414, 0.793, 2.426);
        double[] logP = model.logProbabilities(2000, 39);
        double sum = 0;
        double mean = 0;
        for (int k = 0; k < logP.length; k++) {
            sum += FastMath.exp(logP[k]);
            mean += k * FastMath.exp(logP[k]);
        }
        assertThat(sum).isCloseTo(1, within(1e-9));
        assertThat(model.expectedPurchases(39)).isCloseTo(mean, within(1e-7));
    }

    @Test
    void bgNbdKeepsEveryoneWithoutRepeatPurchasesAliveTheModifiedModelDoesNot() {
        BgNbd modified = new BgNbd(ChurnModel.MBG_NBD, 0.243, 4.414, 0.793, 2.426);

        assertThat(CDNOW.pAlive(0, 0, 500)).isEqualTo(1);
        assertThat(modified.pAlive(0, 0, 0)).isCloseTo(2.426 / (2.426 + 0.793), within(1e-12));
        assertThat(modified.pAlive(0, 0, 500)).isLessThan(modified.pAlive(0, 0, 50)).isLessThan(0.5);
    }

    @ParameterizedTest
    @EnumSource(ChurnModel.class)
    void theChanceOfNoPurchaseGrowsWhileNothingIsBoughtAndShrinksWithEveryPurchase(ChurnModel kind) {
        BgNbd model = new BgNbd(kind, 0.243, 4.414, 0.793, 2.426);
        double previous = 0;
        for (double T = 10; T <= 400; T += 10) {
            double p = model.pNoPurchase(3, 10, T, 12.86);
            assertThat(p).isGreaterThan(previous).isLessThanOrEqualTo(1);
            previous = p;
        }
        assertThat(model.pNoPurchase(10, 20, 20, 12.86)).isLessThan(model.pNoPurchase(3, 20, 20, 12.86));
        // Alive for sure and buying every week: hardly any chance of 13 quiet weeks.
        assertThat(model.pNoPurchase(200, 200, 200, 12.86)).isLessThan(0.01);
    }

    @ParameterizedTest(name = "{0}: r={1} alpha={2} a={3} b={4} x={5} t_x={6} T={7}")
    @CsvSource({
        "BG_NBD, 0.243, 4.414, 0.793, 2.426, 5000, 999, 1000",
        "MBG_NBD, 0.243, 4.414, 0.793, 2.426, 5000, 999, 1000",
        "BG_NBD, 0.243, 4.414, 0.793, 2.426, 100000, 5000, 5200",
        "MBG_NBD, 0.243, 4.414, 0.793, 2.426, 0, 0, 100000",
        "MBG_NBD, 0.243, 4.414, 0.793, 2.426, 2000, 0.5, 5200",
        "BG_NBD, 0.243, 4.414, 0.793, 2.426, 0, 0, 0",
        "MBG_NBD, 0.001, 1000, 50, 0.01, 3000, 1, 2000",
        "BG_NBD, 50, 0.001, 0.01, 50, 1000, 500, 501",
        "MBG_NBD, 2, 3, 1.0000000001, 4, 20, 10, 30",
        "BG_NBD, 2, 3, 1, 0.5, 1, 1, 1",
    })
    void extremeInputsGiveFiniteProbabilitiesAndExpectations(ChurnModel kind, double r, double alpha, double a,
            double b, int x, double tx, double T) {
        BgNbd model = new BgNbd(kind, r, alpha, a, b);

        // A density in t_x, so it may exceed 1: finite is what counts.
        assertThat(model.logLikelihood(x, tx, T)).isFinite();
        assertThat(model.pAlive(x, tx, T)).isBetween(0d, 1d);
        assertThat(model.pNoPurchase(x, tx, T, 12.86)).isBetween(0d, 1d);
        assertThat(model.expectedPurchases(x, tx, T, 12.86)).isFinite().isGreaterThanOrEqualTo(0);
        assertThat(model.expectedPurchases(x, tx, T, 520)).isFinite().isGreaterThanOrEqualTo(0);
        assertThat(model.expectedPurchases(520)).isFinite().isGreaterThanOrEqualTo(0);
        for (double lp : model.logProbabilities(50, 52)) {
            assertThat(lp).isLessThanOrEqualTo(1e-12).isNotNaN();
        }
    }

    @Test
    void aCustomerWhoBuysEveryDayForYearsIsExpectedToGoOnBuying() {
        BgNbd modified = new BgNbd(ChurnModel.MBG_NBD, 0.243, 4.414, 0.793, 2.426);
        // 3 years of daily purchases, the last one yesterday.
        double e = modified.expectedPurchases(1095, 156.3, 156.4, 12.86);
        assertThat(modified.pAlive(1095, 156.3, 156.4)).isGreaterThan(0.99);
        assertThat(e).isGreaterThan(50).isLessThan(12.86 * 7 + 1);
    }

    @Test
    void refusesParametersAndInputsItCannotWorkWith() {
        assertThatThrownBy(() -> new BgNbd(ChurnModel.BG_NBD, 0, 1, 1, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("r=0.0");
        assertThatThrownBy(() -> new BgNbd(ChurnModel.BG_NBD, 1, Double.NaN, 1, 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CDNOW.pAlive(1, 10, 5))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("t_x=10.0, T=5.0");
        assertThatThrownBy(() -> CDNOW.pNoPurchase(1, 1, 5, -1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-1.0");
    }
}
