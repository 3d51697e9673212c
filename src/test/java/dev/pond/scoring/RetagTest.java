package dev.pond.scoring;

import dev.pond.control.ModelUpdate;
import dev.pond.core.UserScorer;
import dev.pond.events.OrderEvent;
import dev.pond.events.OrderStatus;
import dev.pond.io.Inbound;
import dev.pond.out.Profile;
import dev.pond.out.TagChange;
import dev.pond.out.TagChangeType;
import dev.pond.out.Trigger;
import dev.pond.scoring.ScoringHarness.Backend;
import dev.pond.state.UserState;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.runtime.state.hashmap.HashMapStateBackend;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.apache.flink.util.OutputTag;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Instant;
import java.util.List;

import static dev.pond.scoring.ScoringEvents.DAY;
import static dev.pond.scoring.ScoringEvents.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * A model update that asks for a re-tag, in the live job's real scoring operator ({@code
 * UserScoringOperator} with its second input, the model updates) on both state backends.
 *
 * <p>Ann paid her first order at T0 and Bob his at T0 + 20 days; the shipped model calls a
 * customer new for 30 days after the first order, so each has a review timer at the end of that.
 * At T0 + 25 days (the watermark) the update {@code new-10} makes it 10 days. With a re-tag, Ann
 * becomes active at once (at the watermark), and Bob, still new, at T0 + 30 days to the
 * millisecond: the re-tag registered his new review, 20 days before the one the old model had
 * registered. Without a re-tag both wait for their timers.
 */
class RetagTest {

    private static final String ANN = "ann";
    private static final String BOB = "bob";
    private static final long WATERMARK = T0 + 25 * DAY;
    private static final String NEW_10 = "version: new-10\nlifecycle: {newDays: 10}\n";

    private KeyedTwoInputStreamOperatorTestHarness<String, Inbound, ModelUpdate, Trigger> harness;

