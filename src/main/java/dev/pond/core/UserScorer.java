package dev.pond.core;

import dev.pond.core.value.CustomerValue;
import dev.pond.events.ArticleRead;
import dev.pond.events.ClickEvent;
import dev.pond.events.ClickType;
import dev.pond.events.OrderEvent;
import dev.pond.events.OrderItem;
import dev.pond.events.OrderStatus;
import dev.pond.model.Model;
import dev.pond.out.CategoryScore;
import dev.pond.out.Profile;
import dev.pond.out.RfmClass;
import dev.pond.out.TagChange;
import dev.pond.out.TagChangeType;
import dev.pond.out.Trigger;
import dev.pond.state.Decayed;
import dev.pond.state.DecayedCounts;
import dev.pond.state.IntentState;
import dev.pond.state.OrderHistory;
import dev.pond.state.ProfileMark;
import dev.pond.state.ReferralCredit;
import dev.pond.state.UserState;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Objects;
import java.util.SortedMap;
import java.util.function.Supplier;

/**
 * Everything Pond computes about one user, as a deterministic function of (state, event or timer,
 * model): intent, RFM, lifecycle, tier, tags, the profile and the triggers. The Flink operator
 * only loads the state, calls one of the {@code on...} methods, stores the state, emits what
 * {@link Emissions} holds and keeps its timers equal to {@link #timersWanted(UserState)}.
 */
public final class UserScorer {

    private final Model model;
    private final Intent intent;
    private final Engagement engagement;
    private final Orders orders;
    private final Points points;
    private final StandingRules standing;
    private final TagRules tagRules;
    private final CartRule cart;
    private final CustomerValue value;
    private final ContactPolicy policy;
    private final TriggerRules triggers;
    private final HighIntentRule highIntent;

    public UserScorer(Model model) {
        this.model = model;
        this.intent = new Intent(model);
        this.engagement = new Engagement(model);
        this.orders = new Orders(model);
        this.points = new Points(model);
        this.value = new CustomerValue(model);
        this.standing = new StandingRules(model, orders, value);
        this.tagRules = new TagRules(model, intent, engagement);
        this.policy = new ContactPolicy(model);
        this.cart = new CartRule(model, policy);
        this.triggers = new TriggerRules(model, intent, value, standing, policy, points);
        this.highIntent = new HighIntentRule(model, intent, policy);
    }

    /** A click; {@code s} is null for a user seen for the first time. Returns the new state. */
    public UserState onClick(UserState s, ClickEvent e, long watermark, Emissions out) {
        long t = e.getTs().toEpochMilli();
        s = touch(s, t, e.getChannel());
        if (e.getTimeZone() != null && (s.getTimeZoneAt() == null || t >= s.getTimeZoneAt())) {
            s.setTimeZone(e.getTimeZone());
            s.setTimeZoneAt(t);
        }
        Birthdays.named(s, e.getBirthday(), t);
        if (Birthdays.referred(s, e.getReferrerId(), t)) {
            triggers.referredFriend(s, e.getUserId(), out); // a payment seen before the referral
        }
        if (e.getType() == ClickType.CHECKIN || e.getType() == ClickType.SHARE) {
            catchUp(s, e.getUserId(), t, out); // before the click's points
        }
        settlePoints(s, e.getUserId(), t, out);
        addIntent(s, e.getUserId(), t, model.intent().weight(e.getType()), e.getCategory(), e.getEventId(), watermark,
                out);
        switch (e.getType()) {
            case ADD_TO_CART, REMOVE_FROM_CART -> {
                if (cart.clicked(s, e, e.getUserId(), watermark, out) == CartRule.Added.TOO_LATE) {
                    out.tooLateForReminder++;
                }
            }
            case SHARE -> {
                engagement.shared(s.getShares(), t, 1);
                action(s, e.getUserId(), Model.PointAction.SHARE, t, 1, e.getEventId(), out);
            }
            case CHECKIN -> action(s, e.getUserId(), Model.PointAction.CHECKIN, t, 1, e.getEventId(), out);
            default -> { }
        }
        refresh(s, e.getUserId(), s.getLastSeenAt(), watermark, out);
        return s;
    }

    /**
     * Points up to {@code t}: POINTS_EXPIRING for the months whose notice is due, then the expiry
     * of those that are gone, before an event at {@code t} earns or spends any, so that its
     * outcome does not depend on whether the review timer fired first.
     */
    private void settlePoints(UserState s, String userId, long t, Emissions out) {
        triggers.pointsExpiring(s, userId, t, out);
        points.expire(s, t);
    }

