package dev.pond.core;

import dev.pond.events.ClickEvent;
import dev.pond.events.OrderStatus;
import dev.pond.model.Model;
import dev.pond.out.Trigger;
import dev.pond.out.TriggerItem;
import dev.pond.out.TriggerType;
import dev.pond.state.CartLine;
import dev.pond.state.UserState;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import static dev.pond.core.Events.NO_WATERMARK;
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
import static org.assertj.core.api.Assertions.within;

/**
 * CART_ABANDONED end to end through {@link UserScorer} (and {@link CartRule} where the outcome of
 * one add-to-cart matters), with the default model: an episode opens with an add-to-cart and is due
 * 30 minutes after the latest one; an order at or after its opening ends it, an order already seen
 * within 30 minutes after an add means that add was bought, an add whose reminder is already past
 * the watermark is too late, an emptied cart ends it, and at the due time exactly one reminder
 * fires (valid 24 hours, priority 50) and the episode and its timer are gone.
 */
class CartRuleTest {

    private static final long T = ms(T0);
    private static final long DELAY = 30 * Times.MINUTE;

    private final Model model = Events.defaults();
    private final UserScorer scorer = new UserScorer(model);
    private final Emissions out = new Emissions();
    /** The user's state; null until the first event. */
    private UserState s;

    private void click(ClickEvent e) {
        click(e, NO_WATERMARK);
    }

    private void click(ClickEvent e, long watermark) {
        out.clear();
        s = scorer.onClick(s, e, watermark, out);
    }

    private void order(OrderStatus status, Instant ts) {
        out.clear();
        s = scorer.onOrder(s, Events.order("o1", status, ts, 100), NO_WATERMARK, out);
    }

    private void timer(long t) {
        out.clear();
        scorer.onTimer(s, USER, t, out);
    }

    private static List<Long> timers(UserState s) {
        return Arrays.stream(UserScorer.timers(s)).boxed().toList();
    }

    @Test
    void anAddToCartOpensAnEpisodeDueThirtyMinutesLater() {
        click(addToCart("c1", T0, "p1", "skincare", 100));

        assertThat(s.getCart()).isNotNull();
        assertThat(s.getCart().getOpenedAt()).isEqualTo(T);
        assertThat(s.getCart().getLastAddAt()).isEqualTo(T);
        assertThat(s.getCart().getDueAt()).isEqualTo(T + DELAY);
        assertThat(s.getCart().getLines()).extracting(CartLine::getProductId, CartLine::getCategory,
                CartLine::getQuantity, CartLine::getUnitPrice).containsExactly(tuple("p1", "skincare", 1, 100.0));
        assertThat(s.getCart().getEventIds()).containsExactly("c1");
        assertThat(timers(s)).contains(T + DELAY);
        assertThat(out.triggers).isEmpty();
    }

    @Test
    void aSecondAddMovesTheDueTimeToThirtyMinutesAfterIt() {
        click(addToCart("c1", T0, "p1", "skincare", 100));
        click(addToCart("c2", minutes(T0, 10), "p2", "makeup", 50));

        assertThat(s.getCart().getOpenedAt()).isEqualTo(T);
        assertThat(s.getCart().getLastAddAt()).isEqualTo(T + 10 * Times.MINUTE);
        assertThat(s.getCart().getDueAt()).isEqualTo(T + 10 * Times.MINUTE + DELAY);
        assertThat(timers(s)).contains(T + 10 * Times.MINUTE + DELAY).doesNotContain(T + DELAY);
    }

    @Test
    void aLateEarlierAddOpensTheEpisodeEarlierButDoesNotMoveTheDueTime() {
        click(addToCart("c2", minutes(T0, 10), "p2", "makeup", 50));
        click(addToCart("c1", T0, "p1", "skincare", 100));

        assertThat(s.getCart().getOpenedAt()).isEqualTo(T);
        assertThat(s.getCart().getLastAddAt()).isEqualTo(T + 10 * Times.MINUTE);
        assertThat(s.getCart().getDueAt()).isEqualTo(T + 10 * Times.MINUTE + DELAY);
    }