    @AfterEach
    void close() throws Exception {
        if (harness != null) {
            harness.close();
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Backend.class)
    void aRetagMovesEveryStoredUserAtOnceAndPlansTheReviewsTheNewRulesWant(Backend backend) throws Exception {
        harness = open(backend, null);
        annAndBobAtTheWatermark();

        harness.processElement2(update(true), Instant.parse("2026-12-02T08:00:00Z").toEpochMilli());

        assertThat(take(UserScoringOperator.TAG_CHANGES)).extracting(StreamRecord::getValue)
                .extracting(TagChange::getUserId, TagChange::getTag, TagChange::getChange, TagChange::getAt)
                .containsExactly(
                        tuple(ANN, "lifecycle:new", TagChangeType.REMOVED, Instant.ofEpochMilli(WATERMARK)),
                        tuple(ANN, "lifecycle:active", TagChangeType.ADDED, Instant.ofEpochMilli(WATERMARK)));
        assertThat(take(UserScoringOperator.PROFILES)).extracting(StreamRecord::getValue)
                .extracting(Profile::getUserId, Profile::getModelVersion, p -> p.getTags().contains("lifecycle:active"))
                .containsExactly(tuple(ANN, "new-10", true));
        assertThat(harness.extractOutputValues()).isEmpty();
        // Bob's review moved from the end of 30 days to the end of 10, and the timer with it.
        assertThat(state(BOB).getReviewAt()).isEqualTo(T0 + 30 * DAY);
        assertTimersAreWhatTheStatesWant();

        harness.processWatermark1(new Watermark(T0 + 30 * DAY - 1));
        assertThat(take(UserScoringOperator.TAG_CHANGES)).isEmpty();
        harness.processWatermark1(new Watermark(T0 + 30 * DAY));
        assertThat(take(UserScoringOperator.TAG_CHANGES)).extracting(StreamRecord::getValue)
                .extracting(TagChange::getUserId, TagChange::getTag, TagChange::getChange, TagChange::getAt)
                .containsExactly(
                        tuple(BOB, "lifecycle:new", TagChangeType.REMOVED, Instant.ofEpochMilli(T0 + 30 * DAY)),
                        tuple(BOB, "lifecycle:active", TagChangeType.ADDED, Instant.ofEpochMilli(T0 + 30 * DAY)));
        assertTimersAreWhatTheStatesWant();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Backend.class)
    void withoutARetagEachUserMovesAtTheirOwnNextTimer(Backend backend) throws Exception {
        harness = open(backend, null);
        annAndBobAtTheWatermark();

        harness.processElement2(update(false), Instant.parse("2026-12-02T08:00:00Z").toEpochMilli());

        assertThat(take(UserScoringOperator.TAG_CHANGES)).isEmpty();
        assertThat(take(UserScoringOperator.PROFILES)).isEmpty();
        harness.processWatermark1(new Watermark(T0 + 50 * DAY));
        // Ann's review under the old model was at 30 days, Bob's at 50: the new rules apply then.
        assertThat(take(UserScoringOperator.TAG_CHANGES)).extracting(StreamRecord::getValue)
                .filteredOn(c -> c.getTag().equals("lifecycle:new"))
                .extracting(TagChange::getUserId, TagChange::getChange, TagChange::getAt)
                .containsExactly(
                        tuple(ANN, TagChangeType.REMOVED, Instant.ofEpochMilli(T0 + 30 * DAY)),
                        tuple(BOB, TagChangeType.REMOVED, Instant.ofEpochMilli(T0 + 50 * DAY)));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Backend.class)
    void aRetagRightAfterARestoreRunsAtOnce(Backend backend) throws Exception {
        harness = open(backend, null);
        annAndBobAtTheWatermark();
        OperatorSubtaskState snapshot = harness.snapshot(1, 1);
        harness.close();
        harness = open(backend, snapshot);
        harness.processWatermark1(new Watermark(WATERMARK));

        // No element or timer has come since the restore: the operator's timers serve the re-tag all the same.
        harness.processElement2(update(true), Instant.parse("2026-12-02T08:00:00Z").toEpochMilli());
        assertThat(take(UserScoringOperator.TAG_CHANGES)).extracting(StreamRecord::getValue)
                .filteredOn(c -> c.getTag().startsWith("lifecycle:"))
                .extracting(TagChange::getUserId, TagChange::getTag, TagChange::getChange, TagChange::getAt)
                .containsExactly(
                        tuple(ANN, "lifecycle:new", TagChangeType.REMOVED, Instant.ofEpochMilli(WATERMARK)),
                        tuple(ANN, "lifecycle:active", TagChangeType.ADDED, Instant.ofEpochMilli(WATERMARK)));
        assertThat(state(BOB).getReviewAt()).isEqualTo(T0 + 30 * DAY);
        assertTimersAreWhatTheStatesWant();

        harness.processWatermark1(new Watermark(T0 + 30 * DAY));
        assertThat(take(UserScoringOperator.TAG_CHANGES)).extracting(StreamRecord::getValue)
                .filteredOn(c -> c.getTag().equals("lifecycle:new"))
                .extracting(TagChange::getUserId, TagChange::getAt)
                .containsExactly(tuple(BOB, Instant.ofEpochMilli(T0 + 30 * DAY)));
    }

    /** Ann's and Bob's first orders, everything up to the watermark fired, the outputs dropped. */
    private void annAndBobAtTheWatermark() throws Exception {
        send(paidOrder(ANN, T0));
        send(paidOrder(BOB, T0 + 20 * DAY));
        harness.processWatermark1(new Watermark(WATERMARK));
        assertThat(state(ANN).getTags()).contains("lifecycle:new");
        assertThat(state(BOB).getReviewAt()).isEqualTo(T0 + 50 * DAY);
        harness.getOutput().clear();
        take(UserScoringOperator.TAG_CHANGES);
        take(UserScoringOperator.PROFILES);
    }

    private static ModelUpdate update(boolean retag) {
        return new ModelUpdate("new-10", NEW_10, "marketing", "new for 10 days, not 30",
                Instant.parse("2026-12-02T08:00:00Z"), retag);
    }

    private static KeyedTwoInputStreamOperatorTestHarness<String, Inbound, ModelUpdate, Trigger> open(
            Backend backend, OperatorSubtaskState restore) throws Exception {
        // The updates carry no key (they are broadcast); the harness wants a key selector for each input.
        var h = new KeyedTwoInputStreamOperatorTestHarness<String, Inbound, ModelUpdate, Trigger>(
                new UserScoringOperator(ScoringEvents.defaults(), Long.MAX_VALUE, false, 0, 0),
                Inbound::userId, u -> "", Types.STRING, 128, 1, 0);
        h.setStateBackend(backend == Backend.HEAP ? new HashMapStateBackend() : new EmbeddedRocksDBStateBackend());
        if (restore == null) {
            h.initializeEmptyState();
        } else {
            h.initializeState(restore);
        }
        h.open();
        // The control stream is idle for good in the job (ControlWatermarks.idle()): event time is the events'.
        h.processWatermark2(new Watermark(Long.MAX_VALUE));
        return h;
    }

    private void send(OrderEvent e) throws Exception {
        harness.processElement1(Inbound.of(e), e.getTs().toEpochMilli());
    }

    private static OrderEvent paidOrder(String user, long t) {
        OrderEvent e = ScoringEvents.order(user + "-o1", OrderStatus.PAID, t, 100);
        e.setUserId(user);
        return e;
    }

    private UserState state(String user) throws Exception {
        var operator = harness.getOperator();
        operator.setCurrentKey(user);
        ValueState<UserState> state = operator.getPartitionedState(
                VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE, UserScoringOperator.stateDescriptor());
        return state.value();
    }

    /** Every registered timer is one a stored state wants: none lost, none left over. */
    private void assertTimersAreWhatTheStatesWant() throws Exception {
        UserScorer scorer = new UserScorer(ScoringEvents.defaults());
        int wanted = 0;
        for (String user : List.of(ANN, BOB)) {
            UserState s = state(user);
            if (s != null) {
                wanted += scorer.timersWanted(s).length;
            }
        }
        assertThat(harness.numEventTimeTimers()).isEqualTo(wanted);
    }

    private <T> List<StreamRecord<T>> take(OutputTag<T> tag) {
        return ScoringHarness.take(harness, tag);
    }
}
