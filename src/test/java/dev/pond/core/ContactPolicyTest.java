package dev.pond.core;

import dev.pond.events.OrderStatus;
import dev.pond.model.Model;
import dev.pond.out.Trigger;
import dev.pond.out.TriggerFacts;
import dev.pond.out.TriggerNote;
import dev.pond.out.TriggerOutcome;
import dev.pond.out.TriggerType;
import dev.pond.state.OrderRef;
import dev.pond.state.SuppressBy;
import dev.pond.state.UserState;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;

import static dev.pond.core.Events.USER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * The contact policy on its own: triggers handed to it by hand, released by hand, in the default
 * zone Asia/Shanghai (UTC+8, quiet 22:00-08:00 local = 14:00-00:00 UTC).
 */
class ContactPolicyTest {

    /** 10:00 UTC = 18:00 in Shanghai: not quiet. */
    private static final Instant DAY_TIME = Instant.parse("2026-03-10T10:00:00Z");

    private final Emissions out = new Emissions();

    private static long ms(String t) {
        return Instant.parse(t).toEpochMilli();
    }

    private static Trigger trigger(String id, TriggerType type, String at, long validHours, int priority) {
        return new Trigger(id, USER, type, Instant.parse(at), Instant.parse(at).plusSeconds(validHours * 3600), priority,
                "because", new TriggerFacts(new HashMap<>(), new HashMap<>(), new ArrayList<>(), new ArrayList<>(),
                new ArrayList<>()), null, "test", null);
    }

    private static UserState state() {
        return UserScorer.fresh(DAY_TIME.toEpochMilli());
    }

    private static void schedule(ContactPolicy policy, UserState s, Trigger t, Emissions out) {
        policy.schedule(s, t, t.getFiredAt().toEpochMilli(), SuppressBy.NOTHING, t.getFiredAt().toEpochMilli(), null, out);
    }

    /** As the operator's timers do: one release per pending moment, in time order. */
    private void releaseEachInTurn(ContactPolicy policy, UserState s) {
        for (Long next = ContactPolicy.nextRelease(s); next != null; next = ContactPolicy.nextRelease(s)) {
            policy.release(s, USER, next, out);
        }
    }

    private List<TriggerOutcome> notSentOutcomes(UserState s) {
        return s.getTriggerNotes().stream().map(TriggerNote::getOutcome).toList();
    }

    @Test
    void aTriggerWaitsForItsMomentThenGoesOutOnceAndLeavesNothingPending() {
        ContactPolicy policy = new ContactPolicy(Events.defaults());
        UserState s = state();
        schedule(policy, s, trigger("a", TriggerType.WELCOME, "2026-03-10T10:00:00Z", 72, 80), out);
        assertThat(ContactPolicy.nextRelease(s)).isEqualTo(ms("2026-03-10T10:00:00Z"));

        policy.release(s, USER, ms("2026-03-10T09:59:59.999Z"), out);
        assertThat(out.triggers).isEmpty();
        policy.release(s, USER, ms("2026-03-10T10:00:00Z"), out);
        assertThat(out.triggers).extracting(Trigger::getTriggerId, Trigger::getFiredAt, Trigger::getDeferredFrom)
                .containsExactly(tuple("a", Instant.parse("2026-03-10T10:00:00Z"), null));
        assertThat(s.getPendingTriggers()).isEmpty();
        assertThat(ContactPolicy.nextRelease(s)).isNull();
        assertThat(s.getSentAt()).containsExactly(ms("2026-03-10T10:00:00Z"));
        assertThat(s.getLastSent()).containsEntry("WELCOME", ms("2026-03-10T10:00:00Z"));
        assertThat(s.getTriggerNotes()).isEmpty();

        schedule(policy, s, trigger("a", TriggerType.WELCOME, "2026-03-10T10:00:00Z", 72, 80), out);
        schedule(policy, s, trigger("a", TriggerType.WELCOME, "2026-03-10T10:00:00Z", 72, 80), out);
        assertThat(s.getPendingTriggers()).hasSize(1); // the same id is taken once
    }

