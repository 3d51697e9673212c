package dev.pond.backtest;

import dev.pond.events.OrderEvent;
import dev.pond.events.OrderStatus;
import dev.pond.out.TagChange;
import dev.pond.out.TagChangeType;
import dev.pond.out.Trigger;
import dev.pond.out.TriggerNote;
import dev.pond.out.TriggerOutcome;
import dev.pond.out.TriggerType;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What one model's triggers did over a history: per trigger type, how many went out and when, how
 * many the contact policy held back, and the conversion, the share of targeted users who paid for
 * an order within {@code window} after their first trigger of the type, beside the same share for
 * comparable users that type never targeted. Plain Java over a replay's outputs and the history's
 * orders.
 *
 * <p>Comparable: for each targeted user, the users never targeted by the type who were in the same
 * lifecycle stage (lifecycle:* tag) at the moment of that user's trigger; their payments in the
 * same window after that moment are the baseline. Each targeted user's comparison counts once per
 * comparable user, so the baseline is the pooled share over all those pairs.
 */
public final class TriggerOutcomes {

    /** One trigger type's numbers. */
    public record PerType(
            TriggerType type,
            int sent,
            Map<LocalDate, Integer> perDay,
            int deferred,
            Map<TriggerOutcome, Integer> notSent,
            int usersTargeted,
            int usersConverted,
            long comparisons,
            long comparisonsConverted) {

        /** Converted share of targeted users, or NaN without any. */
        public double conversion() {
            return usersTargeted == 0 ? Double.NaN : usersConverted / (double) usersTargeted;
        }

        /** Converted share of comparable users, or NaN without any. */
        public double baseline() {
            return comparisons == 0 ? Double.NaN : comparisonsConverted / (double) comparisons;
        }

        /** Triggers the contact policy did not send, whatever the reason. */
        public int held() {
            return notSent.values().stream().mapToInt(Integer::intValue).sum();
        }
    }

    private TriggerOutcomes() {}

    /**
     * @param triggers what the replay sent
     * @param notSent the triggers the contact policy did not send, and why (replay's notsent.jsonl)
     * @param tags the replay's tag changes, for the users' lifecycle stages over time
     * @param orders the history's orders; only PAID ones count as conversions
     * @param window how long after a trigger a payment counts
     */
    public static Map<TriggerType, PerType> of(List<Trigger> triggers, List<TriggerNote> notSent,
                                               List<TagChange> tags, List<OrderEvent> orders, Duration window) {
        Map<String, List<Long>> payments = payments(orders);
        Map<String, Lifecycle> stages = lifecycles(tags);
        Map<TriggerType, Map<TriggerOutcome, Integer>> held = held(notSent);
        Map<TriggerType, PerType> result = new EnumMap<>(TriggerType.class);
        for (TriggerType type : TriggerType.values()) {
            Map<LocalDate, Integer> perDay = new TreeMap<>();
            Map<String, Long> first = new TreeMap<>();
            int sent = 0;
            int deferred = 0;
            for (Trigger t : triggers) {
                if (t.getType() != type) {
                    continue;
                }
                sent++;
                if (t.getDeferredFrom() != null) {
                    deferred++;
                }
                perDay.merge(LocalDate.ofInstant(t.getFiredAt(), ZoneOffset.UTC), 1, Integer::sum);
                first.merge(t.getUserId(), t.getFiredAt().toEpochMilli(), Math::min);
            }
            int converted = 0;
            long comparisons = 0;
            long comparisonsConverted = 0;
            for (Map.Entry<String, Long> e : first.entrySet()) {
                long at = e.getValue();
                if (paidWithin(payments.get(e.getKey()), at, window)) {
                    converted++;
                }
                String stage = stageAt(stages.get(e.getKey()), at);
                if (stage == null) {
                    continue;
                }
                for (Map.Entry<String, Lifecycle> other : stages.entrySet()) {
                    if (!first.containsKey(other.getKey()) && stage.equals(stageAt(other.getValue(), at))) {
                        comparisons++;
                        if (paidWithin(payments.get(other.getKey()), at, window)) {
                            comparisonsConverted++;
                        }
                    }
                }
            }
            Map<TriggerOutcome, Integer> heldBack = held.getOrDefault(type, Map.of());
            if (sent > 0 || !heldBack.isEmpty()) {
                result.put(type, new PerType(type, sent, perDay, deferred, heldBack, first.size(), converted,
                        comparisons, comparisonsConverted));
            }
        }
        return result;
    }

