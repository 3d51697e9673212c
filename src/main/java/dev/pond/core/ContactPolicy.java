package dev.pond.core;

import dev.pond.events.OrderEvent;
import dev.pond.events.OrderItem;
import dev.pond.events.OrderStatus;
import dev.pond.model.Model;
import dev.pond.model.TriggerParams;
import dev.pond.out.Trigger;
import dev.pond.out.TriggerNote;
import dev.pond.out.TriggerOutcome;
import dev.pond.out.TriggerType;
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
 *       pointless (an order after the cart was filled, any order before a win-back): also
 *       when that order arrives out of order, see {@link #ordered};</li>
 *   <li>expired, if its moment (or the watermark, for one that came late) is past {@code expiresAt};</li>
 *   <li>deferred, if the moment falls in the user's quiet hours: to their end, where it is looked at
 *       again (or expired, if they outlast it);</li>
 *   <li>dropped for the type's cooldown, or for the daily or weekly cap: at most so many in any 24
 *       hours or 7 days, also when a late event makes one with a moment before others sent;</li>
 *   <li>else sent, at that moment.</li>
 * </ol>
 * A cart reminder that quiet hours hold is also suppressed by a later change to the cart
 * ({@link #cartChanged}): it would describe a cart that is no longer there.
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
        if (isPending(s, t.getTriggerId())) {
            return;
        }
        List<PendingTrigger> pending = s.getPendingTriggers();
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

    /**
     * A cart click at {@code t}, applied in event-time order: a cart reminder due by then that quiet
     * hours hold until after it no longer describes the cart (an add opens a new episode with a
     * reminder of its own; a removal changed or emptied it), and is suppressed.
     */
    public void cartChanged(UserState s, long t, String change, Emissions out) {
        List<PendingTrigger> pending = s.getPendingTriggers();
        ZoneId zone = null;
        for (int i = 0; i < pending.size(); i++) {
            PendingTrigger p = pending.get(i);
            if (p.getTrigger().getType() != TriggerType.CART_ABANDONED || p.getTrigger().getFiredAt().toEpochMilli() > t) {
                continue;
            }
            zone = zone == null ? quiet.zone(s.getTimeZone()) : zone;
            if (quiet.nextAllowed(p.getReleaseAt(), zone) > t) {
                pending.remove(i--);
                note(s, p.getTrigger(), TriggerOutcome.SUPPRESSED, t, change + " at " + Instant.ofEpochMilli(t)
                        + ", while quiet hours held the reminder, changed the cart it describes", out);
            }
        }
    }

    /** Whether the trigger {@code triggerId} is still waiting to be released. */
    public static boolean isPending(UserState s, String triggerId) {
        for (PendingTrigger p : s.getPendingTriggers()) {
            if (p.getTrigger().getTriggerId().equals(triggerId)) {
                return true;
            }
        }
        return false;
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
            String full = fullWindow(s.getSentAt(), at, DAY, contact.maxPerDay(), "24 hours");
            if (full != null) {
                note(s, t, TriggerOutcome.DAILY_CAP, at, full, out);
                continue;
            }
            full = fullWindow(s.getSentAt(), at, WEEK, contact.maxPerWeek(), "7 days");
            if (full != null) {
                note(s, t, TriggerOutcome.WEEKLY_CAP, at, full, out);
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

    /**
     * Why one more trigger at {@code at} would put more than {@code max} (0: no cap) in some window
     * of {@code span} containing it, or null if it fits. Such a window ends at {@code at} or later;
     * the fullest ends at {@code at} or at a send after it, which only a trigger made late (by an
     * event behind the watermark) can have.
     */
    private static String fullWindow(List<Long> sent, long at, long span, int max, String spanName) {
        if (max <= 0) {
            return null;
        }
        String why = null;
        for (int i = -1; i < sent.size() && why == null; i++) {
            long end = i < 0 ? at : sent.get(i);
            if (end < at || end >= at + span || (i >= 0 && end == at)) {
                continue;
            }
            int n = 0;
            for (long t : sent) {
                n += t > end - span && t <= end ? 1 : 0;
            }
            if (n >= max) {
                why = went(n) + (end == at ? " in the " + spanName + " before"
                        : " in the " + spanName + " up to " + Instant.ofEpochMilli(end)) + " (at most " + max + ")";
            }
        }
        return why;
    }

    /** Notes a trigger not sent, for the user's next profile, and counts it. */
    void note(UserState s, Trigger t, TriggerOutcome outcome, long at, String reason, Emissions out) {
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
