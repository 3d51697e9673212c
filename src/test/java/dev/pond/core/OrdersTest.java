package dev.pond.core;

import dev.pond.events.OrderStatus;
import dev.pond.model.Model;
import dev.pond.state.MonthBucket;
import dev.pond.state.OrderHistory;
import dev.pond.state.OrderRef;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static dev.pond.core.Events.emptyHistory;
import static dev.pond.core.Events.minutes;
import static dev.pond.core.Events.ms;
import static dev.pond.core.Events.order;
import static dev.pond.core.Events.paid;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * {@link Orders}: an order counts once, when paid; a refund undoes it (lifetime, month bucket,
 * last order); a cancellation before payment counts nothing, and a PAID after a cancellation does
 * not count; the remembered orders are bounded; the rolling window (12 calendar months including
 * the current one) gives the window orders and spend, and its oldest bucket expires at the start of
 * the month twelve months after it.
 */
class OrdersTest {

    private static final Instant JAN_20 = Instant.parse("2025-01-20T09:00:00Z");
    private static final Instant MAR_10 = Instant.parse("2025-03-10T10:00:00Z");
    private static final Instant JUN_05 = Instant.parse("2025-06-05T12:00:00Z");
    private static final Instant JUN_20 = Instant.parse("2025-06-20T12:00:00Z");
    /** Months since 1970-01 of January, March and June 2025. */
    private static final int JAN = 55 * 12;
    private static final int MAR = JAN + 2;
    private static final int JUN = JAN + 5;

    private final Model model = Events.defaults();
    private final Orders orders = new Orders(model);

    @Test
    void placedThenPaidCountsOnePurchaseAtThePaymentTime() {
        OrderHistory h = emptyHistory();

        assertThat(orders.apply(h, order("o1", OrderStatus.PLACED, MAR_10, 120))).isEqualTo(Orders.Effect.NONE);
        assertThat(h.getLifetimeOrders()).isZero();
        assertThat(h.getRecent()).extracting(OrderRef::getCheckoutAt).containsExactly(ms(MAR_10));
        assertThat(Orders.hasPurchases(h)).isFalse();

        Instant paidAt = minutes(MAR_10, 5);
        assertThat(orders.apply(h, order("o1", OrderStatus.PAID, paidAt, 120))).isEqualTo(Orders.Effect.PURCHASED);

        assertThat(h.getLifetimeOrders()).isEqualTo(1);
        assertThat(h.getLifetimeSpend()).isEqualTo(120.0);
        assertThat(h.getFirstOrderAt()).isEqualTo(ms(paidAt));
        assertThat(h.getLastOrderAt()).isEqualTo(ms(paidAt));
        assertThat(h.getMonths()).extracting(MonthBucket::getMonth, MonthBucket::getOrders, MonthBucket::getSpend)
                .containsExactly(tuple(MAR, 1, 120.0));
        assertThat(h.getRecent()).extracting(OrderRef::getOrderId, OrderRef::getCheckoutAt, OrderRef::getPaidAt,
                OrderRef::getClosed).containsExactly(tuple("o1", ms(MAR_10), ms(paidAt), false));
        assertThat(Orders.hasPurchases(h)).isTrue();
    }

    @Test
    void aDuplicatePaidCountsOnce() {
        OrderHistory h = emptyHistory();
        orders.apply(h, paid("o1", MAR_10, 120));

        assertThat(orders.apply(h, paid("o1", minutes(MAR_10, 1), 120))).isEqualTo(Orders.Effect.NONE);

        assertThat(h.getLifetimeOrders()).isEqualTo(1);
        assertThat(h.getLifetimeSpend()).isEqualTo(120.0);
        assertThat(h.getMonths()).extracting(MonthBucket::getOrders).containsExactly(1);
        assertThat(h.getLastOrderAt()).isEqualTo(ms(MAR_10));
    }

