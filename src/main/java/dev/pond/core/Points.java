package dev.pond.core;

import dev.pond.events.OrderEvent;
import dev.pond.model.Model;
import dev.pond.state.ActionCount;
import dev.pond.state.OrderRef;
import dev.pond.state.PointBatch;
import dev.pond.state.UserState;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;

/**
 * The membership points balance and the monthly batches it is made of.
 *
 * <p>Orders: a payment earns points for the order's total ({@code birthdayMultiplier} times as
 * many in the member's birthday month) and spends what it redeems; a refund (or a cancellation
 * after payment) gives back what the payment spent and takes back what it earned. Each order moves
 * the balance once, through the same {@link Orders} bookkeeping that counts it once; the order
 * remembers what it moved, so a refund undoes exactly that even after the model changed. The
 * balance never goes below zero: a redemption Pond cannot cover (points from before Pond saw the
 * customer) spends what there is.
 *
 * <p>Actions (check-in, reading an article, sharing) earn their points up to a daily cap each, per
 * day in the member's time zone. Points earned in a month expire together, {@code expiryMonths}
 * after it, at the start of the next month in the member's zone; spending takes the oldest first.
 * With {@code expiryMonths} 0 they never expire (the batches are kept all the same, so that
 * turning expiry on later knows how old each point is).
 *
 * <p>A month's expiry moment is asked for at every event of a member with points: each is kept
 * once found ({@link Memo}; not thread-safe, one per scorer).
 */
public final class Points {

    /** Most batches a state keeps: more months than {@code expiryMonths} allows (at most 24), plus one. */
    static final int MAX_BATCHES = 26;

    private final Model.Points params;
    private final Birthdays birthdays;
    /** Whether tiers count the points earned per month (the month buckets' points); kept only then. */
    private final boolean tierPoints;
    private final Memo<ExpiryKey> expiries = new Memo<>(this::expiresAt);

    private record ExpiryKey(int month, ZoneId zone) { }

    public Points(Model model) {
        this.params = model.points();
        this.birthdays = new Birthdays(model);
        this.tierPoints = model.tiersByPoints();
    }

    /** Points a paid order of {@code total} earns outside the birthday month: whole points, rounded down. */
    public long earned(double total) {
        return earned(total, 1);
    }

    private long earned(double total, double multiplier) {
        return (long) Math.floor(total * params.perCurrencyUnit() * multiplier + 1e-9);
    }

    /** Moves the balance for what {@link Orders#apply} did with {@code e}. */
    public void apply(UserState s, OrderEvent e, Orders.Effect effect) {
        if (effect == Orders.Effect.NONE) {
            return;
        }
        OrderRef ref = Orders.find(s.getOrders(), e.getOrderId());
        if (ref == null) {
            return; // an order the recent orders no longer hold: nothing known to undo
        }
        List<PointBatch> batches = batches(s);
        if (effect == Orders.Effect.PURCHASED) {
            long t = e.getTs().toEpochMilli();
            boolean birthdayMonth = birthdays.inBirthdayMonth(s, t);
            long earned = earned(ref.getTotal(), birthdayMonth ? params.birthdayMultiplier() : 1);
            add(batches, month(s, t), earned);
            tierPoints(s, t, earned);
            long spent = spend(batches, Math.max(0, e.getPointsRedeemed()));
            ref.setPointsEarned(earned);
            ref.setPointsRedeemed(spent);
        } else {
            // What it spent comes back as earned in the month it was paid in, so a refund does not
            // make points younger than they were; then what it earned is taken back.
            int paidMonth = month(s, ref.getPaidAt() == null ? e.getTs().toEpochMilli() : ref.getPaidAt());
            add(batches, paidMonth, ref.getPointsRedeemed());
            takeBack(batches, paidMonth, ref.getPointsEarned());
            tierPoints(s, ref.getPaidAt() == null ? e.getTs().toEpochMilli() : ref.getPaidAt(), -ref.getPointsEarned());
            ref.setPointsEarned(0L);
            ref.setPointsRedeemed(0L);
        }
        s.setPoints(sum(batches));
    }

