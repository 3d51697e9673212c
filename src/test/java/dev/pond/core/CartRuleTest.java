package dev.pond.core;

import dev.pond.events.ClickEvent;
import dev.pond.events.OrderStatus;
import dev.pond.model.Model;
import dev.pond.out.Trigger;
import dev.pond.out.TriggerItem;
import dev.pond.out.TriggerOutcome;
import dev.pond.out.TriggerType;
import dev.pond.state.CartEpisode;
import dev.pond.state.CartLine;
import dev.pond.testing.TestModels;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static dev.pond.core.Events.T0;
import static dev.pond.core.Events.USER;
import static dev.pond.core.Events.addToCart;
import static dev.pond.core.Events.hours;
import static dev.pond.core.Events.minutes;
import static dev.pond.core.Events.ms;
import static dev.pond.core.Events.removeFromCart;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;
import static org.assertj.core.api.Assertions.tuple;

/**
 * CART_ABANDONED with the default model (30 minutes, valid 24 hours, priority 50), driven like the
 * Flink operator drives it ({@link TimeDriver}): an episode opens with an add-to-cart and is due 30
 * minutes after the latest one; an order before that ends it; an emptied cart ends it; at the due
 * time exactly one reminder fires. Events ahead of the watermark count in event-time order, so the
 * outcome does not depend on their arrival order; events behind it count as they come.
 *
 * <p>The default model then keeps the episode open for a second reminder a day after the first
 * (priority 45, offer CART10), which an order, an emptied cart or a new add-to-cart cancels; the new
 * add opens a new episode with what is still in the cart. Every reminder goes through the contact
 * policy (cart cooldown 1 h, quiet hours 22:00-08:00 in Asia/Shanghai, caps). Tests of the
 * episode's own logic whose outcome would also depend on the rest of the catalogue (HIGH_INTENT
 * after four adds, the cooldown) run on {@link Events#cartOnly()}: the cart rule alone, one
 * reminder per episode, under a neutral policy.
 */
class CartRuleTest {

    private static final long T = ms(T0);
    private static final long MIN = Times.MINUTE;
    private static final long HOUR = Times.HOUR;
    private static final long DAY = Times.DAY;
    private static final long DELAY = 30 * MIN;

    private final Model model = Events.defaults();
    private final TimeDriver user = new TimeDriver(model, USER);

    private TimeDriver at(long watermark) {
        return user.watermark(watermark);
    }

    private static List<Long> firedAt(List<Trigger> triggers) {
        return triggers.stream().map(t -> t.getFiredAt().toEpochMilli()).toList();
    }

    @Test
    void aReminderFiresThirtyMinutesAfterTheAddAndExactlyOnce() {
        at(T - 5 * MIN).click(addToCart("c1", T0, "p1", "skincare", 100));
        user.click(addToCart("c2", minutes(T0, 5), "p1", "skincare", 90));
        user.click(addToCart("c3", minutes(T0, 10), "p2", "makeup", 50));
        long due = T + 10 * MIN + DELAY;
        assertThat(user.state.getCartTimerAt()).isEqualTo(due);
        assertThat(user.timers()).contains(due);

        at(due - 1);
        assertThat(user.triggers).isEmpty();
        at(due);

        assertThat(user.triggers).hasSize(1);
        Trigger trigger = user.triggers.get(0);
        assertThat(trigger.getTriggerId()).isEqualTo(TriggerIds.of(TriggerType.CART_ABANDONED, USER, T));
        assertThat(trigger.getUserId()).isEqualTo(USER);
        assertThat(trigger.getType()).isEqualTo(TriggerType.CART_ABANDONED);
        assertThat(trigger.getFiredAt()).isEqualTo(Instant.ofEpochMilli(due));
        assertThat(trigger.getExpiresAt()).isEqualTo(hours(Instant.ofEpochMilli(due), 24));
        assertThat(trigger.getPriority()).isEqualTo(50);
        assertThat(trigger.getOffer()).isNull();
        assertThat(trigger.getModelVersion()).isEqualTo("default-2026.11");
        assertThat(trigger.getReason())
                .isEqualTo("put 3 items (230.00) in the cart and has not ordered 30 minutes after the last one");
        assertThat(trigger.getFacts().getItems())
                .extracting(TriggerItem::getProductId, TriggerItem::getCategory, TriggerItem::getQuantity,
                        TriggerItem::getUnitPrice)
                .containsExactly(tuple("p1", "skincare", 2, 90.0), tuple("p2", "makeup", 1, 50.0));
        assertThat(trigger.getFacts().getEventIds()).containsExactly("c1", "c2", "c3");
        assertThat(trigger.getFacts().getScores()).containsOnly(entry("cartValue", 230.0));
        assertThat(trigger.getFacts().getCounts())
                .containsOnly(entry("cartLines", 2L), entry("cartUnits", 3L), entry("reminder", 1L));
        assertThat(trigger.getDeferredFrom()).isNull();

        // The episode stays open for the default model's second reminder, a day later: its timer
        // replaces this one (beside the review of the interest tags the adds gave).
        assertThat(user.state.getCart().getRemindedAt()).isEqualTo(due);
        assertThat(user.state.getCart().getDueAt()).isEqualTo(due + DAY);
        assertThat(user.state.getCartPending()).isEmpty();
        assertThat(user.state.getPendingTriggers()).isEmpty();
        assertThat(user.timers()).containsExactlyInAnyOrder(due + DAY, user.state.getReviewAt());
        at(due + 10 * DELAY);
        assertThat(user.triggers).hasSize(1);
    }