    @Test
    void aRefundUndoesThePurchaseAndTheLastOrderFallsBackToThePreviousOne() {
        OrderHistory h = emptyHistory();
        orders.apply(h, paid("o1", JAN_20, 100));
        orders.apply(h, paid("o2", MAR_10, 250));

        assertThat(orders.apply(h, order("o2", OrderStatus.REFUNDED, JUN_05, 250))).isEqualTo(Orders.Effect.UNDONE);

        assertThat(h.getLifetimeOrders()).isEqualTo(1);
        assertThat(h.getLifetimeSpend()).isEqualTo(100.0);
        assertThat(h.getLastOrderAt()).isEqualTo(ms(JAN_20));
        assertThat(h.getFirstOrderAt()).isEqualTo(ms(JAN_20));
        // The refund is taken out of the month the order was paid in, not the month of the refund.
        assertThat(h.getMonths()).extracting(MonthBucket::getMonth, MonthBucket::getOrders, MonthBucket::getSpend)
                .containsExactly(tuple(JAN, 1, 100.0), tuple(MAR, 0, 0.0));
        assertThat(orders.windowOrders(h, ms(JUN_05))).isEqualTo(1);
        assertThat(orders.windowSpend(h, ms(JUN_05))).isEqualTo(100.0);

        assertThat(orders.apply(h, order("o2", OrderStatus.REFUNDED, JUN_20, 250))).isEqualTo(Orders.Effect.NONE);
        assertThat(h.getLifetimeOrders()).isEqualTo(1);
    }

    @Test
    void refundingAnOlderOrderKeepsTheLastOrder() {
        OrderHistory h = emptyHistory();
        orders.apply(h, paid("o1", JAN_20, 100));
        orders.apply(h, paid("o2", MAR_10, 250));

        orders.apply(h, order("o1", OrderStatus.REFUNDED, JUN_05, 100));

        assertThat(h.getLastOrderAt()).isEqualTo(ms(MAR_10));
        assertThat(h.getLifetimeOrders()).isEqualTo(1);
        assertThat(h.getLifetimeSpend()).isEqualTo(250.0);
    }

    @Test
    void refundingTheOnlyOrderLeavesNoPurchase() {
        OrderHistory h = emptyHistory();
        orders.apply(h, paid("o1", MAR_10, 120));

        orders.apply(h, order("o1", OrderStatus.REFUNDED, JUN_05, 120));

        assertThat(h.getLifetimeOrders()).isZero();
        assertThat(h.getLifetimeSpend()).isZero();
        assertThat(h.getLastOrderAt()).isNull();
        assertThat(Orders.hasPurchases(h)).isFalse();
        assertThat(orders.windowOrders(h, ms(JUN_05))).isZero();
    }

    @Test
    void aRefundOfAnOrderWhoseMonthLeftTheWindowLeavesNoNegativeBucket() {
        OrderHistory h = emptyHistory();
        Instant longAgo = Instant.parse("2024-01-10T10:00:00Z");
        orders.apply(h, paid("o1", longAgo, 80));
        orders.prune(h, ms(MAR_10));
        assertThat(h.getMonths()).isEmpty();

        orders.apply(h, order("o1", OrderStatus.REFUNDED, MAR_10, 80));

        assertThat(h.getMonths()).isEmpty();
        assertThat(h.getLifetimeOrders()).isZero();
    }

    @Test
    void aCancellationBeforePaymentCountsNothing() {
        OrderHistory h = emptyHistory();

        assertThat(orders.apply(h, order("o1", OrderStatus.PLACED, MAR_10, 120))).isEqualTo(Orders.Effect.NONE);
        assertThat(orders.apply(h, order("o1", OrderStatus.CANCELLED, minutes(MAR_10, 10), 120)))
                .isEqualTo(Orders.Effect.NONE);

        assertThat(h.getLifetimeOrders()).isZero();
        assertThat(h.getLifetimeSpend()).isZero();
        assertThat(h.getMonths()).isEmpty();
        assertThat(h.getFirstOrderAt()).isNull();
        assertThat(h.getLastOrderAt()).isNull();
        assertThat(Orders.hasPurchases(h)).isFalse();
    }

    @Test
    void aPaidThatArrivesAfterTheCancellationDoesNotCount() {
        OrderHistory placedFirst = emptyHistory();
        orders.apply(placedFirst, order("o1", OrderStatus.PLACED, MAR_10, 120));
        orders.apply(placedFirst, order("o1", OrderStatus.CANCELLED, minutes(MAR_10, 10), 120));

        assertThat(orders.apply(placedFirst, paid("o1", minutes(MAR_10, 5), 120))).isEqualTo(Orders.Effect.NONE);
        assertThat(placedFirst.getLifetimeOrders()).isZero();
        assertThat(placedFirst.getMonths()).isEmpty();

        OrderHistory cancelledFirst = emptyHistory();
        orders.apply(cancelledFirst, order("o1", OrderStatus.CANCELLED, minutes(MAR_10, 10), 120));

        assertThat(orders.apply(cancelledFirst, paid("o1", minutes(MAR_10, 5), 120))).isEqualTo(Orders.Effect.NONE);
        assertThat(cancelledFirst.getLifetimeOrders()).isZero();
        assertThat(Orders.hasPurchases(cancelledFirst)).isFalse();
    }

