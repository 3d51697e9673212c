package dev.pond.scoring;

import dev.pond.core.TriggerIds;
import dev.pond.core.UserScorer;
import dev.pond.core.value.CustomerValue;
import dev.pond.events.ClickEvent;
import dev.pond.events.ClickType;
import dev.pond.events.OrderStatus;
import dev.pond.model.Model;
import dev.pond.out.Lifecycle;
import dev.pond.out.Profile;
import dev.pond.out.TagChange;
import dev.pond.out.TagChangeType;
import dev.pond.out.Trigger;
import dev.pond.out.TriggerItem;
import dev.pond.out.TriggerType;
import dev.pond.scoring.ScoringHarness.Backend;
import dev.pond.state.CartEvent;
import dev.pond.state.CartEventKind;
import dev.pond.state.CartLine;
import dev.pond.state.OrderRef;
import dev.pond.state.UserState;
import org.apache.avro.generic.GenericData;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static dev.pond.scoring.ScoringEvents.CHURNED_AFTER;
import static dev.pond.scoring.ScoringEvents.DAY;
import static dev.pond.scoring.ScoringEvents.SLEEPING_AFTER;
import static dev.pond.scoring.ScoringEvents.HOUR;
import static dev.pond.scoring.ScoringEvents.MINUTE;
import static dev.pond.scoring.ScoringEvents.T0;
import static dev.pond.scoring.ScoringEvents.USER;
import static dev.pond.scoring.ScoringEvents.addToCart;
import static dev.pond.scoring.ScoringEvents.click;
import static dev.pond.scoring.ScoringEvents.order;
import static dev.pond.scoring.ScoringEvents.removeFromCart;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.within;

/**
 * {@link UserScoringOperator} as Flink runs it, keyed by user under
 * {@code KeyedOneInputStreamOperatorTestHarness}, with the default model. Every test runs on the
 * heap backend and on RocksDB, where state is serialized and read back as new objects (Avro arrays
 * as {@code GenericData.Array}). The tests feed events and watermarks and assert exactly what comes
 * out (triggers on the main output, tag changes and profiles on the side outputs, each with its
 * record timestamp), which event-time timers are registered, what state is stored, and that a cart
 * episode's state and timer are gone when the episode ends (STYLE rules 3 and 8).
 *
 * <p>The cart rule runs in event time: an add-to-cart or remove-from-cart ahead of the watermark
 * (every event is, before the first watermark) is not applied at once but waits in
 * {@code cartPending}, and is applied in event-time order when the cart timer fires or when
 * another cart click or order of the user arrives after the watermark passed it. A checkout (the
 * first PLACED or PAID of an order) ends the episode open then, with no reminder, if it comes
 * before the reminder is due. A click behind the watermark is applied as it comes.
 *
 * <p>Timer counts are derived from the state: one cart timer at {@code cartTimerAt} (the open or
 * pending episode's due time, 30 minutes after its latest add, or a day after its first reminder
 * for the second; or the checkout that ends it; or, with only removals pending, the last pending
 * click), one review timer when a tag or score would change with time alone (none for an
 * add-to-cart without a category, whose user has only {@code lifecycle:prospect}), and one for the
 * next trigger the contact policy holds back (until the watermark reaches a paid order's WELCOME,
 * or the end of the user's quiet hours).
 *
 * <p>Tests of the cart's own mechanics run on the cart rule alone, with one reminder per episode and
 * a neutral contact policy ({@link ScoringEvents#cartOnly()}), and say so; the others on the default
 * model.
 */
class UserScoringOperatorTest {

    private static final long DELAY = 30 * MINUTE;
    /** A watermark a little behind {@link ScoringEvents#T0}: events from T0 on arrive ahead of it. */
    private static final long BEFORE_T0 = T0 - 5 * MINUTE;
    /** The default model's intent half-life. */
    private static final long INTENT_HALF_LIFE = 72 * HOUR;
    /** The default model's interest threshold (2.0) times its exit ratio (0.8): an interest tag is kept down to it. */
    private static final double INTEREST_EXIT = 2.0 * 0.8;
    private static final String MODEL_VERSION = "default-2026.11";

    /** The order in which the two events of a scenario reach the operator, both ahead of the watermark. */
    enum Arrival {
        IN_EVENT_TIME_ORDER,
        REVERSED
    }

    /** One event sent to the operator. */
    @FunctionalInterface
    interface Send {
        void to(ScoringHarness h) throws Exception;
    }

    private final Model model = ScoringEvents.defaults();
    private final Model cartOnly = ScoringEvents.cartOnly();
    private final List<ScoringHarness> opened = new ArrayList<>();

    static Stream<Arguments> backendsAndArrivals() {
        return Stream.of(Backend.values())
                .flatMap(b -> Stream.of(Arrival.values()).map(a -> Arguments.of(b, a)));
    }

    private ScoringHarness open(Backend backend) throws Exception {
        return open(backend, model, Long.MAX_VALUE);
    }

    private ScoringHarness open(Backend backend, long horizon) throws Exception {
        return open(backend, model, horizon);
    }

    /**
     * An operator with the cart rule alone, one reminder per episode, under a neutral contact policy
     * ({@link ScoringEvents#cartOnly()}): for tests of the cart's own mechanics, which on the default
     * model would also see HIGH_INTENT after four adds, the cart cooldown, or the second reminder.
     */
    private ScoringHarness openCartOnly(Backend backend) throws Exception {
        return open(backend, cartOnly, Long.MAX_VALUE);
    }

    private ScoringHarness open(Backend backend, Model model, long horizon) throws Exception {
        ScoringHarness h = ScoringHarness.open(backend, model, horizon);
        opened.add(h);
        return h;
    }

    private ScoringHarness restore(Backend backend, OperatorSubtaskState snapshot) throws Exception {
        return restore(backend, model, snapshot);
    }

    private ScoringHarness restore(Backend backend, Model model, OperatorSubtaskState snapshot) throws Exception {
        ScoringHarness h = ScoringHarness.restore(backend, model, Long.MAX_VALUE, snapshot);
        opened.add(h);
        return h;
    }

    @AfterEach
    void closeHarnesses() throws Exception {
        for (ScoringHarness h : opened) {
            h.close();
        }
    }

    /** Sends {@code earlier} and {@code later} (by event time) in the given arrival order. */
    private static void arrive(ScoringHarness h, Arrival arrival, Send earlier, Send later) throws Exception {
        if (arrival == Arrival.IN_EVENT_TIME_ORDER) {
            earlier.to(h);
            later.to(h);
        } else {
            later.to(h);
            earlier.to(h);
        }
    }

    /** What {@code value} valid at {@code from} is worth at {@code to}, with the intent half-life. */
    private static double decayed(double value, long from, long to) {
        return value * Math.pow(0.5, (double) (to - from) / INTENT_HALF_LIFE);
    }

    private static Instant at(long millis) {
        return Instant.ofEpochMilli(millis);
    }

    private static CartEvent pendingAdd(String eventId, long ts, String productId, double price) {
        return new CartEvent(ts, CartEventKind.ADD, eventId, productId, null, price);
    }

    private static CartEvent pendingRemove(String eventId, long ts, String productId) {
        return new CartEvent(ts, CartEventKind.REMOVE, eventId, productId, null, null);
    }

    private static String secondId(long openedAt) {
        return TriggerIds.of(TriggerType.CART_ABANDONED, USER, openedAt, "second");
    }

    /** The cart is fully settled: no open episode, nothing pending, no cart timer wanted. */
    private static void assertNoCart(UserState s) {
        assertThat(s.getCart()).isNull();
        assertThat(s.getCartPending()).isEmpty();
        assertThat(s.getCartTimerAt()).isNull();
    }

    // ---- the cart timer ----

    @ParameterizedTest(name = "{0}")
    @EnumSource(Backend.class)
    void anAddAheadOfTheWatermarkWaitsUnderOneTimerThirtyMinutesLaterThatFiresOneReminder(Backend backend)
            throws Exception {
        ScoringHarness h = open(backend);
        long due = T0 + DELAY;
        h.watermark(BEFORE_T0);

        h.send(addToCart("c1", T0, "p1", 100));

        // Not applied yet: it waits for the watermark, under the timer of the episode it will open.
        UserState s = h.state(USER);
        assertThat(s.getCart()).isNull();
        assertThat(s.getCartPending()).containsExactly(pendingAdd("c1", T0, "p1", 100));
        assertThat(s.getCartTimerAt()).isEqualTo(due);
        assertThat(s.getReviewAt()).isNull();
        assertThat(UserScorer.timers(s)).containsExactly(due);
        assertThat(h.timers()).isEqualTo(1);
        assertThat(h.counter("lateEvents")).isZero();
        h.clearOutputs();

        h.watermark(due - 1);
        assertThat(h.takeTriggers()).isEmpty();
        assertThat(h.state(USER).getCartPending()).hasSize(1);
        assertThat(h.timers()).isEqualTo(1);

        h.watermark(due);
        List<StreamRecord<Trigger>> fired = h.takeTriggers();
        assertThat(fired).hasSize(1);
        assertThat(fired.get(0).getTimestamp()).isEqualTo(due);
        Trigger t = fired.get(0).getValue();
        assertThat(t.getTriggerId()).isEqualTo(TriggerIds.of(TriggerType.CART_ABANDONED, USER, T0));
        assertThat(t.getUserId()).isEqualTo(USER);
        assertThat(t.getType()).isEqualTo(TriggerType.CART_ABANDONED);
        assertThat(t.getFiredAt()).isEqualTo(at(due));
        assertThat(t.getExpiresAt()).isEqualTo(at(due + 24 * HOUR));
        assertThat(t.getPriority()).isEqualTo(50);
        assertThat(t.getReason())
                .isEqualTo("put 1 item (100.00) in the cart and has not ordered 30 minutes after the last one");
        assertThat(t.getFacts().getItems()).containsExactly(new TriggerItem("p1", null, 1, 100d));
        assertThat(t.getFacts().getEventIds()).containsExactly("c1");
        assertThat(t.getFacts().getCounts())
                .containsOnly(entry("cartLines", 1L), entry("cartUnits", 1L), entry("reminder", 1L));
        assertThat(t.getFacts().getScores()).containsOnly(entry("cartValue", 100d));
        assertThat(t.getOffer()).isNull();
        assertThat(t.getModelVersion()).isEqualTo(MODEL_VERSION);
        assertThat(t.getDeferredFrom()).isNull();
        // The default model keeps the episode open for the second reminder, a day later, under one
        // timer that replaces this one; no trigger is left waiting in the contact policy.
        s = h.state(USER);
        assertThat(s.getCart().getRemindedAt()).isEqualTo(due);
        assertThat(s.getCart().getDueAt()).isEqualTo(due + DAY);
        assertThat(s.getCartPending()).isEmpty();
        assertThat(s.getCartTimerAt()).isEqualTo(due + DAY);
        assertThat(s.getPendingTriggers()).isEmpty();
        assertThat(UserScorer.timers(s)).containsExactly(due + DAY);
        assertThat(h.timers()).isEqualTo(1);

        // Nothing more but the second reminder (see theSecondReminderEndsTheCartEpisodeAndItsTimer).
        h.watermark(Long.MAX_VALUE);
        assertThat(h.takeTriggers()).extracting(r -> r.getValue().getTriggerId(), StreamRecord::getTimestamp)
                .containsExactly(tuple(secondId(T0), due + DAY));
    }

