package dev.pond.core;

import dev.pond.events.OrderEvent;
import dev.pond.events.OrderItem;
import dev.pond.events.OrderStatus;
import dev.pond.model.Model;
import dev.pond.model.TriggerParams;
import dev.pond.out.Trigger;
import dev.pond.out.TriggerNote;
import dev.pond.out.TriggerOutcome;
import dev.pond.state.OrderRef;
import dev.pond.state.PendingTrigger;
import dev.pond.state.SuppressBy;
import dev.pond.state.UserState;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The contact policy between the trigger rules and {@code pond.triggers}, in event time. A rule
 * hands its trigger to {@link #schedule}; it waits in {@link UserState#getPendingTriggers()} until
 * the watermark reaches its moment, and {@link #release} then decides, in this order:
 * <ol>
 *   <li>suppressed, if an event at or after {@code suppressFrom} and before the release made it
 *       pointless (an order after the cart reminder was due, any order before a win-back): also
 *       when that order arrives out of order, see {@link #ordered};</li>
 *   <li>expired, if its moment (or the watermark, for one that came late) is past {@code expiresAt};</li>
 *   <li>deferred, if the moment falls in the user's quiet hours: to their end, where it is looked at
 *       again (or expired, if they outlast it);</li>
 *   <li>dropped for the type's cooldown, or for the daily or weekly cap;</li>
 *   <li>else sent, at that moment.</li>
 * </ol>
 * Triggers due at the same moment (deferred to the same end of quiet hours, or made by the same
 * order) are looked at highest priority first, so when the cap leaves room for fewer, the most
 * important go. Whatever is not sent is counted and noted for the user's next profile.
 */
public final class ContactPolicy {

    private static final long DAY = Times.DAY;
    private static final long WEEK = Times.WEEK;
    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT);

    /** Release order: moment, then priority (highest first), then the rule's moment, then id. */
    static final Comparator<PendingTrigger> ORDER = Comparator.comparingLong(PendingTrigger::getReleaseAt)
            .thenComparing(p -> -p.getTrigger().getPriority())
            .thenComparing(p -> p.getTrigger().getFiredAt())
            .thenComparing(p -> p.getTrigger().getTriggerId());

    private final TriggerParams.Catalogue catalogue;
    private final TriggerParams.Contact contact;
    private final QuietHours quiet;
    private final Model.Limits limits;

    public ContactPolicy(Model model) {
        this.catalogue = model.triggers();
        this.contact = model.contact();
        this.quiet = new QuietHours(model.contact());
        this.limits = model.limits();
    }

    /**
     * Takes a rule's trigger (its {@code firedAt} the rule's moment) to be released at
     * {@code releaseAt}, unless an event of kind {@code by} from {@code suppressFrom} on comes first.
     * A trigger already pending under the same id is not taken twice.
     */
    public void schedule(UserState s, Trigger t, long releaseAt, SuppressBy by, long suppressFrom, String category,
                         Emissions out) {
        List<PendingTrigger> pending = s.getPendingTriggers();
        for (PendingTrigger p : pending) {
            if (p.getTrigger().getTriggerId().equals(t.getTriggerId())) {
                return;
            }
        }
        insert(pending, new PendingTrigger(t, releaseAt, by, suppressFrom, category));
        if (pending.size() > limits.maxPendingTriggers()) {
            PendingTrigger last = pending.remove(pending.size() - 1);
            note(s, last.getTrigger(), TriggerOutcome.OVERFLOW, releaseAt,
                    "more than " + limits.maxPendingTriggers() + " triggers were waiting; this one was due last", out);
        }
    }

    /**
     * An order event: suppresses the pending triggers it makes pointless, whatever order events
     * arrive in — what counts is that it happened (event time) before the trigger's release.
     */
    public void ordered(UserState s, OrderEvent e, Emissions out) {
        long paidOrChanged = e.getTs().toEpochMilli();
        // A checkout counts from the order's first PLACED or PAID, as for the cart rule: a late
        // PAID of an order placed before the cart was filled did not buy the cart.
        long checkout = paidOrChanged;
        for (OrderRef r : s.getOrders().getRecent()) {
            if (r.getOrderId().equals(e.getOrderId()) && r.getCheckoutAt() != null) {
                checkout = r.getCheckoutAt();
            }
        }
        List<PendingTrigger> pending = s.getPendingTriggers();
        for (int i = 0; i < pending.size(); i++) {
            PendingTrigger p = pending.get(i);
            long t = p.getSuppressBy() == SuppressBy.CHECKOUT ? checkout : paidOrChanged;
            if (t >= p.getSuppressFrom() && t < p.getReleaseAt() && suppresses(e, p)) {
                pending.remove(i--);
                note(s, p.getTrigger(), TriggerOutcome.SUPPRESSED, t, suppressedReason(p, t), out);
            }
        }
    }

    private static boolean suppresses(OrderEvent e, PendingTrigger p) {
        OrderStatus status = e.getStatus();
        return switch (p.getSuppressBy()) {
            case NOTHING -> false;
            case CHECKOUT -> status == OrderStatus.PLACED || status == OrderStatus.PAID;
            case PURCHASE -> status == OrderStatus.PAID;
            case CATEGORY_PURCHASE -> status == OrderStatus.PAID && hasCategory(e.getItems(), p.getCategory());
        };
    }

    private static boolean hasCategory(List<OrderItem> items, String category) {
        for (OrderItem item : items) {
            if (category.equals(item.getCategory())) {
                return true;
            }
        }
        return false;
    }

    /**
     * Releases every pending trigger whose moment is at or before {@code upTo} (the watermark, or
     * the timer that fires): sends it, defers it, or notes why not.
     */
    public void release(UserState s, String userId, long upTo, Emissions out) {
        List<PendingTrigger> pending = s.getPendingTriggers();
        while (!pending.isEmpty() && pending.get(0).getReleaseAt() <= upTo) {
            PendingTrigger p = pending.remove(0);
            long at = p.getReleaseAt();
            Trigger t = p.getTrigger();
            long expires = t.getExpiresAt().toEpochMilli();
            TriggerParams.Delivery d = catalogue.of(t.getType());
            Long by = suppressedBefore(s, p, at);
            if (by != null) {
                note(s, t, TriggerOutcome.SUPPRESSED, at, suppressedReason(p, by), out);
                continue;
            }
            if (Math.max(at, upTo) > expires) {
                note(s, t, TriggerOutcome.EXPIRED, Math.max(at, upTo),
                        "expired at " + Instant.ofEpochMilli(expires) + " before it could go out", out);
                continue;
            }
            ZoneId zone = quiet.zone(s.getTimeZone());
            long allowed = quiet.nextAllowed(at, zone);
            if (allowed > at) {
                if (allowed > expires) {
                    note(s, t, TriggerOutcome.EXPIRED, at, "quiet hours in " + zone + " last until "
                            + LOCAL.format(Instant.ofEpochMilli(allowed).atZone(zone)) + ", after it expires", out);
                } else {
                    p.setReleaseAt(allowed);
                    insert(pending, p);
                    out.deferred++;
                }
                continue;
            }
            Long last = s.getLastSent().get(t.getType().name());
            // 0 is no cooldown, also for a trigger whose moment is before the last one sent (a late event).
            if (last != null && d.cooldownMillis() > 0 && at - last < d.cooldownMillis()) {
                note(s, t, TriggerOutcome.COOLDOWN, at, "a " + t.getType() + " went out at " + Instant.ofEpochMilli(last)
                        + ", within the cooldown of " + TagRules.number(d.cooldownHours()) + " h", out);
                continue;
            }
            int today = sentSince(s, at - DAY, at);
            if (contact.maxPerDay() > 0 && today >= contact.maxPerDay()) {
                note(s, t, TriggerOutcome.DAILY_CAP, at, went(today) + " in the 24 hours before (at most "
                        + contact.maxPerDay() + ")", out);
                continue;
            }
            int week = sentSince(s, at - WEEK, at);
            if (contact.maxPerWeek() > 0 && week >= contact.maxPerWeek()) {
                note(s, t, TriggerOutcome.WEEKLY_CAP, at, went(week) + " in the 7 days before (at most "
                        + contact.maxPerWeek() + ")", out);
                continue;
            }
            send(s, t, at, out);
        }
    }

    /** The earliest pending release, or null: the timer the policy needs. */
    public static Long nextRelease(UserState s) {
        List<PendingTrigger> pending = s.getPendingTriggers();
        return pending.isEmpty() ? null : pending.get(0).getReleaseAt();
    }

    private void send(UserState s, Trigger t, long at, Emissions out) {
        long ruleAt = t.getFiredAt().toEpochMilli();
        t.setDeferredFrom(at == ruleAt ? null : t.getFiredAt());
        t.setFiredAt(Instant.ofEpochMilli(at));
        List<Long> sent = s.getSentAt();
        int i = sent.size();
        while (i > 0 && sent.get(i - 1) > at) {
            i--;
        }
        sent.add(i, at);
        long latest = sent.get(sent.size() - 1);
        while (sent.get(0) <= latest - WEEK) {
            sent.remove(0);
        }
        s.getLastSent().merge(t.getType().name(), at, Math::max);
        out.triggers.add(t);
    }

    /**
     * When an order already recorded happened in the trigger's suppression window (the earliest
     * such), or null if none did.
     */
    private static Long suppressedBefore(UserState s, PendingTrigger p, long at) {
        long from = p.getSuppressFrom();
        switch (p.getSuppressBy()) {
            case CHECKOUT, PURCHASE -> {
                Long first = null;
                for (OrderRef r : s.getOrders().getRecent()) {
                    Long when = p.getSuppressBy() == SuppressBy.CHECKOUT ? r.getCheckoutAt() : r.getPaidAt();
                    if (when != null && when >= from && when < at && (first == null || when < first)) {
                        first = when;
                    }
                }
                return first;
            }
            case CATEGORY_PURCHASE -> {
                Long bought = s.getIntent().getSpent().get(p.getCategory());
                return bought != null && bought >= from && bought < at ? bought : null;
            }
            default -> {
                return null;
            }
        }
    }

    private static String suppressedReason(PendingTrigger p, long orderAt) {
        String what = switch (p.getSuppressBy()) {
            case CHECKOUT -> "an order";
            case PURCHASE -> "a paid order";
            case CATEGORY_PURCHASE -> "a paid order with " + p.getCategory();
            case NOTHING -> "an event";
        };
        return what + " at " + Instant.ofEpochMilli(orderAt) + " made it pointless";
    }

    private static String went(int n) {
        return n == 1 ? "1 trigger went out" : n + " triggers went out";
    }

    private static int sentSince(UserState s, long after, long upTo) {
        int n = 0;
        for (long t : s.getSentAt()) {
            if (t > after && t <= upTo) {
                n++;
            }
        }
        return n;
    }

    private void note(UserState s, Trigger t, TriggerOutcome outcome, long at, String reason, Emissions out) {
        List<TriggerNote> notes = s.getTriggerNotes();
        notes.add(new TriggerNote(t.getTriggerId(), t.getType(), Instant.ofEpochMilli(at), outcome, reason));
        while (notes.size() > limits.maxTriggerNotes()) {
            notes.remove(0);
        }
        out.notSent[outcome.ordinal()]++;
    }

    private static void insert(List<PendingTrigger> pending, PendingTrigger p) {
        int i = pending.size();
        while (i > 0 && ORDER.compare(pending.get(i - 1), p) > 0) {
            i--;
        }
        pending.add(i, p);
    }
}