    @Test
    void theRememberedOrdersAreBoundedByMaxRecentOrders() {
        assertThat(model.limits().maxRecentOrders()).isEqualTo(16);
        OrderHistory h = emptyHistory();
        for (int i = 1; i <= 17; i++) {
            orders.apply(h, order("o" + i, OrderStatus.PLACED, minutes(MAR_10, i), 10));
        }

        assertThat(h.getRecent()).hasSize(16);
        assertThat(h.getRecent().get(0).getOrderId()).isEqualTo("o2");
        assertThat(h.getRecent().get(15).getOrderId()).isEqualTo("o17");
    }

    @Test
    void theWindowIsTwelveCalendarMonthsIncludingTheCurrentOne() {
        OrderHistory h = emptyHistory();
        orders.apply(h, paid("o1", JAN_20, 100));
        orders.apply(h, paid("o2", JUN_05, 300));
        orders.apply(h, paid("o3", JUN_20, 50));

        long lastMomentOfDecember = ms(Instant.parse("2025-12-31T23:59:59.999Z"));
        long newYear = ms(Instant.parse("2026-01-01T00:00:00Z"));

        assertThat(orders.windowOrders(h, lastMomentOfDecember)).isEqualTo(3);
        assertThat(orders.windowSpend(h, lastMomentOfDecember)).isEqualTo(450.0);
        assertThat(orders.windowOrders(h, newYear)).isEqualTo(2);
        assertThat(orders.windowSpend(h, newYear)).isEqualTo(350.0);
    }

    @Test
    void pruneDropsTheBucketsThatLeftTheWindowAndKeepsTheLifetime() {
        OrderHistory h = emptyHistory();
        orders.apply(h, paid("o1", JAN_20, 100));
        orders.apply(h, paid("o2", JUN_05, 300));
        orders.apply(h, paid("o3", JUN_20, 50));

        orders.prune(h, ms(Instant.parse("2025-12-31T23:59:59.999Z")));
        assertThat(h.getMonths()).extracting(MonthBucket::getMonth).containsExactly(JAN, JUN);

        orders.prune(h, ms(Instant.parse("2026-01-01T00:00:00Z")));
        assertThat(h.getMonths()).extracting(MonthBucket::getMonth, MonthBucket::getOrders, MonthBucket::getSpend)
                .containsExactly(tuple(JUN, 2, 350.0));
        assertThat(h.getLifetimeOrders()).isEqualTo(3);
        assertThat(h.getLifetimeSpend()).isEqualTo(450.0);
    }

    @Test
    void theNextExpiryIsTheStartOfTheMonthTwelveMonthsAfterTheOldestBucket() {
        OrderHistory h = emptyHistory();
        assertThat(orders.nextExpiry(h)).isEqualTo(Long.MAX_VALUE);

        orders.apply(h, paid("o2", JUN_05, 300));
        orders.apply(h, paid("o1", JAN_20, 100));

        assertThat(orders.nextExpiry(h)).isEqualTo(ms(Instant.parse("2026-01-01T00:00:00Z")));

        orders.prune(h, ms(Instant.parse("2026-01-01T00:00:00Z")));
        assertThat(orders.nextExpiry(h)).isEqualTo(ms(Instant.parse("2026-06-01T00:00:00Z")));
    }

    @Test
    void theChurnModelCountsPurchaseDaysAndTheFirstDaysSpend() {
        OrderHistory h = emptyHistory();
        Instant day1 = Instant.parse("2025-03-10T09:00:00Z");
        orders.apply(h, paid("o1", day1, 40));
        orders.apply(h, paid("o2", day1.plusSeconds(5 * 3600), 60)); // same day
        orders.apply(h, paid("o3", day1.plusSeconds(86_400 * 3), 30));
        orders.apply(h, paid("o4", day1.plusSeconds(86_400 * 3 + 60), 20)); // same day as o3

        assertThat(h.getPurchaseDays()).isEqualTo(2);
        assertThat(h.getFirstDaySpend()).isEqualTo(100.0);
        assertThat(h.getLifetimeOrders()).isEqualTo(4);
    }

    @Test
    void anEarlierFirstPurchaseArrivingLateMakesTheOldFirstDayARepeatDay() {
        OrderHistory h = emptyHistory();
        orders.apply(h, paid("o2", Instant.parse("2025-03-12T10:00:00Z"), 80));
        orders.apply(h, paid("o1", Instant.parse("2025-03-10T10:00:00Z"), 25));

        assertThat(h.getPurchaseDays()).isEqualTo(2);
        assertThat(h.getFirstDaySpend()).isEqualTo(25.0);
        assertThat(h.getLifetimeSpend() - h.getFirstDaySpend()).isEqualTo(80.0);
    }

