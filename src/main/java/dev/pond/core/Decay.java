package dev.pond.core;

import java.util.Map;

/**
 * Exponential decay with a half-life. Scores are stored as values valid at one moment ({@code
 * asOf}) and decayed on read, so that no timer is needed to age them.
 */
public final class Decay {

    private Decay() {}

    /** What one unit is worth after {@code elapsedMillis} (1 for no time, 0.5 after one half-life). */
    public static double factor(long elapsedMillis, double halfLifeMillis) {
        return elapsedMillis <= 0 ? 1d : Math.exp(-Math.log(2) * elapsedMillis / halfLifeMillis);
    }

    /** {@code value} valid at {@code asOf}, read at {@code now}. */
    public static double at(double value, long asOf, long now, double halfLifeMillis) {
        return value * factor(now - asOf, halfLifeMillis);
    }

    /**
     * Moves every value of {@code values} forward from {@code asOf} to {@code to}, if {@code to} is
     * later, and returns the new moment they are valid at.
     */
    public static long advance(Map<String, Double> values, long asOf, long to, double halfLifeMillis) {
        if (to <= asOf) {
            return asOf;
        }
        double f = factor(to - asOf, halfLifeMillis);
        values.replaceAll((k, v) -> v * f);
        return to;
    }

    /**
     * The weight, valid at {@code asOf}, of a signal of weight {@code w} that happened at {@code t
     * <= asOf} (an event that arrived out of order counts as much as it would have in order).
     */
    public static double late(double w, long t, long asOf, double halfLifeMillis) {
        return w * factor(asOf - t, halfLifeMillis);
    }

    /**
     * The first millisecond after which {@code value}, valid at {@code asOf}, is below {@code
     * threshold}; {@link Long#MAX_VALUE} if it already is or if it is not positive.
     */
    public static long fallsBelow(double value, long asOf, double threshold, double halfLifeMillis) {
        if (!(value >= threshold) || threshold <= 0) {
            return Long.MAX_VALUE;
        }
        double millis = halfLifeMillis * (Math.log(value / threshold) / Math.log(2));
        if (!(millis < Long.MAX_VALUE - 1 - (double) Math.max(asOf, 0))) {
            return Long.MAX_VALUE; // beyond any time there is
        }
        return asOf + (long) Math.floor(millis) + 1;
    }
}
