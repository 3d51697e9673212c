package dev.pond.scoring;

import dev.pond.core.Emissions;
import dev.pond.core.UserScorer;
import dev.pond.io.EventKind;
import dev.pond.io.Inbound;
import dev.pond.model.Model;
import dev.pond.out.Profile;
import dev.pond.out.TagChange;
import dev.pond.out.Trigger;
import dev.pond.out.TriggerOutcome;
import dev.pond.out.TriggerType;
import dev.pond.state.UserState;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * The one keyed operator that owns everything about a user. Per event or timer it loads the
 * user's {@link UserState}, lets {@link UserScorer} (plain Java) compute the new state and what to
 * emit, stores the state, emits triggers (main output), tag changes and profiles (side outputs),
 * and keeps the registered event-time timers equal to what the state needs.
 */
public class UserScoringFunction extends KeyedProcessFunction<String, Inbound, Trigger> {

    private static final long serialVersionUID = 1L;

    /** Tag changes; also the seam for segment counting. */
    public static final OutputTag<TagChange> TAG_CHANGES =
            new OutputTag<>("tag-changes", new AvroTypeInfo<>(TagChange.class));
    /** Profiles that changed materially. */
    public static final OutputTag<Profile> PROFILES = new OutputTag<>("profiles", new AvroTypeInfo<>(Profile.class));

    /** The name of the state; part of the savepoint contract, never rename. */
    public static final String STATE_NAME = "user";

    private final Model initial;
    private final long horizon;
    private final boolean snapshot;

    private transient ValueState<UserState> state;
    private transient UserScorer scorer;
    private transient String modelVersion;
    private transient Counter modelSwitches;
    private transient Counter usersReviewed;
    private transient Emissions emissions;
    private transient Counter eventsIn;
    private transient Counter lateEvents;
    private transient Counter missedReminders;
    private transient Counter triggersOut;
    private transient Counter tagChangesOut;
    private transient Counter profilesOut;
    private transient Counter eventsAfterSnapshot;
    private transient Counter timersFired;
    private transient Counter timersSet;
    private transient Counter timersDeleted;
    private transient Counter[] timersByKind;
    private transient Counter[] triggersByType;
    private transient Counter[] notSent;
    private transient Counter deferred;
    private transient Counter usersForgotten;
    private transient Counter[] eventsByKind;

    /**
     * @param model the rules and their parameters
     * @param horizon timers later than this event time do not fire (replay's {@code --until});
     *     {@link Long#MAX_VALUE} in a live job
     */
    public UserScoringFunction(Model model, long horizon) {
        this(model, horizon, false);
    }

    /**
     * @param snapshot also emit every user's profile as of the horizon (replay's {@code --snapshot}),
     *     so that all profiles describe the same moment
     */
    public UserScoringFunction(Model model, long horizon, boolean snapshot) {
        this.initial = model;
        this.horizon = horizon;
        this.snapshot = snapshot && horizon != Long.MAX_VALUE;
    }

    /** The state's descriptor: one Avro record per user, serialized by Flink's Avro serializer. */
    public static ValueStateDescriptor<UserState> stateDescriptor() {
        return new ValueStateDescriptor<>(STATE_NAME, new AvroTypeInfo<>(UserState.class));
    }

