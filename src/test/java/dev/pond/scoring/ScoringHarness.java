package dev.pond.scoring;

import dev.pond.core.UserScorer;
import dev.pond.events.ClickEvent;
import dev.pond.events.OrderEvent;
import dev.pond.io.Inbound;
import dev.pond.model.Model;
import dev.pond.out.Profile;
import dev.pond.out.TagChange;
import dev.pond.out.Trigger;
import dev.pond.state.UserState;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.jobgraph.OperatorID;
import org.apache.flink.runtime.metrics.groups.InternalOperatorMetricGroup;
import org.apache.flink.runtime.metrics.groups.UnregisteredMetricGroups;
import org.apache.flink.runtime.metrics.util.InterceptingOperatorMetricGroup;
import org.apache.flink.runtime.operators.testutils.MockEnvironment;
import org.apache.flink.runtime.operators.testutils.MockEnvironmentBuilder;
import org.apache.flink.runtime.state.StateBackend;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.runtime.state.hashmap.HashMapStateBackend;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.util.OutputTag;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.function.Supplier;

/**
 * A {@link UserScoringOperator} (without bundles, so that each event's outputs can be taken at
 * once, unless {@link #bundled}) under Flink's {@link KeyedOneInputStreamOperatorTestHarness}, keyed
 * by {@link Inbound#userId()} as in {@code PondJob}, on one state backend. Adds what the tests
 * read: the stored {@link UserState} of a user, the operator's counters, and the outputs emitted
 * since they were last taken, so that every step can be asserted exactly.
 */
final class ScoringHarness {

    /** The state backends every operator test runs on. */
    enum Backend {
        /** Objects on the heap: state is read back as the very objects stored. */
        HEAP(HashMapStateBackend::new),
        /** Serialized state: Avro arrays come back as {@code GenericData.Array}, maps as new maps. */
        ROCKSDB(EmbeddedRocksDBStateBackend::new);

        private final Supplier<StateBackend> factory;

        Backend(Supplier<StateBackend> factory) {
            this.factory = factory;
        }
    }

    private final KeyedOneInputStreamOperatorTestHarness<String, Inbound, Trigger> harness;
    private final MockEnvironment environment;
    private final InterceptingOperatorMetricGroup metrics;
    private boolean closed;
    private boolean endOfInput;

    private ScoringHarness(Backend backend, Model model, long horizon, boolean snapshot, OperatorSubtaskState restore)
            throws Exception {
        this(backend, model, horizon, snapshot, restore, 0);
    }

    private ScoringHarness(Backend backend, Model model, long horizon, boolean snapshot, OperatorSubtaskState restore,
                           int bundleSize) throws Exception {
        metrics = new InterceptingOperatorMetricGroup();
        environment = new MockEnvironmentBuilder().setMetricGroup(new OperatorMetricsOnly(metrics)).build();
        harness = new KeyedOneInputStreamOperatorTestHarness<>(
                // A bundle latency that never passes: the harness's processing time stands still.
                new UserScoringOperator(model, horizon, snapshot, bundleSize, bundleSize > 1 ? 3_600_000 : 0),
                Inbound::userId, Types.STRING, environment);
        harness.setStateBackend(backend.factory.get());
        if (restore == null) {
            harness.initializeEmptyState();
        } else {
            harness.initializeState(restore);
        }
        harness.open();
    }

    /** A fresh operator with empty state. */
    static ScoringHarness open(Backend backend, Model model, long horizon) throws Exception {
        return new ScoringHarness(backend, model, horizon, false, null);
    }

    /**
     * A fresh operator, or one restored from {@code snapshot} (if not null), whose events wait in
     * bundles of up to {@code bundleSize}: scored when a watermark comes, when a bundle is full and
     * before a snapshot.
     */
    static ScoringHarness bundled(Backend backend, Model model, long horizon, int bundleSize,
                                  OperatorSubtaskState snapshot) throws Exception {
        return new ScoringHarness(backend, model, horizon, false, snapshot, bundleSize);
    }

    /** Processes any event with its event time as the record's timestamp. */
    void send(Inbound in) throws Exception {
        harness.processElement(in, in.eventTime());
    }

    /** A fresh operator that also emits every user's profile as of the horizon (replay's --snapshot). */
    static ScoringHarness openWithSnapshot(Backend backend, Model model, long horizon) throws Exception {
        return new ScoringHarness(backend, model, horizon, true, null);
    }

    /** An operator restored from {@code snapshot}, as after a failure or from a savepoint. */
    static ScoringHarness restore(Backend backend, Model model, long horizon, OperatorSubtaskState snapshot)
            throws Exception {
        return new ScoringHarness(backend, model, horizon, false, snapshot);
    }

    /** Processes a click with its event time as the record's timestamp. */
    void send(ClickEvent e) throws Exception {
        harness.processElement(Inbound.of(e), e.getTs().toEpochMilli());
    }