    @Test
    void aSecondAddMovesTheReminderToThirtyMinutesAfterIt() {
        at(T - 5 * MIN).click(addToCart("c1", T0, "p1", "skincare", 100));
        user.click(addToCart("c2", minutes(T0, 10), "p2", "makeup", 50));

        assertThat(user.state.getCartTimerAt()).isEqualTo(T + 10 * MIN + DELAY);
        assertThat(user.timers()).doesNotContain(T + DELAY);
        at(T + DELAY);
        assertThat(user.triggers).isEmpty();
        at(T + 10 * MIN + DELAY);
        assertThat(firedAt(user.triggers)).containsExactly(T + 10 * MIN + DELAY);
    }

    @Test
    void anOrderBeforeTheReminderEndsTheEpisodeWhateverTheArrivalOrder() {
        at(T - 5 * MIN).click(addToCart("c1", T0, "p1", "skincare", 100));
        user.order(Events.order("o1", OrderStatus.PLACED, minutes(T0, 20), 100));
        at(T + 2 * DELAY);
        assertThat(user.triggers).isEmpty();

        TimeDriver reversed = new TimeDriver(model, USER).watermark(T - 5 * MIN);
        reversed.order(Events.order("o1", OrderStatus.PLACED, minutes(T0, 20), 100));
        reversed.click(addToCart("c1", T0, "p1", "skincare", 100));
        reversed.watermark(T + 2 * DELAY);
        assertThat(reversed.triggers).isEmpty();
        assertThat(reversed.state.getCart()).isNull();
        assertThat(reversed.state.getCartPending()).isEmpty();
        assertThat(reversed.state.getCartTimerAt()).isNull();
    }

    @Test
    void anOrderAfterTheReminderTimeDoesNotStopItEvenWhenItArrivesFirst() {
        at(T - 5 * MIN).click(addToCart("c1", T0, "p1", "skincare", 100));
        user.order(Events.order("o1", OrderStatus.PAID, minutes(T0, 45), 100));

        at(T + 45 * MIN);

        // The default model also welcomes the first paid order, at its own moment.
        assertThat(user.triggers).extracting(Trigger::getType, t -> t.getFiredAt().toEpochMilli())
                .containsExactly(tuple(TriggerType.CART_ABANDONED, T + DELAY), tuple(TriggerType.WELCOME, T + 45 * MIN));
        // The order ends the episode: no second reminder.
        assertThat(user.state.getCart()).isNull();
        assertThat(user.state.getCartTimerAt()).isNull();
    }

    @Test
    void aRemovalAfterTheReminderTimeDoesNotEmptyTheCartBeforeIt() {
        at(T - 5 * MIN).click(addToCart("c1", T0, "p1", "skincare", 100));
        user.click(removeFromCart("c2", minutes(T0, 45), "p1", "skincare"));

        at(T + 45 * MIN);

        assertThat(firedAt(user.triggers)).containsExactly(T + DELAY);
        assertThat(user.state.getCart()).isNull();
    }