    @Test
    void quietHoursDeferToTheirEndAndTheTriggerSaysFromWhen() {
        ContactPolicy policy = new ContactPolicy(Events.defaults());
        UserState s = state();
        // 14:45 UTC = 22:45 in Shanghai
        schedule(policy, s, trigger("late", TriggerType.CART_ABANDONED, "2026-03-10T14:45:00Z", 24, 50), out);
        policy.release(s, USER, ms("2026-03-10T14:45:00Z"), out);
        assertThat(out.triggers).isEmpty();
        assertThat(out.deferred).isEqualTo(1);
        assertThat(ContactPolicy.nextRelease(s)).isEqualTo(ms("2026-03-11T00:00:00Z"));

        policy.release(s, USER, ms("2026-03-11T00:00:00Z"), out);
        assertThat(out.triggers).extracting(Trigger::getFiredAt, Trigger::getDeferredFrom)
                .containsExactly(tuple(Instant.parse("2026-03-11T00:00:00Z"), Instant.parse("2026-03-10T14:45:00Z")));
    }

    @Test
    void theUsersOwnZoneDecides() {
        ContactPolicy policy = new ContactPolicy(Events.defaults());
        UserState s = state();
        s.setTimeZone("Europe/London"); // 14:45 UTC is 14:45 in London: allowed
        schedule(policy, s, trigger("x", TriggerType.CART_ABANDONED, "2026-03-10T14:45:00Z", 24, 50), out);
        policy.release(s, USER, ms("2026-03-10T14:45:00Z"), out);
        assertThat(out.triggers).extracting(Trigger::getDeferredFrom).containsExactly((Instant) null);
    }

    @Test
    void quietHoursThatOutlastTheTriggerExpireIt() {
        ContactPolicy policy = new ContactPolicy(Events.defaults());
        UserState s = state();
        schedule(policy, s, trigger("hi", TriggerType.HIGH_INTENT, "2026-03-10T15:00:00Z", 2, 30), out);
        policy.release(s, USER, ms("2026-03-10T15:00:00Z"), out);
        assertThat(out.triggers).isEmpty();
        assertThat(s.getPendingTriggers()).isEmpty();
        assertThat(s.getTriggerNotes()).extracting(TriggerNote::getTriggerId, TriggerNote::getOutcome, TriggerNote::getReason)
                .containsExactly(tuple("hi", TriggerOutcome.EXPIRED,
                        "quiet hours in Asia/Shanghai last until 2026-03-11 08:00, after it expires"));
        assertThat(out.notSent[TriggerOutcome.EXPIRED.ordinal()]).isEqualTo(1);
    }

    @Test
    void aTriggerKnownOnlyAfterItExpiredIsNotSent() {
        ContactPolicy policy = new ContactPolicy(Events.defaults());
        UserState s = state();
        schedule(policy, s, trigger("old", TriggerType.WIN_BACK, "2026-03-01T10:00:00Z", 24, 60), out);
        policy.release(s, USER, ms("2026-03-10T10:00:00Z"), out);
        assertThat(out.triggers).isEmpty();
        assertThat(notSentOutcomes(s)).containsExactly(TriggerOutcome.EXPIRED);
    }

    @Test
    void theSameTypeWithinItsCooldownIsDropped() {
        ContactPolicy policy = new ContactPolicy(Events.defaults()); // HIGH_INTENT cooldown 72 h
        UserState s = state();
        schedule(policy, s, trigger("h1", TriggerType.HIGH_INTENT, "2026-03-10T02:00:00Z", 12, 30), out);
        schedule(policy, s, trigger("h2", TriggerType.HIGH_INTENT, "2026-03-12T02:00:00Z", 12, 30), out);
        schedule(policy, s, trigger("h3", TriggerType.HIGH_INTENT, "2026-03-13T02:00:00Z", 12, 30), out);
        releaseEachInTurn(policy, s);
        assertThat(out.triggers).extracting(Trigger::getTriggerId).containsExactly("h1", "h3");
        assertThat(s.getTriggerNotes()).extracting(TriggerNote::getTriggerId, TriggerNote::getOutcome)
                .containsExactly(tuple("h2", TriggerOutcome.COOLDOWN));
    }