    /**
     * When the watermark jumps past several of a user's timers, each fires at its own moment: a
     * reminder never rides along with an earlier (review) timer, so its record time is its firedAt.
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(Backend.class)
    void aReminderIsEmittedAtItsOwnTimeWhenTheWatermarkJumpsPastAnEarlierTimer(Backend backend) throws Exception {
        ScoringHarness h = open(backend);
        long paidAt = T0 - 30 * DAY + 10 * MINUTE; // NEW ends 30 days later: a review at T0 + 10 min
        h.watermark(paidAt - 5 * MINUTE);
        h.send(order("o1", OrderStatus.PAID, paidAt, 50));
        h.watermark(T0 - 5 * MINUTE);
        h.send(addToCart("c1", T0, "p1", 100));
        assertThat(UserScorer.timers(h.state(USER))).containsExactlyInAnyOrder(T0 + 10 * MINUTE, T0 + DELAY);
        h.clearOutputs();

        h.watermark(T0 + HOUR);

        List<StreamRecord<Trigger>> fired = h.takeTriggers();
        assertThat(fired).hasSize(1);
        assertThat(fired.get(0).getTimestamp()).isEqualTo(T0 + DELAY);
        assertThat(fired.get(0).getValue().getFiredAt()).isEqualTo(at(T0 + DELAY));
        assertThat(h.takeTagChanges()).extracting(r -> r.getValue().getTag(), StreamRecord::getTimestamp)
                .containsExactly(tuple("lifecycle:new", T0 + 10 * MINUTE), tuple("lifecycle:active", T0 + 10 * MINUTE));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Backend.class)
    void anAddToCartWithACategoryAlsoRegistersTheReviewOfItsInterestTag(Backend backend) throws Exception {
        ScoringHarness h = open(backend);

        h.send(addToCart(USER, "c1", T0, "p1", "skincare", 100));

        // The add counts as intent at once, although the cart waits for the watermark:
        // interest:skincare at 4.0 is kept until it falls under its exit threshold, and is reviewed then.
        long fades = T0 + (long) Math.floor(INTENT_HALF_LIFE * (Math.log(4.0 / INTEREST_EXIT) / Math.log(2))) + 1;
        UserState s = h.state(USER);
        assertThat(s.getTags()).containsExactly("interest:skincare", "lifecycle:prospect");
        assertThat(s.getCart()).isNull();
        assertThat(s.getCartPending()).extracting(CartEvent::getEventId, CartEvent::getCategory)
                .containsExactly(tuple("c1", "skincare"));
        assertThat(s.getCartTimerAt()).isEqualTo(T0 + DELAY);
        assertThat(s.getReviewAt()).isEqualTo(fades);
        assertThat(UserScorer.timers(s)).containsExactly(T0 + DELAY, fades);
        assertThat(h.timers()).isEqualTo(2);
        h.clearOutputs();

        h.watermark(T0 + DELAY);
        List<StreamRecord<Trigger>> fired = h.takeTriggers();
        assertThat(fired).extracting(StreamRecord::getTimestamp).containsExactly(T0 + DELAY);
        assertThat(fired.get(0).getValue().getFacts().getItems())
                .containsExactly(new TriggerItem("p1", "skincare", 1, 100d));
        // The episode waits for the default model's second reminder, a day later, before the review.
        s = h.state(USER);
        assertThat(s.getCart().getRemindedAt()).isEqualTo(T0 + DELAY);
        assertThat(UserScorer.timers(s)).containsExactly(T0 + DELAY + DAY, fades);
        assertThat(h.timers()).isEqualTo(2);

        h.watermark(fades);
        assertThat(h.takeTriggers()).extracting(r -> r.getValue().getTriggerId(), StreamRecord::getTimestamp)
                .containsExactly(tuple(secondId(T0), T0 + DELAY + DAY));
        assertNoCart(h.state(USER));
        assertThat(h.takeTagChanges()).extracting(StreamRecord::getValue)
                .extracting(TagChange::getTag, TagChange::getChange, TagChange::getAt)
                .containsExactly(tuple("interest:skincare", TagChangeType.REMOVED, at(fades)));
        assertThat(h.state(USER).getReviewAt()).isNull();
        assertThat(h.timers()).isZero();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Backend.class)
    void aSecondAddToCartMovesTheReminderInsteadOfAddingOne(Backend backend) throws Exception {
        // The cart rule alone: the reminder ends the episode (no second one), so that its end is checked.
        ScoringHarness h = openCartOnly(backend);
        h.send(addToCart("c1", T0, "p1", 100));
        assertThat(h.state(USER).getCartTimerAt()).isEqualTo(T0 + DELAY);
        assertThat(h.timers()).isEqualTo(1);

        h.send(addToCart("c2", T0 + 10 * MINUTE, "p1", 100));

        long due = T0 + 10 * MINUTE + DELAY;
        UserState s = h.state(USER);
        assertThat(s.getCart()).isNull();
        assertThat(s.getCartPending()).containsExactly(
                pendingAdd("c1", T0, "p1", 100), pendingAdd("c2", T0 + 10 * MINUTE, "p1", 100));
        assertThat(s.getCartTimerAt()).isEqualTo(due);
        assertThat(UserScorer.timers(s)).containsExactly(due);
        assertThat(h.timers()).isEqualTo(1);
        h.clearOutputs();

        h.watermark(T0 + DELAY); // the first add's moment: its timer was deleted
        assertThat(h.takeTriggers()).isEmpty();
        assertThat(h.state(USER).getCartPending()).hasSize(2);
        assertThat(h.timers()).isEqualTo(1);

        h.watermark(due);
        List<StreamRecord<Trigger>> fired = h.takeTriggers();
        assertThat(fired).extracting(StreamRecord::getTimestamp).containsExactly(due);
        Trigger t = fired.get(0).getValue();
        assertThat(t.getFiredAt()).isEqualTo(at(due));
        // One episode: its id is anchored at the first add, and it holds both units.
        assertThat(t.getTriggerId()).isEqualTo(TriggerIds.of(TriggerType.CART_ABANDONED, USER, T0));
        assertThat(t.getFacts().getItems()).containsExactly(new TriggerItem("p1", null, 2, 100d));
        assertThat(t.getFacts().getEventIds()).containsExactly("c1", "c2");
        assertThat(t.getReason())
                .isEqualTo("put 2 items (200.00) in the cart and has not ordered 30 minutes after the last one");
        assertNoCart(h.state(USER));
        assertThat(h.timers()).isZero();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Backend.class)
    void eachUserHasItsOwnCartAndTimer(Backend backend) throws Exception {
        // The cart rule alone: the reminder ends the episode (no second one), so that its end is checked.
        ScoringHarness h = openCartOnly(backend);
        h.send(addToCart("u1", "c1", T0, "p1", null, 100));
        h.send(addToCart("u2", "c2", T0 + 10 * MINUTE, "p2", null, 50));
        assertThat(h.timers()).isEqualTo(2);

        h.watermark(T0 + DELAY);

        assertThat(h.takeTriggers()).extracting(StreamRecord::getValue).extracting(Trigger::getUserId)
                .containsExactly("u1");
        assertNoCart(h.state("u1"));
        UserState u2 = h.state("u2");
        assertThat(u2.getCart()).isNull();
        assertThat(u2.getCartPending()).extracting(CartEvent::getEventId).containsExactly("c2");
        assertThat(u2.getCartTimerAt()).isEqualTo(T0 + 10 * MINUTE + DELAY);
        assertThat(h.timers()).isEqualTo(1);

        h.watermark(T0 + 10 * MINUTE + DELAY);
        assertThat(h.takeTriggers()).extracting(StreamRecord::getValue).extracting(Trigger::getUserId)
                .containsExactly("u2");
        assertNoCart(h.state("u2"));
        assertThat(h.timers()).isZero();
    }

    // ---- the end of a cart episode: state and timer gone ----

    @ParameterizedTest(name = "{0}")
    @EnumSource(Backend.class)
    void anOrderBeforeTheReminderMovesTheTimerToItsCheckoutWhereTheEpisodeEndsWithoutReminder(Backend backend)
            throws Exception {
        ScoringHarness h = open(backend);
        long checkout = T0 + 20 * MINUTE;
        h.watermark(BEFORE_T0);
        h.send(addToCart("c1", T0, "p1", 100));
        assertThat(h.state(USER).getCartTimerAt()).isEqualTo(T0 + DELAY);
        assertThat(h.timers()).isEqualTo(1);

        h.send(order("o1", OrderStatus.PLACED, checkout, 100));

        UserState s = h.state(USER);
        assertThat(s.getOrders().getRecent()).extracting(OrderRef::getOrderId, OrderRef::getCheckoutAt)
                .containsExactly(tuple("o1", checkout));
        assertThat(s.getCart()).isNull();
        assertThat(s.getCartPending()).extracting(CartEvent::getEventId).containsExactly("c1");
        assertThat(s.getCartTimerAt()).isEqualTo(checkout);
        assertThat(s.getReviewAt()).isNull(); // placed, not paid: still a prospect
        assertThat(UserScorer.timers(s)).containsExactly(checkout);
        assertThat(h.timers()).isEqualTo(1);
        h.clearOutputs();

        h.watermark(checkout - 1);
        assertThat(h.takeTriggers()).isEmpty();
        assertThat(h.timers()).isEqualTo(1);

        h.watermark(checkout);

        assertThat(h.takeTriggers()).isEmpty();
        assertNoCart(h.state(USER));
        assertThat(h.timers()).isZero();
        h.watermark(Long.MAX_VALUE);
        assertThat(h.takeTriggers()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Backend.class)
    void anAddToCartArrivingAfterTheOrderThatBoughtItGivesNoReminder(Backend backend) throws Exception {
        ScoringHarness h = open(backend);
        long checkout = T0 + 20 * MINUTE;
        h.watermark(BEFORE_T0);
        h.send(order("o1", OrderStatus.PLACED, checkout, 100));
        assertNoCart(h.state(USER));
        assertThat(h.timers()).isZero();

        h.send(addToCart("c1", T0, "p1", 100));

        // The order is already known: the episode the add opens ends at its checkout.
        UserState s = h.state(USER);
        assertThat(s.getCart()).isNull();
        assertThat(s.getCartPending()).containsExactly(pendingAdd("c1", T0, "p1", 100));
        assertThat(s.getCartTimerAt()).isEqualTo(checkout);
        assertThat(h.timers()).isEqualTo(1);
        h.clearOutputs();

        h.watermark(Long.MAX_VALUE);

        assertThat(h.takeTriggers()).isEmpty();
        assertNoCart(h.state(USER));
        assertThat(h.timers()).isZero();
        assertThat(h.counter("lateEvents")).isZero();
        assertThat(h.counter("remindersTooLate")).isZero();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Backend.class)
    void withoutASecondReminderTheFirstEndsTheCartEpisodeAndItsTimer(Backend backend) throws Exception {
        // The default model's second reminder: see theSecondReminderEndsTheCartEpisodeAndItsTimer.
        ScoringHarness h = openCartOnly(backend);
        h.send(addToCart("c1", T0, "p1", 100));
        h.clearOutputs();

        h.watermark(T0 + DELAY);

        assertThat(h.takeTriggers()).hasSize(1);
        assertNoCart(h.state(USER));
        assertThat(h.timers()).isZero();
        h.watermark(Long.MAX_VALUE);
        assertThat(h.takeTriggers()).isEmpty();
        assertThat(h.takeTagChanges()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Backend.class)
    void theSecondReminderEndsTheCartEpisodeAndItsTimer(Backend backend) throws Exception {
        ScoringHarness h = open(backend);
        long first = T0 + DELAY;
        long second = first + DAY;
        h.watermark(BEFORE_T0);
        h.send(addToCart("c1", T0, "p1", 100));
        h.clearOutputs();

        h.watermark(first);

        assertThat(h.takeTriggers()).extracting(r -> r.getValue().getTriggerId(), StreamRecord::getTimestamp)
                .containsExactly(tuple(TriggerIds.of(TriggerType.CART_ABANDONED, USER, T0), first));
        UserState s = h.state(USER);
        assertThat(s.getCart().getRemindedAt()).isEqualTo(first);
        assertThat(s.getCart().getDueAt()).isEqualTo(second);
        assertThat(s.getCartTimerAt()).isEqualTo(second);
        assertThat(h.timers()).isEqualTo(1);
        h.watermark(second - 1);
        assertThat(h.takeTriggers()).isEmpty();

        h.watermark(second);

        List<StreamRecord<Trigger>> fired = h.takeTriggers();
        assertThat(fired).extracting(StreamRecord::getTimestamp).containsExactly(second);
        Trigger t = fired.get(0).getValue();
        assertThat(t.getTriggerId()).isEqualTo(secondId(T0));
        assertThat(t.getFiredAt()).isEqualTo(at(second));
        assertThat(t.getExpiresAt()).isEqualTo(at(second + 24 * HOUR));
        assertThat(t.getPriority()).isEqualTo(45);
        assertThat(t.getOffer().getCode()).isEqualTo("CART10");
        assertThat(t.getFacts().getItems()).containsExactly(new TriggerItem("p1", null, 1, 100d));
        assertThat(t.getFacts().getCounts())
                .containsOnly(entry("cartLines", 1L), entry("cartUnits", 1L), entry("reminder", 2L));
        // The last reminder: no cart state, no trigger held back, no timer.
        s = h.state(USER);
        assertNoCart(s);
        assertThat(s.getPendingTriggers()).isEmpty();
        assertThat(UserScorer.timers(s)).isEmpty();
        assertThat(h.timers()).isZero();
        h.watermark(Long.MAX_VALUE);
        assertThat(h.takeTriggers()).isEmpty();
        assertThat(h.takeTagChanges()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Backend.class)
    void anOrderBetweenTheRemindersEndsTheEpisodeAtItsCheckoutAndDeletesTheTimer(Backend backend)
            throws Exception {
        ScoringHarness h = open(backend);
        long checkout = T0 + 5 * HOUR;
        h.watermark(BEFORE_T0);
        h.send(addToCart("c1", T0, "p1", 100));
        h.watermark(T0 + DELAY);
        assertThat(h.takeTriggers()).hasSize(1);

        h.send(order("o1", OrderStatus.PLACED, checkout, 100)); // ahead of the watermark

        // The second reminder's timer gives way to the checkout's.
        assertThat(UserScorer.timers(h.state(USER))).containsExactly(checkout);
        assertThat(h.timers()).isEqualTo(1);
        h.watermark(checkout);
        assertNoCart(h.state(USER));
        assertThat(h.state(USER).getPendingTriggers()).isEmpty();
        assertThat(h.timers()).isZero();
        h.watermark(Long.MAX_VALUE);
        assertThat(h.takeTriggers()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Backend.class)
    void removingTheLastItemEndsTheCartEpisodeAndItsTimer(Backend backend) throws Exception {
        ScoringHarness h = open(backend);
        long due = T0 + 2 * MINUTE + DELAY;
        h.send(addToCart("c1", T0, "p1", 100));
        h.send(addToCart("c2", T0 + MINUTE, "p2", 30));
        h.send(addToCart("c3", T0 + 2 * MINUTE, "p2", 30));
        assertThat(h.state(USER).getCartTimerAt()).isEqualTo(due);
        assertThat(h.timers()).isEqualTo(1);
        h.watermark(T0 + 2 * MINUTE); // passes the adds, fires nothing

        // A click after the watermark passed them applies the adds; it waits itself.
        h.send(removeFromCart("r1", T0 + 3 * MINUTE, "p1"));

        UserState s = h.state(USER);
        assertThat(s.getCart().getLines()).extracting(CartLine::getProductId, CartLine::getQuantity)
                .containsExactly(tuple("p1", 1), tuple("p2", 2));
        assertThat(s.getCartPending()).containsExactly(pendingRemove("r1", T0 + 3 * MINUTE, "p1"));
        assertThat(s.getCartTimerAt()).isEqualTo(due);
        assertThat(h.timers()).isEqualTo(1);
        h.watermark(T0 + 3 * MINUTE);

        // Lines are removed from the stored lists (GenericData.Array on RocksDB) one unit at a time.
        h.send(removeFromCart("r2", T0 + 4 * MINUTE, "p2"));

        s = h.state(USER);
        Class<?> storedList = backend == Backend.ROCKSDB ? GenericData.Array.class : ArrayList.class;
        assertThat(s.getCart().getLines()).isInstanceOf(storedList)
                .extracting(CartLine::getProductId, CartLine::getQuantity)
                .containsExactly(tuple("p2", 2));
        assertThat(s.getCartPending()).isInstanceOf(storedList)
                .containsExactly(pendingRemove("r2", T0 + 4 * MINUTE, "p2"));
        assertThat(s.getCartTimerAt()).isEqualTo(due);
        assertThat(h.timers()).isEqualTo(1);
        h.watermark(T0 + 4 * MINUTE);

        h.send(removeFromCart("r3", T0 + 5 * MINUTE, "p2"));

        // r3 will empty the cart: with only a removal left to apply, the timer moves to it.
        s = h.state(USER);
        assertThat(s.getCart().getLines()).extracting(CartLine::getProductId, CartLine::getQuantity)
                .containsExactly(tuple("p2", 1));
        assertThat(s.getCart().getDueAt()).isEqualTo(due);
        assertThat(s.getCartPending()).containsExactly(pendingRemove("r3", T0 + 5 * MINUTE, "p2"));
        assertThat(s.getCartTimerAt()).isEqualTo(T0 + 5 * MINUTE);
        assertThat(UserScorer.timers(s)).containsExactly(T0 + 5 * MINUTE);
        assertThat(h.timers()).isEqualTo(1);
        h.clearOutputs();

        h.watermark(T0 + 5 * MINUTE);

        assertThat(h.takeTriggers()).isEmpty();
        assertNoCart(h.state(USER));
        assertThat(h.timers()).isZero();
        h.watermark(Long.MAX_VALUE);
        assertThat(h.takeTriggers()).isEmpty();
        assertThat(h.counter("lateEvents")).isZero();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Backend.class)
    void theReminderNamesOnlyTheLatestFiveAddToCartEvents(Backend backend) throws Exception {
        // The cart rule alone: on the default model the fourth add (intent 16) also fires HIGH_INTENT.
        ScoringHarness h = openCartOnly(backend);
        long due = T0 + 7 * MINUTE + DELAY;
        for (int i = 1; i <= 7; i++) {
            h.send(addToCart("c" + i, T0 + i * MINUTE, "p" + i, 10));
        }
        // All seven wait; seven adds (intent about 28) made the user high-intent, reviewed later.
        UserState s = h.state(USER);
        assertThat(s.getCart()).isNull();
        assertThat(s.getCartPending()).extracting(CartEvent::getEventId)
                .containsExactly("c1", "c2", "c3", "c4", "c5", "c6", "c7");
        assertThat(s.getCartTimerAt()).isEqualTo(due);
        assertThat(s.getTags()).containsExactly("high-intent", "lifecycle:prospect");
        assertThat(s.getReviewAt()).isGreaterThan(due);
        assertThat(UserScorer.timers(s)).containsExactly(due, s.getReviewAt());
        assertThat(h.timers()).isEqualTo(2);

        h.watermark(due);

        List<StreamRecord<Trigger>> fired = h.takeTriggers();
        assertThat(fired).extracting(StreamRecord::getTimestamp).containsExactly(due);
        Trigger t = fired.get(0).getValue();
        assertThat(t.getFacts().getEventIds()).containsExactly("c3", "c4", "c5", "c6", "c7");
        assertThat(t.getFacts().getItems()).extracting(TriggerItem::getProductId)
                .containsExactly("p1", "p2", "p3", "p4", "p5", "p6", "p7");
        assertThat(t.getFacts().getCounts())
                .containsOnly(entry("cartLines", 7L), entry("cartUnits", 7L), entry("reminder", 1L));
        // Only the high-intent tag's review is left.
        s = h.state(USER);
        assertNoCart(s);
        assertThat(s.getTags()).containsExactly("high-intent", "lifecycle:prospect");
        assertThat(UserScorer.timers(s)).containsExactly(s.getReviewAt());
        assertThat(h.timers()).isEqualTo(1);
    }

    // ---- quiet hours ----

    /**
     * 22:00 in Shanghai, the default model's zone for a user who never named one: the reminder's
     * moment, 22:30 local, is in the quiet hours (22:00-08:00). The contact policy holds it under a
     * timer of its own until 08:00 local (00:00Z), when it goes out, its rule's moment in deferredFrom.
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(Backend.class)
    void aReminderDeferredByQuietHoursIsReleasedByItsTimerAtEightLocal(Backend backend) throws Exception {
        ScoringHarness h = open(backend);
        long added = Instant.parse("2025-03-10T14:00:00Z").toEpochMilli();
        long moment = added + DELAY;
        long morning = Instant.parse("2025-03-11T00:00:00Z").toEpochMilli();
        String id = TriggerIds.of(TriggerType.CART_ABANDONED, USER, added);
        h.watermark(added - 5 * MINUTE);
        h.send(addToCart("c1", added, "p1", 100));
        h.clearOutputs();

        h.watermark(moment);

        assertThat(h.takeTriggers()).isEmpty();
        assertThat(h.counter("triggersDeferred")).isEqualTo(1);
        UserState s = h.state(USER);
        assertThat(s.getPendingTriggers()).singleElement().satisfies(p -> {
            assertThat(p.getTrigger().getTriggerId()).isEqualTo(id);
            assertThat(p.getTrigger().getFiredAt()).isEqualTo(at(moment));
            assertThat(p.getReleaseAt()).isEqualTo(morning);
        });
        // The cart moved on to the second reminder's timer; the held-back trigger has its own.
        assertThat(UserScorer.timers(s)).containsExactly(moment + DAY, morning);
        assertThat(h.timers()).isEqualTo(2);
        h.watermark(morning - 1);
        assertThat(h.takeTriggers()).isEmpty();

        h.watermark(morning);

        List<StreamRecord<Trigger>> fired = h.takeTriggers();
        assertThat(fired).extracting(StreamRecord::getTimestamp).containsExactly(morning);
        Trigger t = fired.get(0).getValue();
        assertThat(t.getTriggerId()).isEqualTo(id);
        assertThat(t.getFiredAt()).isEqualTo(at(morning));
        assertThat(t.getDeferredFrom()).isEqualTo(at(moment));
        assertThat(t.getExpiresAt()).isEqualTo(at(moment + 24 * HOUR));
        assertThat(t.getReason())
                .isEqualTo("put 1 item (100.00) in the cart and has not ordered 30 minutes after the last one");
        s = h.state(USER);
        assertThat(s.getPendingTriggers()).isEmpty();
        assertThat(UserScorer.timers(s)).containsExactly(moment + DAY);
        assertThat(h.timers()).isEqualTo(1);

        // The second reminder's moment is 22:30 local again: it goes out at the next 08:00, and then
        // nothing is left.
        h.watermark(Long.MAX_VALUE);
        fired = h.takeTriggers();
        assertThat(fired).extracting(StreamRecord::getTimestamp).containsExactly(morning + DAY);
        assertThat(fired.get(0).getValue().getTriggerId()).isEqualTo(secondId(added));
        assertThat(fired.get(0).getValue().getDeferredFrom()).isEqualTo(at(moment + DAY));
        assertThat(h.counter("triggersDeferred")).isEqualTo(2);
        assertNoCart(h.state(USER));
        assertThat(h.state(USER).getPendingTriggers()).isEmpty();
        assertThat(h.timers()).isZero();
    }

    /** The same moment is 15:30 in Berlin: for a user whose events name that zone, nothing waits. */
    @ParameterizedTest(name = "{0}")
    @EnumSource(Backend.class)
    void theQuietHoursAreThoseOfTheUsersOwnTimeZone(Backend backend) throws Exception {
        ScoringHarness h = open(backend);
        long added = Instant.parse("2025-03-10T14:00:00Z").toEpochMilli();
        h.watermark(added - 5 * MINUTE);
        h.send(ClickEvent.newBuilder(addToCart("c1", added, "p1", 100)).setTimeZone("Europe/Berlin").build());
        h.clearOutputs();

        h.watermark(added + DELAY);

        List<StreamRecord<Trigger>> fired = h.takeTriggers();
        assertThat(fired).extracting(StreamRecord::getTimestamp).containsExactly(added + DELAY);
        assertThat(fired.get(0).getValue().getFiredAt()).isEqualTo(at(added + DELAY));
        assertThat(fired.get(0).getValue().getDeferredFrom()).isNull();
        assertThat(h.counter("triggersDeferred")).isZero();
        assertThat(h.state(USER).getTimeZone()).isEqualTo("Europe/Berlin");
        assertThat(h.state(USER).getPendingTriggers()).isEmpty();
    }

