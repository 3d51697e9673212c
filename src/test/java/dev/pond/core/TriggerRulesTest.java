package dev.pond.core;

import dev.pond.events.ClickType;
import dev.pond.events.OrderStatus;
import dev.pond.model.Model;
import dev.pond.out.Trigger;
import dev.pond.out.TriggerType;
import dev.pond.state.PendingTrigger;
import dev.pond.state.SuppressBy;
import dev.pond.state.UserState;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static dev.pond.core.Events.NO_WATERMARK;
import static dev.pond.core.Events.USER;
import static dev.pond.core.Events.days;
import static dev.pond.core.Events.item;
import static dev.pond.core.Events.order;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * The trigger rules through {@link UserScorer}, looking at what they hand to the contact policy
 * (the pending triggers) before any watermark releases them.
 */
class TriggerRulesTest {

    private static final Instant T = Instant.parse("2026-03-10T02:00:00Z");
    private final Emissions out = new Emissions();

    private static List<PendingTrigger> pending(UserState s, TriggerType type) {
        return s.getPendingTriggers().stream().filter(p -> p.getTrigger().getType() == type).toList();
    }

    @Test
    void aFirstOrderIsWelcomedOnceEvenAfterARefundAndANewFirstOrder() {
        UserScorer scorer = new UserScorer(Events.defaults());
        UserState s = scorer.onOrder(null, order("A1", OrderStatus.PAID, T, 100), NO_WATERMARK, out);
        s = scorer.onOrder(s, order("A1", OrderStatus.REFUNDED, days(T, 1), 100), NO_WATERMARK, out);
        s = scorer.onOrder(s, order("A2", OrderStatus.PAID, days(T, 2), 100), NO_WATERMARK, out);
        assertThat(pending(s, TriggerType.WELCOME)).extracting(p -> p.getTrigger().getFiredAt(), PendingTrigger::getSuppressBy)
                .containsExactly(tuple(T, SuppressBy.NOTHING));
    }

    @Test
    void aTierUpgradeFiresOnlyUpwards() {
        UserScorer scorer = new UserScorer(Events.defaults());
        UserState s = scorer.onOrder(null, order("A1", OrderStatus.PAID, T, 400), NO_WATERMARK, out);
        assertThat(pending(s, TriggerType.TIER_UPGRADE)).isEmpty();
        s = scorer.onOrder(s, order("A2", OrderStatus.PAID, days(T, 1), 200), NO_WATERMARK, out);
        s = scorer.onOrder(s, order("A2", OrderStatus.REFUNDED, days(T, 2), 200), NO_WATERMARK, out);
        s = scorer.onOrder(s, order("A3", OrderStatus.PAID, days(T, 3), 1700), NO_WATERMARK, out);
        assertThat(pending(s, TriggerType.TIER_UPGRADE)).extracting(p -> p.getTrigger().getReason())
                .containsExactly("spent 600.00 in the last 12 months, reaching silver (from no tier; at least 500.00)",
                        "spent 2100.00 in the last 12 months, reaching gold (from no tier; at least 2000.00)");
    }

    @Test
    void highIntentFiresWhenIntentCrossesTheThresholdInEventTimeWhateverTheArrivalOrder() {
        UserScorer scorer = new UserScorer(Events.model("triggers: {cartAbandoned: {enabled: false}}"));
        int[] arrival = {5, 0, 3, 1, 4, 2}; // 4 each: 15.99 with the fourth in event time, 02:03
        UserState s = null;
        for (int i : arrival) {
            s = scorer.onClick(s, Events.click("c" + i, Instant.parse("2026-03-10T02:0" + i + ":00Z"), ClickType.ADD_TO_CART,
                    "skincare"), NO_WATERMARK, out);
        }
        // Nothing is decided ahead of the watermark; the first signal's timer is set, as a crossing is possible.
        assertThat(s.getPendingTriggers()).isEmpty();
        assertThat(s.getIntentTimerAt()).isEqualTo(Instant.parse("2026-03-10T02:00:00Z").toEpochMilli());
        scorer.onTimer(s, USER, Instant.parse("2026-03-10T02:05:00Z").toEpochMilli(), out);
        assertThat(out.triggers).extracting(Trigger::getType, Trigger::getFiredAt, t -> t.getFacts().getEventIds(),
                        t -> t.getFacts().getCategories())
                .containsExactly(tuple(TriggerType.HIGH_INTENT, Instant.parse("2026-03-10T02:03:00Z"), List.of("c3"),
                        List.of("skincare")));
        assertThat(s.getIntentPending()).isEmpty();
        assertThat(s.getIntentTimerAt()).isNull();
    }