    @Test
    void aRefundGivesUpItsDayOnlyIfNoOtherPurchaseOfThatDayCounts() {
        OrderHistory h = emptyHistory();
        Instant day1 = Instant.parse("2025-03-10T09:00:00Z");
        Instant day2 = day1.plusSeconds(86_400);
        orders.apply(h, paid("o1", day1, 50));
        orders.apply(h, paid("o2", day2, 30));
        orders.apply(h, paid("o3", day2.plusSeconds(60), 20));

        orders.apply(h, order("o3", OrderStatus.REFUNDED, day2.plusSeconds(600), 20));
        assertThat(h.getPurchaseDays()).isEqualTo(2); // o2 still counts on day 2

        orders.apply(h, order("o2", OrderStatus.REFUNDED, day2.plusSeconds(700), 30));
        assertThat(h.getPurchaseDays()).isEqualTo(1);
        assertThat(h.getFirstDaySpend()).isEqualTo(50.0);

        orders.apply(h, order("o1", OrderStatus.REFUNDED, day2.plusSeconds(800), 50));
        assertThat(h.getPurchaseDays()).isZero();
        assertThat(h.getFirstDaySpend()).isZero();
    }

    @Test
    void refundingThePurchaseOfTheFirstDayLowersItsSpend() {
        OrderHistory h = emptyHistory();
        Instant day1 = Instant.parse("2025-03-10T09:00:00Z");
        orders.apply(h, paid("o1", day1, 50));
        orders.apply(h, paid("o2", day1.plusSeconds(60), 70));
        orders.apply(h, paid("o3", day1.plusSeconds(86_400 * 5), 10));

        orders.apply(h, order("o2", OrderStatus.REFUNDED, day1.plusSeconds(86_400 * 6), 70));

        assertThat(h.getPurchaseDays()).isEqualTo(2);
        assertThat(h.getFirstDaySpend()).isEqualTo(50.0);
    }

    @Test
    void refundingTheOnlyOrderOfTheFirstDayMakesTheNextDayTheFirstWithItsSpend() {
        OrderHistory h = emptyHistory();
        Instant day1 = Instant.parse("2025-03-10T09:00:00Z");
        orders.apply(h, paid("a", day1, 50));
        orders.apply(h, paid("b", day1.plusSeconds(86_400 * 4), 30));
        orders.apply(h, paid("c", day1.plusSeconds(86_400 * 8), 20));

        orders.apply(h, order("a", OrderStatus.REFUNDED, day1.plusSeconds(86_400 * 9), 50));

        assertThat(h.getFirstOrderAt()).isEqualTo(ms(day1.plusSeconds(86_400 * 4)));
        assertThat(h.getPurchaseDays()).isEqualTo(2);
        assertThat(h.getFirstDaySpend()).isEqualTo(30.0); // the repeat spend is c's 20
    }

    @Test
    void aHistoryFromBeforePurchaseDaysWereCountedIsFilledInFromWhatItRemembers() {
        // As restored from an older savepoint: five orders on four days, the new fields at their defaults.
        OrderHistory h = emptyHistory();
        Instant day1 = Instant.parse("2025-03-10T09:00:00Z");
        orders.apply(h, paid("a", day1, 40));
        orders.apply(h, paid("b", day1.plusSeconds(600), 60));
        orders.apply(h, paid("c", day1.plusSeconds(86_400 * 3), 30));
        orders.apply(h, paid("d", day1.plusSeconds(86_400 * 6), 30));
        orders.apply(h, paid("e", day1.plusSeconds(86_400 * 9), 30));
        h.setPurchaseDays(0);
        h.setFirstDaySpend(0d);

        Orders.upgrade(h);

        assertThat(h.getPurchaseDays()).isEqualTo(4);
        assertThat(h.getFirstDaySpend()).isEqualTo(100.0);

        // A history that forgot its first day's orders estimates that day's spend by the mean order.
        h.setPurchaseDays(0);
        h.getRecent().removeIf(r -> r.getOrderId().equals("a") || r.getOrderId().equals("b"));
        Orders.upgrade(h);
        assertThat(h.getPurchaseDays()).isEqualTo(4);
        assertThat(h.getFirstDaySpend()).isEqualTo(190.0 / 5);
    }
}