    @Override
    public void open(OpenContext openContext) {
        state = getRuntimeContext().getState(stateDescriptor());
        scorer = new UserScorer(initial);
        modelVersion = initial.version();
        emissions = new Emissions();
        var metrics = getRuntimeContext().getMetricGroup();
        modelSwitches = metrics.counter("modelSwitches");
        usersReviewed = metrics.counter("usersRetagged");
        eventsIn = metrics.counter("eventsIn");
        lateEvents = metrics.counter("lateEvents");
        missedReminders = metrics.counter("remindersTooLate");
        triggersOut = metrics.counter("triggers");
        tagChangesOut = metrics.counter("tagChanges");
        profilesOut = metrics.counter("profiles");
        eventsAfterSnapshot = metrics.counter("eventsAfterSnapshot");
        timersFired = metrics.counter("timersFired");
        timersSet = metrics.counter("timersSet");
        timersDeleted = metrics.counter("timersDeleted");
        timersByKind = new Counter[UserScorer.TimerKind.values().length];
        for (UserScorer.TimerKind kind : UserScorer.TimerKind.values()) {
            timersByKind[kind.ordinal()] = metrics.addGroup("timerKind", kind.name()).counter("timersFired");
        }
        TriggerType[] types = TriggerType.values();
        triggersByType = new Counter[types.length];
        for (TriggerType type : types) {
            triggersByType[type.ordinal()] = metrics.addGroup("triggerType", type.name()).counter("triggers");
        }
        TriggerOutcome[] outcomes = TriggerOutcome.values();
        notSent = new Counter[outcomes.length];
        for (TriggerOutcome outcome : outcomes) {
            notSent[outcome.ordinal()] = metrics.addGroup("notSent", outcome.name()).counter("triggers");
        }
        deferred = metrics.counter("triggersDeferred");
        usersForgotten = metrics.counter("usersForgotten");
        eventsByKind = new Counter[EventKind.values().length];
        for (EventKind kind : EventKind.values()) {
            eventsByKind[kind.ordinal()] = metrics.addGroup("eventKind", kind.name()).counter("eventsIn");
        }
    }

    /** The version of the model scoring now. */
    public String modelVersion() {
        return modelVersion;
    }

    /**
     * Scores with {@code model} from the next event or timer on. Every user's stored state stays
     * as it is; what the new rules change shows at that user's next event or timer. The timers
     * stay valid: they are moments kept in the state, not derived from the model (a change of
     * {@code limits}, which would move the forgetting, is refused before it gets here).
     */
    public void install(Model model) {
        if (!model.version().equals(modelVersion)) {
            scorer = new UserScorer(model);
            modelVersion = model.version();
            modelSwitches.inc();
        }
    }

    @Override
    public void processElement(Inbound in, Context ctx, Collector<Trigger> out) throws Exception {
        long watermark = ctx.timerService().currentWatermark();
        if (snapshot && (in.eventTime() > horizon || watermark >= horizon)) {
            // The snapshot describes the horizon: what comes after it (or after the snapshot was
            // taken) must not change it, nor take another one.
            eventsAfterSnapshot.inc();
            return;
        }
        eventsIn.inc();
        if (in.eventTime() <= watermark) {
            lateEvents.inc(); // Flink's definition: at or behind the watermark
        }
        // Nothing fires beyond the horizon, not even from an event's own processing.
        watermark = Math.min(watermark, horizon);
        UserState before = state.value();
        long[] timersBefore = scorer.timersWanted(before);
        UserState after;
        if (in.click != null) {
            eventsByKind[EventKind.CLICK.ordinal()].inc();
            after = scorer.onClick(before, in.click, watermark, emissions);
        } else if (in.read != null) {
            eventsByKind[EventKind.READ.ordinal()].inc();
            after = scorer.onRead(before, in.read, watermark, emissions);
        } else {
            eventsByKind[EventKind.ORDER.ordinal()].inc();
            after = scorer.onOrder(before, in.order, watermark, emissions);
        }
        finish(after, timersBefore, Long.MIN_VALUE, ctx, out, true);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Trigger> out) throws Exception {
        if (timestamp > horizon) {
            return;
        }
        timersFired.inc();
        UserState s = state.value();
        if (s == null) {
            return;
        }
        for (UserScorer.TimerKind kind : UserScorer.TimerKind.values()) {
            Long at = kind.at(s); // in the state as it was before the timer fired
            if (at != null && at == timestamp) {
                timersByKind[kind.ordinal()].inc();
            }
        }
        long[] timersBefore = scorer.timersWanted(s);
        // Each timer settles its own moment (later ones fire in turn), so a trigger's record time is its firedAt.
        long watermark = Math.min(ctx.timerService().currentWatermark(), horizon);
        scorer.onTimer(s, ctx.getCurrentKey(), timestamp, watermark, emissions);
        boolean snapshotNow = snapshot && timestamp == horizon;
        if (snapshotNow) {
            scorer.snapshot(s, ctx.getCurrentKey(), timestamp, emissions);
        }
        finish(s, timersBefore, timestamp, ctx, out, !snapshotNow);
    }