    @Test
    void whenTheDailyCapBitesTheHighestPrioritiesGoFirst() {
        ContactPolicy policy = new ContactPolicy(Events.defaults()); // 2 a day
        UserState s = state();
        schedule(policy, s, trigger("low", TriggerType.CROSS_SELL, "2026-03-10T10:00:00Z", 72, 20), out);
        schedule(policy, s, trigger("high", TriggerType.WELCOME, "2026-03-10T10:00:00Z", 72, 80), out);
        schedule(policy, s, trigger("mid", TriggerType.TIER_UPGRADE, "2026-03-10T10:00:00Z", 72, 35), out);
        policy.release(s, USER, ms("2026-03-10T10:00:00Z"), out);
        assertThat(out.triggers).extracting(Trigger::getTriggerId).containsExactly("high", "mid");
        assertThat(s.getTriggerNotes()).extracting(TriggerNote::getTriggerId, TriggerNote::getOutcome, TriggerNote::getReason)
                .containsExactly(tuple("low", TriggerOutcome.DAILY_CAP,
                        "2 triggers went out in the 24 hours before (at most 2)"));
        // The window rolls: 24 hours after the first two, there is room again.
        schedule(policy, s, trigger("next", TriggerType.CROSS_SELL, "2026-03-11T10:00:00Z", 72, 20), out);
        policy.release(s, USER, ms("2026-03-11T10:00:00Z"), out);
        assertThat(out.triggers).extracting(Trigger::getTriggerId).containsExactly("high", "mid", "next");
    }

    @Test
    void theWeeklyCapCountsTheLastSevenDays() {
        Model model = Events.model("contact: {maxPerDay: 0, maxPerWeek: 3}");
        ContactPolicy policy = new ContactPolicy(model);
        UserState s = state();
        for (int d = 0; d < 5; d++) {
            schedule(policy, s, trigger("d" + d, TriggerType.TIER_UPGRADE, "2026-03-1" + d + "T02:00:00Z", 72, 35), out);
        }
        schedule(policy, s, trigger("d7", TriggerType.TIER_UPGRADE, "2026-03-17T02:00:00Z", 72, 35), out);
        releaseEachInTurn(policy, s);
        // d3, d4 fall within 7 days of d0..d2; d7 is exactly 7 days after d0, which has left the window
        assertThat(out.triggers).extracting(Trigger::getTriggerId).containsExactly("d0", "d1", "d2", "d7");
        assertThat(s.getTriggerNotes()).extracting(TriggerNote::getTriggerId, TriggerNote::getOutcome)
                .containsExactly(tuple("d3", TriggerOutcome.WEEKLY_CAP), tuple("d4", TriggerOutcome.WEEKLY_CAP));
        assertThat(s.getSentAt()).containsExactly(ms("2026-03-11T02:00:00Z"), ms("2026-03-12T02:00:00Z"),
                ms("2026-03-17T02:00:00Z")); // older than a week: forgotten
    }

    @Test
    void anOrderBeforeTheReleaseSuppressesWhateverOrderItArrivesInButNotOneAfter() {
        ContactPolicy policy = new ContactPolicy(Events.defaults());
        UserState s = state();
        Trigger cart = trigger("cart", TriggerType.CART_ABANDONED, "2026-03-10T14:45:00Z", 24, 50);
        policy.schedule(s, cart, ms("2026-03-11T00:00:00Z"), SuppressBy.CHECKOUT, ms("2026-03-10T14:00:00Z"), null, out);
        // An order after the release moment, read early, does not suppress it...
        policy.ordered(s, Events.order("A1", OrderStatus.PLACED, Instant.parse("2026-03-11T00:30:00Z"), 10), out);
        assertThat(s.getPendingTriggers()).hasSize(1);
        // ...one before it does, even read after later events.
        policy.ordered(s, Events.order("A2", OrderStatus.PLACED, Instant.parse("2026-03-10T23:00:00Z"), 10), out);
        assertThat(s.getPendingTriggers()).isEmpty();
        assertThat(s.getTriggerNotes()).extracting(TriggerNote::getOutcome, TriggerNote::getAt)
                .containsExactly(tuple(TriggerOutcome.SUPPRESSED, Instant.parse("2026-03-10T23:00:00Z")));
    }

    @Test
    void aCheckoutCountsFromTheOrdersFirstPlacedNotItsPayment() {
        ContactPolicy policy = new ContactPolicy(Events.defaults());
        UserState s = state();
        Trigger cart = trigger("cart", TriggerType.CART_ABANDONED, "2026-03-10T14:45:00Z", 24, 50);
        policy.schedule(s, cart, ms("2026-03-11T00:00:00Z"), SuppressBy.CHECKOUT, ms("2026-03-10T14:00:00Z"), null, out);
        // Placed before the cart was filled, paid while the reminder waits: it did not buy the cart.
        s.getOrders().getRecent().add(new OrderRef("A0", ms("2026-03-10T13:00:00Z"), null, 10d, false, 0L, 0L));
        policy.ordered(s, Events.order("A0", OrderStatus.PAID, Instant.parse("2026-03-10T23:00:00Z"), 10), out);
        assertThat(s.getPendingTriggers()).hasSize(1);
    }