    /**
     * An action at {@code t}, {@code times} over (an article read with several shares): earns its
     * points for each time the day's cap still allows. Returns the points earned.
     */
    public long action(UserState s, Model.PointAction action, long t, int times) {
        Model.Action p = params.actions().of(action);
        if (p.points() == 0 || times <= 0) {
            return 0;
        }
        int day = (int) Instant.ofEpochMilli(t).atZone(birthdays.zone(s)).toLocalDate().toEpochDay();
        List<ActionCount> counts = s.getActionCounts();
        int latest = Integer.MIN_VALUE;
        ActionCount today = null;
        for (ActionCount c : counts) {
            if (c.getAction().equals(action.key())) {
                latest = Math.max(latest, c.getDay());
                if (c.getDay() == day) {
                    today = c;
                }
            }
        }
        if (latest != Integer.MIN_VALUE && day < latest - 1) {
            return 0; // more than a day late: its day's count is gone, and a late batch must not farm points
        }
        if (today == null) {
            today = new ActionCount(action.key(), day, 0);
            counts.add(today);
            int keepFrom = Math.max(latest, day) - 1;
            for (int i = counts.size() - 1; i >= 0; i--) { // by index: a stored list is an Avro array
                if (counts.get(i).getAction().equals(action.key()) && counts.get(i).getDay() < keepFrom) {
                    counts.remove(i);
                }
            }
        }
        int awards = Math.min(times, p.dailyCap() - today.getCount());
        if (awards <= 0) {
            return 0;
        }
        today.setCount(today.getCount() + awards);
        long earned = awards * p.points();
        List<PointBatch> batches = batches(s);
        add(batches, month(s, t), earned);
        tierPoints(s, t, earned);
        s.setPoints(sum(batches));
        return earned;
    }

    private void tierPoints(UserState s, long t, long points) {
        if (tierPoints) {
            Orders.earnedPoints(s.getOrders(), t, points);
        }
    }

    /** Drops the batches that expired by {@code now}. */
    public void expire(UserState s, long now) {
        if (params.expiryMonths() == 0 || s.getPoints() == 0) {
            return;
        }
        List<PointBatch> batches = batches(s);
        ZoneId zone = birthdays.zone(s);
        boolean changed = false;
        while (!batches.isEmpty() && expiresAt(batches.get(0).getMonth(), zone) <= now) {
            batches.remove(0);
            changed = true;
        }
        if (changed) {
            s.setPoints(sum(batches));
        }
    }

    /** The oldest batch with points left, or null (and null when points never expire). */
    public PointBatch oldest(UserState s) {
        if (params.expiryMonths() == 0 || s.getPoints() == 0) {
            return null;
        }
        List<PointBatch> batches = batches(s);
        return batches.isEmpty() ? null : batches.get(0);
    }

    /** The first batch, oldest first, that expires after {@code after}, or null. */
    public PointBatch firstExpiringAfter(UserState s, long after) {
        if (params.expiryMonths() == 0 || s.getPoints() == 0) {
            return null;
        }
        ZoneId zone = birthdays.zone(s);
        for (PointBatch b : batches(s)) {
            if (expiresAt(b.getMonth(), zone) > after) {
                return b;
            }
        }
        return null;
    }

    /** When the points of {@code batch} expire: the start of the month expiryMonths after the next, in the user's zone. */
    public long expiresAt(UserState s, PointBatch batch) {
        return expiresAt(batch.getMonth(), birthdays.zone(s));
    }

    private long expiresAt(int month, ZoneId zone) {
        return expiries.get(new ExpiryKey(month, zone));
    }

