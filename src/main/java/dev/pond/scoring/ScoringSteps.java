package dev.pond.scoring;

import dev.pond.core.Emissions;
import dev.pond.core.UserScorer;
import dev.pond.io.EventKind;
import dev.pond.io.Inbound;
import dev.pond.model.Model;
import dev.pond.out.Profile;
import dev.pond.out.TagChange;
import dev.pond.out.Trigger;
import dev.pond.out.TriggerNote;
import dev.pond.out.TriggerOutcome;
import dev.pond.out.TriggerType;
import dev.pond.state.UserState;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;

import java.util.ArrayList;
import java.util.List;

/**
 * One user's step, whatever runs it: read the state once, let {@link UserScorer} (plain Java)
 * compute the new state and what to emit, store it once, keep the registered timers equal to what
 * it wants, and emit. {@link UserScoringOperator} runs it for Flink; {@link User} is all it needs
 * of its host, so that a test can drive it with a map. Every metric of the scoring operator is
 * here.
 */
final class ScoringSteps {

    /** What a step needs of the operator, for the user whose step it is. */
    interface User {
        UserState state() throws Exception;

        void store(UserState s) throws Exception;

        void clear() throws Exception;

        /** The operator's event time now. */
        long watermark();

        void registerTimer(long t);

        void deleteTimer(long t);

        void trigger(Trigger t, long timestamp);

        void tagChange(TagChange c, long timestamp);

        void profile(Profile p, long timestamp);
    }

    private final long horizon;
    private final boolean snapshot;
    private final Emissions emissions = new Emissions();
    private UserScorer scorer;
    private String modelVersion;

    private final Counter modelSwitches;
    private final Counter usersReviewed;
    private final Counter eventsIn;
    private final Counter lateEvents;
    private final Counter missedReminders;
    private final Counter triggersOut;
    private final Counter tagChangesOut;
    private final Counter profilesOut;
    private final Counter eventsAfterSnapshot;
    private final Counter timersFired;
    private final Counter stateReads;
    private final Counter timersSet;
    private final Counter timersDeleted;
    private final Counter[] timersByKind;
    private final Counter[] triggersByType;
    private final Counter[] notSent;
    private final Counter deferred;
    private final Counter usersForgotten;
    private final Counter[] eventsByKind;
    /** Friends' first payments credited to this subtask's referrers (ReferralRouter). */
    private final Counter creditsIn;

