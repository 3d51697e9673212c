package dev.pond.core;

import dev.pond.events.OrderEvent;
import dev.pond.events.OrderItem;
import dev.pond.events.OrderStatus;
import dev.pond.model.Model;
import dev.pond.state.MonthBucket;
import dev.pond.state.OrderHistory;
import dev.pond.state.OrderRef;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Keeps the order history that RFM, lifecycle and tier read: each order counts once, when paid;
 * a refund (or a cancellation after payment) undoes it; monthly buckets leave the rolling window.
 */
public final class Orders {

    /** What an order event did to the history. */
    public enum Effect {
        /** A new purchase was counted. */
        PURCHASED,
        /** An earlier purchase was undone. */
        UNDONE,
        /** Nothing that RFM reads changed (a placement, a duplicate, an unknown refund). */
        NONE
    }

    private final int windowMonths;
    private final int maxRecent;

    public Orders(Model model) {
        this.windowMonths = model.rfm().windowMonths();
        this.maxRecent = model.limits().maxRecentOrders();
    }

    /**
     * Counts the categories of {@code e}'s items once each in {@code bought}, by {@code delta} (1 for
     * a purchase, -1 for its refund); a count that reaches 0 goes, and beyond {@code max}
     * categories the least bought (the last by name among equals) goes.
     */
    public static void bought(Map<String, Integer> bought, OrderEvent e, int delta, int max) {
        List<String> seen = new ArrayList<>();
        for (OrderItem item : e.getItems()) {
            String c = item.getCategory();
            if (c == null || seen.contains(c)) {
                continue;
            }
            seen.add(c);
            int n = bought.getOrDefault(c, 0) + delta;
            if (n <= 0) {
                bought.remove(c);
            } else {
                bought.put(c, n);
            }
        }
        while (bought.size() > max) {
            String least = null;
            for (Map.Entry<String, Integer> en : bought.entrySet()) {
                if (least == null || en.getValue() < bought.get(least)
                        || (en.getValue().equals(bought.get(least)) && en.getKey().compareTo(least) > 0)) {
                    least = en.getKey();
                }
            }
            bought.remove(least);
        }
    }

