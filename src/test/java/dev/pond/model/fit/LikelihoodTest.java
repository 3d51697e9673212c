package dev.pond.model.fit;

import dev.pond.core.value.BgNbd;
import dev.pond.core.value.GammaGamma;
import dev.pond.model.ChurnModel;
import org.hipparchus.random.RandomDataGenerator;
import org.hipparchus.random.Well19937c;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * The fitters' fast likelihoods are the models' own likelihoods summed over the customers, and a
 * customer base that cannot identify a model is refused rather than "fitted".
 */
class LikelihoodTest {

    private static List<CustomerSummary> customers() {
        RandomDataGenerator random = RandomDataGenerator.of(new Well19937c(3));
        List<CustomerSummary> out = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            int t = random.nextInt(1, 400);
            int x = random.nextInt(0, 3) == 0 ? 0 : random.nextInt(1, 30);
            int tx = x == 0 ? 0 : random.nextInt(0, t);
            double nu = random.nextGamma(3, 1 / 10.0);
            double zbar = x == 0 ? 0 : random.nextGamma(4.0 * x, 1 / (nu * x)); // Gamma-Gamma, or it has no optimum
            out.add(new CustomerSummary("c" + i, x, tx, t, zbar, 0, 0, 0, new TreeMap<>()));
        }
        out.add(out.get(7)); // a repeated triple is one weighted term
        return out;
    }

    @ParameterizedTest
    @EnumSource(ChurnModel.class)
    void theBgNbdLikelihoodIsTheSumOfTheCustomersLikelihoods(ChurnModel kind) {
        List<CustomerSummary> customers = customers();
        BgNbd model = new BgNbd(kind, 0.6, 5.2, 0.9, 2.7);
        double sum = 0;
        for (CustomerSummary c : customers) {
            sum += model.logLikelihood(c.x(), c.tx(), c.T());
        }

        BgNbdLikelihood likelihood = BgNbdLikelihood.of(customers);

        assertThat(likelihood.customers()).isEqualTo(501);
        assertThat(likelihood.terms()).isLessThanOrEqualTo(500);
        assertThat(likelihood.value(kind, 0.6, 5.2, 0.9, 2.7)).isCloseTo(sum, within(1e-9 * Math.abs(sum)));
    }

    @Test
    void theGammaGammaFitReportsTheSumOfTheCustomersLikelihoods() {
        List<CustomerSummary> customers = customers();

        GammaGammaFit fit = GammaGammaFitter.fit(customers);

        double sum = 0;
        long repeat = 0;
        for (CustomerSummary c : customers) {
            if (c.x() >= 1) {
                sum += GammaGamma.logLikelihood(fit.p(), fit.q(), fit.gamma(), c.x(), c.zbar());
                repeat++;
            }
        }
        assertThat(fit.customers()).isEqualTo(repeat);
        assertThat(fit.logLikelihood()).isCloseTo(sum, within(1e-9 * Math.abs(sum)));
        assertThat(fit.q()).isGreaterThan(1);
    }

    @Test
    void repeatDaysThatCostNothingAreLeftOutOfTheSpendFit() {
        List<CustomerSummary> customers = new ArrayList<>(customers());
        customers.add(new CustomerSummary("free", 2, 5, 10, 0, 0, 0, 0, new TreeMap<>()));

        GammaGammaFit fit = GammaGammaFitter.fit(customers);

        assertThat(fit.skipped()).isEqualTo(1);
        assertThat(fit).usingRecursiveComparison().ignoringFields("skipped")
                .isEqualTo(GammaGammaFitter.fit(customers.subList(0, customers.size() - 1)));
    }

    @Test
    void withoutRepeatPurchasesThereIsNothingToFit() {
        List<CustomerSummary> oneTimeBuyers = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            oneTimeBuyers.add(new CustomerSummary("c" + i, 0, 0, 10 + i, 0, 0, 0, 0, new TreeMap<>()));
        }

        assertThatThrownBy(() -> BgNbdFitter.fit(ChurnModel.MBG_NBD, BgNbdLikelihood.of(oneTimeBuyers)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("the MBG_NBD fit has no maximum: ");
        assertThatThrownBy(() -> GammaGammaFitter.fit(oneTimeBuyers)).hasMessage(
                "cannot fit the Gamma-Gamma spend model: no customer has a repeat purchase with a value above 0");
    }
}