    @Test
    void anAddAfterTheReminderTimeStartsASecondEpisodeEvenWhenItArrivesFirst() {
        // The cart rule alone: on the default model the second episode's reminder, 45 minutes after
        // the first, would fall within the 1 h cart cooldown and be dropped.
        TimeDriver user = new TimeDriver(Events.cartOnly(), USER).watermark(T - 5 * MIN);
        user.click(addToCart("c1", T0, "p1", "skincare", 100));
        user.click(addToCart("c2", minutes(T0, 45), "p2", "makeup", 50));
        assertThat(user.state.getCartTimerAt()).isEqualTo(T + DELAY);

        user.watermark(T + 2 * 45 * MIN);

        assertThat(firedAt(user.triggers)).containsExactly(T + DELAY, T + 45 * MIN + DELAY);
        assertThat(user.triggers).extracting(Trigger::getTriggerId).containsExactly(
                TriggerIds.of(TriggerType.CART_ABANDONED, USER, T),
                TriggerIds.of(TriggerType.CART_ABANDONED, USER, T + 45 * MIN));
        // Without a second reminder the first one ended the episode: nothing is carried over.
        assertThat(user.triggers.get(1).getFacts().getItems()).extracting(TriggerItem::getProductId)
                .containsExactly("p2");
    }

    @Test
    void aRemovalThatArrivesBeforeItsAddStillEmptiesTheCart() {
        at(T - 5 * MIN).click(removeFromCart("c2", minutes(T0, 5), "p1", "skincare"));
        user.click(addToCart("c1", T0, "p1", "skincare", 100));

        at(T + 2 * DELAY);

        assertThat(user.triggers).isEmpty();
    }

    @Test
    void aLateOrderWithinTheBoundStillCancels() {
        at(T - 5 * MIN).click(addToCart("c1", T0, "p1", "skincare", 100));
        at(T + 28 * MIN); // a click at 10:33 somewhere moved the watermark to 10:28
        user.order(Events.order("o1", OrderStatus.PLACED, minutes(T0, 20), 100)); // behind the watermark

        at(T + 2 * DELAY);

        assertThat(user.triggers).isEmpty();
    }

    @Test
    void anOrderTooLateToCancelLeavesTheReminderItFollowedFiredOnce() {
        at(T - 5 * MIN).click(addToCart("c1", T0, "p1", "skincare", 100));
        at(T + 45 * MIN);
        user.order(Events.order("o1", OrderStatus.PLACED, minutes(T0, 20), 100));
        at(T + 3 * DELAY);

        assertThat(firedAt(user.triggers)).containsExactly(T + DELAY);
    }

    @Test
    void emptyingTheCartEndsTheEpisode() {
        at(T - 5 * MIN).click(addToCart("c1", T0, "p1", "skincare", 100));
        user.click(addToCart("c2", minutes(T0, 1), "p1", "skincare", 100));
        user.click(removeFromCart("c3", minutes(T0, 2), "p1", "skincare"));
        user.click(removeFromCart("c4", minutes(T0, 3), "p2", "makeup"));
        user.click(removeFromCart("c5", minutes(T0, 4), "p1", "skincare"));

        at(T + 2 * DELAY);

        assertThat(user.triggers).isEmpty();
        assertThat(user.state.getCart()).isNull();
        assertThat(user.state.getCartPending()).isEmpty();
        assertThat(user.state.getCartTimerAt()).isNull();
    }

    @Test
    void aRemovalLowersTheQuantityAndRemovingAnotherProductChangesNothing() {
        at(T - 5 * MIN).click(addToCart("c1", T0, "p1", "skincare", 100));
        user.click(addToCart("c2", minutes(T0, 1), "p1", "skincare", 100));
        user.click(removeFromCart("c3", minutes(T0, 2), "p1", "skincare"));
        user.click(removeFromCart("c4", minutes(T0, 3), "p2", "makeup"));

        at(T + MIN + DELAY);

        assertThat(user.triggers).singleElement().satisfies(t -> assertThat(t.getFacts().getItems())
                .extracting(TriggerItem::getProductId, TriggerItem::getQuantity).containsExactly(tuple("p1", 1)));
    }

    @Test
    void aLateAddWhoseReminderTimeHasPassedOpensNothing() {
        at(T + DELAY).click(addToCart("c1", T0, "p1", "skincare", 100));

        assertThat(user.tooLate).isEqualTo(1);
        assertThat(user.state.getCart()).isNull();
        assertThat(user.state.getCartTimerAt()).isNull();
        // The signal itself still counts.
        assertThat(user.state.getIntent().getTotal()).isEqualTo(4.0);

        TimeDriver justInTime = new TimeDriver(model, USER).watermark(T + DELAY - 1);
        justInTime.click(addToCart("c1", T0, "p1", "skincare", 100));
        justInTime.watermark(T + DELAY);
        assertThat(justInTime.tooLate).isZero();
        assertThat(firedAt(justInTime.triggers)).containsExactly(T + DELAY);
    }

