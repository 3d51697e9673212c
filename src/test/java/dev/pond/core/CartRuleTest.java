package dev.pond.core;

import dev.pond.events.ClickEvent;
import dev.pond.events.OrderStatus;
import dev.pond.model.Model;
import dev.pond.out.Trigger;
import dev.pond.out.TriggerItem;
import dev.pond.out.TriggerType;
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

}