    @Test
    void anOrderAtOrAfterTheOpeningEndsTheEpisode() {
        click(addToCart("c1", T0, "p1", "skincare", 100));
        order(OrderStatus.PLACED, minutes(T0, 10));

        assertThat(s.getCart()).isNull();
        assertThat(timers(s)).doesNotContain(T + DELAY);

        s = null;
        click(addToCart("c1", T0, "p1", "skincare", 100));
        order(OrderStatus.PAID, T0);

        assertThat(s.getCart()).isNull();
    }

    @Test
    void anOrderFromBeforeTheOpeningDoesNotEndTheEpisode() {
        click(addToCart("c1", T0, "p1", "skincare", 100));
        order(OrderStatus.PAID, minutes(T0, -1));

        assertThat(s.getCart()).isNotNull();
        assertThat(s.getCart().getDueAt()).isEqualTo(T + DELAY);
    }

    @Test
    void anAddThatArrivesAfterItsOrderWasSeenIsAlreadyBought() {
        order(OrderStatus.PLACED, minutes(T0, 20));
        click(addToCart("c1", T0, "p1", "skincare", 100));

        assertThat(s.getCart()).isNull();
        assertThat(out.tooLateForReminder).isZero();
        assertThat(timers(s)).doesNotContain(T + DELAY);
    }

    @Test
    void anOrderCountsAsTheBuyingOfAnAddFromTheAddUpToButExcludingThirtyMinutesAfterIt() {
        CartRule rule = new CartRule(model);

        assertThat(rule.added(withCheckout(T), addToCart("c1", T0, "p1", null, 1), NO_WATERMARK))
                .isEqualTo(CartRule.Added.ALREADY_BOUGHT);
        assertThat(rule.added(withCheckout(T + DELAY - 1), addToCart("c1", T0, "p1", null, 1), NO_WATERMARK))
                .isEqualTo(CartRule.Added.ALREADY_BOUGHT);
        assertThat(rule.added(withCheckout(T + DELAY), addToCart("c1", T0, "p1", null, 1), NO_WATERMARK))
                .isEqualTo(CartRule.Added.IN_CART);
        assertThat(rule.added(withCheckout(T - 1), addToCart("c1", T0, "p1", null, 1), NO_WATERMARK))
                .isEqualTo(CartRule.Added.IN_CART);
    }

    private static UserState withCheckout(long at) {
        UserState u = UserScorer.fresh(at);
        u.getOrders().getRecent().add(new dev.pond.state.OrderRef("o-before", at, null, 0d, false));
        return u;
    }

    @Test
    void anAddWhoseReminderIsAlreadyPastTheWatermarkIsTooLate() {
        click(addToCart("c1", T0, "p1", "skincare", 100), T + DELAY);

        assertThat(s.getCart()).isNull();
        assertThat(out.tooLateForReminder).isEqualTo(1);
        assertThat(UserScorer.timers(s)).doesNotContain(T + DELAY);
        // The signal itself still counts.
        assertThat(s.getIntent().getTotal()).isEqualTo(4.0);

        s = null;
        click(addToCart("c1", T0, "p1", "skincare", 100), T + DELAY - 1);

        assertThat(s.getCart()).isNotNull();
        assertThat(out.tooLateForReminder).isZero();
    }

    @Test
    void emptyingTheCartEndsTheEpisode() {
        click(addToCart("c1", T0, "p1", "skincare", 100));
        click(addToCart("c2", minutes(T0, 1), "p1", "skincare", 100));
        click(removeFromCart("c3", minutes(T0, 2), "p1", "skincare"));

        assertThat(s.getCart().getLines()).extracting(CartLine::getQuantity).containsExactly(1);

        click(removeFromCart("c4", minutes(T0, 3), "p2", "makeup"));
        assertThat(s.getCart().getLines()).extracting(CartLine::getProductId).containsExactly("p1");

        click(removeFromCart("c5", minutes(T0, 4), "p1", "skincare"));

        assertThat(s.getCart()).isNull();
        assertThat(timers(s)).doesNotContain(T + Times.MINUTE + DELAY);
    }