    @Test
    void signalsThatCannotReachTheThresholdWaitForOneTimerAtTheHourAfterTheLastOfThem() {
        UserScorer scorer = new UserScorer(Events.defaults());
        UserState s = scorer.onClick(null, Events.click("v1", T, ClickType.PRODUCT_VIEW, "skincare"), NO_WATERMARK, out);
        Instant later = T.plusSeconds(60);
        s = scorer.onClick(s, Events.click("v2", later, ClickType.PRODUCT_VIEW, "skincare"), NO_WATERMARK, out);
        // No crossing to find at the first one's moment: one timer applies both, so that they do
        // not stay in the state until the user comes back. When changes nothing but the state, so
        // it is the next whole hour, which the rest of a session's signals share.
        assertThat(s.getIntentPending()).hasSize(2);
        Instant nextHour = Instant.parse("2026-03-10T03:00:00Z");
        assertThat(s.getIntentTimerAt()).isEqualTo(nextHour.toEpochMilli());
        s = scorer.onClick(s, Events.click("v3", T.plusSeconds(1800), ClickType.PRODUCT_VIEW, "skincare"), NO_WATERMARK,
                out);
        assertThat(s.getIntentTimerAt()).isEqualTo(nextHour.toEpochMilli());
        assertThat(UserScorer.timers(s)).contains(nextHour.toEpochMilli()).doesNotContain(T.toEpochMilli());
    }

    @Test
    void replenishmentIsScheduledBeforeTheCycleRunsOutAndCrossSellAfterItsDays() {
        Model model = Events.model("""
                categories:
                  repurchaseDays: {coffee: 30, tea: 4}
                  related: [{category: coffee, related: tea, lift: 2.5}, {category: coffee, related: cups, lift: 4.0},
                            {category: coffee, related: milk, lift: 1.5}]
                """);
        UserScorer scorer = new UserScorer(model);
        UserState s = scorer.onOrder(null, order("A0", OrderStatus.PAID, days(T, -10), 10, item("mug", "cups", 1, 10)),
                NO_WATERMARK, out);
        s = scorer.onOrder(s, order("A1", OrderStatus.PAID, T, 50, item("beans", "coffee", 1, 40),
                item("leaves", "tea", 1, 10)), NO_WATERMARK, out);
        // coffee: 30 - 3 days; tea's cycle is short: half of it, 2 days
        assertThat(pending(s, TriggerType.REPLENISHMENT_DUE)).extracting(PendingTrigger::getReleaseAt, PendingTrigger::getCategory)
                .containsExactlyInAnyOrder(tuple(days(T, 27).toEpochMilli(), "coffee"), tuple(days(T, 2).toEpochMilli(), "tea"));
        // cups has the highest lift but was bought 10 days ago; tea is in the order; milk's lift is under 2
        assertThat(pending(s, TriggerType.CROSS_SELL)).isEmpty();
        s = scorer.onOrder(s, order("A2", OrderStatus.PAID, days(T, 100), 40, item("beans", "coffee", 1, 40)),
                NO_WATERMARK, out);
        assertThat(pending(s, TriggerType.CROSS_SELL)).extracting(PendingTrigger::getReleaseAt, PendingTrigger::getCategory)
                .containsExactly(tuple(days(T, 107).toEpochMilli(), "cups"));
    }

    @Test
    void churnRiskIsForValuableCustomersOnlyOncePerQuietSpell() {
        Model model = Events.model("contact: {quietStart: '00:00', quietEnd: '00:00'}"); // no quiet hours here
        UserScorer scorer = new UserScorer(model);
        // one small order: not valuable; the spell is looked at all the same
        UserState small = scorer.onOrder(null, order("A1", OrderStatus.PAID, T, 99), NO_WATERMARK, out);
        scorer.onTimer(small, USER, days(T, 100).toEpochMilli(), out);
        assertThat(out.triggers).extracting(Trigger::getType).doesNotContain(TriggerType.CHURN_RISK);
        assertThat(small.getTriggerMarks()).containsEntry("CHURN_RISK", T.toEpochMilli());

        out.clear();
        UserState big = null;
        for (int i = 0; i < 3; i++) {
            big = scorer.onOrder(big, order("B" + i, OrderStatus.PAID, days(T, 10 * i), 1000), NO_WATERMARK, out);
        }
        long crossing = new dev.pond.core.value.CustomerValue(model).reaches(big.getOrders(), days(T, 20).toEpochMilli(), 0.7);
        out.clear();
        scorer.onTimer(big, USER, crossing + Times.HOUR, out); // noticed an hour late: the same trigger
        assertThat(out.triggers).filteredOn(t -> t.getType() == TriggerType.CHURN_RISK)
                .extracting(t -> t.getFiredAt().toEpochMilli(), t -> t.getExpiresAt().toEpochMilli(), t -> t.getOffer().getCode())
                .containsExactly(tuple(crossing, crossing + 72 * Times.HOUR, "COMEBACK100"));
        out.clear();
        scorer.onTimer(big, USER, crossing + 2 * Times.DAY, out);
        assertThat(out.triggers).extracting(Trigger::getType).doesNotContain(TriggerType.CHURN_RISK);
        assertThat(pending(big, TriggerType.CHURN_RISK)).isEmpty();
    }

    @Test
    void aDisabledRuleDoesNotFire() {
        UserScorer scorer = new UserScorer(Events.model("triggers: {welcome: {enabled: false}, tierUpgrade: {enabled: false}}"));
        UserState s = scorer.onOrder(null, order("A1", OrderStatus.PAID, T, 5000), NO_WATERMARK, out);
        assertThat(s.getPendingTriggers()).isEmpty();
    }
}