    /**
     * @param horizon timers later than this event time do not fire (replay's {@code --until});
     *     {@link Long#MAX_VALUE} in a live job
     * @param snapshot also emit every user's profile as of the horizon (replay's {@code --snapshot})
     */
    ScoringSteps(Model model, long horizon, boolean snapshot, MetricGroup metrics) {
        this.horizon = horizon;
        this.snapshot = snapshot && horizon != Long.MAX_VALUE;
        this.scorer = new UserScorer(model);
        this.modelVersion = model.version();
        modelSwitches = metrics.counter("modelSwitches");
        usersReviewed = metrics.counter("usersRetagged");
        eventsIn = metrics.counter("eventsIn");
        lateEvents = metrics.counter("lateEvents");
        missedReminders = metrics.counter("remindersTooLate");
        triggersOut = metrics.counter("triggers");
        tagChangesOut = metrics.counter("tagChanges");
        profilesOut = metrics.counter("profiles");
        eventsAfterSnapshot = metrics.counter("eventsAfterSnapshot");
        creditsIn = metrics.counter("referralCreditsIn");
        timersFired = metrics.counter("timersFired");
        stateReads = metrics.counter("stateReads");
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
    String modelVersion() {
        return modelVersion;
    }

    /**
     * Scores with {@code model} from the next step on. Every user's stored state stays as it is;
     * what the new rules change shows at that user's next event or timer. The timers stay valid:
     * they are moments kept in the state, not derived from the model (a change of {@code limits},
     * which would move the forgetting, is refused before it gets here).
     */
    void install(Model model) {
        if (!model.version().equals(modelVersion)) {
            scorer = new UserScorer(model);
            modelVersion = model.version();
            modelSwitches.inc();
        }
    }

    /**
     * The user's events, in the order they arrived, in one step: one read and one write of the
     * state, one reconciliation of the timers, and of the profiles the events make only the last
     * (which carries the triggers not sent of those it stands for).
     * Each event is scored at the same event time as it would be alone, since no timer fires and the
     * watermark does not move while events wait in a bundle; its triggers and tag changes carry
     * its own timestamp.
     */
    void events(User user, List<Inbound> events) throws Exception {
        long watermark = user.watermark();
        UserState s = null;
        long[] timersBefore = null;
        Profile profile = null;
        long profileAt = 0;
        for (Inbound in : events) {
            if (snapshot && (in.eventTime() > horizon || watermark >= horizon)) {
                // The snapshot describes the horizon: what comes after it (or after the snapshot was
                // taken) must not change it, nor take another one.
                eventsAfterSnapshot.inc();
                continue;
            }
            if (timersBefore == null) {
                s = user.state();
                stateReads.inc();
                timersBefore = scorer.timersWanted(s);
            }
            if (in.credit == null) {
                eventsIn.inc(); // input events; a referral credit is counted as one below
            }
            if (in.eventTime() <= watermark) {
                lateEvents.inc(); // Flink's definition: at or behind the watermark
            }
            // Nothing fires beyond the horizon, not even from an event's own processing.
            long at = Math.min(watermark, horizon);
            if (in.click != null) {
                eventsByKind[EventKind.CLICK.ordinal()].inc();
                s = scorer.onClick(s, in.click, at, emissions);
            } else if (in.read != null) {
                eventsByKind[EventKind.READ.ordinal()].inc();
                s = scorer.onRead(s, in.read, at, emissions);
            } else if (in.order != null) {
                eventsByKind[EventKind.ORDER.ordinal()].inc();
                s = scorer.onOrder(s, in.order, at, emissions);
            } else {
                creditsIn.inc();
                s = scorer.onReferral(s, in.credit, at, emissions);
            }
            if (emissions.profile != null) {
                // The later profile stands for both; the triggers the earlier one reported as not
                // sent (it took them out of the state) go on in the later one, first.
                if (profile != null && !profile.getTriggersNotSent().isEmpty()) {
                    List<TriggerNote> notes = new ArrayList<>(profile.getTriggersNotSent());
                    notes.addAll(emissions.profile.getTriggersNotSent());
                    emissions.profile.setTriggersNotSent(notes);
                }
                profile = emissions.profile;
                profileAt = in.eventTime();
                emissions.profile = null;
            }
            emit(user, in.eventTime());
        }
        if (timersBefore == null) {
            return; // every event came after the snapshot
        }
        store(user, s, timersBefore, Long.MIN_VALUE, true);
        if (profile != null) {
            user.profile(profile, profileAt);
            profilesOut.inc();
        }
    }

    /** A timer of the user's, at {@code timestamp}. */
    void timer(User user, String userId, long timestamp) throws Exception {
        if (timestamp > horizon) {
            return;
        }
        timersFired.inc();
        UserState s = user.state();
        stateReads.inc();
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
        long watermark = Math.min(user.watermark(), horizon);
        scorer.onTimer(s, userId, timestamp, watermark, emissions);
        boolean snapshotNow = snapshot && timestamp == horizon;
        if (snapshotNow) {
            scorer.snapshot(s, userId, timestamp, emissions);
        }
        Profile profile = emissions.profile;
        emissions.profile = null;
        emit(user, timestamp);
        store(user, s, timersBefore, timestamp, !snapshotNow);
        if (profile != null) {
            user.profile(profile, timestamp);
            profilesOut.inc();
        }
    }

    /**
     * Re-scores the user's stored state under the model in force, at the watermark ({@link
     * UserScorer#review}), and emits what changed, at {@code timestamp}; for a re-tag.
     */
    void review(User user, String userId, long timestamp) throws Exception {
        UserState s = user.state();
        stateReads.inc();
        if (s == null) {
            return;
        }
        long[] timersBefore = scorer.timersWanted(s);
        scorer.review(s, userId, Math.min(user.watermark(), horizon), emissions);
        usersReviewed.inc();
        Profile profile = emissions.profile;
        emissions.profile = null;
        emit(user, timestamp);
        store(user, s, timersBefore, Long.MIN_VALUE, true);
        if (profile != null) {
            user.profile(profile, timestamp);
            profilesOut.inc();
        }
    }

    /** Emits the step's triggers and tag changes (not its profile) and counts what it did. */
    private void emit(User user, long timestamp) {
        for (TagChange change : emissions.tagChanges) {
            user.tagChange(change, timestamp);
        }
        tagChangesOut.inc(emissions.tagChanges.size());
        for (Trigger trigger : emissions.triggers) {
            user.trigger(trigger, timestamp);
            triggersByType[trigger.getType().ordinal()].inc();
        }
        triggersOut.inc(emissions.triggers.size());
        for (int i = 0; i < notSent.length; i++) {
            if (emissions.notSent[i] > 0) {
                notSent[i].inc(emissions.notSent[i]);
            }
        }
        deferred.inc(emissions.deferred);
        missedReminders.inc(emissions.tooLateForReminder);
        boolean forgotten = emissions.forgotten;
        emissions.clear();
        emissions.forgotten = forgotten;
    }

    /**
     * Stores the state (or clears it, when the user was forgotten) and keeps the timers equal to
     * what it wants.
     *
     * @param fired the timer that fired this step, or {@link Long#MIN_VALUE} for events (see
     *     {@link #reconcile})
     */
    private void store(User user, UserState s, long[] timersBefore, long fired, boolean keepSnapshot)
            throws Exception {
        if (emissions.forgotten) {
            // Silent for limits.forgetAfterDays: nothing of the user stays, not even a timer.
            emissions.forgotten = false;
            user.clear();
            reconcile(user, timersBefore, new long[0], fired);
            usersForgotten.inc();
        } else {
            user.store(s);
            reconcile(user, timersBefore, scorer.timersWanted(s), fired);
        }
        if (snapshot && keepSnapshot) {
            // Registered again each time (Flink keeps one per key and time): reconcile may have
            // deleted a scorer timer that fell on the horizon. Not while the snapshot timer itself
            // fires, which would fire it again; no event is processed after it (see above), and
            // timers fire in time order, so nothing registers it once it has fired.
            user.registerTimer(horizon);
        }
    }

    /**
     * Deletes the timers no longer wanted and registers the new ones, leaving {@code fired} alone:
     * Flink removed it when it fired, and registering it again would, at the end of a bounded
     * input (watermark at the end of time), fire it again at once, for ever.
     */
    private void reconcile(User user, long[] before, long[] after, long fired) {
        for (long t : before) {
            if (t != fired && !contains(after, t)) {
                user.deleteTimer(t);
                timersDeleted.inc();
            }
        }
        for (long t : after) {
            if (t != fired && !contains(before, t)) {
                user.registerTimer(t);
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
