package dev.pond.model.fit;

import org.hipparchus.stat.descriptive.rank.Median;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * How long customers take to buy a category again: the median of the gaps, in days, between
 * consecutive distinct purchase days of the same category by the same customer, pooled over
 * customers. A median, not a mean, so that a customer who comes back after two years does not
 * stretch the cycle of everyone else. Only categories with enough gaps get a cycle; a median of
 * three gaps would send replenishment reminders on a whim.
 */
public final class CategoryCycles {

    /**
     * One category's gaps.
     *
     * @param medianDays the median gap (NaN without gaps)
     * @param kept whether it had enough gaps to become {@code categories.repurchaseDays}
     */
    public record Cycle(String category, int gaps, double medianDays, boolean kept) {}

    private CategoryCycles() {}

    /** Every category bought, sorted by name; {@code minGaps} decides which are kept. */
    public static List<Cycle> fit(List<CustomerSummary> customers, int minGaps) {
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
        gaps.forEach((category, g) -> {
            double median = g.isEmpty() ? Double.NaN
                    : new Median().evaluate(g.stream().mapToDouble(Double::doubleValue).toArray());
            out.add(new Cycle(category, g.size(), median, g.size() >= minGaps));
        });
        return out;
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
