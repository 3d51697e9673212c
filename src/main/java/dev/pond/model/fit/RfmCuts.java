package dev.pond.model.fit;

import org.hipparchus.stat.descriptive.rank.Percentile;
import org.hipparchus.stat.descriptive.rank.Percentile.EstimationType;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * RFM cut points learnt from the customers: the 20, 40, 60 and 80 % quantiles of recency days,
 * orders in the window and spend in the window, so that each score from 1 to 5 holds about a
 * fifth of the customers.
 *
 * <p>The quantile is the inverse of the empirical distribution (Hipparchus' R_1): the smallest
 * observed value with at least that share of customers at or below it. Recency scores 5 up to
 * its first cut, so the recency cuts are the quantiles. Frequency and monetary scores go up when
 * a value reaches a cut, so their cuts lie one unit (an order, a cent) above the quantiles: a
 * customer at the 20 % quantile, typically one of the many who bought once, stays in the bottom
 * score instead of lifting it empty. Where many customers share a value, cuts coincide; the model
 * needs strictly ascending cuts, so each such cut is moved just above the one before and
 * {@link #notes()} says so.
 */
public record RfmCuts(List<Integer> recencyDays, List<Double> frequency, List<Double> monetary, List<String> notes) {

    private static final double[] QUANTILES = {20, 40, 60, 80};

    /** @throws IllegalArgumentException without customers */
    public static RfmCuts fit(List<CustomerSummary> customers) {
        if (customers.isEmpty()) {
            throw new IllegalArgumentException("no customers to learn RFM cut points from");
        }
        List<String> notes = new ArrayList<>();
        List<Double> recency = ascending("rfm.recencyDays", quantiles(customers, CustomerSummary::recencyDays, 1),
                1, notes);
        List<Double> frequency = ascending("rfm.frequency",
                above(quantiles(customers, CustomerSummary::windowOrders, 1), 1), 1, notes);
        List<Double> monetary = ascending("rfm.monetary",
                above(quantiles(customers, CustomerSummary::windowSpend, 100), 100), 100, notes);
        return new RfmCuts(recency.stream().map(Double::intValue).toList(), frequency, monetary, List.copyOf(notes));
    }

    /** The quantiles of {@code value}, rounded to {@code 1 / perUnit} (whole numbers, or cents). */
    private static double[] quantiles(List<CustomerSummary> customers, ToDoubleFunction<CustomerSummary> value,
            double perUnit) {
        double[] values = customers.stream().mapToDouble(value).toArray();
        Percentile percentile = new Percentile().withEstimationType(EstimationType.R_1);
        percentile.setData(values);
        double[] cuts = new double[QUANTILES.length];
        for (int i = 0; i < cuts.length; i++) {
            cuts[i] = Math.round(percentile.evaluate(QUANTILES[i]) * perUnit) / perUnit;
        }
        return cuts;
    }

    /** One unit ({@code 1 / perUnit}) above each quantile, counted in units so that cents stay exact. */
    private static double[] above(double[] quantiles, double perUnit) {
        double[] cuts = new double[quantiles.length];
        for (int i = 0; i < cuts.length; i++) {
            cuts[i] = (Math.round(quantiles[i] * perUnit) + 1) / perUnit;
        }
        return cuts;
    }

    /**
     * Moves each cut that does not ascend to one unit above the previous one, a unit being
     * {@code 1 / perUnit} (1 for counts, 100 for cents).
     */
    static List<Double> ascending(String name, double[] quantiles, double perUnit, List<String> notes) {
        double[] cuts = quantiles.clone();
        for (int i = 1; i < cuts.length; i++) {
            long previous = Math.round(cuts[i - 1] * perUnit);
            if (Math.round(cuts[i] * perUnit) <= previous) {
                // Counted in units, so that a cent above 19.99 is 20.0 and not 20.000000000000004.
                cuts[i] = (previous + 1) / perUnit;
            }
        }
        List<Double> out = new ArrayList<>();
        for (double c : cuts) {
            out.add(c);
        }
        if (!java.util.Arrays.equals(cuts, quantiles)) {
            notes.add(name + ": the cuts " + format(quantiles) + " tie, so they were raised to "
                    + format(cuts) + " to ascend");
        }
        return out;
    }

    private static String format(double[] values) {
        List<String> parts = new ArrayList<>();
        for (double v : values) {
            parts.add(v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v));
        }
        return "[" + String.join(", ", parts) + "]";
    }
}
