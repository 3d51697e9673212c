package dev.pond.model.fit;

import dev.pond.core.value.BgNbd;
import org.hipparchus.util.FastMath;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * How well a fitted model reproduces the calibration data: the number of customers with 0, 1,
 * …, 6 and 7 or more repeat purchases, against the number the model expects, Σᵢ P(X(Tᵢ) = k)
 * over the customers (each observed for their own Tᵢ). The classic check of Fader, Hardie and
 * Lee (2005, figure 2).
 */
public final class FitReport {

    /** The last row holds everyone with at least this many repeat purchases. */
    public static final int OPEN_ROW = 7;

    /**
     * One row of the table.
     *
     * @param label "0" … "6", "7+"
     * @param expected one column per model, in the order given to {@link #of}
     */
    public record Row(String label, long actual, List<Double> expected) {}

    private FitReport() {}

    /** Rows 0 … 6 and 7+. */
    public static List<Row> of(List<CustomerSummary> customers, List<BgNbd> models) {
        long[] actual = new long[OPEN_ROW + 1];
        Map<Integer, Long> byT = new TreeMap<>(); // customers by T in days: one probability table each
        for (CustomerSummary c : customers) {
            actual[Math.min(c.x(), OPEN_ROW)]++;
            byT.merge(c.tDays(), 1L, Long::sum);
        }
        double[][] expected = new double[models.size()][OPEN_ROW + 1];
        for (int m = 0; m < models.size(); m++) {
            if (models.get(m) == null) {
                java.util.Arrays.fill(expected[m], Double.NaN);
                continue;
            }
            for (Map.Entry<Integer, Long> e : byT.entrySet()) {
                double[] logP = models.get(m).logProbabilities(OPEN_ROW - 1, e.getKey() / 7.0);
                double below = 0;
                for (int k = 0; k < OPEN_ROW; k++) {
                    double p = FastMath.exp(logP[k]);
                    expected[m][k] += e.getValue() * p;
                    below += p;
                }
                expected[m][OPEN_ROW] += e.getValue() * FastMath.max(0, 1 - below);
            }
        }
        List<Row> rows = new ArrayList<>();
        for (int k = 0; k <= OPEN_ROW; k++) {
            List<Double> columns = new ArrayList<>();
            for (double[] e : expected) {
                columns.add(e[k]);
            }
            rows.add(new Row(k == OPEN_ROW ? OPEN_ROW + "+" : String.valueOf(k), actual[k], columns));
        }
        return rows;
    }
}