    /** An action's points; with tiers by points, the TIER_UPGRADE they may bring. */
    private void action(UserState s, String userId, Model.PointAction action, long t, int times, String eventId,
                        Emissions out) {
        Model.Tier before = model.tiersByPoints() ? standing.tier(s.getOrders(), t) : null;
        if (points.action(s, action, t, times) > 0 && model.tiersByPoints()) {
            triggers.tierUpgrade(s, userId, t, s.getOrders(), before, java.util.List.of(), eventId, out);
        }
    }

    /**
     * The moments before an event at {@code t} that its effect must not reach: the standing
     * triggers (CHURN_RISK, WIN_BACK, POINTS_REMINDER) and BIRTHDAY due by {@code t}, noticed
     * before the event moves the order history or the points. Without this they would see the
     * event when it arrives before the review timer fired, and not when after: a replay and the
     * live job would disagree (the chaos test found BIRTHDAY's points differing).
     */
    private void catchUp(UserState s, String userId, long t, Emissions out) {
        OrderHistory h = s.getOrders();
        if (Orders.hasPurchases(h) && t > h.getLastOrderAt()) {
            triggers.standing(s, userId, standing.evaluate(h, t), t, out);
        }
        triggers.birthday(s, userId, t, out);
    }

    private static RfmClass rfmClass(Standing st) {
        return st.rfm() == null ? null : st.rfm().getRfmClass();
    }

    /** Adds a signal to intent, and hands it to HIGH_INTENT, which applies it in event-time order. */
    private void addIntent(UserState s, String userId, long t, double w, String category, String eventId,
                           long watermark, Emissions out) {
        intent.add(s.getIntent(), t, w, category);
        highIntent.signal(s, userId, t, w, category, eventId, watermark, out);
    }

    /** An article pushed or read. Returns the new state. */
    public UserState onRead(UserState s, ArticleRead e, long watermark, Emissions out) {
        long t = e.getTs().toEpochMilli();
        s = touch(s, t, null);
        addIntent(s, e.getUserId(), t, engagement.intentWeight(e), null, e.getEventId(), watermark, out);
        if (engagement.isDeep(e) && !e.getTopics().isEmpty()) {
            engagement.deepRead(s.getTopics(), t, e.getTopics());
        }
        engagement.shared(s.getShares(), t, e.getShares());
        if (e.getOpened() || e.getShares() > 0) {
            catchUp(s, e.getUserId(), t, out); // before the read's points
        }
        settlePoints(s, e.getUserId(), t, out);
        if (e.getOpened()) {
            action(s, e.getUserId(), Model.PointAction.READ, t, 1, e.getEventId(), out);
        }
        action(s, e.getUserId(), Model.PointAction.SHARE, t, e.getShares(), e.getEventId(), out);
        refresh(s, e.getUserId(), s.getLastSeenAt(), watermark, out);
        return s;
    }

    /** A change of an order's status. Returns the new state. */
    public UserState onOrder(UserState s, OrderEvent e, long watermark, Emissions out) {
        long t = e.getTs().toEpochMilli();
        s = touch(s, t, e.getChannel());
        Orders.upgrade(s.getOrders());
        OrderHistory h = s.getOrders();
        // The quiet spell a payment ends: CHURN_RISK or WIN_BACK may have come due in it, and would
        // be missed if the order arrived before the watermark reached their moment; and any order
        // moves points, which the points triggers due before it must not see.
        catchUp(s, e.getUserId(), t, out);
        Model.Tier tierBefore = standing.tier(h, t);
        RfmClass classBefore = e.getStatus() == OrderStatus.PAID ? rfmClass(standing.evaluate(h, t)) : null;
        settlePoints(s, e.getUserId(), t, out);
        if (e.getStatus() == OrderStatus.PAID && (s.getFirstPaidAt() == null || t < s.getFirstPaidAt())) {
            s.setFirstPaidAt(t);
            triggers.referredFriend(s, e.getUserId(), out);
        }
        Orders.Effect effect = orders.apply(s.getOrders(), e);
        points.apply(s, e, effect);
        if (effect != Orders.Effect.NONE) {
            Orders.bought(s.getBoughtCategories(), e, effect == Orders.Effect.PURCHASED ? 1 : -1,
                    model.limits().maxCategories());
        }
        cart.ordered(s, e.getUserId(), watermark, out);
        policy.ordered(s, e, out);
        if (effect == Orders.Effect.PURCHASED) {
            for (OrderItem item : e.getItems()) {
                if (item.getCategory() != null) {
                    intent.purchased(s.getIntent(), t, item.getCategory());
                }
            }
            triggers.purchased(s, e.getUserId(), e, tierBefore, classBefore, out);
        }
        refresh(s, e.getUserId(), s.getLastSeenAt(), watermark, out);
        return s;
    }