    /** Processes an order status change with its event time as the record's timestamp. */
    void send(OrderEvent e) throws Exception {
        harness.processElement(Inbound.of(e), e.getTs().toEpochMilli());
    }

    void watermark(long t) throws Exception {
        harness.processWatermark(t);
        endOfInput = t == Long.MAX_VALUE;
    }

    /**
     * Event-time timers registered over all keys, apart from the forgetting timer each user has
     * whose state needs no other ({@link dev.pond.core.UserScorer#timersWanted}): exactly one per
     * such user until the end of the input, so that a missing or extra one still shows in this
     * count.
     */
    int timers() throws Exception {
        // The watermark at the end of time fired every forgetting timer, and none is set again.
        return harness.numEventTimeTimers() - (endOfInput ? 0 : (int) quietUsers());
    }

    /** Every event-time timer registered, over all keys. */
    int allTimers() {
        return harness.numEventTimeTimers();
    }

    /** Users stored whose state wants no timer but the one that forgets them. */
    private long quietUsers() throws Exception {
        AbstractStreamOperator<Trigger> operator = harness.getOperator();
        List<String> users;
        try (var keys = operator.getKeyedStateBackend().<VoidNamespace>getKeys(UserScoringOperator.STATE_NAME,
                VoidNamespace.INSTANCE)) {
            users = keys.map(Object::toString).toList();
        }
        long quiet = 0;
        for (String user : users) {
            if (UserScorer.timers(state(user)).length == 0) {
                quiet++;
            }
        }
        return quiet;
    }

    /** Keys with stored state: the users the operator holds. */
    long keys() {
        AbstractStreamOperator<Trigger> operator = harness.getOperator();
        try (var keys = operator.getKeyedStateBackend().getKeys(UserScoringOperator.STATE_NAME, VoidNamespace.INSTANCE)) {
            return keys.count();
        }
    }

    /** The stored state of {@code userId}, as the operator would read it; null if none. */
    UserState state(String userId) throws Exception {
        AbstractStreamOperator<Trigger> operator = harness.getOperator();
        operator.setCurrentKey(userId);
        ValueState<UserState> state = operator.getPartitionedState(
                VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE, UserScoringOperator.stateDescriptor());
        return state.value();
    }

    /** The value of one of the operator's counters. */
    long counter(String name) {
        return ((Counter) metrics.get(name)).getCount();
    }

    /** The triggers emitted since the last call, with their record timestamps. */
    List<StreamRecord<Trigger>> takeTriggers() {
        List<StreamRecord<Trigger>> records = new ArrayList<>();
        for (StreamRecord<? extends Trigger> r : harness.extractOutputStreamRecords()) {
            records.add(new StreamRecord<>(r.getValue(), r.getTimestamp()));
        }
        harness.getOutput().clear();
        return records;
    }

    /** The tag changes emitted since the last call, with their record timestamps. */
    List<StreamRecord<TagChange>> takeTagChanges() {
        return take(UserScoringOperator.TAG_CHANGES);
    }

    /** The profiles emitted since the last call, with their record timestamps. */
    List<StreamRecord<Profile>> takeProfiles() {
        return take(UserScoringOperator.PROFILES);
    }

    /** Drops every output emitted so far. */
    void clearOutputs() {
        takeTriggers();
        takeTagChanges();
        takeProfiles();
    }

    /** A snapshot of the operator's state and timers, as a checkpoint would take it. */
    OperatorSubtaskState snapshot(long checkpointId) throws Exception {
        harness.prepareSnapshotPreBarrier(checkpointId); // as a task does before the barrier goes on
        return harness.snapshot(checkpointId, checkpointId);
    }

    private <T> List<StreamRecord<T>> take(OutputTag<T> tag) {
        return take(harness, tag);
    }

    /** The side output {@code tag} of any operator harness emitted since the last call. */
    static <T> List<StreamRecord<T>> take(org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness<?> harness,
                                          OutputTag<T> tag) {
        Queue<StreamRecord<T>> queue = harness.getSideOutput(tag);
        if (queue == null) {
            return List.of();
        }
        List<StreamRecord<T>> records = new ArrayList<>(queue);
        queue.clear();
        return records;
    }

    /** Closes the operator and its environment (RocksDB's native resources with it); closing twice does nothing. */
    void close() throws Exception {
        if (closed) {
            return;
        }
        closed = true;
        try {
            harness.close();
        } finally {
            environment.close();
        }
    }

    /** A task metric group that hands every operator the one intercepting group, so tests can read counters. */
    private static final class OperatorMetricsOnly extends UnregisteredMetricGroups.UnregisteredTaskMetricGroup {

        private final InterceptingOperatorMetricGroup operatorGroup;

        OperatorMetricsOnly(InterceptingOperatorMetricGroup operatorGroup) {
            this.operatorGroup = operatorGroup;
        }

        @Override
        public InternalOperatorMetricGroup getOrAddOperator(
                OperatorID operatorId, String name, Map<String, String> additionalVariables) {
            return operatorGroup;
        }
    }
}
