package dev.pond.core.value;

import dev.pond.core.Times;
import dev.pond.model.Model;
import dev.pond.model.ModelLoader;
import dev.pond.state.OrderHistory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;
import java.util.ArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * A customer's scores from the order history: (x, t_x, T) in weeks from purchase days and times,
 * the mean repeat spend from the first day's spend, and the moment the churn risk reaches a
 * threshold.
 */
class CustomerValueTest {

    private static final long FIRST = Instant.parse("2026-01-05T10:00:00Z").toEpochMilli();
    private final Model model = ModelLoader.defaults();
    private final CustomerValue value = new CustomerValue(model);
    private final Model.Churn c = model.churn();
    private final BgNbd bgnbd = new BgNbd(c.model(), c.r(), c.alpha(), c.a(), c.b());

    /** Four purchase days over 6 weeks: 100 on the first, 900 on the three others. */
    private static OrderHistory regular() {
        return new OrderHistory(FIRST, FIRST + 6 * Times.WEEK, 5, 1000d, 4, 100d, new ArrayList<>(), new ArrayList<>());
    }

    @Test
    void aProspectHasNoScoresAndNothingToLose() {
        OrderHistory none = new OrderHistory(null, null, 0, 0d, 0, 0d, new ArrayList<>(), new ArrayList<>());

        assertThat(value.scores(none, FIRST)).isNull();
        assertThat(value.churnRisk(none, FIRST)).isZero();
        assertThat(value.reaches(none, FIRST, 0.5)).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void theScoresAreTheModelsForRepeatDaysRecencyAndAgeInWeeks() {
        long now = FIRST + 10 * Times.WEEK;
        CustomerValue.Scores s = value.scores(regular(), now);

        assertThat(s.pAlive()).isEqualTo(bgnbd.pAlive(3, 6, 10));
        assertThat(s.churnRisk()).isEqualTo(bgnbd.pNoPurchase(3, 6, 10, 90 / 7d)).isEqualTo(value.churnRisk(regular(), now));
        assertThat(s.expectedPurchases()).isEqualTo(bgnbd.expectedPurchases(3, 6, 10, 90 / 7d));
        GammaGamma spend = new GammaGamma(model.value().p(), model.value().q(), model.value().gamma());
        assertThat(s.expectedOrderValue()).isEqualTo(spend.expectedOrderValue(3, 300));
        assertThat(s.clv()).isEqualTo(Clv.value(bgnbd, 3, 6, 10, s.expectedOrderValue(), 12, 0.10));
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.5, 0.8, 0.95, 0.999})
    void theRiskReachesAThresholdAtTheReturnedSecondAndNotASecondBefore(double threshold) {
        OrderHistory h = regular();
        long now = FIRST + 6 * Times.WEEK;

        long at = value.reaches(h, now, threshold);

        assertThat(at % 1000).isZero();
        assertThat(value.churnRisk(h, at)).isGreaterThanOrEqualTo(threshold);
        assertThat(value.churnRisk(h, at - 1000)).isLessThan(threshold);
    }

    @Test
    void aThresholdAlreadyReachedIsReachedNowAndCertaintyNeverIs() {
        long now = FIRST + 300 * Times.WEEK;

        assertThat(value.reaches(regular(), now, 0.5)).isEqualTo(now);
        assertThat(value.reaches(regular(), FIRST, 1.0)).isEqualTo(Long.MAX_VALUE);
        assertThat(value.churnRisk(regular(), FIRST + 10_000 * Times.WEEK)).isCloseTo(1, within(1e-6));
    }

    @Test
    void tenYearsOfDailyOrdersGiveFiniteScoresAndAFiniteMoment() {
        long last = FIRST + 3650 * Times.DAY;
        OrderHistory daily = new OrderHistory(FIRST, last, 4000, 4e8, 3650, 1e5, new ArrayList<>(), new ArrayList<>());

        CustomerValue.Scores s = value.scores(daily, last);
        assertThat(s.pAlive()).isGreaterThan(0.99);
        // Almost only the chance that yesterday's order was the last: about a / (a + b + x).
        assertThat(s.churnRisk()).isBetween(0d, 1e-3);
        assertThat(s.expectedPurchases()).isBetween(50d, 91d);
        assertThat(s.expectedOrderValue()).isCloseTo(4e8 / 3649, within(1e3));
        assertThat(s.clv()).isFinite().isPositive();
        long sleeps = value.reaches(daily, last, 0.8);
        // Such a customer is missed within days.
        assertThat(sleeps - last).isBetween(Times.DAY, 30 * Times.DAY);
    }

    @Test
    void theMomentIsTheFirstSecondAtTheThresholdForManyCustomers() {
        java.util.Random random = new java.util.Random(7);
        for (int i = 0; i < 2000; i++) {
            int days = 1 + random.nextInt(20);
            long last = FIRST + random.nextInt(400) * Times.DAY + random.nextInt(86_400_000);
            OrderHistory h = new OrderHistory(FIRST, days == 1 ? FIRST : last, days, 100d * days, days, 100d,
                    new ArrayList<>(), new ArrayList<>());
            long now = h.getLastOrderAt() + random.nextInt(86_400_000);
            double threshold = 0.5 + 0.49 * random.nextDouble();
            long at = value.reaches(h, now, threshold);
            if (at > now) {
                assertThat(value.churnRisk(h, at)).as("case %d", i).isGreaterThanOrEqualTo(threshold);
                assertThat(value.churnRisk(h, at - 1000)).as("case %d", i).isLessThan(threshold);
            }
        }
    }

    @Test
    void twoOrdersOnTheFirstDayAreOnePurchaseWithoutRecency() {
        long evening = FIRST + 8 * Times.HOUR;
        OrderHistory sameDay = new OrderHistory(FIRST, evening, 2, 200d, 1, 200d, new ArrayList<>(), new ArrayList<>());
        OrderHistory one = new OrderHistory(FIRST, FIRST, 1, 200d, 1, 200d, new ArrayList<>(), new ArrayList<>());
        long now = FIRST + 20 * Times.DAY;

        assertThat(value.scores(sameDay, now)).isEqualTo(value.scores(one, now));
    }
}