    private long expiresAt(ExpiryKey k) {
        int m = k.month() + params.expiryMonths() + 1;
        return LocalDate.of(1970 + Math.floorDiv(m, 12), Math.floorMod(m, 12) + 1, 1).atStartOfDay(k.zone())
                .toInstant().toEpochMilli();
    }

    /**
     * The balance as it stands at {@code at}, whether or not the batches that expired between
     * {@code at} and now were dropped yet: what a trigger due at {@code at} says, the same
     * whichever event or timer notices it.
     */
    public long pointsAt(UserState s, long at) {
        if (params.expiryMonths() == 0) {
            return s.getPoints();
        }
        ZoneId zone = birthdays.zone(s);
        long sum = 0;
        for (PointBatch b : batches(s)) {
            sum += expiresAt(b.getMonth(), zone) > at ? b.getPoints() : 0;
        }
        return sum;
    }

    /** The next moment a batch expires, or Long.MAX_VALUE. */
    public long nextExpiry(UserState s) {
        PointBatch b = oldest(s);
        return b == null ? Long.MAX_VALUE : expiresAt(s, b);
    }

    /**
     * The batches, oldest first. A state from before batches holds its balance as one batch of
     * the month of the user's latest event.
     */
    private List<PointBatch> batches(UserState s) {
        List<PointBatch> batches = s.getPointBatches();
        if (batches.isEmpty() && s.getPoints() > 0) {
            batches.add(new PointBatch(month(s, s.getLastSeenAt()), s.getPoints()));
        }
        return batches;
    }

    /** The month of {@code t} in the user's zone, as months since 1970-01. */
    private int month(UserState s, long t) {
        ZonedDateTime local = Instant.ofEpochMilli(t).atZone(birthdays.zone(s));
        return (local.getYear() - 1970) * 12 + local.getMonthValue() - 1;
    }

    /**
     * Adds to the batch of {@code month}. Past {@link #MAX_BATCHES} (points that never expire, or
     * late events of old months) the two oldest merge into the older month's, which can only make
     * points expire sooner, never later.
     */
    private static void add(List<PointBatch> batches, int month, long points) {
        if (points <= 0) {
            return;
        }
        if (batches.size() >= MAX_BATCHES) {
            PointBatch second = batches.remove(1);
            batches.get(0).setPoints(batches.get(0).getPoints() + second.getPoints());
        }
        int i = batches.size();
        while (i > 0 && batches.get(i - 1).getMonth() > month) {
            i--;
        }
        if (i > 0 && batches.get(i - 1).getMonth() == month) {
            PointBatch b = batches.get(i - 1);
            b.setPoints(b.getPoints() + points);
        } else {
            batches.add(i, new PointBatch(month, points));
        }
    }

    /** Spends up to {@code points}, oldest first; returns what was spent. */
    private static long spend(List<PointBatch> batches, long points) {
        long left = points;
        while (left > 0 && !batches.isEmpty()) {
            PointBatch b = batches.get(0);
            long take = Math.min(left, b.getPoints());
            left -= take;
            if (take == b.getPoints()) {
                batches.remove(0);
            } else {
                b.setPoints(b.getPoints() - take);
            }
        }
        return points - left;
    }

    /** Takes back up to {@code points}: from the batch of {@code month} first, then the oldest. */
    private static void takeBack(List<PointBatch> batches, int month, long points) {
        long left = points;
        for (int i = 0; i < batches.size() && left > 0; i++) {
            PointBatch b = batches.get(i);
            if (b.getMonth() == month) {
                long take = Math.min(left, b.getPoints());
                left -= take;
                b.setPoints(b.getPoints() - take);
                if (b.getPoints() == 0) {
                    batches.remove(i);
                }
                break;
            }
        }
        spend(batches, left);
    }

    private static long sum(List<PointBatch> batches) {
        long sum = 0;
        for (PointBatch b : batches) {
            sum += b.getPoints();
        }
        return sum;
    }
}