    @Test
    void aLateAddJoinsTheOpenEpisode() {
        at(T - 5 * MIN).click(addToCart("c2", minutes(T0, 20), "p2", "makeup", 50));
        at(T + 35 * MIN);
        user.click(addToCart("c1", T0, "p1", "skincare", 100)); // its own 10:30 has passed

        at(T + 20 * MIN + DELAY);

        assertThat(user.tooLate).isZero();
        assertThat(user.triggers).singleElement().satisfies(t -> {
            assertThat(t.getFiredAt().toEpochMilli()).isEqualTo(T + 20 * MIN + DELAY);
            assertThat(t.getFacts().getItems()).extracting(TriggerItem::getProductId).containsExactly("p2", "p1");
            assertThat(t.getTriggerId()).isEqualTo(TriggerIds.of(TriggerType.CART_ABANDONED, USER, T));
        });
    }

    @Test
    void aLateAddThatWasAlreadyBoughtOpensNothing() {
        at(T - 5 * MIN).order(Events.order("o1", OrderStatus.PLACED, minutes(T0, 20), 100));
        at(T + 25 * MIN);
        user.click(addToCart("c1", T0, "p1", "skincare", 100));
        at(T + 3 * DELAY);

        assertThat(user.triggers).isEmpty();
        assertThat(user.tooLate).isZero();
    }

    @Test
    void aLateAddFromBeforeAnOrderDoesNotPullThatOrderIntoTheOpenEpisode() {
        at(T - 5 * MIN).order(Events.order("o1", OrderStatus.PLACED, minutes(T0, 10), 100));
        user.click(addToCart("c2", minutes(T0, 20), "p2", "makeup", 50));
        at(T + 35 * MIN);
        user.click(addToCart("c1", T0, "p1", "skincare", 100)); // late; bought by the 10:10 order

        at(T + 20 * MIN + DELAY);

        assertThat(user.triggers).singleElement().satisfies(t -> {
            assertThat(t.getFiredAt().toEpochMilli()).isEqualTo(T + 20 * MIN + DELAY);
            assertThat(t.getFacts().getItems()).extracting(TriggerItem::getProductId).containsExactly("p2");
        });
        assertThat(user.tooLate).isZero();
    }

    @Test
    void theSameInputGivesTheSameTriggerId() {
        assertThat(abandon(USER)).isEqualTo(abandon(USER)).isNotEqualTo(abandon("u2"));
        assertThat(TriggerIds.of(TriggerType.CART_ABANDONED, USER, T))
                .isEqualTo(TriggerIds.of(TriggerType.CART_ABANDONED, USER, T))
                .isNotEqualTo(TriggerIds.of(TriggerType.CART_ABANDONED, USER, T + 1))
                .isNotEqualTo(TriggerIds.of(TriggerType.HIGH_INTENT, USER, T));
    }

    private String abandon(String userId) {
        TimeDriver d = new TimeDriver(Events.defaults(), userId).watermark(T - 5 * MIN);
        d.click(Events.forUser(addToCart("c1", T0, "p1", "skincare", 100), userId)).watermark(T + DELAY);
        assertThat(d.triggers).hasSize(1);
        return d.triggers.get(0).getTriggerId();
    }

    @Test
    void theOfferComesFromTheModel() {
        TimeDriver d = new TimeDriver(Events.model(
                "triggers: {cartAbandoned: {offer: {code: FREESHIP, description: free shipping on this cart}}}"), USER);
        d.watermark(T - 5 * MIN).click(addToCart("c1", T0, "p1", "skincare", 100)).watermark(T + DELAY);

        assertThat(d.triggers).singleElement().satisfies(t -> {
            assertThat(t.getOffer().getCode()).isEqualTo("FREESHIP");
            assertThat(t.getOffer().getDescription()).isEqualTo("free shipping on this cart");
        });
    }

