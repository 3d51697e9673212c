package dev.pond.core;

import dev.pond.model.Model;
import dev.pond.model.TriggerParams;
import dev.pond.out.CategoryScore;
import dev.pond.out.Offer;
import dev.pond.out.Trigger;
import dev.pond.out.TriggerFacts;
import dev.pond.out.TriggerType;
import dev.pond.state.IntentSignal;
import dev.pond.state.IntentState;
import dev.pond.state.SuppressBy;
import dev.pond.state.UserState;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * HIGH_INTENT: intent rose to {@code triggers.highIntent.minIntent}. Whether and when it did must
 * not depend on the order in which a user's clicks and reads arrive (they come from different
 * topics, read at different paces), so this rule keeps its own copy of intent,
 * {@link UserState#getHighIntent()}, to which signals are applied in event-time order as the
 * watermark passes them: signals ahead of it wait in {@link UserState#getIntentPending()}. A
 * signal that arrives behind the watermark (late beyond the bound) is applied as it comes.
 *
 * <p>While a crossing is possible the rule's timer is the first waiting signal, so that the
 * crossing is found at its moment. When the waiting signals could not lift intent to the
 * threshold, one timer at the last of them applies them all together (or another of the user's
 * timers, if one comes within {@link #DRAIN_SLACK_MILLIS} after it: every timer advances the rule
 * to its moment). They do not wait in the state for the user's next visit, which may never come:
 * they were most of a one-time visitor's state.
 */
public final class HighIntentRule {

    /** How much later than needed waiting signals may be applied, to share a timer the user already has. */
    static final long DRAIN_SLACK_MILLIS = Times.HOUR;

    private final TriggerParams.HighIntent params;
    private final Intent intent;
    private final ContactPolicy policy;
    private final Model.Limits limits;
    private final String modelVersion;

    public HighIntentRule(Model model, Intent intent, ContactPolicy policy) {
        this.params = model.triggers().highIntent();
        this.intent = intent;
        this.policy = policy;
        this.limits = model.limits();
        this.modelVersion = model.version();
    }

    /** A signal of weight {@code w} at {@code t}, arriving when the watermark is at {@code watermark}. */
    public void signal(UserState s, String userId, long t, double w, String category, String eventId, long watermark,
                       Emissions out) {
        if (!params.enabled() || w == 0) {
            return;
        }
        advance(s, userId, watermark, out);
        IntentSignal signal = new IntentSignal(t, w, category, eventId);
        if (t <= watermark) {
            apply(s, userId, signal, out);
            return;
        }
        List<IntentSignal> pending = s.getIntentPending();
        int i = pending.size();
        while (i > 0 && pending.get(i - 1).getTs() > t) {
            i--;
        }
        pending.add(i, signal);
        if (pending.size() > limits.maxPendingSignals()) {
            apply(s, userId, pending.remove(0), out); // bounded: the oldest goes in early
        }
    }

    /** Applies the waiting signals up to {@code upTo} (the watermark, or a timer's moment), in order. */
    public void advance(UserState s, String userId, long upTo, Emissions out) {
        List<IntentSignal> pending = s.getIntentPending();
        while (!pending.isEmpty() && pending.get(0).getTs() <= upTo) {
            apply(s, userId, pending.remove(0), out);
        }
    }

    /**
     * The timer the rule needs: the first waiting signal, if the waiting signals could lift intent
     * to the threshold; else the next whole hour after the last, to apply them all at once,
     * unless another timer of the user's (cart, review, release: set before this is asked) comes
     * within the hour after the last; null when none wait or another timer will do.
     */
    public Long timer(UserState s) {
        List<IntentSignal> pending = s.getIntentPending();
        if (pending.isEmpty()) {
            return null;
        }
        // An upper bound: the settled intent when the first waiting signal comes, plus every
        // waiting signal that adds (later ones come when the rest has decayed further).
        IntentState st = s.getHighIntent();
        double reach = st == null ? 0 : Decay.at(st.getTotal(), st.getAsOf(), pending.get(0).getTs(), intent.halfLifeMillis());
        for (IntentSignal p : pending) {
            reach += Math.max(0, p.getWeight());
        }
        if (reach >= params.minIntent()) {
            return pending.get(0).getTs();
        }
        long last = pending.get(pending.size() - 1).getTs();
        for (Long other : new Long[] {s.getCartTimerAt(), s.getReviewAt(), ContactPolicy.nextRelease(s)}) {
            if (other != null && other >= last && other - last <= DRAIN_SLACK_MILLIS) {
                return null;
            }
        }
        // These signals cannot fire the rule, so when they are applied changes no output, only
        // how long they wait in the state. Up to the next whole slack, then: every signal of a
        // session falls under the same timer, which no longer moves with each event (it moved at
        // 9 of 10 events, a delete and a register in the timer store each time).
        return Math.floorDiv(last + DRAIN_SLACK_MILLIS - 1, DRAIN_SLACK_MILLIS) * DRAIN_SLACK_MILLIS;
    }

    private void apply(UserState s, String userId, IntentSignal signal, Emissions out) {
        IntentState st = s.getHighIntent();
        long t = signal.getTs();
        if (st == null) {
            st = new IntentState(t, 0d, new HashMap<>(), new HashMap<>());
            s.setHighIntent(st);
        }
        long at = Math.max(t, st.getAsOf());
        double before = intent.total(st, at);
        intent.add(st, t, signal.getWeight(), signal.getCategory());
        double after = intent.total(st, at);
        if (before < params.minIntent() && after >= params.minIntent()) {
            fire(s, userId, t, after, intent.top(st, at, 1), signal.getEventId(), out);
        }
    }

    private void fire(UserState s, String userId, long t, double value, List<CategoryScore> top, String eventId,
                      Emissions out) {
        Map<String, Double> scores = new LinkedHashMap<>();
        scores.put("intent", value);
        String reason = "intent rose to " + TagRules.score(value) + " (at least " + TagRules.score(params.minIntent())
                + (params.topPercent() == null ? "" : ", the top " + TagRules.number(params.topPercent())
                + "% of active users") + ")";
        List<String> categories = new ArrayList<>();
        if (!top.isEmpty()) {
            scores.put("topCategoryIntent", top.get(0).getScore());
            categories.add(top.get(0).getCategory());
            reason += ", most of all in " + top.get(0).getCategory() + " (" + TagRules.score(top.get(0).getScore()) + ")";
        }
        reason += ", and no order in the " + TagRules.number(params.noOrderHours()) + " hours before";
        TriggerParams.Offer offer = params.offer();
        Trigger trigger = new Trigger(TriggerIds.of(TriggerType.HIGH_INTENT, userId, t), userId, TriggerType.HIGH_INTENT,
                Instant.ofEpochMilli(t), Instant.ofEpochMilli(t + params.validMillis()), params.priority(), reason,
                new TriggerFacts(scores, new LinkedHashMap<>(), new ArrayList<>(), new ArrayList<>(List.of(eventId)),
                        categories),
                offer == null ? null : new Offer(offer.code(), offer.description()), modelVersion, null);
        policy.schedule(s, trigger, t, SuppressBy.CHECKOUT, t - params.noOrderMillis(), null, out);
    }
}
