package dev.pond.model.fit;

import dev.pond.model.Model.Related;
import dev.pond.model.fit.CategoryCycles.Verdict;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Repurchase cycles (median gap, regularity) and related categories on a hand-made customer base,
 * with exact values.
 */
class CategoryStatsTest {

    /** A customer with these categories on these days. */
    private static CustomerSummary customer(String id, Map<String, List<Long>> days) {
        return new CustomerSummary(id, 0, 0, 0, 0, 0, 0, 0, new TreeMap<>(days));
    }

    /** One customer per list of gaps, buying {@code category} on day 0 and after each gap. */
    private static List<CustomerSummary> gaps(String category, long[]... gapsPerCustomer) {
        List<CustomerSummary> out = new ArrayList<>();
        for (long[] gaps : gapsPerCustomer) {
            List<Long> days = new ArrayList<>(List.of(0L));
            for (long g : gaps) {
                days.add(days.get(days.size() - 1) + g);
            }
            out.add(customer(category + out.size(), Map.of(category, days)));
        }
        return out;
    }

    /*
     * Quartiles are R_7: the p-quantile of n sorted gaps x1..xn sits at position 1 + (n - 1)p,
     * interpolated linearly between the order statistics on either side.
     */

    @Test
    void theCycleIsTheMedianGapBetweenPurchaseDaysOfACategory() {
        List<CustomerSummary> customers = List.of(
                customer("c1", Map.of("tea", List.of(0L, 10L, 30L), "coffee", List.of(0L))), // tea gaps 10, 20
                customer("c2", Map.of("tea", List.of(5L, 12L), "coffee", List.of(5L, 40L))), // 7; coffee 35
                customer("c3", Map.of("tea", List.of(1L), "cake", List.of(1L))),
                customer("c4", Map.of("coffee", List.of(2L, 4L, 6L, 14L), "cake", List.of(3L))), // 2, 2, 8
                customer("c5", Map.of("cake", List.of(0L, 9L))), // 9
                customer("c6", Map.of("soap", List.of(0L))));

        List<CategoryCycles.Cycle> cycles = CategoryCycles.fit(customers, new CategoryCycles.Thresholds(3, 3.0));

        // cake: one gap 9, Q1 = median = Q3 = 9.
        // coffee: gaps 2, 2, 8, 35. Q1 at 1.75: 2; median at 2.5: (2 + 8) / 2 = 5; Q3 at 3.25:
        //   8 + 0.25 · 27 = 14.75. (14.75 - 2) / 5 = 2.55.
        // tea: gaps 7, 10, 20. Q1 at 1.5: 8.5; median at 2: 10; Q3 at 2.5: 15. (15 - 8.5) / 10 = 0.65.
        assertThat(cycles).containsExactly(
                new CategoryCycles.Cycle("cake", 1, 9.0, 0.0, Verdict.TOO_FEW_GAPS),
                new CategoryCycles.Cycle("coffee", 4, 5.0, 12.75 / 5, Verdict.KEPT),
                new CategoryCycles.Cycle("soap", 0, Double.NaN, Double.NaN, Verdict.TOO_FEW_GAPS),
                new CategoryCycles.Cycle("tea", 3, 10.0, 6.5 / 10, Verdict.KEPT));
        SortedMap<String, Double> expected = new TreeMap<>(Map.of("coffee", 5.0, "tea", 10.0));
        assertThat(CategoryCycles.repurchaseDays(cycles)).isEqualTo(expected);
    }