    /**
     * A friend of the user's paid a first order ({@link dev.pond.scoring.ReferralRouter}): the
     * user's REFERRAL_REWARD. A referrer Pond has not seen yet starts a state here. Returns the
     * new state.
     */
    public UserState onReferral(UserState s, ReferralCredit credit, long watermark, Emissions out) {
        long t = credit.getTs().toEpochMilli();
        if (s == null) {
            s = fresh(t);
        }
        triggers.referrer(s, credit.getReferrerId(), credit, out);
        refresh(s, credit.getReferrerId(), Math.max(s.getLastSeenAt(), t), watermark, out);
        return s;
    }

    /**
     * An event-time timer of the user at {@code t}: cart events to apply, a reminder due or an
     * episode bought, or a review. Everything is settled up to {@code t}, not beyond: a later
     * moment has its own timer.
     */
    public void onTimer(UserState s, String userId, long t, Emissions out) {
        onTimer(s, userId, t, t, out);
    }

    /**
     * As {@link #onTimer(UserState, String, long, Emissions)}, with the watermark that fires the
     * timer: HIGH_INTENT applies its waiting signals up to the watermark, not only up to {@code
     * t}. Every signal before the watermark has arrived, and the rule applies them in event-time
     * order, so the outcome is the same as one timer per signal, without the timers (they were
     * three quarters of all timers fired).
     */
    public void onTimer(UserState s, String userId, long t, long watermark, Emissions out) {
        cart.advance(s, userId, t, out);
        if (s.getReviewAt() != null && s.getReviewAt() <= t) {
            s.setReviewAt(null);
        }
        highIntent.advance(s, userId, Math.max(t, watermark), out);
        refresh(s, userId, Math.max(s.getLastSeenAt(), t), t, out);
        // Not at the end of a bounded input (replay), whose final watermark fires every timer:
        // that is no silence, and the job is about to end anyway.
        if (t >= forgetAt(s) && watermark != Long.MAX_VALUE) {
            forget(s, userId, t, out);
        }
    }

    /**
     * The event-time timers the user's state needs ({@link #timers(UserState)}) or, when it needs
     * none, the one that forgets the user once they have been silent for {@code
     * limits.forgetAfterDays}. Every stored user has a timer, and a user who is still waiting
     * for something (a cart reminder, a review, a release) is not forgotten before it fired: it
     * settles, and the next time nothing waits the forgetting is planned.
     */
    public long[] timersWanted(UserState s) {
        long[] timers = timers(s);
        return s == null || timers.length > 0 ? timers : new long[] {forgetAt(s)};
    }

    /** When the user will have been silent for {@code limits.forgetAfterDays}. */
    private long forgetAt(UserState s) {
        return s.getLastSeenAt() + model.limits().forgetAfterMillis();
    }

    /**
     * Forgets a user silent for {@code limits.forgetAfterDays}: every tag they still hold is
     * removed, so that segments stop counting them, and {@link Emissions#forgotten} tells the
     * caller to clear the state and its timers. Whatever was due up to now has been settled (its
     * timers fired before this one, and {@link #onTimer} settled this moment first).
     */
    private void forget(UserState s, String userId, long t, Emissions out) {
        String reason = String.format(java.util.Locale.ROOT, "forgotten: no event for %d days",
                model.limits().forgetAfterDays());
        for (String tag : s.getTags()) {
            out.tagChanges.add(new TagChange(userId, tag, TagChangeType.REMOVED, Instant.ofEpochMilli(t), reason));
        }
        s.setTags(new ArrayList<>());
        out.forgotten = true;
    }

    /**
     * Re-scores a stored user under this model without an event, as a review would: tags, the
     * standing triggers (through the contact policy) and the profile at the later of the user's
     * last event and {@code watermark}. What a model update that asks for a re-tag does to every
     * user at once; a user whose score the new rules do not change gets no output.
     */
    public void review(UserState s, String userId, long watermark, Emissions out) {
        refresh(s, userId, Math.max(s.getLastSeenAt(), watermark), watermark, out);
    }

