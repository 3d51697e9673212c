package dev.pond.model.fit;

import dev.pond.model.Model.Related;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/** Repurchase cycles and related categories on a hand-made customer base, with exact values. */
class CategoryStatsTest {

    /** A customer with these categories on these days. */
    private static CustomerSummary customer(String id, Map<String, List<Long>> days) {
        return new CustomerSummary(id, 0, 0, 0, 0, 0, 0, 0, new TreeMap<>(days));
    }

    @Test
    void theCycleIsTheMedianGapBetweenPurchaseDaysOfACategory() {
        List<CustomerSummary> customers = List.of(
                customer("c1", Map.of("tea", List.of(0L, 10L, 30L), "coffee", List.of(0L))), // tea gaps 10, 20
                customer("c2", Map.of("tea", List.of(5L, 12L), "coffee", List.of(5L, 40L))), // 7; coffee 35
                customer("c3", Map.of("tea", List.of(1L), "cake", List.of(1L))),
                customer("c4", Map.of("coffee", List.of(2L, 4L, 6L, 14L), "cake", List.of(3L))), // 2, 2, 8
                customer("c5", Map.of("cake", List.of(0L, 9L))), // 9
                customer("c6", Map.of("soap", List.of(0L))));

        List<CategoryCycles.Cycle> cycles = CategoryCycles.fit(customers, 3);

        assertThat(cycles).containsExactly(
                new CategoryCycles.Cycle("cake", 1, 9.0, false),
                new CategoryCycles.Cycle("coffee", 4, 5.0, true), // gaps 2, 2, 8, 35: (2 + 8) / 2
                new CategoryCycles.Cycle("soap", 0, Double.NaN, false),
                new CategoryCycles.Cycle("tea", 3, 10.0, true)); // gaps 7, 10, 20
        SortedMap<String, Double> expected = new TreeMap<>(Map.of("coffee", 5.0, "tea", 10.0));
        assertThat(CategoryCycles.repurchaseDays(cycles)).isEqualTo(expected);
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