    @Test
    void anIrregularCategoryGetsNoCycleWhileARegularOneDoes() {
        List<CustomerSummary> customers = new ArrayList<>();
        // Sorted 28, 29, 30, 31, 32, 365. Q1 at 2.25: 29.25; median at 3.5: 30.5; Q3 at 4.75: 31.75.
        // 2.5 / 30.5 = 0.082: the customer back after a year does not reach the quartiles.
        customers.addAll(gaps("coffee", new long[] {28, 30, 29}, new long[] {365, 31, 32}));
        // 5, 12, 30, 60, 95. Q1 at 2: 12; median at 3: 30; Q3 at 4: 60. 48 / 30 = 1.6.
        customers.addAll(gaps("jacket", new long[] {30, 5, 95, 60, 12}));
        // 5, 10, 40, 60, 70. Q1 10, median 40, Q3 60: 50 / 40 = 1.25, at the limit.
        customers.addAll(gaps("tea", new long[] {10, 60}, new long[] {70, 5, 40}));
        // 1, 2, 60. Q1 at 1.5: 1.5; median 2; Q3 at 2.5: 31. 29.5 / 2 = 14.75, but too few to judge.
        customers.addAll(gaps("toy", new long[] {1, 2, 60}));

        List<CategoryCycles.Cycle> cycles = CategoryCycles.fit(customers, new CategoryCycles.Thresholds(5, 1.25));

        assertThat(cycles).containsExactly(
                new CategoryCycles.Cycle("coffee", 6, 30.5, 2.5 / 30.5, Verdict.KEPT),
                new CategoryCycles.Cycle("jacket", 5, 30.0, 1.6, Verdict.IRREGULAR),
                new CategoryCycles.Cycle("tea", 5, 40.0, 1.25, Verdict.KEPT),
                new CategoryCycles.Cycle("toy", 3, 2.0, 14.75, Verdict.TOO_FEW_GAPS));
        assertThat(CategoryCycles.repurchaseDays(cycles)).containsExactly(Map.entry("coffee", 30.5),
                Map.entry("tea", 40.0));
    }

    /**
     * Ten customers: tea 4 buyers, coffee 3, cake 4, soap 3, bread 3. Tea and coffee: 3 buy both,
     * lift 3·10/(4·3) = 2.5. Cake and soap: 2, lift 2·10/(4·3) = 1.667. Tea and cake 0.625,
     * coffee and cake 0.833, bread and tea 0.833.
     */
    private static List<CustomerSummary> baskets() {
        String[][] bought = {
            {"tea", "coffee"}, {"tea", "coffee"}, {"tea", "coffee", "cake"}, {"cake", "soap"}, {"cake", "soap"},
            {"cake"}, {"soap"}, {"bread"}, {"bread"}, {"bread", "tea"}};
        List<CustomerSummary> out = new ArrayList<>();
        for (int i = 0; i < bought.length; i++) {
            Map<String, List<Long>> days = new TreeMap<>();
            for (String c : bought[i]) {
                days.put(c, List.of(0L));
            }
            out.add(customer("c" + i, days));
        }
        return out;
    }

    @Test
    void relatedPairsNeedSupportAndLiftAndComeInBothDirections() {
        List<Related> related = RelatedCategories.fit(baskets(), new RelatedCategories.Thresholds(2, 1.5, 3));

        assertThat(related).containsExactly(
                new Related("cake", "soap", 1.667),
                new Related("coffee", "tea", 2.5),
                new Related("soap", "cake", 1.667),
                new Related("tea", "coffee", 2.5));
    }

    @Test
    void eachCategoryKeepsItsBestPartnersOnly() {
        List<Related> related = RelatedCategories.fit(baskets(), new RelatedCategories.Thresholds(1, 0.6, 1));

        // tea's best partner is coffee, so tea -> bread is cut; bread's only partner is tea.
        assertThat(related).containsExactly(
                new Related("bread", "tea", 0.833),
                new Related("cake", "soap", 1.667),
                new Related("coffee", "tea", 2.5),
                new Related("soap", "cake", 1.667),
                new Related("tea", "coffee", 2.5));
    }

    @Test
    void equalLiftsAreOrderedByName() {
        List<CustomerSummary> customers = List.of(
                customer("c1", Map.of("a", List.of(0L), "b", List.of(0L), "c", List.of(0L))),
                customer("c2", Map.of("a", List.of(0L), "b", List.of(0L), "c", List.of(0L))),
                customer("c3", Map.of("d", List.of(0L))),
                customer("c4", Map.of("d", List.of(0L))));

        List<Related> related = RelatedCategories.fit(customers, new RelatedCategories.Thresholds(2, 1.5, 1));

        assertThat(related).containsExactly(
                new Related("a", "b", 2.0), new Related("b", "a", 2.0), new Related("c", "a", 2.0));
    }
}
