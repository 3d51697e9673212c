package dev.pond.model.fit;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * RFM cut points come from the 20/40/60/80 % quantiles (inverse empirical distribution: with ten
 * customers, the 2nd, 4th, 6th and 8th smallest values): recency's are the quantiles, frequency's
 * and monetary's one unit above them (a customer at a quantile stays below the cut), and cuts that
 * tie are raised just above the previous one (by 1, or by a cent), with a note.
 */
class RfmCutsTest {

    @Test
    void cutsAreQuantilesAndTiesAreRaised() {
        int[] recency = {200, 3, 7, 7, 10, 14, 30, 45, 60, 90};
        int[] orders = {1, 1, 1, 1, 1, 1, 2, 2, 3, 9};
        double[] spend = {19.99, 19.99, 19.99, 19.99, 25, 40.5, 40.5, 99, 120, 500};
        List<CustomerSummary> customers = new ArrayList<>();
        for (int i = 0; i < recency.length; i++) {
            customers.add(new CustomerSummary("c" + i, 0, 0, 0, 0, recency[i], orders[i], spend[i], new TreeMap<>()));
        }

        RfmCuts cuts = RfmCuts.fit(customers);

        assertThat(cuts.recencyDays()).containsExactly(7, 10, 30, 60);
        // The six one-time buyers score F1, the two with 2 orders F2, 3 orders F3, 9 orders F5.
        assertThat(cuts.frequency()).containsExactly(2.0, 3.0, 4.0, 5.0);
        // The four who spent 19.99 score M1.
        assertThat(cuts.monetary()).containsExactly(20.0, 20.01, 40.51, 99.01);
        assertThat(cuts.notes()).containsExactly(
                "rfm.frequency: the cuts [2, 2, 2, 3] tie, so they were raised to [2, 3, 4, 5] to ascend",
                "rfm.monetary: the cuts [20, 20, 40.51, 99.01] tie, so they were raised to"
                        + " [20, 20.01, 40.51, 99.01] to ascend");
    }

    @Test
    void raisedCutsAreExactCents() {
        List<String> notes = new ArrayList<>();

        assertThat(RfmCuts.ascending("m", new double[] {0.1, 0.1, 0.1, 0.2}, 100, notes))
                .containsExactly(0.1, 0.11, 0.12, 0.2);
        assertThat(RfmCuts.ascending("f", new double[] {5, 5, 5, 5}, 1, notes)).containsExactly(5.0, 6.0, 7.0, 8.0);
        assertThat(RfmCuts.ascending("ok", new double[] {1, 2, 3, 4}, 1, notes)).containsExactly(1.0, 2.0, 3.0, 4.0);
        assertThat(notes).hasSize(2);
    }
}
