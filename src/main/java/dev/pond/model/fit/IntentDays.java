package dev.pond.model.fit;

import dev.pond.core.Intent;
import dev.pond.core.Times;
import dev.pond.model.Model;
import dev.pond.state.IntentState;

import java.time.LocalDate;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Every active user's peak intent of each day, from their signals: what the top share of active
 * users reach is read off these peaks ({@link IntentThreshold}).
 *
 * <p>Intent is computed by the job's own {@link Intent} with the model's weights, as HIGH_INTENT
 * sees it: the decayed sum of every signal, whatever was bought. A day's peak is the highest
 * intent of the day (right after one of its signals, or at its start, since intent only fades in
 * between). A user is active on a day with a signal (a weight other than 0: an unopened push is
 * none) in the {@code activeDays} up to the day's end. The days are UTC days, the last ones up to
 * {@code end}, from the first signal's day at the earliest.
 *
 * <p>Signals before the first sampled day are folded into each user's intent as they come; only
 * the sampled days' signals are kept, so a year of clicks costs the memory of a few weeks.
 */
final class IntentDays {

    /** One user's intent before the sampled days, and their signals within them. */
    private static final class User {
        final IntentState before;
        long lastBefore = Long.MIN_VALUE;
        long[] ts = new long[4];
        double[] weights = new double[4];
        int n;

        User(long t) {
            before = new IntentState(t, 0d, new HashMap<>(), new HashMap<>());
        }

        void keep(long t, double w) {
            if (n == ts.length) {
                ts = Arrays.copyOf(ts, n * 2);
                weights = Arrays.copyOf(weights, n * 2);
            }
            ts[n] = t;
            weights[n] = w;
            n++;
        }
    }

    private final Intent intent;
    private final long activeMillis;
    private final long end;
    private final long firstDay;
    private final long lastDay;
    private final Map<String, User> users = new HashMap<>();
    private long earliest = Long.MAX_VALUE;
    private long signals;

    /**
     * @param end the last millisecond that counts (the calibration end)
     * @param days how many days up to {@code end} to sample
     */
    IntentDays(Model model, long end, int days) {
        this.intent = new Intent(model);
        this.activeMillis = model.triggers().highIntent().activeMillis();
        this.end = end;
        this.lastDay = Times.day(end);
        this.firstDay = lastDay - days + 1;
    }

    /** A signal of weight {@code w} at {@code t}; nothing after the end, nothing of weight 0. */
    void add(String userId, long t, double w) {
        if (w == 0 || t > end) {
            return;
        }
        signals++;
        earliest = Math.min(earliest, t);
        User u = users.computeIfAbsent(userId, id -> new User(t));
        if (Times.day(t) < firstDay) {
            intent.add(u.before, t, w, null);
            u.lastBefore = Math.max(u.lastBefore, t);
        } else {
            u.keep(t, w);
        }
    }

    /** The signals that count (up to the end, weight not 0). */
    long signals() {
        return signals;
    }

    /** The users with a signal. */
    int users() {
        return users.size();
    }

    /** The first day sampled: the first of the days asked for, or the first signal's day if later. */
    LocalDate from() {
        return LocalDate.ofEpochDay(firstSampledDay());
    }

    /** The last day sampled, the end's. */
    LocalDate to() {
        return LocalDate.ofEpochDay(lastDay);
    }

    private long firstSampledDay() {
        return earliest == Long.MAX_VALUE ? lastDay + 1 : Math.max(firstDay, Times.day(earliest));
    }

    /**
     * The peak intent of every active user on every sampled day, in no particular order. Consumes
     * the users' intent: call once.
     */
    double[] peaks() {
        long first = firstSampledDay();
        double[] peaks = new double[64];
        int count = 0;
        for (User u : users.values()) {
            sortByTime(u);
            long last = u.lastBefore;
            int next = 0;
            for (long day = first; day <= lastDay; day++) {
                long start = day * Times.DAY;
                long dayEnd = Math.min(start + Times.DAY - 1, end);
                double peak = intent.total(u.before, start);
                for (; next < u.n && u.ts[next] <= dayEnd; next++) {
                    intent.add(u.before, u.ts[next], u.weights[next], null);
                    peak = Math.max(peak, intent.total(u.before, u.ts[next]));
                    last = Math.max(last, u.ts[next]);
                }
                if (last != Long.MIN_VALUE && last > dayEnd - activeMillis) {
                    if (count == peaks.length) {
                        peaks = Arrays.copyOf(peaks, count * 2);
                    }
                    peaks[count++] = peak;
                }
            }
        }
        return Arrays.copyOf(peaks, count);
    }

    /**
     * Signals in time order; signals at the same moment keep the order they were read in, as the
     * job applies them (clicks before reads, each file's lines in order).
     */
    private static void sortByTime(User u) {
        Integer[] order = new Integer[u.n];
        for (int i = 0; i < u.n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Long.compare(u.ts[a], u.ts[b])); // stable
        long[] ts = new long[u.n];
        double[] weights = new double[u.n];
        for (int i = 0; i < u.n; i++) {
            ts[i] = u.ts[order[i]];
            weights[i] = u.weights[order[i]];
        }
        u.ts = ts;
        u.weights = weights;
    }
}
