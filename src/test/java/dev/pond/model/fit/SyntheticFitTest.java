package dev.pond.model.fit;

import dev.pond.model.ChurnModel;
import org.hipparchus.random.RandomDataGenerator;
import org.hipparchus.random.Well19937c;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.withinPercentage;

/**
 * The fitters recover the parameters of 20,000 customers drawn from the models themselves
 * (r = 1, α = 3, a = 1.5, b = 5 over 26 to 104 weeks; p = 6, q = 4, γ = 15).
 *
 * <p>The tolerances are about three standard deviations of the estimates, measured over sixteen
 * draws (eight seeds, both models): r 1.5 %, α 2.0 %, a 1.6 %, b 2.5 %; Gamma-Gamma q 1.6 %,
 * the mean spend pγ/(q − 1) 0.7 %, but p 4.3 % and γ 5.1 %, which trade off against each other.
 * The customers are drawn in
 * continuous time and handed to the fitter as (x, tₓ, T) with tₓ and T rounded to days, so that
 * what is tested is the fit, not the day granularity of the order summaries: drawn as orders and
 * merged into purchase days, heavy buyers lose the purchases that fall on one day, which lowers
 * the fitted mean rate by a few per cent at these rates.
 */
class SyntheticFitTest {

    private static final double R = 1.0;
    private static final double ALPHA = 3.0;
    private static final double A = 1.5;
    private static final double B = 5.0;
    private static final double P = 6.0;
    private static final double Q = 4.0;
    private static final double GAMMA = 15.0;

    @ParameterizedTest
    @EnumSource(ChurnModel.class)
    void theFitRecoversTheParametersTheCustomersWereDrawnFrom(ChurnModel kind) {
        List<CustomerSummary> customers = draw(kind, 20_000, 1);

        BgNbdFit fit = BgNbdFitter.fit(kind, BgNbdLikelihood.of(customers));
        GammaGammaFit spend = GammaGammaFitter.fit(customers);

        assertThat(fit.customers()).isEqualTo(20_000);
        assertThat(fit.r()).isCloseTo(R, withinPercentage(5));
        assertThat(fit.alpha()).isCloseTo(ALPHA, withinPercentage(6));
        assertThat(fit.a()).isCloseTo(A, withinPercentage(5));
        assertThat(fit.b()).isCloseTo(B, withinPercentage(8));
        assertThat(spend.q()).isCloseTo(Q, withinPercentage(5));
        assertThat(spend.populationMean()).isCloseTo(P * GAMMA / (Q - 1), withinPercentage(2));
        assertThat(spend.p()).isCloseTo(P, withinPercentage(13));
        assertThat(spend.gamma()).isCloseTo(GAMMA, withinPercentage(15));
    }

    /** Customers observed for 26 to 104 weeks after their first purchase. */
    private static List<CustomerSummary> draw(ChurnModel kind, int n, long seed) {
        RandomDataGenerator random = RandomDataGenerator.of(new Well19937c(seed));
        List<CustomerSummary> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int tDays = random.nextInt(182, 728);
            double lambda = random.nextGamma(R, 1 / ALPHA);
            double dropout = random.nextBeta(A, B);
            int x = 0;
            double t = 0;
            double tx = 0;
            boolean alive = kind == ChurnModel.BG_NBD || random.nextUniform(0, 1) >= dropout;
            while (alive) {
                t += random.nextExponential(1 / lambda);
                if (t > tDays / 7.0) {
                    break;
                }
                x++;
                tx = t;
                alive = random.nextUniform(0, 1) >= dropout;
            }
            // The mean of x values gamma(p, ν) is gamma(px, νx).
            double nu = random.nextGamma(Q, 1 / GAMMA);
            double zbar = x == 0 ? 0 : random.nextGamma(P * x, 1 / (nu * x));
            int txDays = (int) Math.min(tDays, Math.round(tx * 7));
            out.add(new CustomerSummary("c" + i, x, txDays, tDays, zbar, 0, 0, 0, new TreeMap<>()));
        }
        return out;
    }
}
