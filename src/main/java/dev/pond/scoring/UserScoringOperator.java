package dev.pond.scoring;

import dev.pond.control.ModelUpdate;
import dev.pond.control.ModelUpdates;
import dev.pond.io.Inbound;
import dev.pond.model.Model;
import dev.pond.out.Profile;
import dev.pond.out.TagChange;
import dev.pond.out.Trigger;
import dev.pond.state.UserState;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.InternalTimer;
import org.apache.flink.streaming.api.operators.InternalTimerService;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.operators.Triggerable;
import org.apache.flink.streaming.api.operators.TwoInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The scoring operator, of replay (one input: the events) and of the live job (two: the events,
 * keyed by user, and the accepted model updates, broadcast). It owns everything about a user: per
 * step it runs {@link ScoringSteps}, as the {@link ScoringSteps.User} of the current key.
 *
 * <p><b>Bundles.</b> With a bundle size above 1 and a bundle latency above 0, arriving events wait in memory, per user, and each
 * user's waiting events are scored in one step: one read and one write of the state, one
 * reconciliation of the timers, at most one profile. A bundle is scored before the watermark moves
 * (so an event is scored at the event time it arrived at, and no timer fires past a waiting event:
 * every trigger is what it would be without bundles), when it holds the bundle size in events,
 * when its oldest event has waited the bundle latency, before a model update, at the end of the
 * input, and before every checkpoint barrier ({@link #prepareSnapshotPreBarrier}): a checkpoint
 * holds no waiting event, so exactly once holds as it does without bundles.
 *
 * <p><b>Model updates</b> (live): an accepted update is kept in broadcast state, which checkpoints
 * and savepoints keep, and scores from the next step on; one that asks for a re-tag re-scores every
 * user this subtask stores at once, through the keyed state backend, which makes each user the
 * current key in turn (so their timers can move).
 *
 * <p>The uid, the state's name, the timers' name and the broadcast state's are those of the
 * operators this one replaces, so that savepoints of the earlier builds restore.
 *
 * <p>Why an operator and not a process function: a bundle must be scored before a checkpoint
 * barrier leaves ({@link #prepareSnapshotPreBarrier}); a function's {@code snapshotState} runs
 * after the barrier has gone downstream, so what it emitted would land in the next checkpoint.
 * The price is Flink's operator API: {@code StreamRecord}, which every operator's
 * {@code processElement} takes, and the timer service of {@code getInternalTimerService}
 * ({@code InternalTimerService}, {@code Triggerable}) are marked {@code @Internal}, as they are
 * for Flink's own operators; nothing else here is.
 */
public final class UserScoringOperator extends AbstractStreamOperator<Trigger>
        implements OneInputStreamOperator<Inbound, Trigger>, TwoInputStreamOperator<Inbound, ModelUpdate, Trigger>,
        Triggerable<String, VoidNamespace>, ScoringSteps.User {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(UserScoringOperator.class);

    /** Tag changes; also the seam for segment counting. */
    public static final OutputTag<TagChange> TAG_CHANGES =
            new OutputTag<>("tag-changes", new AvroTypeInfo<>(TagChange.class));
    /** Profiles that changed materially. */
    public static final OutputTag<Profile> PROFILES = new OutputTag<>("profiles", new AvroTypeInfo<>(Profile.class));

    /** The name of the state; part of the savepoint contract, never rename. */
    public static final String STATE_NAME = "user";
    /** The name of the timers; Flink's keyed operators' name, which savepoints of earlier builds hold. */
    static final String TIMERS_NAME = "user-timers";
    /** The model in force; part of the savepoint contract, never rename. */
    public static final MapStateDescriptor<String, ModelUpdate> MODEL =
            new MapStateDescriptor<>("model-in-force", Types.STRING, new AvroTypeInfo<>(ModelUpdate.class));
    private static final String CURRENT = "current";

    private final Model initial;
    private final long horizon;
    private final boolean snapshot;
    private final int bundleSize;
    private final long bundleLatencyMillis;
    private final boolean bundled;

    private transient ScoringSteps steps;
    private transient ValueState<UserState> state;
    private transient InternalTimerService<VoidNamespace> timers;
    private transient StreamRecord<Trigger> triggerRecord;
    /** The model updates of a live job (empty in replay). */
    private transient BroadcastState<String, ModelUpdate> models;
    private transient String refused;
    private transient Counter retags;
    private transient Counter retagMillis;

    /** Waiting events by user, in the order the users' first events arrived. */
    private transient Map<String, List<Inbound>> bundle;
    private transient int waiting;
    private transient boolean latencyTimerSet;
    private transient Counter bundles;
    private transient Counter bundledUsers;
    private transient int largestBundle;

    /** The state's descriptor: one Avro record per user, serialized by Flink's Avro serializer. */
    public static ValueStateDescriptor<UserState> stateDescriptor() {
        return new ValueStateDescriptor<>(STATE_NAME, new AvroTypeInfo<>(UserState.class));
    }

    /**
     * @param model the rules, until an update is accepted (live)
     * @param horizon timers later than this event time do not fire (replay's {@code --until});
     *     {@link Long#MAX_VALUE} in a live job
     * @param snapshot also emit every user's profile as of the horizon (replay's {@code --snapshot})
     * @param bundleSize events a bundle holds at most; 0 or 1 for no bundles (each event scored as it arrives)
     * @param bundleLatencyMillis how long an event may wait in a bundle, in wall-clock time; 0 for no bundles
     */
    public UserScoringOperator(Model model, long horizon, boolean snapshot, int bundleSize, long bundleLatencyMillis) {
        if (bundleSize < 0 || bundleLatencyMillis < 0) {
            throw new IllegalArgumentException("bundle size and latency must be 0 or more, got " + bundleSize + " and "
                    + bundleLatencyMillis + " ms");
        }
        this.initial = model;
        this.horizon = horizon;
        this.snapshot = snapshot;
        this.bundleSize = bundleSize;
        this.bundleLatencyMillis = bundleLatencyMillis;
        this.bundled = bundleSize > 1 && bundleLatencyMillis > 0;
    }

    @Override
    public void open() throws Exception {
        super.open();
        var metrics = getMetricGroup();
        steps = new ScoringSteps(initial, horizon, snapshot, metrics);
        state = getPartitionedState(stateDescriptor());
        timers = getInternalTimerService(TIMERS_NAME, VoidNamespaceSerializer.INSTANCE, this);
        triggerRecord = new StreamRecord<>(null);
        retags = metrics.counter("retags");
        retagMillis = metrics.counter("retagMillis");
        bundle = new LinkedHashMap<>();
        bundles = metrics.counter("bundles");
        bundledUsers = metrics.counter("bundledUsers");
        metrics.gauge("bundleEvents", () -> waiting);
        metrics.gauge("largestBundle", () -> largestBundle);
        follow();
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        // Updated by the live job's second input only; in replay it stays empty.
        models = context.getOperatorStateStore().getBroadcastState(MODEL);
    }

    // ---- events ----

    @Override
    public void processElement(StreamRecord<Inbound> record) throws Exception {
        Inbound in = record.getValue();
        String user = in.userId();
        if (!bundled) {
            steps.events(this, List.of(in));
            return;
        }
        bundle.computeIfAbsent(user, u -> new ArrayList<>(4)).add(in);
        waiting++;
        if (waiting >= bundleSize) {
            flush();
        } else if (!latencyTimerSet) {
            latencyTimerSet = true;
            long due = getProcessingTimeService().getCurrentProcessingTime() + bundleLatencyMillis;
            getProcessingTimeService().registerTimer(due, t -> {
                latencyTimerSet = false;
                flush();
            });
        }
    }

    @Override
    public void processElement1(StreamRecord<Inbound> record) throws Exception {
        processElement(record);
    }

    /** Scores every waiting event, user by user in the order they first arrived. */
    private void flush() throws Exception {
        if (waiting == 0) {
            return;
        }
        bundles.inc();
        bundledUsers.inc(bundle.size());
        largestBundle = Math.max(largestBundle, waiting);
        for (Map.Entry<String, List<Inbound>> e : bundle.entrySet()) {
            setCurrentKey(e.getKey());
            steps.events(this, e.getValue());
        }
        bundle.clear();
        waiting = 0;
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        flush(); // before any timer fires at the new watermark
        super.processWatermark(mark);
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        flush(); // what the checkpoint's offsets cover is in its state and before its barrier
        super.prepareSnapshotPreBarrier(checkpointId);
    }

    @Override
    public void finish() throws Exception {
        flush();
        super.finish();
    }

    // ---- timers ----

    @Override
    public void onEventTime(InternalTimer<String, VoidNamespace> timer) throws Exception {
        steps.timer(this, timer.getKey(), timer.getTimestamp());
    }

    @Override
    public void onProcessingTime(InternalTimer<String, VoidNamespace> timer) {
        // none registered: the bundle latency uses the processing-time service directly
    }

    // ---- model updates ----

    @Override
    public void processElement2(StreamRecord<ModelUpdate> record) throws Exception {
        flush(); // the events that came before the update are scored under the model they came under
        ModelUpdate update = record.getValue();
        models.put(CURRENT, update);
        follow();
        LOG.info("model {} by {} in force: {}", update.getVersion(), update.getAuthor(), update.getNote());
        if (update.getRetag()) {
            retag(record.hasTimestamp() ? record.getTimestamp() : timers.currentWatermark());
        }
    }

    /** Re-scores every stored user of this subtask under the model in force, at the watermark. */
    private void retag(long timestamp) throws Exception {
        long started = System.nanoTime();
        long[] users = new long[1];
        getKeyedStateBackend().applyToAllKeys(VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE,
                stateDescriptor(), (user, s) -> {
                    steps.review(this, (String) user, timestamp);
                    users[0]++;
                });
        long millis = (System.nanoTime() - started) / 1_000_000;
        retagMillis.inc(millis);
        retags.inc();
        LOG.info("re-tagged {} users under model {} at watermark {} in {} ms", users[0], steps.modelVersion(),
                timers.currentWatermark(), millis);
    }

    /** Installs the model in force if it is not the one scoring (after an update, or a restore). */
    private void follow() throws Exception {
        ModelUpdate update = models.get(CURRENT);
        if (update == null || update.getVersion().equals(steps.modelVersion())
                || update.getVersion().equals(refused)) {
            return;
        }
        try {
            steps.install(ModelUpdates.model(update));
        } catch (IllegalArgumentException e) {
            // Accepted once, refused now: only a restore by a build that reads models differently.
            // The model scoring stays; a restart loop would stop every user's scoring instead.
            refused = update.getVersion();
            LOG.error("the model in force, {}, no longer reads: {}; scoring stays with {}", update.getVersion(),
                    e.getMessage(), steps.modelVersion());
        }
    }

    /** The version of the model scoring now. */
    public String modelVersion() {
        return steps.modelVersion();
    }

    // ---- the current user, for ScoringSteps ----

    @Override
    public UserState state() throws Exception {
        return state.value();
    }

    @Override
    public void store(UserState s) throws Exception {
        state.update(s);
    }

    @Override
    public void clear() {
        state.clear();
    }

    @Override
    public long watermark() {
        return timers.currentWatermark();
    }

    @Override
    public void registerTimer(long t) {
        timers.registerEventTimeTimer(VoidNamespace.INSTANCE, t);
    }

    @Override
    public void deleteTimer(long t) {
        timers.deleteEventTimeTimer(VoidNamespace.INSTANCE, t);
    }

    @Override
    public void trigger(Trigger t, long timestamp) {
        output.collect(triggerRecord.replace(t, timestamp));
    }

    @Override
    public void tagChange(TagChange c, long timestamp) {
        output.collect(TAG_CHANGES, new StreamRecord<>(c, timestamp));
    }

    @Override
    public void profile(Profile p, long timestamp) {
        output.collect(PROFILES, new StreamRecord<>(p, timestamp));
    }
}