    /** The {@code n} most bought categories, most first (by name among equals). */
    public static List<String> topCategories(Map<String, Integer> bought, int n) {
        List<Map.Entry<String, Integer>> entries = new ArrayList<>(bought.entrySet());
        entries.sort(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()));
        List<String> top = new ArrayList<>(Math.min(n, entries.size()));
        for (int i = 0; i < n && i < entries.size(); i++) {
            top.add(entries.get(i).getKey());
        }
        return top;
    }

    /** Applies one status change of an order. */
    public Effect apply(OrderHistory h, OrderEvent e) {
        upgrade(h);
        long t = e.getTs().toEpochMilli();
        OrderRef ref = find(h.getRecent(), e.getOrderId());
        if (ref == null) {
            ref = remember(h, new OrderRef(e.getOrderId(), null, null, e.getTotal(), false, 0L, 0L));
        }
        if (e.getStatus() == OrderStatus.PLACED || e.getStatus() == OrderStatus.PAID) {
            ref.setCheckoutAt(ref.getCheckoutAt() == null ? t : Math.min(ref.getCheckoutAt(), t));
        }
        switch (e.getStatus()) {
            case PLACED -> {
                return Effect.NONE;
            }
            case PAID -> {
                if (ref.getPaidAt() != null || ref.getClosed()) {
                    return Effect.NONE;
                }
                boolean newDay = !paidOnDay(h, Times.day(t), ref);
                ref.setPaidAt(t);
                ref.setTotal(e.getTotal());
                countDay(h, t, newDay, e.getTotal());
                count(h, t, 1, e.getTotal());
                h.setFirstOrderAt(h.getFirstOrderAt() == null ? t : Math.min(h.getFirstOrderAt(), t));
                h.setLastOrderAt(h.getLastOrderAt() == null ? t : Math.max(h.getLastOrderAt(), t));
                return Effect.PURCHASED;
            }
            default -> { // CANCELLED, REFUNDED
                if (ref.getClosed()) {
                    return Effect.NONE;
                }
                ref.setClosed(true);
                if (ref.getPaidAt() == null) {
                    return Effect.NONE;
                }
                long paidAt = ref.getPaidAt();
                boolean firstDay = h.getFirstOrderAt() != null && Times.day(paidAt) == Times.day(h.getFirstOrderAt());
                count(h, paidAt, -1, -ref.getTotal());
                if (firstDay) {
                    h.setFirstDaySpend(Math.max(0, h.getFirstDaySpend() - ref.getTotal()));
                }
                if (!paidOnDay(h, Times.day(paidAt), ref)) {
                    h.setPurchaseDays(Math.max(0, h.getPurchaseDays() - 1));
                }
                if (h.getLifetimeOrders() == 0) {
                    // Nothing bought counts any more: the next purchase is a first purchase again.
                    h.setFirstOrderAt(null);
                    h.setLastOrderAt(null);
                    h.setPurchaseDays(0);
                    h.setFirstDaySpend(0d);
                } else {
                    // The purchases that still count, as far as the recent orders remember them.
                    if (h.getLastOrderAt() != null && h.getLastOrderAt() == paidAt) {
                        Long previous = paid(h.getRecent(), true);
                        if (previous != null) {
                            h.setLastOrderAt(previous);
                        }
                    }
                    if (h.getFirstOrderAt() != null && h.getFirstOrderAt() == paidAt) {
                        Long next = paid(h.getRecent(), false);
                        if (next != null) {
                            h.setFirstOrderAt(next);
                            if (Times.day(next) != Times.day(paidAt)) {
                                // A later day is the first now: its spend is no longer repeat spend.
                                h.setFirstDaySpend(spendOnDay(h, Times.day(next)));
                            }
                        }
                    }
                    // At least one purchase day remains, and never more days than orders.
                    h.setPurchaseDays(Math.max(1, Math.min(h.getPurchaseDays(), h.getLifetimeOrders())));
                    h.setFirstDaySpend(Math.min(h.getFirstDaySpend(), h.getLifetimeSpend()));
                }
                return Effect.UNDONE;
            }
        }
    }

    /**
     * Fills in the purchase days and the first day's spend of a history written before they were
     * counted (restored from an older savepoint), from what it remembers: the first and last
     * purchase and the recent orders. Without this a loyal customer would be scored as a one-time
     * buyer. Older repeat days that the recent orders no longer hold are not found, so the count
     * can be low; it is never more than the orders.
     */
    public static void upgrade(OrderHistory h) {
        if (h.getPurchaseDays() > 0 || !hasPurchases(h) || h.getFirstOrderAt() == null) {
            return;
        }
        java.util.Set<Long> days = new java.util.HashSet<>();
        days.add(Times.day(h.getFirstOrderAt()));
        days.add(Times.day(h.getLastOrderAt()));
        for (OrderRef r : h.getRecent()) {
            if (r.getPaidAt() != null && !r.getClosed()) {
                days.add(Times.day(r.getPaidAt()));
            }
        }
        h.setPurchaseDays(Math.min(days.size(), h.getLifetimeOrders()));
        double first = spendOnDay(h, Times.day(h.getFirstOrderAt()));
        h.setFirstDaySpend(first > 0 ? first : h.getLifetimeSpend() / h.getLifetimeOrders());
    }

    /** The spend of the remembered purchases that still count on {@code day}. */
    private static double spendOnDay(OrderHistory h, long day) {
        double sum = 0;
        for (OrderRef r : h.getRecent()) {
            if (r.getPaidAt() != null && !r.getClosed() && Times.day(r.getPaidAt()) == day) {
                sum += r.getTotal();
            }
        }
        return sum;
    }

    /**
     * Counts a payment at {@code t} in the per-day figures the churn and spend models read: a new
     * purchase day unless one is known already, and the first day's spend. Called before
     * {@code firstOrderAt} moves.
     */
    private static void countDay(OrderHistory h, long t, boolean newDay, double total) {
        Long first = h.getFirstOrderAt();
        if (first == null || h.getLifetimeOrders() == 0) {
            h.setPurchaseDays(1);
            h.setFirstDaySpend(total);
            return;
        }
        if (newDay) {
            h.setPurchaseDays(h.getPurchaseDays() + 1);
        }
        long day = Times.day(t);
        if (day == Times.day(first)) {
            h.setFirstDaySpend(h.getFirstDaySpend() + total);
        } else if (day < Times.day(first)) {
            // An earlier first purchase arrived late: the old first day's spend becomes repeat spend.
            h.setFirstDaySpend(total);
        }
    }

    /**
     * Whether a purchase that still counts, other than {@code except}, is known on {@code day}: the
     * first or last purchase, or a remembered recent order.
     */
    private static boolean paidOnDay(OrderHistory h, long day, OrderRef except) {
        if (h.getLifetimeOrders() == 0) {
            return false;
        }
        for (OrderRef r : h.getRecent()) {
            if (r != except && r.getPaidAt() != null && !r.getClosed() && Times.day(r.getPaidAt()) == day) {
                return true;
            }
        }
        // The first or last purchase may be the excepted order itself; then it says nothing about others.
        Long own = except.getPaidAt();
        Long first = h.getFirstOrderAt();
        Long last = h.getLastOrderAt();
        return (first != null && Times.day(first) == day && !first.equals(own))
                || (last != null && Times.day(last) == day && !last.equals(own));
    }

    /** Whether the user has a purchase that still counts. */
    public static boolean hasPurchases(OrderHistory h) {
        return h.getLifetimeOrders() > 0 && h.getLastOrderAt() != null;
    }

    /** Drops monthly buckets that have left the window at {@code now}. */
    public void prune(OrderHistory h, long now) {
        int first = firstMonthInWindow(now);
        List<MonthBucket> months = h.getMonths();
        while (!months.isEmpty() && months.get(0).getMonth() < first) {
            months.remove(0);
        }
    }

    /** Paid orders in the window at {@code now}. */
    public int windowOrders(OrderHistory h, long now) {
        int first = firstMonthInWindow(now);
        int n = 0;
        for (MonthBucket b : h.getMonths()) {
            n += b.getMonth() >= first ? b.getOrders() : 0;
        }
        return Math.max(0, n);
    }

    /** Spend in the window at {@code now}. */
    public double windowSpend(OrderHistory h, long now) {
        int first = firstMonthInWindow(now);
        double sum = 0;
        for (MonthBucket b : h.getMonths()) {
            sum += b.getMonth() >= first ? b.getSpend() : 0;
        }
        return Math.max(0, sum);
    }

    /** Points earned in the window at {@code now}. */
    public long windowPoints(OrderHistory h, long now) {
        int first = firstMonthInWindow(now);
        long sum = 0;
        for (MonthBucket b : h.getMonths()) {
            sum += b.getMonth() >= first ? b.getPoints() : 0;
        }
        return Math.max(0, sum);
    }

    /** Adds {@code points} (negative: taken back) to the month of {@code t}, for tiers by points. */
    public static void earnedPoints(OrderHistory h, long t, long points) {
        if (points == 0) {
            return;
        }
        MonthBucket b = bucket(h, t, points > 0);
        if (b != null) {
            b.setPoints(Math.max(0, b.getPoints() + points));
        }
    }

    /**
     * The bucket of {@code t}'s month, added in its place (empty) if there is none and {@code add};
     * else null.
     */
    private static MonthBucket bucket(OrderHistory h, long t, boolean add) {
        int month = Times.monthIndex(t);
        List<MonthBucket> months = h.getMonths();
        int i = 0;
        while (i < months.size() && months.get(i).getMonth() < month) {
            i++;
        }
        if (i < months.size() && months.get(i).getMonth() == month) {
            return months.get(i);
        }
        if (!add) {
            return null;
        }
        MonthBucket b = new MonthBucket(month, 0, 0d, 0L);
        months.add(i, b);
        return b;
    }

    /** When the oldest bucket leaves the window; {@link Long#MAX_VALUE} without buckets. */
    public long nextExpiry(OrderHistory h) {
        return h.getMonths().isEmpty()
                ? Long.MAX_VALUE
                : Times.monthStart(h.getMonths().get(0).getMonth() + windowMonths);
    }

    private int firstMonthInWindow(long now) {
        return Times.monthIndex(now) - windowMonths + 1;
    }

    private static void count(OrderHistory h, long t, int orders, double spend) {
        h.setLifetimeOrders(Math.max(0, h.getLifetimeOrders() + orders));
        h.setLifetimeSpend(Math.max(0, h.getLifetimeSpend() + spend));
        MonthBucket b = bucket(h, t, orders > 0);
        if (b != null) {
            b.setOrders(b.getOrders() + orders);
            b.setSpend(b.getSpend() + spend);
        }
    }

    private OrderRef remember(OrderHistory h, OrderRef ref) {
        List<OrderRef> recent = h.getRecent();
        recent.add(ref);
        while (recent.size() > maxRecent) {
            recent.remove(0);
        }
        return ref;
    }

    /** The recent order {@code orderId}, or null if the history does not (or no longer) hold it. */
    public static OrderRef find(OrderHistory h, String orderId) {
        return find(h.getRecent(), orderId);
    }

    private static OrderRef find(List<OrderRef> recent, String orderId) {
        for (int i = recent.size() - 1; i >= 0; i--) {
            if (recent.get(i).getOrderId().equals(orderId)) {
                return recent.get(i);
            }
        }
        return null;
    }

    /** The latest (or earliest) payment time of the recent orders that still count. */
    private static Long paid(List<OrderRef> recent, boolean latest) {
        Long found = null;
        for (OrderRef r : recent) {
            Long at = r.getPaidAt();
            if (at != null && !r.getClosed() && (found == null || (latest ? at > found : at < found))) {
                found = at;
            }
        }
        return found;
    }
}