    @Test
    void theFactsKeepOnlyTheLatestFiveEventIds() {
        // The cart rule alone: on the default model the fourth add (intent 16) also fires HIGH_INTENT.
        TimeDriver user = new TimeDriver(Events.cartOnly(), USER).watermark(T - 5 * MIN);
        for (int i = 1; i <= 6; i++) {
            user.click(addToCart("c" + i, minutes(T0, i), "p1", "skincare", 10));
        }
        user.watermark(T + 6 * MIN + DELAY);

        assertThat(user.triggers).singleElement().satisfies(t -> {
            assertThat(t.getFacts().getEventIds()).containsExactly("c2", "c3", "c4", "c5", "c6");
            assertThat(t.getFacts().getItems()).extracting(TriggerItem::getQuantity).containsExactly(6);
        });
    }

    @Test
    void cartLinesAreBoundedButEveryAddIsInTheFacts() {
        TimeDriver d = new TimeDriver(Events.model("limits: {maxCartLines: 2}"), USER).watermark(T - 5 * MIN);
        for (ClickEvent e : List.of(addToCart("c1", T0, "p1", null, 10), addToCart("c2", T0, "p2", null, 10),
                addToCart("c3", T0, "p3", null, 10))) {
            d.click(e);
        }
        d.watermark(T + DELAY);

        assertThat(d.triggers).singleElement().satisfies(t -> {
            assertThat(t.getFacts().getItems()).extracting(TriggerItem::getProductId).containsExactly("p1", "p2");
            assertThat(t.getFacts().getEventIds()).containsExactly("c1", "c2", "c3");
        });
    }

    @Test
    void pendingCartEventsAreBounded() {
        // The cart rule alone: on the default model the fourth add (intent 16) also fires HIGH_INTENT.
        TimeDriver d = new TimeDriver(Events.model(TestModels.cartOnlyYaml(false) + "limits: {maxPendingCartEvents: 3}"),
                USER).watermark(T - 5 * MIN);
        for (int i = 0; i < 5; i++) {
            d.click(addToCart("c" + i, minutes(T0, i), "p" + i, null, 10));
        }

        assertThat(d.state.getCartPending()).hasSize(3);
        assertThat(d.state.getCart().getLines()).extracting(CartLine::getProductId).containsExactly("p0", "p1");
        d.watermark(T + 4 * MIN + DELAY);
        assertThat(firedAt(d.triggers)).containsExactly(T + 4 * MIN + DELAY);
    }

    // ---- the second reminder ----

    private static String firstId(long openedAt) {
        return TriggerIds.of(TriggerType.CART_ABANDONED, USER, openedAt);
    }

    private static String secondId(long openedAt) {
        return TriggerIds.of(TriggerType.CART_ABANDONED, USER, openedAt, "second");
    }

    /** No episode, nothing pending, no trigger waiting, no timer: the cart has left no state behind. */
    private static void assertCartSettled(TimeDriver d) {
        assertThat(d.state.getCart()).isNull();
        assertThat(d.state.getCartPending()).isEmpty();
        assertThat(d.state.getCartTimerAt()).isNull();
        assertThat(d.state.getPendingTriggers()).isEmpty();
        assertThat(d.timers()).isEmpty();
    }

