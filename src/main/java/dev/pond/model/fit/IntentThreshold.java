package dev.pond.model.fit;

import dev.pond.core.TagRules;
import dev.pond.model.TriggerParams;
import org.hipparchus.stat.descriptive.rank.Percentile;
import org.hipparchus.stat.descriptive.rank.Percentile.EstimationType;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What the clicks and reads say about HIGH_INTENT's threshold: how high active users' intent
 * peaks on a day ({@link IntentDays}), what share of them reaches the model's {@code minIntent},
 * and, when the model asks for a {@code topPercent}, the {@code minIntent} that only that share
 * of active users reaches on a day.
 *
 * <p>The fitted threshold is the lowest daily peak that no more than {@code topPercent} % of
 * active user-days reach: a budget, so that ties at the edge fall out rather than in. It is
 * rounded up to six significant digits, as every fitted number in the model file has six;
 * {@link #fittedShare()} is the share that reaches the written value.
 *
 * @param from the first day sampled
 * @param to the last day sampled
 * @param signals signals up to the calibration end
 * @param users users with a signal
 * @param activeDays who counts as active: a signal in this many days up to the day's end
 * @param activeUserDays the (active user, day) pairs sampled
 * @param quantiles of the daily peaks, by percentage (50, 90, 95, 99)
 * @param minIntent the base model's threshold
 * @param share the share (0..1) of active user-days whose peak reaches {@code minIntent}
 * @param topPercent the share the model asks for, or null
 * @param fitted the threshold for {@code topPercent}, or null without it
 * @param fittedShare the share that reaches {@code fitted}; NaN without it
 */
public record IntentThreshold(LocalDate from, LocalDate to, long signals, int users, double activeDays,
        long activeUserDays,
        Map<Integer, Double> quantiles, double minIntent, double share, Double topPercent, Double fitted,
        double fittedShare) {

    /** Fewer user-days than this in the top share make its lower edge an accident of a few users. */
    public static final int MIN_TOP_USER_DAYS = 20;

    private static final int[] REPORTED = {50, 90, 95, 99};

    /**
     * @throws IllegalArgumentException if no user was active on a sampled day, or if the top share
     *     asked for is too few user-days or would need a threshold of 0
     */
    static IntentThreshold of(IntentDays days, TriggerParams.HighIntent params) {
        double[] peaks = days.peaks();
        if (peaks.length == 0) {
            throw new IllegalArgumentException("no user was active (a click or read with an intent weight) on the days "
                    + days.from() + " to " + days.to() + ": nothing to learn the high-intent threshold from");
        }
        Arrays.sort(peaks);
        Percentile percentile = new Percentile().withEstimationType(EstimationType.R_1);
        percentile.setData(peaks);
        Map<Integer, Double> quantiles = new LinkedHashMap<>();
        for (int q : REPORTED) {
            quantiles.put(q, percentile.evaluate(q));
        }
        Double top = params.topPercent();
        Double fitted = null;
        double fittedShare = Double.NaN;
        if (top != null) {
            double inTop = peaks.length * top / 100;
            if (inTop < MIN_TOP_USER_DAYS) {
                throw new IllegalArgumentException(String.format(Locale.ROOT, "the top %s %% of %,d active user-days"
                                + " (%s to %s) are %.1f: at least %d are needed to fit triggers.highIntent.minIntent;"
                                + " sample more days (--intent-days) or ask for a larger triggers.highIntent.topPercent",
                        TagRules.number(top), peaks.length, days.from(), days.to(), inTop, MIN_TOP_USER_DAYS));
            }
            fitted = lowestPeakInTop(peaks, top);
            fittedShare = reaching(peaks, fitted);
        }
        return new IntentThreshold(days.from(), days.to(), days.signals(), days.users(), params.activeDays(),
                peaks.length, quantiles,
                params.minIntent(), reaching(peaks, params.minIntent()), top, fitted, fittedShare);
    }

    /**
     * The lowest of the sorted {@code peaks} that at most {@code top} % of them reach, rounded up.
     *
     * @throws IllegalArgumentException if there is none above 0
     */
    private static double lowestPeakInTop(double[] peaks, double top) {
        int i = peaks.length - (int) Math.floor(peaks.length * top / 100);
        while (i < peaks.length && i > 0 && peaks[i] == peaks[i - 1]) {
            i++; // a value shared across the edge: all of it is out
        }
        if (i == peaks.length || !(peaks[i] > 0)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "no intent is reached by the top %s %% of"
                    + " active user-days alone (%.1f %% peak above 0, %.1f %% at the highest peak, %.2f): choose another"
                    + " triggers.highIntent.topPercent", TagRules.number(top), 100 * reaching(peaks, Double.MIN_VALUE),
                    100 * reaching(peaks, peaks[peaks.length - 1]), peaks[peaks.length - 1]));
        }
        return new BigDecimal(peaks[i]).round(new MathContext(6, RoundingMode.CEILING)).doubleValue();
    }

    /** The share of the sorted {@code peaks} at or above {@code value}. */
    private static double reaching(double[] peaks, double value) {
        int below = 0;
        int hi = peaks.length;
        while (below < hi) { // the first index whose peak is at or above value
            int mid = (below + hi) >>> 1;
            if (peaks[mid] < value) {
                below = mid + 1;
            } else {
                hi = mid;
            }
        }
        return (peaks.length - below) / (double) peaks.length;
    }
}
