package dev.pond.core.value;

import dev.pond.model.ChurnModel;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Lifetime value: expected purchases month by month, times the order value, discounted. */
class ClvTest {

    private final BgNbd purchases = new BgNbd(ChurnModel.MBG_NBD, 0.243, 4.414, 0.793, 2.426);

    @Test
    void withoutDiscountingItIsTheExpectedPurchasesOfTheHorizonTimesTheOrderValue() {
        double clv = Clv.value(purchases, 3, 20, 30, 50, 12, 0);

        assertThat(clv).isCloseTo(50 * purchases.expectedPurchases(3, 20, 30, 12 * Clv.WEEKS_PER_MONTH), within(1e-9));
    }

    @Test
    void discountingLowersItAndALongerHorizonRaisesIt() {
        double plain = Clv.value(purchases, 3, 20, 30, 50, 12, 0);
        double discounted = Clv.value(purchases, 3, 20, 30, 50, 12, 0.10);

        assertThat(discounted).isLessThan(plain).isGreaterThan(plain / 1.10);
        assertThat(Clv.value(purchases, 3, 20, 30, 50, 24, 0.10)).isGreaterThan(discounted);
        // Value comes from the coming purchases: a customer gone quiet for years is worth little.
        assertThat(Clv.value(purchases, 3, 20, 300, 50, 12, 0.10)).isLessThan(discounted / 10);
    }

    @Test
    void aHeavyBuyerOverTenYearsIsFinite() {
        assertThat(Clv.value(purchases, 5000, 999, 1000, 1e6, 120, 0.10)).isFinite().isPositive();
    }
}