    /**
     * Re-scores the current key's stored state under the model in force, at {@code watermark}
     * ({@link UserScorer#review}), and emits what changed; for a re-tag, which visits every key
     * with {@code applyToKeyedState}. {@code ctx}'s timer service must register for that key.
     */
    void review(long watermark, Context ctx, Collector<Trigger> out) throws Exception {
        UserState s = state.value();
        if (s == null) {
            return;
        }
        long[] timersBefore = scorer.timersWanted(s);
        scorer.review(s, ctx.getCurrentKey(), Math.min(watermark, horizon), emissions);
        usersReviewed.inc();
        finish(s, timersBefore, Long.MIN_VALUE, ctx, out, true);
    }

    /**
     * Stores the state (or clears it, when the user was forgotten), keeps the timers equal to what
     * it wants and emits what the step produced.
     *
     * @param fired the timer that fired this step, or {@link Long#MIN_VALUE} for an event (see
     *     {@link #reconcile})
     */
    private void finish(UserState s, long[] timersBefore, long fired, Context ctx, Collector<Trigger> out,
                        boolean keepSnapshot) throws Exception {
        if (emissions.forgotten) {
            // Silent for limits.forgetAfterDays: nothing of the user stays, not even a timer.
            state.clear();
            reconcile(ctx.timerService(), timersBefore, new long[0], fired);
            usersForgotten.inc();
        } else {
            state.update(s);
            reconcile(ctx.timerService(), timersBefore, scorer.timersWanted(s), fired);
        }
        if (snapshot && keepSnapshot) {
            // Registered again each time (Flink keeps one per key and time): reconcile may have
            // deleted a scorer timer that fell on the horizon. Not while the snapshot timer itself
            // fires, which would fire it again; no event is processed after it (see above), and
            // timers fire in time order, so nothing registers it once it has fired.
            ctx.timerService().registerEventTimeTimer(horizon);
        }
        for (TagChange change : emissions.tagChanges) {
            ctx.output(TAG_CHANGES, change);
        }
        tagChangesOut.inc(emissions.tagChanges.size());
        for (Trigger trigger : emissions.triggers) {
            out.collect(trigger);
            triggersByType[trigger.getType().ordinal()].inc();
        }
        for (int i = 0; i < notSent.length; i++) {
            if (emissions.notSent[i] > 0) {
                notSent[i].inc(emissions.notSent[i]);
            }
        }
        deferred.inc(emissions.deferred);
        triggersOut.inc(emissions.triggers.size());
        if (emissions.profile != null) {
            ctx.output(PROFILES, emissions.profile);
            profilesOut.inc();
        }
        missedReminders.inc(emissions.tooLateForReminder);
        emissions.clear();
    }

    /**
     * Deletes the timers no longer wanted and registers the new ones, leaving {@code fired} alone:
     * Flink removed it when it fired, and registering it again would, at the end of a bounded
     * input (watermark at the end of time), fire it again at once, for ever.
     */
    private void reconcile(TimerService timers, long[] before, long[] after, long fired) {
        for (long t : before) {
            if (t != fired && !contains(after, t)) {
                timers.deleteEventTimeTimer(t);
                timersDeleted.inc();
            }
        }
        for (long t : after) {
            if (t != fired && !contains(before, t)) {
                timers.registerEventTimeTimer(t);
                timersSet.inc();
            }
        }
    }

    private static boolean contains(long[] values, long v) {
        for (long x : values) {
            if (x == v) {
                return true;
            }
        }
        return false;
    }
}