    /**
     * The user's profile as of {@code t} whether or not it changed (replay's snapshot), after
     * {@link #onTimer} settled everything up to {@code t}.
     */
    public void snapshot(UserState s, String userId, long t, Emissions out) {
        long now = Math.max(s.getLastSeenAt(), t);
        maybeProfile(s, userId, now, standing.evaluate(s.getOrders(), now),
                intent.top(s.getIntent(), now, model.tags().topInterests()), out, true);
    }

    /**
     * The event-time timers the user's state needs: the cart's, the next review, the next trigger
     * release and the first intent signal HIGH_INTENT waits for.
     */
    public static long[] timers(UserState s) {
        if (s == null) {
            return new long[0];
        }
        TimerKind[] kinds = TimerKind.values();
        long[] all = new long[kinds.length];
        int n = 0;
        for (TimerKind kind : kinds) {
            n = add(all, n, kind.at(s));
        }
        return n == all.length ? all : java.util.Arrays.copyOf(all, n);
    }

    /** What an event-time timer of the user's is for: one timer may serve several. */
    public enum TimerKind {
        /** The cart: pending cart events, a reminder due, or an episode's end. */
        CART {
            @Override
            public Long at(UserState s) {
                return s.getCartTimerAt();
            }
        },
        /** A tag or standing that changes with time alone. */
        REVIEW {
            @Override
            public Long at(UserState s) {
                return s.getReviewAt();
            }
        },
        /** A pending trigger's release. */
        RELEASE {
            @Override
            public Long at(UserState s) {
                return ContactPolicy.nextRelease(s);
            }
        },
        /** HIGH_INTENT's waiting signals. */
        INTENT {
            @Override
            public Long at(UserState s) {
                return s.getIntentTimerAt();
            }
        };

        /** The moment this kind of timer is wanted at in {@code s}, or null. */
        public abstract Long at(UserState s);
    }

    private static int add(long[] timers, int n, Long t) {
        if (t == null) {
            return n;
        }
        for (int i = 0; i < n; i++) {
            if (timers[i] == t) {
                return n;
            }
        }
        timers[n] = t;
        return n + 1;
    }

    /** A fresh state for a user first seen at {@code t}. */
    public static UserState fresh(long t) {
        // The constructor and setters, not the builder: the builder deep-copies the schema's
        // defaults per field, and a new user is every tenth event in a young shop. The no-argument
        // constructor leaves every field null, which is the default of each optional field, so a
        // field added to the schema later needs no change here.
        UserState s = new UserState();
        s.setFirstSeenAt(t);
        s.setLastSeenAt(t);
        s.setIntent(new IntentState(t, 0d, new HashMap<>(), new HashMap<>()));
        s.setTopics(new DecayedCounts(t, new HashMap<>()));
        s.setShares(new Decayed(t, 0d));
        s.setOrders(new OrderHistory(null, null, 0, 0d, 0, 0d, new ArrayList<>(), new ArrayList<>()));
        s.setCartPending(new ArrayList<>());
        s.setTags(new ArrayList<>());
        s.setPendingTriggers(new ArrayList<>());
        s.setSentAt(new ArrayList<>());
        s.setLastSent(new HashMap<>());
        s.setTriggerMarks(new HashMap<>());
        s.setIntentPending(new ArrayList<>());
        s.setTriggerNotes(new ArrayList<>());
        s.setPointBatches(new ArrayList<>());
        s.setBoughtCategories(new HashMap<>());
        s.setActionCounts(new ArrayList<>());
        return s;
    }

    private static UserState touch(UserState s, long t, String channel) {
        if (s == null) {
            s = fresh(t);
        }
        s.setFirstSeenAt(Math.min(s.getFirstSeenAt(), t));
        s.setLastSeenAt(Math.max(s.getLastSeenAt(), t));
        if (channel != null && (s.getFirstTouchAt() == null || t < s.getFirstTouchAt())) {
            s.setFirstTouchChannel(channel);
            s.setFirstTouchAt(t);
        }
        return s;
    }