    @Test
    void anOrderAlreadyInTheHistorySuppressesAtRelease() {
        ContactPolicy policy = new ContactPolicy(Events.defaults());
        UserState s = state();
        s.getOrders().getRecent().add(new OrderRef("A1", ms("2026-03-10T09:00:00Z"), ms("2026-03-10T09:00:00Z"), 10d, false, 0L, 0L));
        Trigger hi = trigger("hi", TriggerType.HIGH_INTENT, "2026-03-10T10:00:00Z", 12, 30);
        policy.schedule(s, hi, ms("2026-03-10T10:00:00Z"), SuppressBy.CHECKOUT, ms("2026-03-09T10:00:00Z"), null, out);
        Trigger win = trigger("win", TriggerType.WIN_BACK, "2026-03-10T10:00:00Z", 12, 60);
        policy.schedule(s, win, ms("2026-03-10T10:00:00Z"), SuppressBy.PURCHASE, ms("2026-03-10T09:30:00Z"), null, out);
        policy.release(s, USER, ms("2026-03-10T10:00:00Z"), out);
        assertThat(out.triggers).extracting(Trigger::getTriggerId).containsExactly("win");
        assertThat(notSentOutcomes(s)).containsExactly(TriggerOutcome.SUPPRESSED);
    }

    @Test
    void aCategoryPurchaseSuppressesOnlyItsOwnCategory() {
        ContactPolicy policy = new ContactPolicy(Events.defaults());
        UserState s = state();
        Trigger refill = trigger("refill", TriggerType.REPLENISHMENT_DUE, "2026-03-20T02:00:00Z", 120, 40);
        policy.schedule(s, refill, ms("2026-03-20T02:00:00Z"), SuppressBy.CATEGORY_PURCHASE, ms("2026-03-01T02:00:01Z"),
                "coffee", out);
        policy.ordered(s, Events.order("T1", OrderStatus.PAID, Instant.parse("2026-03-10T02:00:00Z"), 10,
                Events.item("leaves", "tea", 1, 10)), out);
        assertThat(s.getPendingTriggers()).hasSize(1);
        policy.ordered(s, Events.order("C1", OrderStatus.PLACED, Instant.parse("2026-03-10T02:00:00Z"), 10,
                Events.item("beans", "coffee", 1, 10)), out);
        assertThat(s.getPendingTriggers()).as("placed is not bought yet").hasSize(1);
        policy.ordered(s, Events.order("C1", OrderStatus.PAID, Instant.parse("2026-03-10T02:05:00Z"), 10,
                Events.item("beans", "coffee", 1, 10)), out);
        assertThat(s.getPendingTriggers()).isEmpty();
    }

    @Test
    void pendingTriggersAreBoundedDroppingTheOneDueLast() {
        Model model = Events.model("limits: {maxPendingTriggers: 2}");
        ContactPolicy policy = new ContactPolicy(model);
        UserState s = state();
        schedule(policy, s, trigger("a", TriggerType.CROSS_SELL, "2026-03-12T02:00:00Z", 72, 20), out);
        schedule(policy, s, trigger("b", TriggerType.CROSS_SELL, "2026-03-14T02:00:00Z", 72, 20), out);
        schedule(policy, s, trigger("c", TriggerType.CROSS_SELL, "2026-03-13T02:00:00Z", 72, 20), out);
        assertThat(s.getPendingTriggers()).extracting(p -> p.getTrigger().getTriggerId()).containsExactly("a", "c");
        assertThat(s.getTriggerNotes()).extracting(TriggerNote::getTriggerId, TriggerNote::getOutcome)
                .containsExactly(tuple("b", TriggerOutcome.OVERFLOW));
    }