    @Test
    void aSecondReminderFiresADayAfterTheFirstWithTheSameCartAndItsOwnId() {
        // Adds without a category: no interest tag, so no review timer beside the cart's.
        at(T - 5 * MIN).click(addToCart("c1", T0, "p1", null, 100));
        user.click(addToCart("c2", minutes(T0, 5), "p2", null, 25));
        long first = T + 5 * MIN + DELAY;
        long second = first + DAY;
        at(first);

        assertThat(firedAt(user.triggers)).containsExactly(first);
        CartEpisode open = user.state.getCart();
        assertThat(open.getOpenedAt()).isEqualTo(T);
        assertThat(open.getRemindedAt()).isEqualTo(first);
        assertThat(open.getDueAt()).isEqualTo(second);
        assertThat(user.state.getCartTimerAt()).isEqualTo(second);
        assertThat(user.timers()).containsExactly(second);
        at(second - 1);
        assertThat(user.triggers).hasSize(1);

        at(second);

        assertThat(user.triggers).hasSize(2);
        Trigger r1 = user.triggers.get(0);
        Trigger r2 = user.triggers.get(1);
        assertThat(r1.getTriggerId()).isEqualTo(firstId(T));
        assertThat(r1.getFacts().getCounts()).containsEntry("reminder", 1L);
        assertThat(r2.getTriggerId()).isEqualTo(secondId(T)).isNotEqualTo(r1.getTriggerId());
        assertThat(r2.getUserId()).isEqualTo(USER);
        assertThat(r2.getType()).isEqualTo(TriggerType.CART_ABANDONED);
        assertThat(r2.getFiredAt()).isEqualTo(Instant.ofEpochMilli(second));
        assertThat(r2.getDeferredFrom()).isNull();
        assertThat(r2.getExpiresAt()).isEqualTo(Instant.ofEpochMilli(second + 24 * HOUR));
        assertThat(r2.getPriority()).isEqualTo(45);
        assertThat(r2.getOffer().getCode()).isEqualTo("CART10");
        assertThat(r2.getOffer().getDescription()).isEqualTo("10% off this cart for 24 hours");
        assertThat(r2.getReason()).isEqualTo(
                "second reminder: 2 items (125.00) still in the cart, not ordered 24 hours after the first reminder");
        assertThat(r2.getFacts().getItems()).isEqualTo(r1.getFacts().getItems())
                .extracting(TriggerItem::getProductId, TriggerItem::getQuantity, TriggerItem::getUnitPrice)
                .containsExactly(tuple("p1", 1, 100.0), tuple("p2", 1, 25.0));
        assertThat(r2.getFacts().getEventIds()).containsExactly("c1", "c2");
        assertThat(r2.getFacts().getScores()).containsOnly(entry("cartValue", 125.0));
        assertThat(r2.getFacts().getCounts())
                .containsOnly(entry("cartLines", 2L), entry("cartUnits", 2L), entry("reminder", 2L));
        assertThat(r2.getModelVersion()).isEqualTo("default-2026.11");
        // The second reminder is the last: the episode is over.
        assertCartSettled(user);
        at(second + 10 * DAY);
        assertThat(user.triggers).hasSize(2);
    }

    @Test
    void anOrderBetweenTheRemindersCancelsTheSecondWhateverTheArrivalOrder() {
        Instant checkout = hours(T0, 5);

        at(T - 5 * MIN).click(addToCart("c1", T0, "p1", null, 100));
        at(T + DELAY);
        user.order(Events.order("o1", OrderStatus.PLACED, checkout, 100)); // ahead of the watermark
        // The episode now ends at the checkout: its timer moved there.
        assertThat(user.state.getCartTimerAt()).isEqualTo(ms(checkout));
        assertThat(user.timers()).containsExactly(ms(checkout));

        // The order arrives first, before the add whose episode it ends.
        TimeDriver reversed = new TimeDriver(model, USER).watermark(T - 5 * MIN);
        reversed.order(Events.order("o1", OrderStatus.PLACED, checkout, 100));
        reversed.click(addToCart("c1", T0, "p1", null, 100));

        // The order arrives late, behind the watermark, but before the second reminder is due.
        TimeDriver late = new TimeDriver(model, USER).watermark(T - 5 * MIN);
        late.click(addToCart("c1", T0, "p1", null, 100));
        late.watermark(T + 10 * HOUR);
        late.order(Events.order("o1", OrderStatus.PLACED, checkout, 100));

        for (TimeDriver d : List.of(user, reversed, late)) {
            d.watermark(T + 3 * DAY);
            assertThat(d.triggers).extracting(Trigger::getTriggerId, t -> t.getFiredAt().toEpochMilli())
                    .containsExactly(tuple(firstId(T), T + DELAY));
            assertCartSettled(d);
        }
    }