    /**
     * Re-evaluates tags, the standing triggers and the profile at {@code now}, releases the
     * triggers due by {@code upTo} (the watermark, or the timer's moment) and plans the next review.
     */
    private void refresh(UserState s, String userId, long now, long upTo, Emissions out) {
        Orders.upgrade(s.getOrders());
        orders.prune(s.getOrders(), now);
        Standing st = standing.evaluate(s.getOrders(), now);
        List<CategoryScore> top = intent.top(s.getIntent(), now, model.tags().topInterests());
        SortedMap<String, Supplier<String>> tags = tagRules.evaluate(s, st, now, top);
        List<String> previous = s.getTags();
        boolean changed = false;
        for (String tag : previous) {
            if (!tags.containsKey(tag)) {
                out.tagChanges.add(new TagChange(userId, tag, TagChangeType.REMOVED, Instant.ofEpochMilli(now),
                        tagRules.removalReason(tag, s, tags, now)));
                changed = true;
            }
        }
        for (var tag : tags.entrySet()) {
            if (!previous.contains(tag.getKey())) {
                out.tagChanges.add(new TagChange(userId, tag.getKey(), TagChangeType.ADDED, Instant.ofEpochMilli(now),
                        tag.getValue().get()));
                changed = true;
            }
        }
        if (changed) {
            s.setTags(new ArrayList<>(tags.keySet()));
        }
        triggers.standing(s, userId, st, now, out);
        triggers.birthday(s, userId, now, out);
        settlePoints(s, userId, now, out);
        highIntent.advance(s, userId, upTo, out);
        policy.release(s, userId, upTo, out);
        long next = Math.min(standing.nextChange(s.getOrders(), now), tagRules.nextChange(s, tags));
        // Birthdays and points do not keep a silent user from being forgotten.
        long later = Math.min(triggers.nextBirthday(s, now),
                Math.min(triggers.nextPointsExpiring(s), points.nextExpiry(s)));
        if (later < forgetAt(s)) {
            next = Math.min(next, later);
        }
        // A score that rounding keeps a hair above its threshold must not ask for a timer in the past.
        s.setReviewAt(next == Long.MAX_VALUE ? null : Math.max(next, now + 1));
        s.setIntentTimerAt(highIntent.timer(s)); // last: it may share one of the timers set above
        maybeProfile(s, userId, now, st, top, out, !s.getTriggerNotes().isEmpty());
    }

    /** Whether intent moved by more than the model's share of the last value and by at least its minimum. */
    private boolean intentMoved(double last, double now) {
        double change = Math.abs(now - last);
        return change > model.profile().intentChangeRatio() * last && change >= model.profile().minIntentChange();
    }

    private void maybeProfile(UserState s, String userId, long now, Standing st, List<CategoryScore> top, Emissions out,
                              boolean always) {
        List<String> topNames = new ArrayList<>(top.size());
        top.forEach(c -> topNames.add(c.getCategory()));
        var rfm = st.rfm();
        // Names and numbers only: an enum's hashCode differs from JVM to JVM, and the digest is state.
        int digest = Objects.hash(st.lifecycle().name(), st.tier() == null ? null : st.tier().name(),
                rfm == null ? 0 : rfm.getR() * 100 + rfm.getF() * 10 + rfm.getM(),
                s.getOrders().getLifetimeOrders(), s.getTags(), topNames, s.getPoints());
        double total = intent.total(s.getIntent(), now);
        ProfileMark last = s.getLastProfile();
        if (!always && last != null && last.getDigest() == digest && !intentMoved(last.getIntent(), total)) {
            return;
        }
        s.setLastProfile(new ProfileMark(now, total, digest));
        OrderHistory h = s.getOrders();
        CustomerValue.Scores v = value.scores(h, now);
        out.profile = new Profile(userId, Instant.ofEpochMilli(now), st.lifecycle(),
                st.tier() == null ? null : st.tier().name(), rfm, total, top, new ArrayList<>(s.getTags()),
                h.getLifetimeOrders(), h.getLifetimeSpend(), Instant.ofEpochMilli(s.getFirstSeenAt()),
                Instant.ofEpochMilli(s.getLastSeenAt()),
                Orders.hasPurchases(h) ? Instant.ofEpochMilli(h.getLastOrderAt()) : null,
                v == null ? null : v.pAlive(), v == null ? null : v.churnRisk(),
                v == null ? null : v.expectedPurchases(), v == null ? null : v.expectedOrderValue(),
                v == null ? null : v.clv(),
                s.getFirstTouchChannel(), model.version(), new ArrayList<>(s.getTriggerNotes()), s.getPoints());
        s.getTriggerNotes().clear();
    }
}