    @Test
    void notesAreBounded() {
        Model model = Events.model("limits: {maxTriggerNotes: 2}");
        ContactPolicy policy = new ContactPolicy(model);
        UserState s = state();
        for (int i = 0; i < 4; i++) {
            schedule(policy, s, trigger("old" + i, TriggerType.WIN_BACK, "2026-03-01T10:00:00Z", 1, 60), out);
        }
        policy.release(s, USER, ms("2026-03-10T10:00:00Z"), out);
        assertThat(s.getTriggerNotes()).extracting(TriggerNote::getTriggerId).containsExactly("old2", "old3");
        assertThat(out.notSent[TriggerOutcome.EXPIRED.ordinal()]).isEqualTo(4);
    }
    @Test
    void aCartChangeDropsAReminderThatQuietHoursHoldButNotOneThatWentOutOrIsDueLater() {
        ContactPolicy policy = new ContactPolicy(Events.defaults());
        UserState s = state();
        // 14:45 UTC = 22:45 in Shanghai: held until 08:00 (00:00 UTC); 10:30 = 18:30: not held
        schedule(policy, s, trigger("held", TriggerType.CART_ABANDONED, "2026-03-10T14:45:00Z", 24, 50), out);
        schedule(policy, s, trigger("day", TriggerType.CART_ABANDONED, "2026-03-10T10:30:00Z", 24, 50), out);
        schedule(policy, s, trigger("welcome", TriggerType.WELCOME, "2026-03-10T14:45:00Z", 72, 80), out);

        // Before the held one's moment a change does nothing to it: the rule made it for the cart then.
        policy.cartChanged(s, ms("2026-03-10T10:40:00Z"), "an add-to-cart", out);
        assertThat(s.getPendingTriggers()).extracting(p -> p.getTrigger().getTriggerId())
                .containsExactly("day", "welcome", "held");
        // Not yet deferred (the release has not looked at it), but quiet hours would hold it past 15:00.
        policy.cartChanged(s, ms("2026-03-10T15:00:00Z"), "a removal from the cart", out);

        assertThat(s.getPendingTriggers()).extracting(p -> p.getTrigger().getTriggerId())
                .containsExactly("day", "welcome");
        assertThat(s.getTriggerNotes()).extracting(TriggerNote::getTriggerId, TriggerNote::getOutcome, TriggerNote::getAt,
                TriggerNote::getReason).containsExactly(tuple("held", TriggerOutcome.SUPPRESSED,
                Instant.parse("2026-03-10T15:00:00Z"), "a removal from the cart at 2026-03-10T15:00:00Z, while quiet"
                        + " hours held the reminder, changed the cart it describes"));
        assertThat(out.notSent[TriggerOutcome.SUPPRESSED.ordinal()]).isEqualTo(1);
    }

    @Test
    void aLateTriggerCountsInEveryDayWithTheTriggersSentAfterIt() {
        ContactPolicy policy = new ContactPolicy(Events.defaults()); // at most 2 a day, 5 a week
        UserState s = state();
        schedule(policy, s, trigger("r1", TriggerType.CART_ABANDONED, "2026-03-10T10:30:00Z", 24, 50), out);
        schedule(policy, s, trigger("r2", TriggerType.CART_ABANDONED, "2026-03-11T09:30:00Z", 24, 50), out);
        releaseEachInTurn(policy, s);
        assertThat(out.triggers).hasSize(2);

        // A late event (the watermark is past it) makes one for 10:00 on the 10th. The day before it holds
        // nothing, but the day up to r2 would hold r1, r2 and it.
        schedule(policy, s, trigger("late", TriggerType.WELCOME, "2026-03-10T10:00:00Z", 72, 80), out);
        policy.release(s, USER, ms("2026-03-11T09:45:00Z"), out);

        assertThat(out.triggers).hasSize(2);
        assertThat(s.getTriggerNotes()).extracting(TriggerNote::getTriggerId, TriggerNote::getOutcome,
                TriggerNote::getReason).containsExactly(tuple("late", TriggerOutcome.DAILY_CAP,
                "2 triggers went out in the 24 hours up to 2026-03-11T09:30:00Z (at most 2)"));

        // The same moment with only r1 sent after it fits: one window holds r1 and it, none three.
        UserState t = state();
        schedule(policy, t, trigger("r1", TriggerType.CART_ABANDONED, "2026-03-10T10:30:00Z", 24, 50), out);
        releaseEachInTurn(policy, t);
        schedule(policy, t, trigger("late", TriggerType.WELCOME, "2026-03-10T10:00:00Z", 72, 80), out);
        policy.release(t, USER, ms("2026-03-11T09:45:00Z"), out);
        assertThat(out.triggers).extracting(Trigger::getTriggerId).endsWith("r1", "late");
        assertThat(t.getTriggerNotes()).isEmpty();
    }
}
