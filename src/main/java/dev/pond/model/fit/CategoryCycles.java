package dev.pond.model.fit;

import org.hipparchus.stat.descriptive.rank.Percentile;
import org.hipparchus.stat.descriptive.rank.Percentile.EstimationType;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * How long customers take to buy a category again: the median of the gaps, in days, between
 * consecutive distinct purchase days of the same category by the same customer, pooled over
 * customers. A median, not a mean, so that a customer who comes back after two years does not
 * stretch the cycle of everyone else.
 *
 * <p>A cycle is a promise that the product runs out, so a category gets one only if its gaps say
 * so. It needs enough gaps (a median of three gaps would send replenishment reminders on a whim),
 * and they must be regular: the interquartile range over the median, (Q3 − Q1) / median, at most
 * {@code maxDispersion}. Coffee rebought every four weeks or so stays near 0.5; a jacket or a
 * lipstick bought again whenever it pleases lands near 2, as random purchase times do (for
 * exponential gaps it is ln 3 / ln 2 ≈ 1.58).
 *
 * <p>Quartiles are Hipparchus' R_7 (Hyndman and Fan's type 7, the default of R and NumPy): linear
 * interpolation between order statistics at 1 + (n − 1)p. Its quartiles stay between the data's
 * second-smallest and second-largest values from five gaps on, so one customer returning after a
 * year does not widen the range, and its median is the usual median. The (n + 1)p types (LEGACY,
 * R_6) reach out to the smallest and largest gaps of a small sample (for three gaps, Q1 and Q3 are
 * them), which makes a small category look irregular; the step types R_1 and R_3 do not average
 * the middle pair for the median. From a few dozen gaps on, the types barely differ.
 */
public final class CategoryCycles {

    /**
     * When a category gets a cycle.
     *
     * @param minGaps gaps it needs at least
     * @param maxDispersion the largest (Q3 − Q1) / median of its gaps
     */
    public record Thresholds(int minGaps, double maxDispersion) {}

    /** Whether a category got a cycle, and if not, why. */
    public enum Verdict {
        KEPT("kept"),
        TOO_FEW_GAPS("too few gaps"),
        IRREGULAR("irregular");

        private final String text;

        Verdict(String text) {
            this.text = text;
        }

        /** How the fit report says it. */
        public String text() {
            return text;
        }
    }

    /**
     * One category's gaps.
     *
     * @param medianDays the median gap (NaN without gaps)
     * @param dispersion (Q3 − Q1) / median of the gaps (NaN without gaps)
     * @param verdict whether it became {@code categories.repurchaseDays}; too few gaps is said
     *     before irregular, as the dispersion of a few gaps means little
     */
    public record Cycle(String category, int gaps, double medianDays, double dispersion, Verdict verdict) {

        /** Whether this category's median is its repurchase cycle. */
        public boolean kept() {
            return verdict == Verdict.KEPT;
        }
    }

    private CategoryCycles() {}

    /** Every category bought, sorted by name; {@code t} decides which are kept. */
    public static List<Cycle> fit(List<CustomerSummary> customers, Thresholds t) {
        SortedMap<String, List<Double>> gaps = new TreeMap<>();
        for (CustomerSummary c : customers) {
            for (Map.Entry<String, List<Long>> e : c.categoryDays().entrySet()) {
                List<Double> pooled = gaps.computeIfAbsent(e.getKey(), k -> new ArrayList<>());
                List<Long> days = e.getValue();
                for (int i = 1; i < days.size(); i++) {
                    pooled.add((double) (days.get(i) - days.get(i - 1)));
                }
            }
        }
        List<Cycle> out = new ArrayList<>();
        gaps.forEach((category, g) -> out.add(cycle(category, g, t)));
        return out;
    }

    private static Cycle cycle(String category, List<Double> gaps, Thresholds t) {
        if (gaps.isEmpty()) {
            return new Cycle(category, 0, Double.NaN, Double.NaN, Verdict.TOO_FEW_GAPS);
        }
        Percentile quantile = new Percentile().withEstimationType(EstimationType.R_7);
        quantile.setData(gaps.stream().mapToDouble(Double::doubleValue).toArray());
        double median = quantile.evaluate(50);
        // Gaps are between distinct days, so at least 1 day: the median is never 0.
        double dispersion = (quantile.evaluate(75) - quantile.evaluate(25)) / median;
        Verdict verdict = gaps.size() < t.minGaps() ? Verdict.TOO_FEW_GAPS
                : dispersion > t.maxDispersion() ? Verdict.IRREGULAR : Verdict.KEPT;
        return new Cycle(category, gaps.size(), median, dispersion, verdict);
    }

    /** The kept cycles, as {@code categories.repurchaseDays}. */
    public static SortedMap<String, Double> repurchaseDays(List<Cycle> cycles) {
        SortedMap<String, Double> out = new TreeMap<>();
        for (Cycle c : cycles) {
            if (c.kept()) {
                out.put(c.category(), c.medianDays());
            }
        }
        return out;
    }
}
