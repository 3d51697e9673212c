package dev.pond.core;

import dev.pond.events.ClickType;
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
import static org.assertj.core.api.Assertions.tuple;

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

    @Test
    void actionsEarnUpToTheirDailyCapPerLocalDay() {
        Instant day = Instant.parse("2026-03-10T01:00:00Z"); // 09:00 in Shanghai, the model's zone
        for (int i = 0; i < 3; i++) {
            s = scorer.onClick(s, Events.click("c" + i, hours(day, i), ClickType.CHECKIN), NO_WATERMARK, out);
        }
        assertThat(s.getPoints()).as("one check-in a day").isEqualTo(5);
        for (int i = 0; i < 4; i++) {
            s = scorer.onClick(s, Events.click("s" + i, hours(day, i), ClickType.SHARE), NO_WATERMARK, out);
        }
        assertThat(s.getPoints()).as("three shares a day").isEqualTo(35);
        s = scorer.onRead(s, Events.read(hours(day, 2), true, 0, 0, 5), NO_WATERMARK, out);
        assertThat(s.getPoints()).as("an opened article, and its shares over the day's cap: none").isEqualTo(37);
        s = scorer.onRead(s, Events.read(hours(day, 3), false, 0, 0, 0), NO_WATERMARK, out);
        assertThat(s.getPoints()).as("a push never opened").isEqualTo(37);

        Instant nextDay = Instant.parse("2026-03-10T16:00:00Z"); // 00:00 on the 11th in Shanghai
        s = scorer.onClick(s, Events.click("c9", nextDay, ClickType.CHECKIN), NO_WATERMARK, out);
        assertThat(s.getPoints()).isEqualTo(42);
        s = scorer.onClick(s, Events.click("c8", hours(day, -24), ClickType.CHECKIN), NO_WATERMARK, out);
        assertThat(s.getPoints()).as("a check-in of the 9th, more than a day behind the 11th").isEqualTo(42);
        s = scorer.onClick(s, Events.click("c7", hours(day, 4), ClickType.CHECKIN), NO_WATERMARK, out);
        assertThat(s.getPoints()).as("the 10th's check-in was had").isEqualTo(42);
        assertThat(s.getActionCounts()).hasSizeLessThanOrEqualTo(6);
    }

    @Test
    void pointsExpireByTheMonthTheyWereEarnedInAndSpendingTakesTheOldestFirst() {
        apply(order("o1", OrderStatus.PAID, Instant.parse("2026-03-05T02:00:00Z"), 300));
        apply(order("o2", OrderStatus.PAID, Instant.parse("2026-05-05T02:00:00Z"), 200));
        apply(redeeming(order("o3", OrderStatus.PAID, Instant.parse("2026-06-05T02:00:00Z"), 0), 350));
        assertThat(s.getPoints()).isEqualTo(150);
        assertThat(s.getPointBatches()).extracting(b -> b.getMonth() % 12 + 1, b -> b.getPoints())
                .as("March's 300 and 50 of May's spent").containsExactly(tuple(5, 150L));

        // Gone on 1 June 2027, 00:00 in Shanghai: an event after it finds them gone.
        s = scorer.onClick(s, Events.click("c1", Instant.parse("2027-05-31T15:59:59Z"), ClickType.PAGE_VIEW),
                NO_WATERMARK, out);
        assertThat(s.getPoints()).isEqualTo(150);
        s = scorer.onClick(s, Events.click("c2", Instant.parse("2027-05-31T16:00:00Z"), ClickType.PAGE_VIEW),
                NO_WATERMARK, out);
        assertThat(s.getPoints()).isZero();
        assertThat(s.getPointBatches()).isEmpty();
    }

    @Test
    void aRefundGivesBackWhatItSpentAsPointsOfTheMonthItWasPaidIn() {
        apply(order("o1", OrderStatus.PAID, Instant.parse("2026-03-05T02:00:00Z"), 300));
        apply(redeeming(order("o2", OrderStatus.PAID, Instant.parse("2026-04-05T02:00:00Z"), 100), 300));
        assertThat(s.getPointBatches()).extracting(b -> b.getMonth() % 12 + 1, b -> b.getPoints())
                .containsExactly(tuple(4, 100L));

        apply(redeeming(order("o2", OrderStatus.REFUNDED, Instant.parse("2026-07-05T02:00:00Z"), 100), 300));

        assertThat(s.getPoints()).isEqualTo(300);
        assertThat(s.getPointBatches()).extracting(b -> b.getMonth() % 12 + 1, b -> b.getPoints())
                .as("April's: not younger than the refund, and the 100 it earned taken back").containsExactly(tuple(4, 300L));
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