    // ---- tag changes and profiles on the side outputs ----

    @ParameterizedTest(name = "{0}")
    @EnumSource(Backend.class)
    void aFirstEventEmitsItsTagsAndAProfileOnTheSideOutputs(Backend backend) throws Exception {
        ScoringHarness h = open(backend);

        h.send(click("c1", T0, ClickType.PAGE_VIEW, "wechat"));

        assertThat(h.takeTriggers()).isEmpty();
        assertThat(h.takeTagChanges())
                .extracting(StreamRecord::getTimestamp, StreamRecord::getValue)
                .containsExactly(
                        tuple(T0, new TagChange(USER, "channel:wechat", TagChangeType.ADDED, at(T0),
                                "first came through wechat")),
                        tuple(T0, new TagChange(USER, "lifecycle:prospect", TagChangeType.ADDED, at(T0),
                                "no paid order yet")));
        List<StreamRecord<Profile>> profiles = h.takeProfiles();
        assertThat(profiles).extracting(StreamRecord::getTimestamp).containsExactly(T0);
        Profile p = profiles.get(0).getValue();
        assertThat(p.getUserId()).isEqualTo(USER);
        assertThat(p.getUpdatedAt()).isEqualTo(at(T0));
        assertThat(p.getLifecycle()).isEqualTo(Lifecycle.PROSPECT);
        assertThat(p.getRfm()).isNull();
        assertThat(p.getTier()).isNull();
        assertThat(p.getIntent()).isEqualTo(0.5);
        assertThat(p.getTags()).containsExactly("channel:wechat", "lifecycle:prospect");
        assertThat(p.getFirstTouchChannel()).isEqualTo("wechat");
        assertThat(p.getFirstSeenAt()).isEqualTo(at(T0));
        assertThat(p.getModelVersion()).isEqualTo(MODEL_VERSION);
        assertThat(h.state(USER).getTags()).containsExactly("channel:wechat", "lifecycle:prospect");
        // The view's intent signal waits for the watermark (HIGH_INTENT applies signals in event-time
        // order) under one timer at its moment, which applies it and leaves nothing behind.
        assertThat(h.state(USER).getIntentPending()).hasSize(1);
        assertThat(UserScorer.timers(h.state(USER))).containsExactly(T0);
        h.watermark(T0);
        assertThat(h.state(USER).getIntentPending()).isEmpty();
        assertThat(h.state(USER).getHighIntent().getTotal()).isEqualTo(0.5);
        assertThat(h.timers()).isZero();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Backend.class)
    void signalsThatCannotReachHighIntentWaitUnderOneTimerAtTheHourAfterTheLastOfThem(Backend backend)
            throws Exception {
        ScoringHarness h = open(backend);
        h.watermark(BEFORE_T0);

        h.send(click("c1", T0, ClickType.PAGE_VIEW, "wechat"));
        h.send(click("c2", T0 + MINUTE, ClickType.PAGE_VIEW, "wechat"));

        // Not one timer per signal, nor none (a visitor who never comes back would keep them
        // forever), nor one that moves with each signal: the next whole hour after the last (T0 is 10:00).
        assertThat(h.state(USER).getIntentPending()).hasSize(2);
        assertThat(UserScorer.timers(h.state(USER))).containsExactly(T0 + HOUR);
        assertThat(h.timers()).isEqualTo(1);

        h.watermark(T0 + MINUTE);
        assertThat(h.state(USER).getIntentPending()).hasSize(2);
        h.watermark(T0 + HOUR);

        assertThat(h.state(USER).getIntentPending()).isEmpty();
        assertThat(h.timers()).isZero();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Backend.class)
    void aWatermarkPastManyWaitingSignalsAppliesThemAtOneTimerAndTheCrossingKeepsItsOwnMoment(Backend backend)
            throws Exception {
        ScoringHarness h = open(backend);
        h.watermark(BEFORE_T0);
        for (int i = 1; i <= 5; i++) {
            h.send(addToCart("c" + i, T0 + i * MINUTE, "p" + i, 10));
        }
        // Five adds (4 each) could lift intent past 15: the rule waits under a timer at the first.
        assertThat(h.state(USER).getIntentTimerAt()).isEqualTo(T0 + MINUTE);

        h.watermark(T0 + 10 * MINUTE);

        // That one timer applied all five in order (not one timer per signal); the fourth crossed,
        // and the trigger went out at the fourth's moment, as if each signal had had its timer.
        assertThat(h.takeTriggers()).extracting(r -> r.getValue().getType(), StreamRecord::getTimestamp,
                        r -> r.getValue().getFacts().getEventIds())
                .containsExactly(tuple(TriggerType.HIGH_INTENT, T0 + 4 * MINUTE, List.of("c4")));
        assertThat(h.state(USER).getIntentPending()).isEmpty();
        assertThat(h.state(USER).getIntentTimerAt()).isNull();
        assertThat(h.counter("timersFired")).isEqualTo(2); // the first signal's, then the trigger's release
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Backend.class)
    void waitingSignalsShareTheCartTimerWhenItComesWithinTheHour(Backend backend) throws Exception {
        ScoringHarness h = open(backend);
        h.watermark(BEFORE_T0);

        h.send(addToCart("c1", T0, "p1", 100));

        // The cart's timer, 30 minutes on, applies the add's intent signal too: no timer of its own.
        assertThat(h.state(USER).getIntentPending()).hasSize(1);
        assertThat(h.state(USER).getIntentTimerAt()).isNull();
        assertThat(UserScorer.timers(h.state(USER))).containsExactly(T0 + DELAY);

        h.watermark(T0 + DELAY);

        assertThat(h.state(USER).getIntentPending()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Backend.class)
    void anEventThatChangesNothingMaterialEmitsNothing(Backend backend) throws Exception {
        ScoringHarness h = open(backend);
        h.send(click("c1", T0, ClickType.PAGE_VIEW, "wechat"));
        h.clearOutputs();

        // Intent 0.5 -> 1.0: less than the minimum change of 1.0; same tags, read back from state.
        h.send(click("c2", T0, ClickType.PAGE_VIEW, "wechat"));

        assertThat(h.takeTriggers()).isEmpty();
        assertThat(h.takeTagChanges()).isEmpty();
        assertThat(h.takeProfiles()).isEmpty();
        assertThat(h.state(USER).getIntent().getTotal()).isEqualTo(1.0);
    }

    // ---- late events ----

    @ParameterizedTest(name = "{0}")
    @EnumSource(Backend.class)
    void aLateEventStillUpdatesStateAndTagsAndIsCounted(Backend backend) throws Exception {
        ScoringHarness h = open(backend);
        h.send(click("c1", T0, ClickType.PAGE_VIEW));
        h.watermark(T0 + 2 * HOUR);
        h.clearOutputs();

        long late = T0 + HOUR;
        h.send(click("c2", late, ClickType.PAGE_VIEW, "wechat"));

        assertThat(h.takeTagChanges())
                .extracting(StreamRecord::getTimestamp, StreamRecord::getValue)
                .containsExactly(tuple(late, new TagChange(USER, "channel:wechat", TagChangeType.ADDED, at(late),
                        "first came through wechat")));
        assertThat(h.takeProfiles()).extracting(StreamRecord::getValue)
                .extracting(Profile::getTags)
                .containsExactly(List.of("channel:wechat", "lifecycle:prospect"));
        UserState s = h.state(USER);
        assertThat(s.getLastSeenAt()).isEqualTo(late);
        assertThat(s.getFirstTouchChannel()).isEqualTo("wechat");
        assertThat(s.getIntent().getTotal()).isCloseTo(decayed(0.5, T0, late) + 0.5, within(1e-12));
        assertThat(h.counter("eventsIn")).isEqualTo(2);
        assertThat(h.counter("lateEvents")).isEqualTo(1);
        assertThat(h.counter("remindersTooLate")).isZero();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Backend.class)
    void anAddToCartWhoseReminderIsAlreadyPastTheWatermarkOpensNoEpisode(Backend backend) throws Exception {
        ScoringHarness h = open(backend);
        long watermark = T0 + HOUR;
        h.watermark(watermark);

        h.send(addToCart("c1", watermark - DELAY, "p1", 100)); // due exactly at the watermark: too late

        UserState s = h.state(USER);
        assertNoCart(s);
        assertThat(s.getIntent().getTotal()).isEqualTo(4.0); // the add still counts as intent
        assertThat(s.getTags()).containsExactly("lifecycle:prospect");
        assertThat(h.timers()).isZero();
        assertThat(h.counter("lateEvents")).isEqualTo(1);
        assertThat(h.counter("remindersTooLate")).isEqualTo(1);
        h.watermark(Long.MAX_VALUE);
        assertThat(h.takeTriggers()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Backend.class)
    void aLateAddToCartWhoseReminderIsStillAheadOpensAnEpisodeAtOnce(Backend backend) throws Exception {
        // The cart rule alone: the reminder ends the episode (no second one), so that its end is checked.
        ScoringHarness h = openCartOnly(backend);
        long watermark = T0 + HOUR;
        h.watermark(watermark);
        h.send(addToCart("c1", watermark - DELAY, "p1", 100)); // too late

        h.send(addToCart("c2", watermark - DELAY + MINUTE, "p2", 40)); // due a minute after the watermark

        // Behind the watermark: applied as it comes, not kept pending.
        UserState s = h.state(USER);
        assertThat(s.getCart().getOpenedAt()).isEqualTo(watermark - DELAY + MINUTE);
        assertThat(s.getCart().getDueAt()).isEqualTo(watermark + MINUTE);
        assertThat(s.getCartPending()).isEmpty();
        assertThat(s.getCartTimerAt()).isEqualTo(watermark + MINUTE);
        assertThat(h.timers()).isEqualTo(1);
        assertThat(h.counter("lateEvents")).isEqualTo(2);
        assertThat(h.counter("remindersTooLate")).isEqualTo(1);

        h.watermark(watermark + MINUTE);

        List<StreamRecord<Trigger>> fired = h.takeTriggers();
        assertThat(fired).extracting(StreamRecord::getTimestamp).containsExactly(watermark + MINUTE);
        assertThat(fired.get(0).getValue().getFacts().getItems()).containsExactly(new TriggerItem("p2", null, 1, 40d));
        assertNoCart(h.state(USER));
        assertThat(h.timers()).isZero();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Backend.class)
    void aLateAddJoinsTheOpenEpisode(Backend backend) throws Exception {
        // The cart rule alone: the reminder ends the episode (no second one), so that its end is checked.
        ScoringHarness h = openCartOnly(backend);
        long due = T0 + 20 * MINUTE + DELAY;
        h.watermark(BEFORE_T0);
        h.send(addToCart("c2", T0 + 20 * MINUTE, "p2", 50));
        h.watermark(T0 + 35 * MINUTE);

        h.send(addToCart("c1", T0, "p1", 100)); // behind the watermark; its own reminder moment has passed

        // The pending add is applied first (the watermark passed it), then the late one joins it.
        UserState s = h.state(USER);
        assertThat(s.getCart().getOpenedAt()).isEqualTo(T0);
        assertThat(s.getCart().getLastAddAt()).isEqualTo(T0 + 20 * MINUTE);
        assertThat(s.getCart().getDueAt()).isEqualTo(due);
        assertThat(s.getCartPending()).isEmpty();
        assertThat(s.getCartTimerAt()).isEqualTo(due);
        assertThat(h.timers()).isEqualTo(1);
        assertThat(h.counter("lateEvents")).isEqualTo(1);
        assertThat(h.counter("remindersTooLate")).isZero();
        h.clearOutputs();

        h.watermark(due);

        List<StreamRecord<Trigger>> fired = h.takeTriggers();
        assertThat(fired).extracting(StreamRecord::getTimestamp).containsExactly(due);
        Trigger t = fired.get(0).getValue();
        assertThat(t.getTriggerId()).isEqualTo(TriggerIds.of(TriggerType.CART_ABANDONED, USER, T0));
        assertThat(t.getFacts().getItems())
                .containsExactly(new TriggerItem("p2", null, 1, 50d), new TriggerItem("p1", null, 1, 100d));
        assertThat(t.getFacts().getEventIds()).containsExactly("c2", "c1");
        assertThat(t.getReason())
                .isEqualTo("put 2 items (150.00) in the cart and has not ordered 30 minutes after the last one");
        assertNoCart(h.state(USER));
        assertThat(h.timers()).isZero();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Backend.class)
    void aLateOrderWithinTheDelayStillEndsTheEpisodeAndDeletesItsTimer(Backend backend) throws Exception {
        ScoringHarness h = open(backend);
        h.watermark(BEFORE_T0);
        h.send(addToCart("c1", T0, "p1", 100));
        h.watermark(T0 + 28 * MINUTE); // fires nothing: the timer is at T0 + 30 minutes
        assertThat(h.timers()).isEqualTo(1);
        h.clearOutputs();

        h.send(order("o1", OrderStatus.PLACED, T0 + 20 * MINUTE, 100)); // behind the watermark

        UserState s = h.state(USER);
        assertNoCart(s);
        assertThat(s.getReviewAt()).isNull();
        assertThat(h.timers()).isZero();
        assertThat(h.counter("lateEvents")).isEqualTo(1);
        assertThat(h.counter("remindersTooLate")).isZero();
        h.watermark(Long.MAX_VALUE);
        assertThat(h.takeTriggers()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Backend.class)
    void anOrderArrivingAfterItsReminderFiredLeavesThatReminderTheOnlyOne(Backend backend) throws Exception {
        ScoringHarness h = open(backend);
        h.watermark(BEFORE_T0);
        h.send(addToCart("c1", T0, "p1", 100));
        h.watermark(T0 + 45 * MINUTE);
        assertThat(h.takeTriggers()).extracting(StreamRecord::getTimestamp).containsExactly(T0 + DELAY);

        h.send(order("o1", OrderStatus.PLACED, T0 + 20 * MINUTE, 100)); // too late to cancel

        assertThat(h.takeTriggers()).isEmpty();
        assertNoCart(h.state(USER));
        assertThat(h.timers()).isZero();
        assertThat(h.counter("lateEvents")).isEqualTo(1);
        h.watermark(Long.MAX_VALUE);
        assertThat(h.takeTriggers()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Backend.class)
    void aLateRemovalThatEmptiesTheCartEndsTheEpisodeAndDeletesItsTimer(Backend backend) throws Exception {
        ScoringHarness h = open(backend);
        h.watermark(BEFORE_T0);
        h.send(addToCart("c1", T0, "p1", 100));
        h.watermark(T0 + 10 * MINUTE);
        assertThat(h.timers()).isEqualTo(1);

        h.send(removeFromCart("r1", T0 + 5 * MINUTE, "p1")); // behind the watermark

        assertNoCart(h.state(USER));
        assertThat(h.timers()).isZero();
        assertThat(h.counter("lateEvents")).isEqualTo(1);
        assertThat(h.counter("remindersTooLate")).isZero();
        h.watermark(Long.MAX_VALUE);
        assertThat(h.takeTriggers()).isEmpty();
    }

    // ---- the review timer ----

    @ParameterizedTest(name = "{0}")
    @EnumSource(Backend.class)
    void aPaidOrderRegistersOneReviewAtTheEndOfNewAndItMovesTheUserOn(Backend backend) throws Exception {
        ScoringHarness h = open(backend);

        h.send(order("o1", OrderStatus.PAID, T0, 100));

        assertThat(h.takeTagChanges()).extracting(StreamRecord::getValue)
                .extracting(TagChange::getTag, TagChange::getChange, TagChange::getReason)
                .containsExactly(
                        tuple("lifecycle:new", TagChangeType.ADDED, "first order 0 days ago (new for 30 days)"),
                        tuple("rfm:general-develop", TagChangeType.ADDED,
                                "R5 F1 M1: last order 0 days ago, 1 order and 100.00 spent in 12 months"));
        // NEW ends after 30 days, before R drops (after 31 days): the one review is then.
        long becomesActive = T0 + 30 * DAY;
        assertThat(h.state(USER).getReviewAt()).isEqualTo(becomesActive);
        // The default model welcomes the first order: the trigger waits for the watermark to reach
        // the order, under a timer of its own beside the review.
        assertThat(h.takeTriggers()).isEmpty();
        assertThat(UserScorer.timers(h.state(USER))).containsExactly(becomesActive, T0);
        assertThat(h.timers()).isEqualTo(2);
        h.clearOutputs();

        h.watermark(becomesActive - 1);
        assertThat(h.takeTriggers()).extracting(r -> r.getValue().getType(), r -> r.getValue().getTriggerId(),
                        StreamRecord::getTimestamp)
                .containsExactly(tuple(TriggerType.WELCOME, TriggerIds.of(TriggerType.WELCOME, USER, T0), T0));
        assertThat(h.takeTagChanges()).isEmpty();
        assertThat(h.state(USER).getPendingTriggers()).isEmpty();
        assertThat(h.timers()).isEqualTo(1);

        h.watermark(becomesActive);

        assertThat(h.takeTriggers()).isEmpty();
        assertThat(h.takeTagChanges())
                .extracting(StreamRecord::getTimestamp, StreamRecord::getValue)
                .containsExactly(
                        tuple(becomesActive, new TagChange(USER, "lifecycle:new", TagChangeType.REMOVED,
                                at(becomesActive), "now lifecycle:active: churn risk 65% (sleeping from 80%), last order 30 days ago")),
                        tuple(becomesActive, new TagChange(USER, "lifecycle:active", TagChangeType.ADDED,
                                at(becomesActive), "churn risk 65% (sleeping from 80%), last order 30 days ago")));
        assertThat(h.takeProfiles()).extracting(StreamRecord::getValue)
                .extracting(Profile::getUpdatedAt, Profile::getLifecycle)
                .containsExactly(tuple(at(becomesActive), Lifecycle.ACTIVE));
        // The next review: R5 becomes R4 after 31 days.
        assertThat(h.state(USER).getReviewAt()).isEqualTo(T0 + 31 * DAY);
        assertThat(h.timers()).isEqualTo(1);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Backend.class)
    void aLongSilenceWalksTheUserThroughEveryStageInOneWatermark(Backend backend) throws Exception {
        ScoringHarness h = open(backend);
        h.send(order("o1", OrderStatus.PAID, T0, 100));
        h.clearOutputs();

        h.watermark(T0 + 200 * DAY);

        assertThat(h.takeTagChanges()).extracting(StreamRecord::getValue)
                .extracting(TagChange::getTag, TagChange::getChange, TagChange::getAt)
                .containsExactly(
                        tuple("lifecycle:new", TagChangeType.REMOVED, at(T0 + 30 * DAY)),
                        tuple("lifecycle:active", TagChangeType.ADDED, at(T0 + 30 * DAY)),
                        tuple("lifecycle:active", TagChangeType.REMOVED, at(T0 + SLEEPING_AFTER)),
                        tuple("lifecycle:sleeping", TagChangeType.ADDED, at(T0 + SLEEPING_AFTER)),
                        tuple("rfm:general-develop", TagChangeType.REMOVED, at(T0 + 121 * DAY)),
                        tuple("rfm:general-retain", TagChangeType.ADDED, at(T0 + 121 * DAY)),
                        tuple("lifecycle:sleeping", TagChangeType.REMOVED, at(T0 + CHURNED_AFTER)),
                        tuple("lifecycle:churned", TagChangeType.ADDED, at(T0 + CHURNED_AFTER)));
        // A profile at every review: the lifecycle or the recency score changed each time.
        assertThat(h.takeProfiles()).extracting(StreamRecord::getValue)
                .extracting(Profile::getUpdatedAt, Profile::getLifecycle, p -> p.getRfm().getR())
                .containsExactly(
                        tuple(at(T0 + 30 * DAY), Lifecycle.ACTIVE, 5),
                        tuple(at(T0 + 31 * DAY), Lifecycle.ACTIVE, 4),
                        tuple(at(T0 + 61 * DAY), Lifecycle.ACTIVE, 3),
                        tuple(at(T0 + SLEEPING_AFTER), Lifecycle.SLEEPING, 3),
                        tuple(at(T0 + 121 * DAY), Lifecycle.SLEEPING, 2),
                        tuple(at(T0 + CHURNED_AFTER), Lifecycle.CHURNED, 2));
        assertThat(h.state(USER).getReviewAt()).isEqualTo(T0 + 241 * DAY); // R2 -> R1
        assertThat(h.timers()).isEqualTo(1);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Backend.class)
    void theLastReviewIsWhenTheOrderLeavesTheRfmWindowAndThenNoTimerIsLeft(Backend backend) throws Exception {
        ScoringHarness h = open(backend);
        h.send(order("o1", OrderStatus.PAID, T0, 100));
        h.watermark(T0 + 200 * DAY);
        h.clearOutputs();
        // March 2025 leaves the 12-month window when March 2026 begins.
        long leavesWindow = Instant.parse("2026-03-01T00:00:00Z").toEpochMilli();
        assertThat(h.state(USER).getReviewAt()).isEqualTo(T0 + 241 * DAY);

        h.watermark(T0 + 241 * DAY);
        assertThat(h.takeProfiles()).extracting(StreamRecord::getValue)
                .extracting(Profile::getUpdatedAt, p -> p.getRfm().getR())
                .containsExactly(tuple(at(T0 + 241 * DAY), 1));
        assertThat(h.state(USER).getReviewAt()).isEqualTo(leavesWindow);

        h.watermark(Long.MAX_VALUE);

        // The bucket is dropped from the stored list (a GenericData.Array on RocksDB); scores stay R1 F1 M1.
        // The order's 100 points, earned in March 2025, expire on 1 April 2026 in the shop's zone.
        assertThat(h.takeTagChanges()).isEmpty();
        assertThat(h.takeProfiles()).extracting(StreamRecord::getValue)
                .extracting(Profile::getUpdatedAt, Profile::getPoints)
                .containsExactly(tuple(Instant.parse("2026-03-31T16:00:00Z"), 0L));
        UserState s = h.state(USER);
        assertThat(s.getOrders().getMonths()).isEmpty();
        assertThat(s.getTags()).containsExactly("lifecycle:churned", "rfm:general-retain");
        assertThat(s.getReviewAt()).isNull();
        assertThat(h.timers()).isZero();
    }

    // ---- the snapshot at the horizon ----

    @ParameterizedTest(name = "{0}")
    @EnumSource(Backend.class)
    void withASnapshotEveryUserEndsWithAProfileAsOfTheHorizon(Backend backend) throws Exception {
        long horizon = T0 + 10 * DAY;
        ScoringHarness h = ScoringHarness.openWithSnapshot(backend, model, horizon);
        h.send(order("o1", OrderStatus.PAID, T0, 100));
        var other = click("c1", T0 + HOUR, ClickType.PAGE_VIEW);
        other.setUserId("u2");
        h.send(other);
        h.clearOutputs();

        h.watermark(Long.MAX_VALUE);

        assertThat(h.takeProfiles()).extracting(StreamRecord::getValue)
                .extracting(Profile::getUserId, Profile::getUpdatedAt, Profile::getLifecycle, Profile::getChurnRisk)
                .containsExactlyInAnyOrder(
                        tuple(USER, at(horizon), Lifecycle.NEW, new CustomerValue(model).churnRisk(
                                h.state(USER).getOrders(), horizon)),
                        tuple("u2", at(horizon), Lifecycle.PROSPECT, null));
        assertThat(h.takeTagChanges()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Backend.class)
    void eventsAfterTheHorizonChangeNeitherTheSnapshotNorRepeatIt(Backend backend) throws Exception {
        long horizon = T0 + 10 * DAY;
        ScoringHarness h = ScoringHarness.openWithSnapshot(backend, model, horizon);
        h.send(order("o1", OrderStatus.PAID, T0, 100));
        h.watermark(T0 + 5 * DAY);
        h.clearOutputs();

        h.send(order("o2", OrderStatus.PAID, T0 + 12 * DAY, 80)); // after the horizon
        h.watermark(T0 + 12 * DAY);
        h.send(order("o3", OrderStatus.PAID, T0 + 9 * DAY, 60)); // before it, but after the snapshot
        h.watermark(Long.MAX_VALUE);

        assertThat(h.takeProfiles()).extracting(StreamRecord::getValue)
                .extracting(Profile::getUpdatedAt, Profile::getLifetimeOrders)
                .containsExactly(tuple(at(horizon), 1));
        assertThat(h.state(USER).getOrders().getLifetimeOrders()).isEqualTo(1);
        assertThat(h.counter("eventsAfterSnapshot")).isEqualTo(2);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Backend.class)
    void aScorerTimerOnTheHorizonAndTheSnapshotGiveOneProfile(Backend backend) throws Exception {
        // NEW ends exactly at the horizon: the stage changes and the snapshot is taken at one moment.
        long horizon = T0 + 30 * DAY;
        ScoringHarness h = ScoringHarness.openWithSnapshot(backend, model, horizon);
        h.send(order("o1", OrderStatus.PAID, T0, 100));
        h.send(order("o2", OrderStatus.PAID, T0 + DAY, 50));
        h.clearOutputs();

        h.watermark(Long.MAX_VALUE);

        assertThat(h.takeProfiles()).extracting(StreamRecord::getValue)
                .extracting(Profile::getUpdatedAt, Profile::getLifecycle)
                .containsExactly(tuple(at(horizon), Lifecycle.ACTIVE));
    }

    // ---- the horizon ----

    @ParameterizedTest(name = "{0}")
    @EnumSource(Backend.class)
    void aTimerLaterThanTheHorizonDoesNotFire(Backend backend) throws Exception {
        ScoringHarness h = open(backend, T0 + DELAY - 1);
        h.send(addToCart("c1", T0, "p1", 100));
        h.clearOutputs();

        h.watermark(T0 + DELAY + HOUR);

        assertThat(h.takeTriggers()).isEmpty();
        assertThat(h.takeTagChanges()).isEmpty();
        assertThat(h.takeProfiles()).isEmpty();
        assertThat(h.timers()).isZero();
        // Past the horizon nothing runs any more (replay's end), so the cart stays as it was: pending.
        UserState s = h.state(USER);
        assertThat(s.getCart()).isNull();
        assertThat(s.getCartPending()).containsExactly(pendingAdd("c1", T0, "p1", 100));
        assertThat(s.getCartTimerAt()).isEqualTo(T0 + DELAY);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Backend.class)
    void aTimerAtTheHorizonStillFires(Backend backend) throws Exception {
        ScoringHarness h = open(backend, T0 + DELAY);
        h.send(addToCart("c1", T0, "p1", 100));

        h.watermark(Long.MAX_VALUE);

        assertThat(h.takeTriggers()).extracting(StreamRecord::getTimestamp).containsExactly(T0 + DELAY);
        // The second reminder's timer is beyond the horizon: it fires nothing (replay's end), and the
        // episode stays as it was, waiting for it.
        UserState s = h.state(USER);
        assertThat(s.getCart().getRemindedAt()).isEqualTo(T0 + DELAY);
        assertThat(s.getCartTimerAt()).isEqualTo(T0 + DELAY + DAY);
        assertThat(h.timers()).isZero();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Backend.class)
    void aTimerAppliesPendingClicksOnlyUpToTheHorizon(Backend backend) throws Exception {
        long horizon = T0 + DELAY;
        ScoringHarness h = open(backend, horizon);
        h.watermark(BEFORE_T0);
        h.send(addToCart("c1", T0, "p1", 100));
        h.send(addToCart("c2", T0 + 45 * MINUTE, "p2", 50));
        assertThat(h.state(USER).getCartTimerAt()).isEqualTo(T0 + DELAY);
        h.clearOutputs();

        h.watermark(Long.MAX_VALUE);

        // The timer at the horizon sees the watermark capped there: c1's reminder fires (its episode
        // then waits for the second reminder), c2 stays pending, and the timer of the episode it will
        // open (beyond the horizon) fires nothing.
        List<StreamRecord<Trigger>> fired = h.takeTriggers();
        assertThat(fired).extracting(StreamRecord::getTimestamp).containsExactly(T0 + DELAY);
        assertThat(fired.get(0).getValue().getFacts().getItems()).containsExactly(new TriggerItem("p1", null, 1, 100d));
        UserState s = h.state(USER);
        assertThat(s.getCart().getRemindedAt()).isEqualTo(T0 + DELAY);
        assertThat(s.getCart().getLines()).extracting(CartLine::getProductId).containsExactly("p1");
        assertThat(s.getCartPending()).containsExactly(pendingAdd("c2", T0 + 45 * MINUTE, "p2", 50));
        assertThat(s.getCartTimerAt()).isEqualTo(T0 + 45 * MINUTE + DELAY);
        assertThat(h.timers()).isZero();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Backend.class)
    void anEventPastTheHorizonSettlesTheCartOnlyUpToTheHorizon(Backend backend) throws Exception {
        long horizon = T0 + DELAY - 1;
        ScoringHarness h = open(backend, horizon);
        h.send(addToCart("c1", T0, "p1", 100));
        h.watermark(T0 + 2 * HOUR); // the timer at T0 + 30 minutes is beyond the horizon: it fires nothing
        assertThat(h.timers()).isZero();
        h.clearOutputs();

        h.send(order("o1", OrderStatus.PLACED, T0 + 3 * HOUR, 100));

        // The order applies the pending add (the horizon passed it) but the reminder, due after the
        // horizon, does not fire although the watermark passed it too.
        assertThat(h.takeTriggers()).isEmpty();
        UserState s = h.state(USER);
        assertThat(s.getCart().getDueAt()).isEqualTo(T0 + DELAY);
        assertThat(s.getCart().getLines()).extracting(CartLine::getProductId, CartLine::getQuantity)
                .containsExactly(tuple("p1", 1));
        assertThat(s.getCartPending()).isEmpty();
        assertThat(s.getCartTimerAt()).isEqualTo(T0 + DELAY);
        assertThat(h.timers()).isZero();
        assertThat(h.counter("lateEvents")).isZero();
        h.watermark(Long.MAX_VALUE);
        assertThat(h.takeTriggers()).isEmpty();
    }

    // ---- snapshot and restore ----

    @ParameterizedTest(name = "{0}")
    @EnumSource(Backend.class)
    void aRestoredCartFiresItsPendingReminderExactlyOnce(Backend backend) throws Exception {
        ScoringHarness before = open(backend);
        before.send(addToCart("c1", T0, "p1", 100));
        before.watermark(T0 + 10 * MINUTE);
        OperatorSubtaskState snapshot = before.snapshot(1);
        before.close();

        ScoringHarness h = restore(backend, snapshot);

        UserState s = h.state(USER);
        assertThat(s.getCart()).isNull();
        assertThat(s.getCartPending()).containsExactly(pendingAdd("c1", T0, "p1", 100));
        assertThat(s.getCartTimerAt()).isEqualTo(T0 + DELAY);
        assertThat(s.getTags()).containsExactly("lifecycle:prospect");
        assertThat(h.timers()).isEqualTo(1);

        h.watermark(T0 + DELAY);
        List<StreamRecord<Trigger>> fired = h.takeTriggers();
        assertThat(fired).extracting(StreamRecord::getTimestamp).containsExactly(T0 + DELAY);
        assertThat(fired.get(0).getValue().getTriggerId())
                .isEqualTo(TriggerIds.of(TriggerType.CART_ABANDONED, USER, T0));
        assertThat(fired.get(0).getValue().getFacts().getItems()).containsExactly(new TriggerItem("p1", null, 1, 100d));

        // Then, once, the default model's second reminder; nothing is fired twice.
        h.watermark(Long.MAX_VALUE);
        assertThat(h.takeTriggers()).extracting(r -> r.getValue().getTriggerId(), StreamRecord::getTimestamp)
                .containsExactly(tuple(secondId(T0), T0 + DELAY + DAY));
        assertNoCart(h.state(USER));
        assertThat(h.timers()).isZero();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Backend.class)
    void aRestoredOperatorKeepsTheAppliedCartAndThePendingClickAndFiresOnce(Backend backend) throws Exception {
        long due = T0 + 10 * MINUTE + DELAY;
        ScoringHarness before = open(backend);
        before.watermark(BEFORE_T0);
        before.send(addToCart("c1", T0, "p1", 100));
        before.watermark(T0 + 5 * MINUTE);
        before.send(addToCart("c2", T0 + 10 * MINUTE, "p2", 20)); // applies c1, waits itself
        before.watermark(T0 + 15 * MINUTE);
        OperatorSubtaskState snapshot = before.snapshot(1);
        before.close();

        ScoringHarness h = restore(backend, snapshot);

        UserState s = h.state(USER);
        assertThat(s.getCart().getOpenedAt()).isEqualTo(T0);
        assertThat(s.getCart().getDueAt()).isEqualTo(T0 + DELAY);
        assertThat(s.getCart().getLines()).extracting(CartLine::getProductId, CartLine::getQuantity)
                .containsExactly(tuple("p1", 1));
        assertThat(s.getCartPending()).containsExactly(pendingAdd("c2", T0 + 10 * MINUTE, "p2", 20));
        assertThat(s.getCartTimerAt()).isEqualTo(due);
        assertThat(h.timers()).isEqualTo(1);

        h.watermark(T0 + DELAY); // the applied cart's own due time: c2, pending, moved it
        assertThat(h.takeTriggers()).isEmpty();
        h.watermark(due);

        List<StreamRecord<Trigger>> fired = h.takeTriggers();
        assertThat(fired).extracting(StreamRecord::getTimestamp).containsExactly(due);
        Trigger t = fired.get(0).getValue();
        assertThat(t.getTriggerId()).isEqualTo(TriggerIds.of(TriggerType.CART_ABANDONED, USER, T0));
        assertThat(t.getFacts().getItems())
                .containsExactly(new TriggerItem("p1", null, 1, 100d), new TriggerItem("p2", null, 1, 20d));
        assertThat(t.getFacts().getEventIds()).containsExactly("c1", "c2");
        // Then, once, the default model's second reminder with the same cart.
        h.watermark(Long.MAX_VALUE);
        List<StreamRecord<Trigger>> second = h.takeTriggers();
        assertThat(second).extracting(r -> r.getValue().getTriggerId(), StreamRecord::getTimestamp)
                .containsExactly(tuple(secondId(T0), due + DAY));
        assertThat(second.get(0).getValue().getFacts().getItems()).isEqualTo(t.getFacts().getItems());
        assertNoCart(h.state(USER));
        assertThat(h.timers()).isZero();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Backend.class)
    void aRestoredCartTakesMoreItemsAndMovesItsReminder(Backend backend) throws Exception {
        // The cart rule alone: on the default model the episode would stay open for the second reminder.
        ScoringHarness before = openCartOnly(backend);
        before.send(addToCart("c1", T0, "p1", 100));
        OperatorSubtaskState snapshot = before.snapshot(1);
        before.close();
        ScoringHarness h = restore(backend, cartOnly, snapshot);

        h.send(addToCart("c2", T0 + 10 * MINUTE, "p2", 20));
        h.send(addToCart("c3", T0 + 10 * MINUTE, "p1", 90));

        long due = T0 + 10 * MINUTE + DELAY;
        // Same time: arrival order breaks the tie.
        assertThat(h.state(USER).getCartPending()).extracting(CartEvent::getEventId).containsExactly("c1", "c2", "c3");
        assertThat(h.state(USER).getCartTimerAt()).isEqualTo(due);
        assertThat(h.timers()).isEqualTo(1);
        h.watermark(T0 + DELAY);
        assertThat(h.takeTriggers()).isEmpty();

        h.watermark(due);

        List<StreamRecord<Trigger>> fired = h.takeTriggers();
        assertThat(fired).extracting(StreamRecord::getTimestamp).containsExactly(due);
        assertThat(fired.get(0).getValue().getFacts().getItems()).containsExactly(
                new TriggerItem("p1", null, 2, 90d), new TriggerItem("p2", null, 1, 20d));
        assertThat(fired.get(0).getValue().getFacts().getEventIds()).containsExactly("c1", "c2", "c3");
        assertNoCart(h.state(USER));
        assertThat(h.timers()).isZero();
    }

    // ---- the outcome does not depend on the arrival order (events ahead of the watermark) ----

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("backendsAndArrivals")
    void anOrderBeforeTheReminderTimeCancelsItWhicheverArrivesFirst(Backend backend, Arrival arrival)
            throws Exception {
        ScoringHarness h = open(backend);
        long checkout = T0 + 20 * MINUTE;
        h.watermark(BEFORE_T0);

        arrive(h, arrival,
                x -> x.send(addToCart("c1", T0, "p1", 100)),
                x -> x.send(order("o1", OrderStatus.PLACED, checkout, 100)));

        UserState s = h.state(USER);
        assertThat(s.getCart()).isNull();
        assertThat(s.getCartPending()).containsExactly(pendingAdd("c1", T0, "p1", 100));
        assertThat(s.getCartTimerAt()).isEqualTo(checkout);
        assertThat(h.timers()).isEqualTo(1);
        h.clearOutputs();

        h.watermark(checkout);
        assertThat(h.takeTriggers()).isEmpty();
        assertNoCart(h.state(USER));
        assertThat(h.timers()).isZero();

        h.watermark(Long.MAX_VALUE);
        assertThat(h.takeTriggers()).isEmpty();
        assertThat(h.counter("remindersTooLate")).isZero();
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("backendsAndArrivals")
    void anOrderAfterTheReminderTimeDoesNotStopItWhicheverArrivesFirst(Backend backend, Arrival arrival)
            throws Exception {
        ScoringHarness h = open(backend);
        h.watermark(BEFORE_T0);

        arrive(h, arrival,
                x -> x.send(addToCart("c1", T0, "p1", 100)),
                x -> x.send(order("o1", OrderStatus.PLACED, T0 + 45 * MINUTE, 100)));

        UserState s = h.state(USER);
        assertThat(s.getCart()).isNull();
        assertThat(s.getCartPending()).containsExactly(pendingAdd("c1", T0, "p1", 100));
        assertThat(s.getCartTimerAt()).isEqualTo(T0 + DELAY);
        assertThat(h.timers()).isEqualTo(1);
        h.clearOutputs();

        h.watermark(T0 + 45 * MINUTE);

        List<StreamRecord<Trigger>> fired = h.takeTriggers();
        assertThat(fired).extracting(StreamRecord::getTimestamp).containsExactly(T0 + DELAY);
        assertThat(fired.get(0).getValue().getFiredAt()).isEqualTo(at(T0 + DELAY));
        assertThat(fired.get(0).getValue().getTriggerId())
                .isEqualTo(TriggerIds.of(TriggerType.CART_ABANDONED, USER, T0));
        assertNoCart(h.state(USER));
        assertThat(h.timers()).isZero();
        h.watermark(Long.MAX_VALUE);
        assertThat(h.takeTriggers()).isEmpty();
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("backendsAndArrivals")
    void anAddAfterTheReminderTimeStartsASecondEpisodeWhicheverArrivesFirst(Backend backend, Arrival arrival)
            throws Exception {
        // The cart rule alone: on the default model the second episode's reminder, 45 minutes after the
        // first, falls within the cart cooldown, and the first episode's lines are carried over.
        ScoringHarness h = openCartOnly(backend);
        long second = T0 + 45 * MINUTE;
        h.watermark(BEFORE_T0);

        arrive(h, arrival,
                x -> x.send(addToCart("c1", T0, "p1", 100)),
                x -> x.send(addToCart("c2", second, "p2", 50)));

        // Pending in event-time order; the first episode's reminder comes before the second add.
        UserState s = h.state(USER);
        assertThat(s.getCart()).isNull();
        assertThat(s.getCartPending())
                .containsExactly(pendingAdd("c1", T0, "p1", 100), pendingAdd("c2", second, "p2", 50));
        assertThat(s.getCartTimerAt()).isEqualTo(T0 + DELAY);
        assertThat(h.timers()).isEqualTo(1);
        h.clearOutputs();

        h.watermark(T0 + DELAY);

        List<StreamRecord<Trigger>> first = h.takeTriggers();
        assertThat(first).extracting(StreamRecord::getTimestamp).containsExactly(T0 + DELAY);
        Trigger t1 = first.get(0).getValue();
        assertThat(t1.getTriggerId()).isEqualTo(TriggerIds.of(TriggerType.CART_ABANDONED, USER, T0));
        assertThat(t1.getFacts().getItems()).containsExactly(new TriggerItem("p1", null, 1, 100d));
        assertThat(t1.getFacts().getEventIds()).containsExactly("c1");
        s = h.state(USER);
        assertThat(s.getCart()).isNull();
        assertThat(s.getCartPending()).containsExactly(pendingAdd("c2", second, "p2", 50));
        assertThat(s.getCartTimerAt()).isEqualTo(second + DELAY);
        assertThat(h.timers()).isEqualTo(1);

        h.watermark(second + DELAY);

        List<StreamRecord<Trigger>> next = h.takeTriggers();
        assertThat(next).extracting(StreamRecord::getTimestamp).containsExactly(second + DELAY);
        Trigger t2 = next.get(0).getValue();
        assertThat(t2.getFiredAt()).isEqualTo(at(second + DELAY));
        assertThat(t2.getTriggerId()).isEqualTo(TriggerIds.of(TriggerType.CART_ABANDONED, USER, second))
                .isNotEqualTo(t1.getTriggerId());
        assertThat(t2.getFacts().getItems()).containsExactly(new TriggerItem("p2", null, 1, 50d));
        assertThat(t2.getFacts().getEventIds()).containsExactly("c2");
        assertNoCart(h.state(USER));
        assertThat(h.timers()).isZero();
        h.watermark(Long.MAX_VALUE);
        assertThat(h.takeTriggers()).isEmpty();
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("backendsAndArrivals")
    void aRemovalArrivingBeforeItsAddStillEmptiesTheCart(Backend backend, Arrival arrival) throws Exception {
        ScoringHarness h = open(backend);
        h.watermark(BEFORE_T0);

        arrive(h, arrival,
                x -> x.send(addToCart("c1", T0, "p1", 100)),
                x -> x.send(removeFromCart("r1", T0 + 5 * MINUTE, "p1")));

        // Only a removal is left once the add is applied: the timer is at the removal.
        UserState s = h.state(USER);
        assertThat(s.getCart()).isNull();
        assertThat(s.getCartPending())
                .containsExactly(pendingAdd("c1", T0, "p1", 100), pendingRemove("r1", T0 + 5 * MINUTE, "p1"));
        assertThat(s.getCartTimerAt()).isEqualTo(T0 + 5 * MINUTE);
        assertThat(h.timers()).isEqualTo(1);

        h.watermark(Long.MAX_VALUE);

        assertThat(h.takeTriggers()).isEmpty();
        assertNoCart(h.state(USER));
        assertThat(h.timers()).isZero();
    }
}
