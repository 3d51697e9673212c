package dev.pond.core;

import dev.pond.events.OrderEvent;
import dev.pond.events.OrderStatus;
import dev.pond.out.Profile;
import dev.pond.state.UserState;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static dev.pond.core.Events.T0;
import static dev.pond.core.Events.days;
import static dev.pond.core.Events.hours;
import static dev.pond.core.Events.order;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link Points} through {@link UserScorer}: a paid order earns whole points for its total (1 per
 * currency unit by default, rounded down), a redemption spends them when the order is paid, a
 * refund takes back what the order earned and gives back what it spent; each order moves the
 * balance once; the balance is never negative; the profile says the balance.
 */
class PointsTest {

    private static final long NO_WATERMARK = Long.MIN_VALUE;

    private final UserScorer scorer = new UserScorer(Events.defaults());
    private final Emissions out = new Emissions();
    private UserState s;

    @Test
    void aPaidOrderOf1234Point50Earns1234PointsAndItsRefundTakesThemBack() {
        Instant paidAt = hours(T0, 1);
        apply(order("o1", OrderStatus.PLACED, T0, 1234.50));
        assertThat(s.getPoints()).as("a placed order earns nothing yet").isZero();

        Profile paid = apply(order("o1", OrderStatus.PAID, paidAt, 1234.50));

        assertThat(s.getPoints()).isEqualTo(1234);
        assertThat(paid.getPoints()).isEqualTo(1234);

        Profile refunded = apply(order("o1", OrderStatus.REFUNDED, days(paidAt, 3), 1234.50));

        assertThat(s.getPoints()).isZero();
        assertThat(refunded.getPoints()).isZero();
    }

    @Test
    void aRedemptionSpendsWhenPaidAndItsRefundGivesItBack() {
        apply(order("o1", OrderStatus.PAID, T0, 500));
        OrderEvent second = redeeming(order("o2", OrderStatus.PAID, days(T0, 10), 80), 300);

        Profile after = apply(second);

        assertThat(after.getPoints()).as("500 + 80 earned - 300 spent").isEqualTo(280);

        apply(redeeming(order("o2", OrderStatus.REFUNDED, days(T0, 12), 80), 300));

        assertThat(s.getPoints()).as("the 80 taken back, the 300 given back").isEqualTo(500);
    }

    @Test
    void eachOrderMovesTheBalanceOnceAndNeverBelowZero() {
        apply(order("o1", OrderStatus.PAID, T0, 100));
        apply(order("o1", OrderStatus.PAID, hours(T0, 1), 100)); // the same payment again
        assertThat(s.getPoints()).isEqualTo(100);

        // More redeemed than Pond has seen earned (points from before Pond): what there is is spent.
        apply(redeeming(order("o2", OrderStatus.PAID, days(T0, 1), 10), 5000));
        assertThat(s.getPoints()).isZero();

        apply(order("o1", OrderStatus.REFUNDED, days(T0, 2), 100));
        apply(order("o1", OrderStatus.REFUNDED, days(T0, 3), 100));
        assertThat(s.getPoints()).as("100 to take back from 0: nothing left, and once").isZero();

        apply(redeeming(order("o2", OrderStatus.REFUNDED, days(T0, 4), 10), 5000));
        assertThat(s.getPoints()).as("o2 spent 110 (its own 10 and the 100 there were): given back, less the 10 it earned").isEqualTo(100);
    }

    @Test
    void theModelSetsTheRateAndZeroEarnsNothing() {
        UserScorer tenth = new UserScorer(Events.model("points: {perCurrencyUnit: 0.1}"));
        s = tenth.onOrder(null, order("o1", OrderStatus.PAID, T0, 1230), NO_WATERMARK, out);
        assertThat(s.getPoints()).isEqualTo(123);

        UserScorer none = new UserScorer(Events.model("points: {perCurrencyUnit: 0}"));
        s = none.onOrder(null, order("o1", OrderStatus.PAID, T0, 1230), NO_WATERMARK, out);
        assertThat(s.getPoints()).isZero();
    }

    private Profile apply(OrderEvent e) {
        out.clear();
        s = scorer.onOrder(s, e, NO_WATERMARK, out);
        return out.profile;
    }

    private static OrderEvent redeeming(OrderEvent e, int points) {
        e.setPointsRedeemed(points);
        return e;
    }
}
