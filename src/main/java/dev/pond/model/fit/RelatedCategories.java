package dev.pond.model.fit;

import dev.pond.model.Model.Related;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Categories bought by the same customers more often than chance: for each pair, the lift
 * n_AB · N / (n_A · n_B), where n_A is the number of customers who bought A, n_AB those who
 * bought both, and N all customers with a purchase. Counted per customer, not per order, so
 * that a pair in one basket and a pair bought a month apart weigh the same.
 *
 * <p>A pair is kept when at least {@code minSupport} customers bought both (a lift of 5 from two
 * customers is noise) and its lift reaches {@code minLift}. Each category keeps its
 * {@code maxPerCategory} best partners, by lift, then by name. The lift is symmetric, so a pair
 * appears in both directions unless one side already has better partners.
 */
public final class RelatedCategories {

    /** The thresholds. */
    public record Thresholds(int minSupport, double minLift, int maxPerCategory) {}

    private RelatedCategories() {}

    /** Related pairs, sorted by category, then by lift (descending), then by related category. */
    public static List<Related> fit(List<CustomerSummary> customers, Thresholds t) {
        Map<String, Long> buyers = new TreeMap<>();
        Map<String, Map<String, Long>> both = new TreeMap<>();
        for (CustomerSummary c : customers) {
            List<String> bought = new ArrayList<>(c.categoryDays().keySet()); // sorted
            for (int i = 0; i < bought.size(); i++) {
                buyers.merge(bought.get(i), 1L, Long::sum);
                for (int j = i + 1; j < bought.size(); j++) {
                    both.computeIfAbsent(bought.get(i), k -> new TreeMap<>()).merge(bought.get(j), 1L, Long::sum);
                }
            }
        }
        double n = customers.size();
        Map<String, List<Pair>> partners = new TreeMap<>();
        both.forEach((a, row) -> row.forEach((b, nab) -> {
            double lift = nab * n / ((double) buyers.get(a) * buyers.get(b));
            if (nab >= t.minSupport() && lift >= t.minLift()) {
                partners.computeIfAbsent(a, k -> new ArrayList<>()).add(new Pair(b, lift));
                partners.computeIfAbsent(b, k -> new ArrayList<>()).add(new Pair(a, lift));
            }
        }));
        List<Related> out = new ArrayList<>();
        partners.forEach((category, list) -> list.stream()
                .sorted(Comparator.comparingDouble(Pair::lift).reversed().thenComparing(Pair::other))
                .limit(t.maxPerCategory())
                .forEach(p -> out.add(new Related(category, p.other(), round(p.lift())))));
        return out;
    }

    private record Pair(String other, double lift) {}

    /** Three decimals are plenty for a lift and keep the model file readable. */
    private static double round(double lift) {
        return BigDecimal.valueOf(lift).setScale(3, RoundingMode.HALF_UP).doubleValue();
    }
}