    @Test
    void anOrderWhileTheSecondReminderWaitsOutQuietHoursStillCancelsIt() {
        // 22:00 in Shanghai (UTC+8, the default zone): each reminder's moment, 22:30, is in the quiet
        // hours, so each waits for 08:00 (00:00Z).
        Instant added = Instant.parse("2025-03-10T14:00:00Z");
        long firstMoment = ms(minutes(added, 30));
        long secondMoment = firstMoment + DAY;
        long morning = ms(Instant.parse("2025-03-11T00:00:00Z"));
        long nextMorning = morning + DAY;
        TimeDriver d = new TimeDriver(model, USER).watermark(ms(added) - 5 * MIN);
        d.click(addToCart("c1", added, "p1", null, 100));

        d.watermark(secondMoment + 15 * MIN);

        // The first went out at 08:00; the second was made at its moment and waits for the next 08:00.
        assertThat(d.triggers).singleElement().satisfies(t -> {
            assertThat(t.getTriggerId()).isEqualTo(firstId(ms(added)));
            assertThat(t.getFiredAt().toEpochMilli()).isEqualTo(morning);
            assertThat(t.getDeferredFrom().toEpochMilli()).isEqualTo(firstMoment);
        });
        assertThat(d.state.getCart()).isNull();
        assertThat(d.state.getPendingTriggers()).singleElement().satisfies(p -> {
            assertThat(p.getTrigger().getTriggerId()).isEqualTo(secondId(ms(added)));
            assertThat(p.getReleaseAt()).isEqualTo(nextMorning);
        });
        assertThat(d.timers()).containsExactly(nextMorning);

        // Bought at 23:00 local, after the second reminder's moment but before it could go out.
        Instant bought = minutes(Instant.ofEpochMilli(secondMoment), 30);
        d.order(Events.order("o1", OrderStatus.PLACED, bought, 100));

        assertThat(d.state.getPendingTriggers()).isEmpty();
        assertThat(d.timers()).isEmpty();
        assertThat(d.profiles.get(d.profiles.size() - 1).getTriggersNotSent()).singleElement().satisfies(n -> {
            assertThat(n.getTriggerId()).isEqualTo(secondId(ms(added)));
            assertThat(n.getType()).isEqualTo(TriggerType.CART_ABANDONED);
            assertThat(n.getAt()).isEqualTo(bought);
            assertThat(n.getOutcome()).isEqualTo(TriggerOutcome.SUPPRESSED);
            assertThat(n.getReason()).isEqualTo("an order at 2025-03-11T15:00:00Z made it pointless");
        });
        d.watermark(nextMorning + 10 * DAY);
        assertThat(d.triggers).hasSize(1);
        assertCartSettled(d);
    }

    @Test
    void emptyingTheCartAfterTheFirstReminderCancelsTheSecond() {
        at(T - 5 * MIN).click(addToCart("c1", T0, "p1", null, 100));
        at(T + DELAY);
        user.click(removeFromCart("c2", hours(T0, 2), "p1", null)); // ahead of the watermark
        // Only the removal is left to apply, and it empties the cart: the timer moves to it.
        assertThat(user.timers()).containsExactly(T + 2 * HOUR);

        at(T + 2 * HOUR);

        assertCartSettled(user);
        at(T + 3 * DAY);
        assertThat(user.triggers).extracting(Trigger::getTriggerId).containsExactly(firstId(T));
    }

    @Test
    void anAddAfterTheFirstReminderStartsANewEpisodeWithTheLinesStillInTheCartWhateverTheArrivalOrder() {
        // The cart rule alone, with its second reminder: on the default model the new episode's first
        // reminder would fall in the cart cooldown (see the next test).
        long added = T + 45 * MIN;
        TimeDriver inOrder = new TimeDriver(Events.cartOnlyWithSecondReminder(), USER).watermark(T - 5 * MIN);
        inOrder.click(addToCart("c1", T0, "p1", null, 100));
        inOrder.watermark(T + DELAY);
        inOrder.click(addToCart("c2", minutes(T0, 45), "p2", null, 50));
        // Both ahead of the watermark: the add after the reminder arrives with the first.
        TimeDriver early = new TimeDriver(Events.cartOnlyWithSecondReminder(), USER).watermark(T - 5 * MIN);
        early.click(addToCart("c2", minutes(T0, 45), "p2", null, 50));
        early.click(addToCart("c1", T0, "p1", null, 100));

        for (TimeDriver d : List.of(inOrder, early)) {
            d.watermark(T + DELAY);
            // The pending add will open the next episode: its due time replaces the old one's second reminder.
            assertThat(d.timers()).containsExactly(added + DELAY);

            d.watermark(added + DELAY);

            CartEpisode next = d.state.getCart();
            assertThat(next.getOpenedAt()).isEqualTo(added);
            assertThat(next.getLastAddAt()).isEqualTo(added);
            assertThat(next.getRemindedAt()).isEqualTo(added + DELAY);
            assertThat(next.getDueAt()).isEqualTo(added + DELAY + DAY);
            assertThat(next.getLines()).extracting(CartLine::getProductId, CartLine::getQuantity)
                    .containsExactly(tuple("p1", 1), tuple("p2", 1));
            assertThat(next.getEventIds()).containsExactly("c2");
            assertThat(d.timers()).containsExactly(added + DELAY + DAY);

            d.watermark(added + DELAY + 3 * DAY);

            // The old episode's second reminder (due T + 30 min + 24 h) never comes: the new one's two do.
            assertThat(d.triggers).extracting(Trigger::getTriggerId, t -> t.getFiredAt().toEpochMilli())
                    .containsExactly(
                            tuple(firstId(T), T + DELAY),
                            tuple(firstId(added), added + DELAY),
                            tuple(secondId(added), added + DELAY + DAY));
            assertThat(d.triggers.get(0).getFacts().getItems()).extracting(TriggerItem::getProductId)
                    .containsExactly("p1");
            for (Trigger t : d.triggers.subList(1, 3)) {
                assertThat(t.getFacts().getItems()).extracting(TriggerItem::getProductId).containsExactly("p1", "p2");
                assertThat(t.getFacts().getEventIds()).containsExactly("c2");
            }
            assertCartSettled(d);
        }
    }