    /** The users {@code triggers} target, per type and in all (key null). */
    public static Map<TriggerType, Set<String>> targets(Collection<Trigger> triggers) {
        Map<TriggerType, Set<String>> users = new HashMap<>();
        for (Trigger t : triggers) {
            users.computeIfAbsent(t.getType(), k -> new TreeSet<>()).add(t.getUserId());
            users.computeIfAbsent(null, k -> new TreeSet<>()).add(t.getUserId());
        }
        return users;
    }

    private static Map<String, List<Long>> payments(List<OrderEvent> orders) {
        Map<String, List<Long>> paid = new HashMap<>();
        for (OrderEvent o : orders) {
            if (o.getStatus() == OrderStatus.PAID) {
                paid.computeIfAbsent(o.getUserId(), k -> new ArrayList<>()).add(o.getTs().toEpochMilli());
            }
        }
        return paid;
    }

    /** Whether a payment falls in (at, at + window]. */
    private static boolean paidWithin(List<Long> paid, long at, Duration window) {
        if (paid == null) {
            return false;
        }
        long end = at + window.toMillis();
        for (long p : paid) {
            if (p > at && p <= end) {
                return true;
            }
        }
        return false;
    }

    /** A user's lifecycle tag changes, in time order (a removal before an addition at the same moment). */
    private record Lifecycle(List<TagChange> changes) {}

    private static Map<String, Lifecycle> lifecycles(List<TagChange> tags) {
        Map<String, Lifecycle> byUser = new TreeMap<>();
        for (TagChange c : tags) {
            if (c.getTag().startsWith("lifecycle:")) {
                byUser.computeIfAbsent(c.getUserId(), k -> new Lifecycle(new ArrayList<>())).changes().add(c);
            }
        }
        for (Lifecycle l : byUser.values()) {
            l.changes().sort((a, b) -> a.getAt().equals(b.getAt())
                    ? Boolean.compare(a.getChange() == TagChangeType.ADDED, b.getChange() == TagChangeType.ADDED)
                    : a.getAt().compareTo(b.getAt()));
        }
        return byUser;
    }

    /** The lifecycle tag the user held at {@code at} (changes at that moment applied), or null. */
    private static String stageAt(Lifecycle lifecycle, long at) {
        if (lifecycle == null) {
            return null;
        }
        String stage = null;
        Instant moment = Instant.ofEpochMilli(at);
        for (TagChange c : lifecycle.changes()) {
            if (c.getAt().isAfter(moment)) {
                break;
            }
            stage = c.getChange() == TagChangeType.ADDED ? c.getTag() : c.getTag().equals(stage) ? null : stage;
        }
        return stage;
    }

    private static Map<TriggerType, Map<TriggerOutcome, Integer>> held(List<TriggerNote> notSent) {
        Map<String, TriggerNote> notes = new TreeMap<>(); // once per trigger
        for (TriggerNote n : notSent) {
            notes.putIfAbsent(n.getTriggerId(), n);
        }
        Map<TriggerType, Map<TriggerOutcome, Integer>> held = new EnumMap<>(TriggerType.class);
        for (TriggerNote n : notes.values()) {
            held.computeIfAbsent(n.getType(), k -> new EnumMap<>(TriggerOutcome.class))
                    .merge(n.getOutcome(), 1, Integer::sum);
        }
        return held;
    }
}