    @Test
    void atTheDueTimeExactlyOneReminderFiresAndTheEpisodeEnds() {
        click(addToCart("c1", T0, "p1", "skincare", 100));
        click(addToCart("c2", minutes(T0, 5), "p1", "skincare", 90));
        click(addToCart("c3", minutes(T0, 10), "p2", "makeup", 50));
        long due = T + 10 * Times.MINUTE + DELAY;
        assertThat(timers(s)).contains(due);

        timer(due);

        assertThat(out.triggers).hasSize(1);
        Trigger trigger = out.triggers.get(0);
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
        assertThat(trigger.getFacts().getScores()).containsEntry("cartValue", 230.0);
        double intent = 4 * Math.pow(2, -40.0 / (72 * 60)) + 4 * Math.pow(2, -35.0 / (72 * 60))
                + 4 * Math.pow(2, -30.0 / (72 * 60));
        assertThat(trigger.getFacts().getScores().get("intent")).isCloseTo(intent, within(1e-9));
        assertThat(trigger.getFacts().getCounts()).containsOnly(entry("cartLines", 2L), entry("cartUnits", 3L));

        assertThat(s.getCart()).isNull();
        assertThat(timers(s)).doesNotContain(due);

        timer(due);
        assertThat(out.triggers).isEmpty();
    }

    @Test
    void aTimerAtAnEarlierDueTimeThatMovedFiresNothing() {
        click(addToCart("c1", T0, "p1", "skincare", 100));
        click(addToCart("c2", minutes(T0, 10), "p2", "makeup", 50));

        timer(T + DELAY);

        assertThat(out.triggers).isEmpty();
        assertThat(s.getCart()).isNotNull();
    }

    @Test
    void theSameInputGivesTheSameTriggerId() {
        String first = abandon(USER);
        String again = abandon(USER);

        assertThat(again).isEqualTo(first);
        assertThat(abandon("u2")).isNotEqualTo(first);
        assertThat(TriggerIds.of(TriggerType.CART_ABANDONED, USER, T))
                .isEqualTo(TriggerIds.of(TriggerType.CART_ABANDONED, USER, T))
                .isNotEqualTo(TriggerIds.of(TriggerType.CART_ABANDONED, USER, T + 1))
                .isNotEqualTo(TriggerIds.of(TriggerType.HIGH_INTENT, USER, T));
    }

    private String abandon(String userId) {
        UserScorer fresh = new UserScorer(Events.defaults());
        Emissions e = new Emissions();
        UserState u = fresh.onClick(null, Events.forUser(addToCart("c1", T0, "p1", "skincare", 100), userId),
                NO_WATERMARK, e);
        e.clear();
        fresh.onTimer(u, userId, T + DELAY, e);
        assertThat(e.triggers).hasSize(1);
        return e.triggers.get(0).getTriggerId();
    }

    @Test
    void theOfferComesFromTheModel() {
        UserScorer withOffer = new UserScorer(Events.model(
                "triggers: {cartAbandoned: {offer: {code: FREESHIP, description: free shipping on this cart}}}"));
        Emissions e = new Emissions();
        UserState u = withOffer.onClick(null, addToCart("c1", T0, "p1", "skincare", 100), NO_WATERMARK, e);
        e.clear();
        withOffer.onTimer(u, USER, T + DELAY, e);

        assertThat(e.triggers).singleElement().satisfies(t -> {
            assertThat(t.getOffer().getCode()).isEqualTo("FREESHIP");
            assertThat(t.getOffer().getDescription()).isEqualTo("free shipping on this cart");
        });
    }

    @Test
    void theFactsKeepOnlyTheLatestFiveEventIds() {
        for (int i = 1; i <= 6; i++) {
            click(addToCart("c" + i, minutes(T0, i), "p1", "skincare", 10));
        }

        assertThat(s.getCart().getEventIds()).containsExactly("c2", "c3", "c4", "c5", "c6");
        assertThat(s.getCart().getLines()).extracting(CartLine::getQuantity).containsExactly(6);
    }

    @Test
    void cartLinesAreBoundedButEveryAddIsInTheFacts() {
        UserScorer small = new UserScorer(Events.model("limits: {maxCartLines: 2}"));
        Emissions e = new Emissions();
        UserState u = small.onClick(null, addToCart("c1", T0, "p1", null, 10), NO_WATERMARK, e);
        u = small.onClick(u, addToCart("c2", T0, "p2", null, 10), NO_WATERMARK, e);
        u = small.onClick(u, addToCart("c3", T0, "p3", null, 10), NO_WATERMARK, e);

        assertThat(u.getCart().getLines()).extracting(CartLine::getProductId).containsExactly("p1", "p2");
        assertThat(u.getCart().getEventIds()).containsExactly("c1", "c2", "c3");
    }
}