    @Test
    void onTheDefaultModelANewEpisodesFirstReminderWithinAnHourOfTheLastIsDroppedButItsSecondGoesOut() {
        long added = T + 45 * MIN;
        at(T - 5 * MIN).click(addToCart("c1", T0, "p1", null, 100));
        at(T + DELAY);
        user.click(addToCart("c2", minutes(T0, 45), "p2", null, 50));

        at(added + DELAY);

        // 45 minutes after the first reminder: within the cart cooldown of 1 h.
        assertThat(user.triggers).extracting(Trigger::getTriggerId).containsExactly(firstId(T));
        assertThat(user.profiles.get(user.profiles.size() - 1).getTriggersNotSent()).singleElement().satisfies(n -> {
            assertThat(n.getTriggerId()).isEqualTo(firstId(added));
            assertThat(n.getOutcome()).isEqualTo(TriggerOutcome.COOLDOWN);
            assertThat(n.getAt().toEpochMilli()).isEqualTo(added + DELAY);
            assertThat(n.getReason())
                    .isEqualTo("a CART_ABANDONED went out at 2025-03-10T10:30:00Z, within the cooldown of 1 h");
        });
        // The new episode still waits for its second reminder, with both lines.
        assertThat(user.state.getCart().getRemindedAt()).isEqualTo(added + DELAY);

        at(added + DELAY + 3 * DAY);

        assertThat(user.triggers).extracting(Trigger::getTriggerId, t -> t.getFiredAt().toEpochMilli())
                .containsExactly(tuple(firstId(T), T + DELAY), tuple(secondId(added), added + DELAY + DAY));
        assertThat(user.triggers.get(1).getFacts().getItems()).extracting(TriggerItem::getProductId)
                .containsExactly("p1", "p2");
        assertCartSettled(user);
    }
    @Test
    void noSecondReminderStandsInForAFirstThatTheCapDropped() {
        TimeDriver capped = new TimeDriver(Events.model("contact: {maxPerDay: 1}"), USER);
        capped.watermark(T - HOUR).order(Events.paid("o1", hours(T0, -1), 80)); // WELCOME at 09:00: the day's one
        capped.click(addToCart("c1", T0, "p1", null, 100));

        capped.watermark(T + DELAY);
        assertThat(capped.triggers).extracting(Trigger::getType).containsExactly(TriggerType.WELCOME);
        assertThat(capped.profiles.get(capped.profiles.size() - 1).getTriggersNotSent())
                .extracting(n -> n.getOutcome()).containsExactly(TriggerOutcome.DAILY_CAP);

        capped.watermark(T + DELAY + DAY);

        assertThat(capped.triggers).extracting(Trigger::getType).containsExactly(TriggerType.WELCOME);
        assertThat(capped.profiles.get(capped.profiles.size() - 1).getTriggersNotSent()).singleElement().satisfies(n -> {
            assertThat(n.getTriggerId()).isEqualTo(secondId(T));
            assertThat(n.getOutcome()).isEqualTo(TriggerOutcome.SUPPRESSED);
            assertThat(n.getAt().toEpochMilli()).isEqualTo(T + DELAY + DAY);
            assertThat(n.getReason()).isEqualTo("the first reminder, due 2025-03-10T10:30:00Z, did not go out: no second one");
        });
        assertThat(capped.state.getCart()).isNull();
        assertThat(capped.state.getPendingTriggers()).isEmpty();
    }
}
